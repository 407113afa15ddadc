"""What every part of the facade stands on: the open file's connections and transactions.

`db.briefing.facade.Briefing` is assembled from this base and the per-entity parts
(`db.briefing.notes`, `db.briefing.sources`, `db.briefing.meetings`); each part reads through `_read()`
and changes the file inside `_write()`, one transaction per call.

Several calls can share one transaction: inside `with briefing.one_transaction():`
every facade call of that thread writes and reads through the same connection,
and the block commits (or rolls back) as a whole; inside `with
briefing.one_read():` every read sees the file at one moment (an export reads
its whole book so). The search index is kept in step by the write transaction
itself (`db.search.keeping`), not by the callers.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from db.disk.connections import ConnectionPool, select_list
from db.model import ids
from db.model.errors import CorruptFile, DiskFull, FileBusy, NotFound, WriteRefused, is_busy, is_disk_full
from db.model.values import NodeInfo
from db.search.keeping import write_transaction

if TYPE_CHECKING:
    from db.disk.lock import FileLock

NODE_COLS = select_list(NodeInfo)


class Access:
    """One open briefing file: its path, user, connections and lock."""

    def __init__(self, path: Path, pool: ConnectionPool, read_only: bool, user: str) -> None:
        self.path = path
        self.read_only = read_only
        self.user = user
        self._pool = pool
        self.migration_backup: Path | None = None
        #: The sentence saying a half-upgraded file was put back from its backup (or is read from it).
        self.recovered: str | None = None
        #: Where version stamps come from: the clock, or (seeding) the date of
        #: the shipped data's own source.
        self.clock: Callable[[], str] = ids.now
        self._lock: FileLock | None = None
        #: Set by whoever opened the file read-only because it was locked: the sentence naming the holder.
        self.locked_by: str | None = None
        #: An older file opened read-only is read from a migrated copy in a temporary folder (removed on close).
        self._temporary_copy: Path | None = None
        #: The connection of this thread's open `one_transaction()` / `one_read()` block, and whether it writes.
        self._shared = threading.local()

    def close(self) -> None:
        self._pool.close()
        held, self._lock = getattr(self, "_lock", None), None
        if held is not None:
            held.release()
        temporary, self._temporary_copy = getattr(self, "_temporary_copy", None), None
        if temporary is not None:
            import shutil

            shutil.rmtree(temporary.parent, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------

    @contextmanager
    def one_transaction(self) -> Iterator[None]:
        """Run every facade call of this block in one write transaction: all of it is saved, or none."""
        shared = getattr(self._shared, "conn", None)
        if shared is not None:
            if not self._shared.writing:
                raise RuntimeError("one_transaction() inside one_read(): a read block cannot write")
            yield  # already inside one: the outer block commits
            return
        with self._write() as conn:
            self._shared.conn, self._shared.writing = conn, True
            try:
                yield
            finally:
                self._shared.conn = None

    @contextmanager
    def one_read(self) -> Iterator[None]:
        """Every read of this block sees the file at one moment (a read transaction:
        SQLite keeps its shared lock until the block ends, so keep the block short)."""
        if getattr(self._shared, "conn", None) is not None:
            yield  # inside a transaction already: its reads are consistent
            return
        try:
            with self._pool.borrow() as conn:
                conn.execute("BEGIN")
                try:
                    conn.execute("SELECT count(*) FROM meta").fetchone()  # takes the shared lock now
                    self._shared.conn, self._shared.writing = conn, False
                    try:
                        yield
                    finally:
                        self._shared.conn = None
                finally:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            raise self._busy_or(exc) from exc

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        shared = getattr(self._shared, "conn", None)
        if shared is not None:
            yield shared
            return
        try:
            with self._pool.borrow() as conn:
                yield conn
        except sqlite3.OperationalError as exc:
            raise self._busy_or(exc) from exc

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            if self.locked_by:  # opened read-only because another briefbook holds the file
                raise WriteRefused(f"Changes cannot be saved: {self.locked_by}")
            raise WriteRefused(f"{self.path.name} is open read-only: changes cannot be saved.")
        shared = getattr(self._shared, "conn", None)
        if shared is not None:
            if not self._shared.writing:
                raise RuntimeError("a write inside one_read(): use one_transaction()")
            yield shared  # part of the caller's one_transaction()
            return
        try:
            with self._pool.borrow() as conn, write_transaction(conn):
                yield conn
        except sqlite3.OperationalError as exc:
            raise self._busy_or(exc) from exc

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """A connection of the file's own, with no transaction: for data-layer
        algorithms that run their own (the merge attaches the other file to it)."""
        with self._pool.borrow() as conn:
            yield conn

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction on the file's own connection, for the data layer's
        algorithms that write rows directly (a sync's writes); the index keeps up."""
        with self._write() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A connection to read from directly (inside `one_read()`, that read's)."""
        with self._read() as conn:
            yield conn

    def _busy_or(self, exc: sqlite3.OperationalError) -> Exception:
        if is_busy(exc):
            return FileBusy(
                f"{self.path.name} is busy: another program is writing to it. Try again in a moment."
            )
        if is_disk_full(exc):  # SQLITE_FULL: the transaction was rolled back
            return DiskFull(f"The disk holding {self.path.name} is full: nothing was changed; free some space first.")
        if "decode" in str(exc):  # sqlite3 reads text that is not UTF-8 (another program wrote it)
            return CorruptFile(
                self.path,
                f"{self.path.name} holds text that is not valid UTF-8 (it was damaged or changed by another "
                f"program); 'briefbook check {self.path}' names the row.",
            )
        return exc

    def _stamp(self) -> dict[str, Any]:
        return {"updated_at": self.clock(), "updated_by": self.user}

    # -- the one read every part needs --------------------------------------------

    def node(self, node_id: str) -> NodeInfo:
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {NODE_COLS} FROM node WHERE id = ? AND deleted_at IS NULL", (node_id,)
            ).fetchone()
        if row is None:
            raise NotFound("That commitment is no longer in the file.")
        return NodeInfo(*row)
