"""The briefing file on disk: recognise, create, check and migrate it.

Everything here that decides whether a file may be opened reads it through
SQLite in read-only mode first, so a refused file is never touched: not even a
journal is created next to it.

The file uses SQLite's rollback journal (not WAL): a closed file is one
self-contained file, and the rollback journal is the mode SQLite supports on
network shares, where colleagues keep these files.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from db.disk import atomic
from db.disk.reading import not_regular, not_regular_mode
from db.model.errors import (
    CorruptFile,
    FileBusy,
    FileMissing,
    NewerFile,
    NotABriefingFile,
    ReadOnlyFile,
    is_busy,
    sqlite_code,
)

#: "BrfB": marks an SQLite file as a briefing file (PRAGMA application_id).
APPLICATION_ID = 0x42726642
#: The schema version this briefbook writes (PRAGMA user_version); each Alembic
#: migration sets it, and the newest one sets this number.
SCHEMA_VERSION = 6
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 5.0
#: How many backup copies of each kind (before merges, syncs, repairs, migrations) are kept beside a file.
KEEP_BACKUPS = 3
#: Files up to this size get SQLite's full integrity check when opened.
FULL_CHECK_MAX_BYTES = 16 * 1024 * 1024


class FileFacts(NamedTuple):
    """What a read-only look at a briefing file found."""

    path: Path
    schema_version: int
    writable: bool

    @property
    def needs_migration(self) -> bool:
        return self.schema_version < SCHEMA_VERSION


def sqlite_uri(path: Path, read_only: bool) -> str:
    mode = "ro" if read_only else "rw"
    return f"file:{quote(str(path.resolve()))}?mode={mode}"


def connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    """An sqlite3 connection with the pragmas every briefbook connection uses."""
    conn = sqlite3.connect(
        sqlite_uri(path, read_only), uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False
    )
    conn.execute("PRAGMA foreign_keys = ON")
    # 64 MB page cache: the search index of a large plan stays in memory between queries.
    conn.execute("PRAGMA cache_size = -65536")
    if not read_only:
        conn.execute("PRAGMA journal_mode = DELETE")
        # FULL: a commit that returned survives a power cut (USB sticks, laptops).
        conn.execute("PRAGMA synchronous = FULL")
    return conn


def inspect(path: Path | str, quick_check: bool = True) -> FileFacts:
    """Decide whether `path` is a briefing file this briefbook can open.

    Raises a `FileRefused` subclass with one sentence for the user otherwise.
    Nothing is written.
    """
    path = Path(path)
    if not path.exists():
        raise FileMissing(path, f"There is no file at {path}.")
    if path.is_dir():
        raise NotABriefingFile(path, f"{path} is a folder, not a briefing file.")
    kind = not_regular(path)
    if kind and not kind.startswith("unreadable"):  # a FIFO would block the read below for ever, a device never end
        raise NotABriefingFile(path, f"{path} is {kind}, not a briefing file.")
    try:
        head = read_head(path)
    except OSError as exc:
        raise NotABriefingFile(path, f"{path} cannot be read ({exc.strerror}).") from exc
    if not head:
        raise NotABriefingFile(path, f"{path} is empty: it is not a briefing file.")
    if not head.startswith(SQLITE_MAGIC):
        raise NotABriefingFile(path, f"{path} is not a briefing file (it is not an SQLite database).")
    if len(head) < 100:
        raise CorruptFile(path, f"{path} is damaged (it is cut short); open a backup copy instead.")

    # Header fields, read straight from the first page so that a damaged
    # database still says what it claims to be (offsets from the SQLite format).
    app_id = int.from_bytes(head[68:72], "big")
    user_version = int.from_bytes(head[60:64], "big")
    if app_id != APPLICATION_ID:
        raise NotABriefingFile(
            path, f"{path} is an SQLite database of another program, not a briefing file."
        )
    if user_version > SCHEMA_VERSION:
        raise NewerFile(
            path,
            f"{path} was made by a newer briefbook (schema version {user_version}; this one reads "
            f"up to {SCHEMA_VERSION}): update briefbook to open it.",
            user_version,
        )
    writable = _can_write(path) and _can_write(path.parent)  # the journal goes beside the file
    journal_kind = not_regular(hot_journal(path))
    if journal_kind not in (None, "missing"):  # SQLite would block opening a FIFO journal
        raise CorruptFile(path, f"{hot_journal(path)} is {journal_kind}, not a journal; move it away first.")
    if hot_journal(path).exists():
        # A crash mid-commit can leave page 1 half-updated: roll back, then judge.
        _recover_after_crash(path, writable)
        head = read_head(path)
        user_version = int.from_bytes(head[60:64], "big")
    problem = header_problem(head, path.stat().st_size)
    if problem:
        raise CorruptFile(path, f"{path} is damaged ({problem}); open a backup copy instead.")
    if quick_check:
        # The full check also finds indexes that disagree with their table (a
        # flipped byte the quick check misses); it costs ~5 ms per MB, so a
        # large file gets the quick check on open and the full one in Check file.
        full = path.stat().st_size <= FULL_CHECK_MAX_BYTES
        _check_integrity(path, "integrity_check" if full else "quick_check", user_version)
    return FileFacts(path=path, schema_version=user_version, writable=writable)


def read_head(path: Path) -> bytes:
    """The first 100 bytes (the SQLite header), opened without blocking on a file swapped for a FIFO."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    if not_regular_mode(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(0, "it is not a regular file")
    with os.fdopen(fd, "rb") as fh:
        return fh.read(100)


