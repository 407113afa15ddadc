"""Shared fixtures. Qt runs offscreen; every test works on its own copy of a file."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never touch the user's own things: the default file (data), the
# preferences and window settings (config) and the parsed fonts (cache) all live
# in folders of this test session, whatever the environment says. Set before
# anything (Qt, platformdirs) reads them; subprocesses inherit them.
_TEST_HOME = Path(tempfile.mkdtemp(prefix="briefbook-tests-"))
# The user's own folders as the environment named them before the tests replaced
# them (the `real_user_folders` fixture; tests/gui/test_own_folders.py proves the
# window never writes there).
_REAL_FOLDERS: dict[str, str | None] = {}
for _name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    _REAL_FOLDERS[_name] = os.environ.get(_name)
    os.environ[_name] = str(_TEST_HOME / _name.lower())
atexit.register(shutil.rmtree, _TEST_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def real_user_folders() -> dict[str, str | None]:
    """XDG_DATA/CONFIG/CACHE/STATE_HOME as the environment set them before the session (None: unset)."""
    return dict(_REAL_FOLDERS)


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
    from db.briefing.facade import Briefing

    briefing = Briefing.open(seeded_path, user="tester")
    yield briefing
    briefing.close()


@pytest.fixture
def hold_at(monkeypatch: pytest.MonkeyPatch, qtbot: object) -> Iterator[object]:
    """Hold the next long operation's worker at a chosen moment, to press Cancel there
    (tests/cancel_helpers.py)."""
    from cancel_helpers import hold_at as holds

    yield from holds(monkeypatch)
