"""Errors the data layer raises for the user to read.

Every `BriefbookError` carries one clear sentence (its `str()`), written for the
person at the keyboard, not for a developer: the window shows it in a dialog,
the command line prints it on stderr.
"""

from __future__ import annotations

import contextlib
import errno
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


class HalfUpgraded(CorruptFile):
    """An upgrade of an older file stopped half way (an older briefbook committed its steps one by
    one): `backup` is the copy made just before it, from which the file can be put back."""

    def __init__(self, path: Path | str, message: str, version: int, backup: Path | None) -> None:
        super().__init__(path, message)
        self.version = version
        self.backup = backup


class ReadOnlyFile(FileRefused):
    """The file cannot be written; it can still be opened read-only."""


class FileLocked(FileRefused):
    """Another briefbook has the file open; it can still be opened read-only."""

    def __init__(self, path: Path | str, message: str, holder: dict[str, str] | None = None) -> None:
        super().__init__(path, message)
        self.holder = holder or {}


class FileBusy(BriefbookError):
    """Another program held the database longer than we were willing to wait."""


class DiskFull(FileBusy):
    """The disk holding the file is full; the transaction was rolled back.

    A kind of `FileBusy` (as it was before it had its own class): try again once there is room."""


class NotFound(BriefbookError):
    """A reference, note, source or meeting that does not exist in the file."""


class InvalidInput(BriefbookError):
    """A value the user gave that the file cannot take (bad status, date, kind...)."""


class WriteRefused(BriefbookError):
    """A change was asked of a file opened read-only."""


class Cancelled(BriefbookError):
    """Work that stopped because the user cancelled it (an export, a long operation)."""


def sqlite_code(exc: BaseException) -> int | None:
    """SQLite's primary result code (`sqlite3.SQLITE_FULL`...) of `exc`, or of the sqlite3 error it
    wraps (SQLAlchemy's `.orig`); None for errors the driver raises itself (text that is not UTF-8, a
    parameter it cannot bind) and for everything else. The codes are SQLite's API; its messages are
    not, so nothing decides by message text."""
    for candidate in (exc, getattr(exc, "orig", None)):
        code = getattr(candidate, "sqlite_errorcode", None)
        if isinstance(candidate, sqlite3.Error) and isinstance(code, int):
            return code & 0xFF  # the extended codes (SQLITE_IOERR_WRITE...) share the primary one's low byte
    return None


#: What an SQLite result code from the world around the file means, in words for the person at the
#: keyboard: the disk, permissions, another program, damage, memory. Every other code (SQLITE_ERROR,
#: SQLITE_CONSTRAINT, SQLITE_MISMATCH, SQLITE_MISUSE...) comes from briefbook's own SQL meeting a file
#: it did not expect, and is never put down to the disk or the file by these words.
ENVIRONMENT_CODES: dict[int, str] = {
    sqlite3.SQLITE_FULL: "the disk is full",
    sqlite3.SQLITE_IOERR: "the disk could not be read or written",
    sqlite3.SQLITE_CORRUPT: "the file is damaged",
    sqlite3.SQLITE_NOTADB: "the file is damaged",
    sqlite3.SQLITE_CANTOPEN: "the file could not be opened",
    sqlite3.SQLITE_READONLY: "the file cannot be written where it is",
    sqlite3.SQLITE_PERM: "the operating system does not allow it",
    sqlite3.SQLITE_AUTH: "the operating system does not allow it",
    sqlite3.SQLITE_BUSY: "another program is writing to it",
    sqlite3.SQLITE_LOCKED: "another program is writing to it",
    sqlite3.SQLITE_PROTOCOL: "another program is writing to it",
    sqlite3.SQLITE_NOMEM: "the computer ran out of memory",
    sqlite3.SQLITE_NOLFS: "the file is too large for this disk",
    sqlite3.SQLITE_INTERRUPT: "the work was interrupted",
}


def environment_trouble(exc: BaseException) -> str | None:
    """The words of `ENVIRONMENT_CODES` for an SQLite error from the world around the file, else None."""
    code = sqlite_code(exc)
    return None if code is None else ENVIRONMENT_CODES.get(code)


def is_busy(exc: BaseException) -> bool:
    """Whether an SQLite error means another connection holds the lock (worth a retry)."""
    return sqlite_code(exc) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def is_disk_full(exc: BaseException) -> bool:
    """SQLITE_FULL, or the operating system's "no space left" (ENOSPC) or "quota exceeded" (EDQUOT)."""
    if isinstance(exc, OSError):
        return exc.errno in _NO_SPACE
    return sqlite_code(exc) == sqlite3.SQLITE_FULL


_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


# -- what an interrupted write left behind ---------------------------------------------

_ROLLED_BACK = "_briefbook_rolled_back"


def mark_rolled_back(exc: BaseException) -> None:
    """Record on `exc` that the write transaction it interrupted was rolled back (the facade's
    `transaction()` does, once its ROLLBACK succeeded): what the user tried was not saved, and
    nothing else was lost."""
    with contextlib.suppress(AttributeError):  # a type without attributes of its own: say nothing, not guess
        setattr(exc, _ROLLED_BACK, True)


def rolled_back(exc: BaseException) -> bool:
    """Whether `exc` interrupted a write transaction that was then rolled back (see `mark_rolled_back`)."""
    return bool(getattr(exc, _ROLLED_BACK, False))


class PlanWouldBeReplaced(InvalidInput):
    """The text's title names a plan the file holds, but its content is mostly another plan's."""
