"""The file's side of a sync: what it holds (read in short reads, so the window
keeps editing meanwhile), and writing what came down in one transaction.

Rows are written only where the file still has the version the sync read:
an edit made in the window while the sync ran is never overwritten (the next
sync merges it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from db.disk.connections import chunks
from db.model.errors import BriefbookError
from db.schema.synced import SYNCED_TABLE_NAMES
from db.search import keeping
from db.sharing.apply import STATUS_COLUMNS, History, Incoming, apply
from db.sharing.report import MergeReport
from db.sharing.rows import MergePlan

if TYPE_CHECKING:
    from db.briefing.facade import Briefing

#: The synced tables (db.schema.synced's registry: parents before children).
SYNCED_TABLES: tuple[str, ...] = SYNCED_TABLE_NAMES
META_STORE_ID, META_STORE_SEQ, META_STORE_ADDRESS = "store.id", "store.seq", "store.address"

Row = dict[str, Any]


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
    """The file at one moment (one read transaction), as the sync starts from it."""
    with briefing.one_read(), briefing.reading() as conn:
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
    with briefing.reading() as conn:
        for chunk, marks in chunks(sorted(ids)):
            for r in conn.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id IN ({marks})", chunk):
                row = dict(zip(columns, r))
                out[row["id"]] = row
    return out


def read_history(briefing: Briefing, ids: Iterable[str]) -> dict[str, list[History]]:
    """Per row, its past versions (each with the whole version as JSON where kept)."""
    out: dict[str, list[History]] = {}
    with briefing.reading() as conn:
        for chunk, marks in chunks(sorted(ids)):
            for rid, stamp, body, data in conn.execute(
                f"SELECT row_id, updated_at, body, data FROM row_version WHERE row_id IN ({marks})", chunk
            ):
                out.setdefault(rid, []).append((rid, stamp, body, data))
    return out


def read_status_changes(briefing: Briefing, ids: Iterable[str]) -> list[Row]:
    out: list[Row] = []
    with briefing.reading() as conn:
        for chunk, marks in chunks(sorted(ids)):
            sql = f"SELECT {', '.join(STATUS_COLUMNS)} FROM status_change WHERE id IN ({marks})"
            out += [dict(zip(STATUS_COLUMNS, r)) for r in conn.execute(sql, chunk)]
    return out


def read_blobs(briefing: Briefing, hashes: Iterable[str]) -> list[Row]:
    out: list[Row] = []
    with briefing.reading() as conn:
        for chunk, marks in chunks(sorted(hashes)):
            sql = f"SELECT sha256, size, data FROM blob WHERE sha256 IN ({marks})"
            out += [{"sha256": s, "size": n, "data": bytes(d)} for s, n, d in conn.execute(sql, chunk)]
    return out


@dataclass
class LocalWrites:
    """What the sync writes into the file: the merge's plan for this file (rows to
    insert, collisions, deletions, past versions) and what else came down."""

    plan: MergePlan
    incoming: Incoming
    meta: dict[str, str] = field(default_factory=dict)
    #: rebuild the whole search index (a file made from the store)
    reindex_all: bool = False

    @property
    def rows(self) -> int:
        return sum(map(len, self.plan.inserts.values())) + sum(map(len, self.incoming.guarded_updates.values()))


def apply_local(briefing: Briefing, writes: LocalWrites) -> list[str]:
    """Write `writes` into the file in one transaction, through the step the file
    merge writes through (`db.sharing.apply`); returns the collisions in words.
    Rows the window changed meanwhile are skipped: the next sync merges them."""
    words = MergeReport(theirs="the team store")
    try:
        with briefing.writing() as conn:
            apply(conn, writes.plan, writes.incoming, words)
            for key, value in writes.meta.items():
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))
            if writes.reindex_all:
                keeping.rebuild(conn)
    except sqlite3.IntegrityError as exc:
        # Deferred foreign keys, checked at commit: a row refers to one neither side holds.
        raise BriefbookError(
            "What came down from the team store could not be written into this file: it refers to rows "
            "neither the store nor this file holds; this file was not changed."
        ) from exc
    return [c.sentence for c in words.collisions]
