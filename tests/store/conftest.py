"""Fixtures of the team-store tests: one real, throw-away PostgreSQL cluster per
test session (see pgcluster.py), a fresh database in it for every test."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from pgcluster import Cluster, find_bin_dir

_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg() -> Iterator[Cluster]:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (no initdb/pg_ctl in /usr/lib/postgresql/*/bin or on PATH)")
    pytest.importorskip("psycopg", reason="psycopg is not installed")
    cluster = Cluster(bin_dir).start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def empty_db(pg: Cluster) -> str:
    """The administrator's address of a new, empty database."""
    name = f"store_{next(_names)}"
    pg.admin(f"CREATE DATABASE {name}")
    return pg.admin_url(name)


@pytest.fixture
def store(empty_db: str) -> str:
    """The address of a team store set up by `store init`."""
    from db.sharing.store.schema import init_store

    init_store(empty_db)
    return empty_db