def header_problem(head: bytes, size: int) -> str | None:
    """What is wrong with the 100-byte SQLite header of a briefing file, if anything.

    SQLite itself shrugs off some damaged header fields (or fails later, half
    way through reading); a briefing file always has these values, so a flipped
    byte in them is caught before SQLite reads on. Fields that legitimately
    change (change counter, schema cookie, version numbers) are not judged.
    """
    raw_page = int.from_bytes(head[16:18], "big")
    page_size = 65536 if raw_page == 1 else raw_page
    if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
        return "its page size is not valid"
    if head[18] not in (1, 2) or head[19] not in (1, 2):
        return "its file format version is not valid"
    if head[20] != 0 or head[21:24] != bytes((64, 32, 32)):
        return "its page layout fields are not valid"
    if int.from_bytes(head[44:48], "big") not in (1, 2, 3, 4):
        return "its schema format number is not valid"
    if int.from_bytes(head[56:60], "big") not in (1, 2, 3):
        return "its text encoding is not valid"
    if int.from_bytes(head[60:64], "big") < 1:
        return "it has no schema version"
    if head[52:56] != bytes(4) or head[64:68] != bytes(4) or head[72:92] != bytes(20):
        return "its reserved header fields are not empty"
    if size % page_size:
        return "it is cut short"
    pages = int.from_bytes(head[28:32], "big")
    if head[24:28] == head[92:96] and pages * page_size > size:
        return "it is cut short"
    return None


def hot_journal(path: Path) -> Path:
    """The rollback journal SQLite leaves beside the file while (or if killed while) writing."""
    return path.with_name(path.name + "-journal")


