"""The command line: `briefbook store init URL`, `briefbook sync URL [--db FILE]`;
errors are one sentence on stderr with a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
from pgcluster import Cluster
from share_helpers import make_small, sha

ROOT = Path(__file__).resolve().parents[2]


def briefbook(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefbook", *args], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip


def test_store_init_and_sync_from_the_command_line(empty_db: str, tmp_path: Path) -> None:
    done = briefbook("store", "init", empty_db)
    assert done.returncode == 0 and done.stdout.startswith("Team store ready at postgresql://"), done.stderr
    a = make_small(tmp_path / "a.sqlite")
    up = briefbook("sync", empty_db, "--db", str(a), "--json")
    assert up.returncode == 0, up.stderr
    assert json.loads(up.stdout)["up"]["notes"]["added"] == 2
    b = tmp_path / "new.sqlite"
    made = briefbook("sync", empty_db, "--db", str(b))
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("Made this file from the team store at postgresql://")
    listed = briefbook("note", "list", "1.1.1", "--db", str(b), "--json")
    assert len(json.loads(listed.stdout)["notes"]) == 2
    again = briefbook("sync", empty_db, "--db", str(b))
    assert "In step with the team store" in again.stdout


def test_errors_are_one_sentence_and_leave_the_file_alone(pg: Cluster, empty_db: str, tmp_path: Path) -> None:
    a = make_small(tmp_path / "a.sqlite")
    before = sha(a)
    for args, says in [
        (("sync", empty_db, "--db", str(a)), "is not a team store yet"),
        (("sync", "http://example.org/x", "--db", str(a)), "is not a PostgreSQL address"),
        (("sync", f"postgresql://nobody@127.0.0.1:{pg.port}/nothere", "--db", str(a)), "refused the login"),
    ]:
        done = briefbook(*args, env={"PGPASSFILE": str(tmp_path / "none")})
        assert done.returncode == 1 and says in done.stderr, done.stderr
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert sha(a) == before


def test_a_file_that_would_be_made_from_a_bad_store_is_not_left_behind(store: str, tmp_path: Path) -> None:
    a = make_small(tmp_path / "a.sqlite")
    assert briefbook("sync", store, "--db", str(a)).returncode == 0
    with psycopg.connect(store, autocommit=True) as conn:
        conn.execute("UPDATE blob SET data = 'evil'::bytea")  # bytes that are not what their hash says
    b = tmp_path / "new.sqlite"
    done = briefbook("sync", store, "--db", str(b))
    assert done.returncode == 1 and "do not match their SHA-256" in done.stderr
    assert not b.exists()
