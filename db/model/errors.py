"""Errors the data layer raises for the user to read.

Every `BriefbookError` carries one clear sentence (its `str()`), written for the
person at the keyboard, not for a developer: the window shows it in a dialog,
the command line prints it on stderr.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class BriefbookError(Exception):
    """A refusal or failure with a sentence the user can act on."""


class FileRefused(BriefbookError):
    """A briefing file was not opened (nothing in it was changed)."""

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(message)
        self.path = Path(path)


class FileMissing(FileRefused):
    pass


class NotABriefingFile(FileRefused):
    """Not SQLite at all, empty, a folder, or an SQLite file of another program."""


class NewerFile(FileRefused):
    def __init__(self, path: Path | str, message: str, version: int) -> None:
        super().__init__(path, message)
        self.version = version


class CorruptFile(FileRefused):
    pass


class ReadOnlyFile(FileRefused):
    """The file cannot be written; it can still be opened read-only."""


class FileLocked(FileRefused):
    """Another briefbook has the file open; it can still be opened read-only."""

    def __init__(self, path: Path | str, message: str, holder: dict[str, str] | None = None) -> None:
        super().__init__(path, message)
        self.holder = holder or {}


class FileBusy(BriefbookError):
    """Another program held the database longer than we were willing to wait."""


class NotFound(BriefbookError):
    """A reference, note, source or meeting that does not exist in the file."""


class InvalidInput(BriefbookError):
    """A value the user gave that the file cannot take (bad status, date, kind...)."""


class WriteRefused(BriefbookError):
    """A change was asked of a file opened read-only."""


class Cancelled(BriefbookError):
    """Work that stopped because the user cancelled it (an export, a long operation)."""


def is_busy(exc: BaseException) -> bool:
    """Whether an SQLite error means another connection holds the lock (worth a retry)."""
    msg = str(exc)
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in msg or "busy" in msg)


class PlanWouldBeReplaced(InvalidInput):
    """The text's title names a plan the file holds, but its content is mostly another plan's."""
