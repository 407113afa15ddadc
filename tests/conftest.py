"""Shared fixtures. Qt runs offscreen; every test works on its own copy of a file."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The default file must never be the developer's own: point the data dir at a temp dir.
os.environ.setdefault("XDG_DATA_HOME", str(Path(os.environ.get("TMPDIR", "/tmp")) / "briefbook-tests-data"))
# Nor its caches (the parsed fonts of exports).
os.environ.setdefault("XDG_CACHE_HOME", str(Path(os.environ.get("TMPDIR", "/tmp")) / "briefbook-tests-cache"))
# Nor its preferences (briefbook.services.preferences).
os.environ.setdefault("XDG_CONFIG_HOME", str(Path(os.environ.get("TMPDIR", "/tmp")) / "briefbook-tests-config"))


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded file per test session (seeding takes a moment); copy it, never change it."""
    from briefbook.services.seeding import init_file

    path = tmp_path_factory.mktemp("template") / "seeded.sqlite"
    init_file(path).close()
    return path


@pytest.fixture
def seeded_path(seeded_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the seeded Japan-Italy file for this test."""
    path = tmp_path / "briefing.sqlite"
    shutil.copyfile(seeded_template, path)
    return path


@pytest.fixture
def seeded(seeded_path: Path) -> Iterator[object]:
    """The seeded file, open through the facade."""
    from db.briefing import Briefing

    briefing = Briefing.open(seeded_path, user="tester")
    yield briefing
    briefing.close()
