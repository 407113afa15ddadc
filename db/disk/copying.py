"""A consistent copy of a briefing file, also while it is open elsewhere.

SQLite's online backup API reads the source page by page under a shared lock
(it restarts if another connection writes meanwhile), so the copy is one
committed state of the file, never a mix of two. The copy is written under a
temporary name beside `dst` and renamed into place: a failed or cancelled
copy never leaves half a file at `dst`, and the previous file there survives
(the rename is the point of no return of `db.model.cancelling`).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from db.disk import atomic, lock
from db.disk import file as dbfile
from db.disk.reading import not_regular
from db.model.cancelling import Cancellation
from db.model.errors import (
    BriefbookError,
    CorruptFile,
    DiskFull,
    FileBusy,
    FileLocked,
    InvalidInput,
    is_busy,
    is_disk_full,
    sqlite_code,
)

#: Pages copied per backup step (-1: all at once). Stepping lets a writer in
#: between steps; the backup restarts by itself when it sees a change.
_PAGES_PER_STEP = -1


#: What a cancelled copy says.
CANCELLED = "Copy cancelled; nothing was written."


def consistent_copy(src: Path | str, dst: Path | str, force: bool = False, cancel: Cancellation | None = None) -> None:
    """Copy the briefing file `src` to `dst` as one self-contained file.

    `src` is checked first (a foreign, damaged or missing file is refused with
    a `FileRefused` sentence) and only read. `dst` is replaced atomically, and
    only if it is a briefing file (or missing) unless `force`; never a device,
    a pipe or a read-only file. The copy's integrity is checked before the
    rename, so a damaged copy never lands at `dst`.
    """
    src, dst = Path(src), Path(dst)
    cancel = cancel or Cancellation()
    cancel.check(CANCELLED)
    dbfile.inspect(src, quick_check=False)
    check_copy_target(src, dst, force)
    # The target's lock, for the length of the copy: a file another briefbook has open is never
    # replaced under it (its next save would fail, and what it saved last would be gone), and
    # nobody opens the target half way through.
    held = _lock_target(dst)
    try:
        _copy(src, dst, cancel)
    finally:
        held.release()


def _lock_target(dst: Path) -> lock.FileLock:
    """Take `dst`'s lock, or refuse with a sentence naming who has it open."""
    again = "a copy cannot replace it while it is open there. Close it there first, or copy to another name."
    if lock.held_here(dst):
        raise FileLocked(dst, f"{dst.name} is open in this briefbook: {again}")
    try:
        return lock.acquire(dst)
    except FileLocked as exc:
        if not exc.holder:
            raise  # a lock that is not one (a FIFO): its own sentence says what to do
        raise FileLocked(dst, f"{lock.holder_phrase(dst, dict(exc.holder))}: {again}", holder=exc.holder) from None


def _copy(src: Path, dst: Path, cancel: Cancellation) -> None:
    try:
        with atomic.replacing(dst, "copying") as tmp:
            source = sqlite3.connect(dbfile.sqlite_uri(src, read_only=True), uri=True, timeout=dbfile.BUSY_TIMEOUT_S)
            try:
                target = sqlite3.connect(tmp)
                try:
                    dbfile.backup_pages(source, target, src, _PAGES_PER_STEP)
                    # The copy is a closed, self-contained file in rollback-journal mode.
                    target.execute("PRAGMA journal_mode = DELETE")
                    target.commit()
                    if target.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
                        raise CorruptFile(
                            src,
                            f"The copy of {src.name} came out damaged (was another program writing to it?); "
                            f"nothing was written at {dst}. Try again.",
                        )
                finally:
                    target.close()
            finally:
                source.close()
            cancel.point_of_no_return(CANCELLED)
    except sqlite3.DatabaseError as exc:  # told apart by SQLite's result code, never by its message
        code = sqlite_code(exc)
        if is_busy(exc):
            raise FileBusy(f"{src.name} is busy: another program is writing to it. Try again in a moment.") from exc
        if is_disk_full(exc):
            raise DiskFull(f"{dst} could not be written: the disk is full.") from exc
        if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):  # a damaged page the header checks could not see
            raise CorruptFile(src, f"{src} is damaged and cannot be copied; open a backup copy instead.") from exc
        if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM):
            raise BriefbookError(f"{src.name} could not be copied to {dst}: the disk could not be read or "
                                 "written.") from exc
        raise  # anything else is briefbook's own mistake: reported as one, not blamed on the file
    except OSError as exc:
        if is_disk_full(exc):
            raise DiskFull(f"{dst} could not be written: the disk is full.") from exc
        raise BriefbookError(f"{dst} could not be written ({exc.strerror or 'the disk refused it'}).") from exc


def check_copy_target(src: Path, dst: Path, force: bool) -> None:
    """Refuse a copy's target that must not be replaced, with the sentence saying why."""
    if dst.exists() and dst.is_dir():
        raise InvalidInput(f"{dst} is a folder; name a file to copy to.")
    if dst.exists() and _same_file(src, dst):
        raise InvalidInput("A file cannot be copied onto itself; choose another name.")
    if not dst.parent.is_dir():
        raise InvalidInput(f"The folder {dst.parent} does not exist.")
    kind = not_regular(dst)
    if kind not in (None, "missing"):
        raise InvalidInput(f"{dst} is {kind}, not a file a copy can replace; choose another name.")
    if not os.access(dst.parent, os.W_OK | os.X_OK):
        raise InvalidInput(f"You cannot write to the folder {dst.parent}; choose another place to copy to.")
    if kind is None:
        if not os.access(dst, os.W_OK):
            raise InvalidInput(f"{dst} is read-only; choose another name or make it writable first.")
        if not force and not _is_briefing_file(dst):
            raise InvalidInput(
                f"{dst} exists and is not a briefing file; choose another name, or give --force to replace it."
            )


def _is_briefing_file(path: Path) -> bool:
    try:
        head = dbfile.read_head(path)
    except OSError:
        return False
    return head.startswith(dbfile.SQLITE_MAGIC) and int.from_bytes(head[68:72], "big") == dbfile.APPLICATION_ID


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
