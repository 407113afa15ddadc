"""Opening a briefing file from the window: every refusal of the data layer
becomes one dialog, and a file that can only be read is offered read-only.
The caller keeps its current file unless a new one is handed back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtWidgets import QWidget

from briefbook.gui import messages
from db.briefing.facade import Briefing
from db.model.errors import BriefbookError, FileLocked, ReadOnlyFile

TITLE = "Cannot open file"


def open_briefing(parent: QWidget | None, path: Path, user: str) -> Briefing | None:
    """The opened file, or None after telling the user why not."""
    try:
        return Briefing.open(path, user=user)
    except FileLocked as exc:
        from db.briefing import files  # only when a file turns out to be locked

        if exc.holder and files.lock_is_suspect(dict(exc.holder)):
            return _suspect_lock(parent, path, user, exc)
        return _read_only(parent, path, user, exc)
    except ReadOnlyFile as exc:
        return _read_only(parent, path, user, exc)
    except BriefbookError as exc:
        messages.show_error(parent, TITLE, str(exc))
        return None
    except (sqlite3.DatabaseError, OSError) as exc:
        # The disk, the folder's permissions, or damage the header checks could not see (a page torn in
        # the middle): told by SQLite's result code or the errno, in words, never SQLite's own message.
        from briefbook.services.failures import environment_sentence

        why = environment_sentence(exc, path)
        sentence = f"{path} could not be opened: {why}" if why else f"{path} could not be opened: it may be damaged."
        messages.show_error(parent, TITLE, sentence)
        return None


def _suspect_lock(parent: QWidget | None, path: Path, user: str, exc: FileLocked) -> Briefing | None:
    """A lock whose heartbeat is in the future may be left over: the user may take it over, after confirming."""
    from db.briefing import files

    question = (
        f"{files.lock_holder_phrase(path, dict(exc.holder))}.\n\nIf you are sure briefbook is closed there, take the "
        "lock over and open the file; otherwise open it read-only."
    )
    choice = messages.ask_choice(parent, "File in use?", question, ["&Take Over and Open", "Open &Read-Only"])
    if choice is None:
        return None
    try:
        if choice == 0:
            files.take_over_lock(path, dict(exc.holder))
            return Briefing.open(path, user=user)
        return Briefing.open(path, read_only=True, user=user)
    except BriefbookError as again:
        messages.show_error(parent, TITLE, str(again))
        return None


def _read_only(parent: QWidget | None, path: Path, user: str, exc: BriefbookError) -> Briefing | None:
    # The data layer's sentence already names who has it open, where and since when.
    question = f"{exc}\n\nOpen it read-only? You can read everything but not change it."
    if not messages.ask_yes_no(parent, "Open read-only?", question, "Open &Read-Only"):
        return None
    try:
        return Briefing.open(path, read_only=True, user=user)
    except BriefbookError as again:
        messages.show_error(parent, TITLE, str(again))
        return None
