"""What the window remembers between runs (QSettings): author, recent files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from db.ids import current_user

MAX_RECENT = 8


def settings() -> QSettings:
    # Organisation and application names are set on the QApplication (app.py).
    return QSettings()


def author() -> str:
    """The name put on notes and changes (Preferences); the OS user by default."""
    value = settings().value("author", "", type=str)
    return value.strip() or current_user()


def set_author(name: str) -> None:
    settings().setValue("author", name.strip())


def recent_files() -> list[Path]:
    values = settings().value("recentFiles", [], type=list) or []
    return [Path(v) for v in values if isinstance(v, str) and v]


def add_recent_file(path: Path) -> None:
    path = Path(path).resolve()
    files = [p for p in recent_files() if p != path]
    files.insert(0, path)
    settings().setValue("recentFiles", [str(p) for p in files[:MAX_RECENT]])


def remove_recent_file(path: Path) -> None:
    path = Path(path).resolve()
    settings().setValue("recentFiles", [str(p) for p in recent_files() if p != path])
