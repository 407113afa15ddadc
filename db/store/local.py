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

from db import indexing, search
from db.errors import BriefbookError
from db.synced import SYNCED_TABLE_NAMES

if TYPE_CHECKING:
    from db.briefing import Briefing
    from db.merge_rows import MergePlan

#: The synced tables (db.synced's registry: parents before children).
SYNCED_TABLES: tuple[str, ...] = SYNCED_TABLE_NAMES
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


History = tuple[str, str, str | None, str | None]  # row_version: row_id, updated_at, body, data


def read_history(briefing: Briefing, ids: Iterable[str]) -> dict[str, list[History]]:
    """Per row, its past versions (each with the whole version as JSON where kept)."""
    out: dict[str, list[History]] = {}
    with briefing._read() as conn:
        for chunk, marks in _chunks(sorted(ids)):
            for rid, stamp, body, data in conn.execute(
                f"SELECT row_id, updated_at, body, data FROM row_version WHERE row_id IN ({marks})", chunk
            ):
                out.setdefault(rid, []).append((rid, stamp, body, data))
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


@dataclass
class LocalWrites:
    """What the sync writes into the file."""

    inserts: dict[str, list[Row]] = field(default_factory=dict)
    #: (new row, the stamp the file must still have for it to be written)
    updates: dict[str, list[tuple[Row, str]]] = field(default_factory=dict)
    status_changes: list[Row] = field(default_factory=list)
    blobs: list[Row] = field(default_factory=list)
    history: list[History] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    #: rebuild the whole search index (a file made from the store)
    reindex_all: bool = False
    #: the file merge's plan for this file: its collisions, and what it touched
    plan: MergePlan | None = None

    @property
    def rows(self) -> int:
        return sum(map(len, self.inserts.values())) + sum(map(len, self.updates.values()))


def apply_local(briefing: Briefing, writes: LocalWrites) -> list[str]:
    """Write `writes` into the file in one transaction, then (as the file merge
    does) keep parents that live rows hang on, and put `plan`'s collisions into
    words as the file now reads. Rows the window changed meanwhile are skipped:
    the next sync merges them."""
    from db.merge import keep_parents_things_hang_on, put_into_words
    from db.merge_report import MergeReport
    from db.merge_rows import MergePlan

    plan = writes.plan or MergePlan()

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
                    "INSERT OR IGNORE INTO row_version (row_id, updated_at, body, data) VALUES (?, ?, ?, ?)",
                    writes.history,
                )
            for key, value in writes.meta.items():
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))
            keep_parents_things_hang_on(conn, plan)
            for table, row_ids in plan.touched.items():
                touched.setdefault(table, set()).update(row_ids)
            if writes.reindex_all:
                indexing.rebuild(conn)
            else:
                _reindex(conn, touched)
            words = MergeReport(theirs="the team store")
            put_into_words(conn, plan, words)
    except sqlite3.IntegrityError as exc:
        # Deferred foreign keys, checked at commit: a row refers to one neither side holds.
        raise BriefbookError(
            "What came down from the team store could not be written into this file: it refers to rows "
            "neither the store nor this file holds; this file was not changed."
        ) from exc
    return [c.sentence for c in words.collisions]


def _reindex(conn: sqlite3.Connection, touched: dict[str, set[str]]) -> None:
    """Refresh the search entries of the rows written (as the file merge does)."""
    live: dict[str, list[str]] = {t: [] for t in indexing.INDEXED_TABLES}
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
    indexing.reindex_nodes(conn, live["node"])
    indexing.reindex_sources(conn, sorted(set(live["source"])))
    indexing.reindex_notes(conn, live["note"])
