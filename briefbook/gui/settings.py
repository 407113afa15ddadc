"""What the window remembers between runs: recent files (QSettings); the author
name lives in the preferences both front ends share (`services.preferences`)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile, QSettings

MAX_RECENT = 8
#: How many windows (briefbook processes) get a place of their own on the screen.
WINDOW_SLOTS = 8


def settings() -> QSettings:
    # Organisation and application names are set on the QApplication (app.py).
    return QSettings()


def author() -> str:
    """The name put on notes and changes (Preferences); the OS user by default."""
    from briefbook.services import preferences  # loads after the first paint

    return preferences.author_name()


def set_author(name: str) -> None:
    from briefbook.services import preferences

    preferences.update(author=name.strip())


def recent_files() -> list[Path]:
    values = settings().value("recentFiles", [], type=list)
    return [Path(v) for v in values if isinstance(v, str) and v] if isinstance(values, list) else []


def add_recent_file(path: Path) -> None:
    path = Path(path).resolve()
    files = [p for p in recent_files() if p != path]
    files.insert(0, path)
    settings().setValue("recentFiles", [str(p) for p in files[:MAX_RECENT]])


def remove_recent_file(path: Path) -> None:
    path = Path(path).resolve()
    settings().setValue("recentFiles", [str(p) for p in recent_files() if p != path])


def claim_window_slot() -> tuple[int, QLockFile | None]:
    """The number of this window among the briefbook windows open now (0 for the
    first), with the lock that holds it while the window lives. A window that
    ended without closing leaves a lock Qt knows to be stale (its process is gone)."""
    folder = Path(settings().fileName()).parent
    folder.mkdir(parents=True, exist_ok=True)
    for slot in range(WINDOW_SLOTS):
        lock = QLockFile(str(folder / f"briefbook-window-{slot}.lock"))
        lock.setStaleLockTime(0)  # stale only when its process is gone, however old
        if lock.tryLock(0):
            return slot, lock
    return WINDOW_SLOTS, None
