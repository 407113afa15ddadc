"""The sqlite3 connections of one open briefing file, and how a write transaction runs.

The facade talks to SQLite through the standard library's driver, not through
SQLAlchemy: every command (an export, `tree --json`) opens the file once, and
importing SQLAlchemy's engine costs more time than the work itself. The
SQLAlchemy models and Alembic stay the schema's one definition (`db.schema.models`,
`db.schema.migrations`) and are loaded only when a file is created or migrated.

Connections run in autocommit mode (`isolation_level=None`): a change is made
only inside `transaction()`, which takes SQLite's write lock up front.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from db.disk import file as dbfile
from db.model.errors import is_busy, mark_rolled_back

#: Extra attempts after SQLite's own busy timeout ran out (each waits that long again).
BUSY_RETRIES = 2


def retry_busy(run: Callable[[], Any]) -> None:
    """Run `run`, trying again a couple of times while the file is locked by another writer."""
    for attempt in range(BUSY_RETRIES + 1):
        try:
            run()
            return
        except sqlite3.OperationalError as exc:
            if attempt == BUSY_RETRIES or not is_busy(exc):
                raise
            time.sleep(0.1 * (attempt + 1))


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: BEGIN IMMEDIATE, then COMMIT, or ROLLBACK on any error.

    IMMEDIATE takes the write lock up front, so two writers queue on the busy
    timeout instead of failing half way.
    """
    retry_busy(lambda: conn.execute("BEGIN IMMEDIATE"))
    try:
        yield conn
    except BaseException as exc:
        _roll_back(conn, exc)
        raise
    try:
        # Readers can hold off a commit past the busy timeout; the transaction
        # is still whole then, so try the commit again.
        retry_busy(lambda: conn.execute("COMMIT"))
    except sqlite3.Error as exc:  # e.g. a deferred foreign key fails at COMMIT, which leaves the transaction open
        _roll_back(conn, exc)
        raise


def _roll_back(conn: sqlite3.Connection, exc: BaseException) -> None:
    """Undo the transaction `exc` interrupted and say so on `exc` (the error reports tell the user
    "nothing was changed" only then). SQLite may have rolled back by itself (a full disk)."""
    if conn.in_transaction:
        conn.execute("ROLLBACK")  # if this fails, its own error replaces `exc`, unmarked
    mark_rolled_back(exc)


# Writing rows given as dicts (column -> value). Table and column names come from
# the data layer's own code, never from user input; values always travel as
# parameters.


def insert_rows(
    conn: sqlite3.Connection, table: str, rows: Sequence[Mapping[str, Any]], or_ignore: bool = False
) -> None:
    """INSERT rows that all have the same keys (`or_ignore`: skip rows whose key exists)."""
    if not rows:
        return
    columns = list(rows[0])
    verb = "INSERT OR IGNORE" if or_ignore else "INSERT"
    conn.executemany(
        f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [tuple(r[c] for c in columns) for r in rows],
    )


def update_rows(conn: sqlite3.Connection, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """UPDATE rows by their "id": each dict holds the id and the same other columns."""
    if not rows:
        return
    columns = [c for c in rows[0] if c != "id"]
    conn.executemany(
        f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
        [(*(r[c] for c in columns), r["id"]) for r in rows],
    )


def insert_row(conn: sqlite3.Connection, table: str, values: Mapping[str, Any]) -> None:
    insert_rows(conn, table, [values])


def update_row(conn: sqlite3.Connection, table: str, row_id: str, values: Mapping[str, Any]) -> None:
    update_rows(conn, table, [{**values, "id": row_id}])


def delete_children(
    conn: sqlite3.Connection, children: Sequence[tuple[str, str]], parent_id: str, stamp: Mapping[str, Any]
) -> None:
    """Tombstone the live rows of each (table, parent column) that point at `parent_id`,
    with the parent's own deletion stamp (so restoring the parent finds them)."""
    for table, column in children:
        conn.execute(
            f"UPDATE {table} SET deleted_at = ?, updated_at = ?, updated_by = ? "
            f"WHERE {column} = ? AND deleted_at IS NULL",
            (stamp["updated_at"], stamp["updated_at"], stamp["updated_by"], parent_id),
        )


def restore_children(
    conn: sqlite3.Connection, children: Sequence[tuple[str, str]], parent_id: str, deleted_at: str,
    stamp: Mapping[str, Any],
) -> None:
    """Bring back the rows `delete_children` deleted together with their parent."""
    for table, column in children:
        conn.execute(
            f"UPDATE {table} SET deleted_at = NULL, updated_at = ?, updated_by = ? "
            f"WHERE {column} = ? AND deleted_at = ?",
            (stamp["updated_at"], stamp["updated_by"], parent_id, deleted_at),
        )


def dicts(cursor: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    """The cursor's rows as column -> value dicts (for code that compares many columns)."""
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(names, row))


def chunks(values: Iterable[str], size: int = 500) -> Iterator[tuple[list[str], str]]:
    """`values` in slices small enough for one statement, each with its "?, ?, …" placeholders."""
    values = list(values)
    for i in range(0, len(values), size):
        chunk = values[i : i + size]
        yield chunk, ", ".join("?" * len(chunk))


@functools.cache
def _field_names(cls: type[NamedTuple]) -> tuple[str, ...]:
    return cls._fields  # the values are NamedTuples


def select_list(cls: type[NamedTuple], alias: str = "", **override: str) -> str:
    """The SELECT list that yields `cls`'s fields in order (each value's fields are named like its columns)."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(override.get(name, prefix + name) for name in _field_names(cls))


class ConnectionPool:
    """A few reusable connections to one file, shared by the threads of the program.

    The window reads in a worker thread (exports, large files) while the main
    thread keeps editing; each borrower has a connection to itself for as
    long as it holds it.
    """

    def __init__(self, path: Path, read_only: bool, keep: int = 2) -> None:
        self.path = path
        self.read_only = read_only
        self._keep = keep
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False

    def _open(self) -> sqlite3.Connection:
        conn = dbfile.connect(self.path, read_only=self.read_only)
        conn.isolation_level = None  # autocommit: transactions are explicit
        return conn

    @contextmanager
    def borrow(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            conn = self._open()
        try:
            yield conn
        finally:
            if conn.in_transaction:  # never hand a half-done transaction to the next borrower
                conn.execute("ROLLBACK")
            with self._lock:
                keep = not self._closed and len(self._idle) < self._keep
                if keep:
                    self._idle.append(conn)
            if not keep:
                conn.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
