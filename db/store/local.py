"""The file's side of a sync: what it holds (read in short reads, so the window
keeps editing meanwhile), and writing what came down in one transaction.

Rows are written only where the file still has the version the sync read:
an edit made in the window while the sync ran is never overwritten (the next
sync merges it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from db import search
from db.errors import BriefbookError

if TYPE_CHECKING:
    from db.briefing import Briefing

SYNCED_TABLES: tuple[str, ...] = (
    "plan",
    "node",
    "source",
    "source_link",
    "attachment",
    "meeting",
    "agenda_item",
    "note",
)
STATUS_COLUMNS = ("id", "node_id", "from_status", "to_status", "comment", "changed_at", "changed_by")
META_STORE_ID, META_STORE_SEQ, META_STORE_ADDRESS = "store.id", "store.seq", "store.address"
_CHUNK = 500

Row = dict[str, Any]


def _chunks(values: Sequence[str]) -> Iterator[tuple[list[str], str]]:
    for i in range(0, len(values), _CHUNK):
        chunk = list(values[i : i + _CHUNK])
        yield chunk, ", ".join("?" * len(chunk))


@dataclass
class LocalState:
    """The file at the start of a sync: row stamps and what it knows of the store."""

    columns: dict[str, list[str]]
    stamps: dict[str, dict[str, str]]
    status_ids: set[str]
    blob_hashes: set[str]
    #: node id -> (plan id, parent id): the tree the validation checks against
    nodes: dict[str, tuple[str, str | None]]
    store_id: str | None
    store_seq: int


def read_state(briefing: Briefing) -> LocalState:
    with briefing._read() as conn:
        columns = {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")] for t in SYNCED_TABLES}
        stamps = {t: dict(conn.execute(f"SELECT id, updated_at FROM {t}").fetchall()) for t in SYNCED_TABLES}
        status_ids = {r[0] for r in conn.execute("SELECT id FROM status_change")}
        blob_hashes = {r[0] for r in conn.execute("SELECT sha256 FROM blob")}
        nodes = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT id, plan_id, parent_id FROM node")}
        meta = dict(
            conn.execute("SELECT key, value FROM meta WHERE key IN (?, ?)", (META_STORE_ID, META_STORE_SEQ)).fetchall()
        )
    try:
        seq = int(meta.get(META_STORE_SEQ) or 0)
    except ValueError:
        seq = 0  # a damaged mark only costs a full comparison
    return LocalState(columns, stamps, status_ids, blob_hashes, nodes, meta.get(META_STORE_ID), max(seq, 0))


def read_rows(briefing: Briefing, table: str, columns: Sequence[str], ids: Iterable[str]) -> dict[str, Row]:
    out: dict[str, Row] = {}
    with briefing._read() as conn:
        for chunk, marks in _chunks(sorted(ids)):
            for r in conn.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id IN ({marks})", chunk):
                row = dict(zip(columns, r))
                out[row["id"]] = row
    return out


def read_history(briefing: Briefing, ids: Iterable[str]) -> dict[str, dict[str, str | None]]:
    out: dict[str, dict[str, str | None]] = {}
    with briefing._read() as conn:
        for chunk, marks in _chunks(sorted(ids)):
            for rid, stamp, body in conn.execute(
                f"SELECT row_id, updated_at, body FROM row_version WHERE row_id IN ({marks})", chunk
            ):
                out.setdefault(rid, {})[stamp] = body
    return out


def read_status_changes(briefing: Briefing, ids: Iterable[str]) -> list[Row]:
    out: list[Row] = []
    with briefing._read() as conn:
        for chunk, marks in _chunks(sorted(ids)):
            sql = f"SELECT {', '.join(STATUS_COLUMNS)} FROM status_change WHERE id IN ({marks})"
            out += [dict(zip(STATUS_COLUMNS, r)) for r in conn.execute(sql, chunk)]
    return out


def read_blobs(briefing: Briefing, hashes: Iterable[str]) -> list[Row]:
    out: list[Row] = []
    with briefing._read() as conn:
        for chunk, marks in _chunks(sorted(hashes)):
            sql = f"SELECT sha256, size, data FROM blob WHERE sha256 IN ({marks})"
            out += [{"sha256": s, "size": n, "data": bytes(d)} for s, n, d in conn.execute(sql, chunk)]
    return out


def node_refs(briefing: Briefing, node_ids: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    with briefing._read() as conn:
        for chunk, marks in _chunks(sorted(set(node_ids))):
            out.update(conn.execute(f"SELECT id, ref FROM node WHERE id IN ({marks})", chunk).fetchall())
    return out


@dataclass
class LocalWrites:
    """What the sync writes into the file."""

    inserts: dict[str, list[Row]] = field(default_factory=dict)
    #: (new row, the stamp the file must still have for it to be written)
    updates: dict[str, list[tuple[Row, str]]] = field(default_factory=dict)
    status_changes: list[Row] = field(default_factory=list)
    blobs: list[Row] = field(default_factory=list)
    history: list[tuple[str, str, str | None]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    #: rebuild the whole search index (a file made from the store)
    reindex_all: bool = False

    @property
    def rows(self) -> int:
        return sum(map(len, self.inserts.values())) + sum(map(len, self.updates.values()))


def apply_local(briefing: Briefing, writes: LocalWrites) -> int:
    """Write `writes` into the file in one transaction; the number of rows skipped
    because the window changed them meanwhile (they go up with the next sync)."""
    skipped = 0
    touched: dict[str, set[str]] = {}
    try:
        with briefing._write() as conn:
            conn.execute("PRAGMA defer_foreign_keys = ON")  # rows arrive parents first, links any order
            for table in SYNCED_TABLES:
                rows = writes.inserts.get(table) or []
                if rows:
                    cols = list(rows[0])
                    conn.executemany(
                        f"INSERT OR IGNORE INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                        [tuple(r[c] for c in cols) for r in rows],
                    )
                    touched.setdefault(table, set()).update(r["id"] for r in rows)
                for row, expected in writes.updates.get(table) or []:
                    cols = [c for c in row if c != "id"]
                    cur = conn.execute(
                        f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ? AND updated_at = ?",
                        (*(row[c] for c in cols), row["id"], expected),
                    )
                    if cur.rowcount:
                        touched.setdefault(table, set()).add(row["id"])
                    else:
                        skipped += 1
            if writes.status_changes:
                conn.executemany(
                    f"INSERT OR IGNORE INTO status_change ({', '.join(STATUS_COLUMNS)}) "
                    f"VALUES ({', '.join('?' * len(STATUS_COLUMNS))})",
                    [tuple(r[c] for c in STATUS_COLUMNS) for r in writes.status_changes],
                )
            if writes.blobs:
                conn.executemany(
                    "INSERT OR IGNORE INTO blob (sha256, size, data) VALUES (?, ?, ?)",
                    [(b["sha256"], b["size"], b["data"]) for b in writes.blobs],
                )
            if writes.history:
                conn.executemany(
                    "INSERT OR IGNORE INTO row_version (row_id, updated_at, body) VALUES (?, ?, ?)", writes.history
                )
            for key, value in writes.meta.items():
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))
            if writes.reindex_all:
                _reindex_all(briefing, conn)
            else:
                _reindex(briefing, conn, touched)
    except sqlite3.IntegrityError as exc:
        # Deferred foreign keys, checked at commit: a row refers to one neither side holds.
        raise BriefbookError(
            f"What came down from the team store could not be written into this file ({exc}); "
            "this file was not changed."
        ) from exc
    return skipped


def _reindex_all(briefing: Briefing, conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM search_index")
    briefing._reindex_nodes(conn, [r[0] for r in conn.execute("SELECT id FROM node WHERE deleted_at IS NULL")])
    search.index_rows(conn, "note", conn.execute("SELECT id, body FROM note WHERE deleted_at IS NULL").fetchall())
    briefing._reindex_sources(conn, [r[0] for r in conn.execute("SELECT id FROM source WHERE deleted_at IS NULL")])


def _reindex(briefing: Briefing, conn: sqlite3.Connection, touched: dict[str, set[str]]) -> None:
    """Refresh the search entries of the rows written (as the file merge does)."""
    live: dict[str, list[str]] = {"node": [], "note": [], "source": []}
    gone: list[str] = []
    for table in live:
        for chunk, marks in _chunks(sorted(touched.get(table, ()))):
            for rid, deleted in conn.execute(f"SELECT id, deleted_at FROM {table} WHERE id IN ({marks})", chunk):
                (gone if deleted is not None else live[table]).append(rid)
    # A source is indexed with the quotes of its links.
    for chunk, marks in _chunks(sorted(touched.get("source_link", ()))):
        live["source"] += [
            r[0]
            for r in conn.execute(
                f"SELECT DISTINCT l.source_id FROM source_link l JOIN source s ON s.id = l.source_id "
                f"WHERE l.id IN ({marks}) AND s.deleted_at IS NULL",
                chunk,
            )
        ]
    search.unindex_rows(conn, gone)
    briefing._reindex_nodes(conn, live["node"])
    briefing._reindex_sources(conn, sorted(set(live["source"])))
    for chunk, marks in _chunks(live["note"]):
        search.index_rows(conn, "note", conn.execute(f"SELECT id, body FROM note WHERE id IN ({marks})", chunk))