def _recover_after_crash(path: Path, writable: bool) -> None:
    """Let SQLite roll back a journal left by a program killed mid-write.

    A read-only connection cannot do it (it reports the file as unwritable), so
    a briefing file with a leftover journal is opened read-write once and read:
    SQLite then restores the last committed state. If another program is
    writing right now the journal is not "hot" and this read simply waits.
    """
    try:
        conn = sqlite3.connect(sqlite_uri(path, read_only=not writable), uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            conn.execute("PRAGMA schema_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if is_busy(exc):
            raise FileBusy(f"{path.name} is busy: another program is writing to it. Try again in a moment.") from exc
        if not writable and sqlite_code(exc) == sqlite3.SQLITE_READONLY:
            raise CorruptFile(
                path,
                f"{path} was left half-written by a program that stopped; open it once from a place "
                "where it can be written so it can be recovered.",
            ) from exc
        raise CorruptFile(path, f"{path} is damaged (it could not be recovered); open a backup copy instead.") from exc


def _can_write(path: Path) -> bool:
    if os.access in os.supports_effective_ids:
        return os.access(path, os.W_OK, effective_ids=True)
    return os.access(path, os.W_OK)


def _check_integrity(path: Path, pragma: str, version: int) -> None:
    """SQLite's integrity check, then the schema against the one the migrations make for `version`."""
    from db.schema.check import schema_problems

    damaged = f"{path} is damaged (its integrity check failed); open a backup copy instead."
    try:
        conn = sqlite3.connect(sqlite_uri(path, read_only=True), uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
            differ = schema_problems(conn, version) if rows == [("ok",)] else []
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if is_busy(exc):
            raise FileBusy(f"{path.name} is busy: another program is writing to it. Try again in a moment.") from exc
        raise CorruptFile(path, damaged) from exc
    if rows != [("ok",)]:
        raise CorruptFile(path, damaged)
    if differ:
        # Another program changed the tables (a dropped column, an added trigger): writes would fail half way.
        raise CorruptFile(
            path,
            f"{path} is not a briefing file as briefbook makes it ({differ[0]}): it was changed by another "
            "program. Open a backup copy, or ask a colleague for theirs.",
        )


def integrity_problems(path: Path) -> list[str]:
    """The full integrity and foreign-key check, as a list of problems (empty: fine)."""
    conn = sqlite3.connect(sqlite_uri(path, read_only=True), uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
        for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"row {rowid} of {table} points to a missing {parent}")
        return problems
    finally:
        conn.close()


def require_writable(facts: FileFacts) -> None:
    if not facts.writable:
        raise ReadOnlyFile(
            facts.path,
            f"{facts.path} cannot be written (the file or its folder is read-only); "
            "it can be opened read-only.",
        )


def backup_path(path: Path, reason: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    # Numbered after every backup of the same second, so the names sort as the backups were made.
    n = max((key[1] for key, _p in _backups_with_keys(path) if key[0] == stamp), default=0) + 1
    while True:
        counter = f"-{n}" if n > 1 else ""
        candidate = path.with_name(f"{path.stem}.{reason}-{stamp}{counter}{path.suffix}.bak")
        if not candidate.exists():
            return candidate
        n += 1


def backups_of(path: Path) -> list[Path]:
    """The backup copies briefbook made of `path` (they sit beside it), oldest first."""
    return [p for _key, p in sorted(_backups_with_keys(path))]


def _backups_with_keys(path: Path) -> list[tuple[tuple[str, int], Path]]:
    pattern = re.compile(
        rf"{re.escape(path.stem)}\.(?:[a-z]+\d*)-(\d{{8}}-\d{{6}})(?:-(\d+))?{re.escape(path.suffix)}\.bak"
    )
    found = []
    import glob  # only when backups are listed

    for candidate in path.parent.glob(f"{glob.escape(path.stem)}.*.bak"):
        m = pattern.fullmatch(candidate.name)
        if m and candidate.is_file() and not candidate.is_symlink():
            found.append(((m.group(1), int(m.group(2) or 1)), candidate))
    return found


def prune_backups(path: Path) -> None:
    """Keep the newest `KEEP_BACKUPS` backups of `path` of each kind (migrate, merge, sync), so
    that daily syncs never push out the copy made before an upgrade or a merge; remove what
    failed backups left behind."""
    by_reason: dict[str, list[Path]] = {}
    for _key, backup in sorted(_backups_with_keys(path)):
        by_reason.setdefault(backup.name[len(path.stem) + 1 :].split("-", 1)[0], []).append(backup)
    for backups in by_reason.values():
        for old in backups[:-KEEP_BACKUPS]:
            old.unlink(missing_ok=True)
    import glob

    for leftover in path.parent.glob(f".{glob.escape(path.stem)}.*.bak.part*"):  # the part and its journal
        if leftover.is_file() and not leftover.is_symlink():
            leftover.unlink(missing_ok=True)


def backup_copy(path: Path, reason: str, prune: bool = True) -> Path:
    """A consistent copy of the file beside it, made with SQLite's backup API.

    Backups sit beside the file (one place, which the merge and sync reports
    name); only the newest `KEEP_BACKUPS` of each kind are kept, so a USB stick
    does not fill up. `prune=False`: older backups stay until the caller's work
    is in (`prune_backups`), so work that may still be cancelled removes only its own.
    """
    if prune:
        prune_backups(path)
    target = backup_path(path, reason)
    # Not fsynced (it never was): on a large file that would add tens of ms to every merge.
    with atomic.replacing(target, "part", durable=False) as tmp:
        src = sqlite3.connect(sqlite_uri(path, read_only=True), uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            dst = sqlite3.connect(tmp)
            try:
                backup_pages(src, dst, path)
            finally:
                dst.close()
        finally:
            src.close()
    if prune:
        prune_backups(path)
    return target


def backup_pages(src: sqlite3.Connection, dst: sqlite3.Connection, path: Path, pages: int = -1) -> None:
    """SQLite's online backup of `src` into `dst`, giving up (`FileBusy`) after the busy timeout.

    Python's `backup()` retries for ever while another program holds the file locked.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise FileBusy(f"{path.name} is busy: another program is writing to it. Try again in a moment.")

    src.backup(dst, pages=pages, progress=progress)


def create(path: Path) -> None:
    """Create a new, empty briefing file at the newest schema.

    Built under a temporary name and renamed, so a failure leaves nothing
    half-made at `path`.
    """
    path = Path(path)
    with atomic.replacing(path, "creating") as tmp:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.commit()
        finally:
            conn.close()
        upgrade(tmp)


def upgrade(path: Path, target: str = "head") -> None:
    """Run the Alembic migrations up to the newest schema (or revision `target`; imports
    Alembic lazily: it is only needed when a file is created or is older than this program)."""
    import sqlalchemy as sa
    from alembic import command

    from db.schema.migrate import alembic_config

    engine = sa.create_engine("sqlite://", creator=lambda: connect(path))
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), target)
    finally:
        engine.dispose()


def migrate_if_needed(facts: FileFacts) -> Path | None:
    """Bring an older file to the newest schema after a backup copy; return the backup."""
    if not facts.needs_migration:
        return None
    backup = backup_copy(facts.path, f"schema{facts.schema_version}")
    upgrade(facts.path)
    return backup


def replace_file(target: Path, source: Path) -> None:
    """Move `source` over `target` atomically where the OS allows it."""
    try:
        os.replace(source, target)
    except OSError:
        # Across file systems os.replace fails: copy beside the target, then rename.
        with atomic.replacing(target, "incoming") as tmp:
            shutil.copyfile(source, tmp)
        source.unlink(missing_ok=True)
