"""What every part of the facade stands on: the open file's connections and transactions.

`db.briefing.Briefing` is assembled from this base and the per-entity parts
(`db.notes`, `db.sources`, `db.meetings`); each part reads through `_read()`
and changes the file inside `_write()`, one transaction per change.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from db import ids
from db.connections import ConnectionPool, select_list, transaction
from db.errors import CorruptFile, DiskFull, FileBusy, NotFound, WriteRefused, is_busy, is_disk_full
from db.values import NodeInfo

if TYPE_CHECKING:
    from db.lock import FileLock

NODE_COLS = select_list(NodeInfo)


class Access:
    """One open briefing file: its path, user, connections and lock."""

    def __init__(self, path: Path, pool: ConnectionPool, read_only: bool, user: str) -> None:
        self.path = path
        self.read_only = read_only
        self.user = user
        self._pool = pool
        self.migration_backup: Path | None = None
        #: Where version stamps come from: the clock, or (seeding) the date of
        #: the shipped data's own source.
        self.clock: Callable[[], str] = ids.now
        self._lock: FileLock | None = None
        #: Set by whoever opened the file read-only because it was locked: the sentence naming the holder.
        self.locked_by: str | None = None
        #: An older file opened read-only is read from a migrated copy in a temporary folder (removed on close).
        self._temporary_copy: Path | None = None

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
    def _read(self) -> Iterator[sqlite3.Connection]:
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
        try:
            with self._pool.borrow() as conn, transaction(conn):
                yield conn
        except sqlite3.OperationalError as exc:
            raise self._busy_or(exc) from exc

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """A connection of the file's own, with no transaction: for data-layer
        algorithms that run their own (the merge attaches the other file to it)."""
        with self._pool.borrow() as conn:
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
