"""One user, one name: the window's Preferences and the command line sign with the same name."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from briefbook.services import preferences

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


def _note_authors(db: Path, ref: str) -> list[str]:
    out = subprocess.run([sys.executable, "-m", "briefbook", "note", "list", ref, "--db", str(db), "--json"],
                         capture_output=True, text=True, cwd=ROOT, env=os.environ.copy(), timeout=120, check=True)
    return [n["author"] for n in json.loads(out.stdout)["notes"]]


def test_the_command_line_signs_with_the_preferred_name(config_home: Path, seeded_path: Path) -> None:
    preferences.update(author="Maria Rossi (MAECI)")
    assert (config_home / "briefbook" / "preferences.json").is_file()
    base = [sys.executable, "-m", "briefbook", "note", "add", "3.2.1", "--db", str(seeded_path), "--kind", "risk"]
    shipped = _note_authors(seeded_path, "3.2.1")
    assert shipped and all(a.startswith("Sample data from ") for a in shipped)  # the report, not the desk
    subprocess.run([*base, "--text", "Mine"], cwd=ROOT, env=os.environ.copy(), check=True, timeout=120)
    subprocess.run([*base, "--text", "Theirs", "--author", "Ben"], cwd=ROOT, env=os.environ.copy(), check=True,
                   timeout=120)
    added = Counter(_note_authors(seeded_path, "3.2.1")) - Counter(shipped)
    assert added == Counter({"Ben": 1, "Maria Rossi (MAECI)": 1})


def test_the_window_setting_is_the_same_preference(config_home: Path, qapp: object) -> None:
    from briefbook.gui import settings

    settings.set_author("  Ana Bianchi ")
    assert preferences.load().author == "Ana Bianchi"
    assert settings.author() == "Ana Bianchi"


@pytest.mark.parametrize("content", [b"\xff\xfe not json", b"[1, 2]", b'{"author": 7}', b"{" + b" " * 70_000 + b"}"])
def test_a_damaged_preferences_file_gives_the_defaults(config_home: Path, content: bytes) -> None:
    path = config_home / "briefbook" / "preferences.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert preferences.load() == preferences.Preferences()
    assert preferences.author_name()  # the login name, not a crash
