"""Merge a colleague's copy of a briefing file into the open one.

`merge_into(ours, theirs_path)` brings every row of THEIRS into OURS and
returns a `MergeReport`. The rules, and why they give the same result in
both directions (A into B and B into A end with equal content):

Rows match by their UUID. Plan and node ids derive from the plan title and
the reference, source links from (source, node), so copies that imported the
same plan independently still match row for row.

Which side changed a row? Each file keeps `row_version` (schema 2): triggers
record a row's previous version stamp (`updated_at`; for notes with the body)
whenever it changes, and a merge adds the other side's stamps. So for a row
present in both files, with versions O (ours) and T (theirs):

- O and T equal: nothing to do.
- T's stamp is in O's history: O descends from T (only our side changed it
  since they diverged): keep O. Symmetrically, O's stamp in T's history: take T.
- Otherwise both changed it ("concurrent"): the newer version wins (ordered by
  `updated_at`, then `updated_by`, then the content itself, so both directions
  pick the same winner), with two refinements:
  * notes: the last version both histories share is the common ancestor. If
    only the older side changed the body, the body comes from it (the newer
    side changed something else, e.g. the kind). If both sides changed the
    body to different texts, the newer body stays and the other text is kept
    as a new note with `conflict_of` = the original's id, its author and time
    (its id is derived from the two versions, so both directions make the
    same row). Without a shared ancestor (rows last changed before schema 2)
    differing bodies count as changed on both sides: nothing is dropped.
  * nodes: the implementation status comes from whichever side changed it
    last (the status history is the union of both, so the current status is
    the latest change in it).
  A version combined from both sides gets a new stamp (the winner's plus one
  microsecond) with both sides' stamps in its history, so merging either
  original again later finds it an ancestor and changes nothing.
- Deletions are versions too (`deleted_at` set, `updated_at` bumped): a
  deletion on one side travels to the other unless the other side edited the
  row after the deletion (then the newer, live version wins and the row stays).
- Rows only THEIRS has come in as they are (live or tombstoned); status
  changes are append-only and merge as a union; attachment bytes (`blob`,
  keyed by SHA-256) come in once per hash, whoever stores the same file.

The whole merge is one transaction after a backup copy of OURS
(`db.file.backup_copy`); when THEIRS holds nothing new, nothing is written
and no backup is made, so merging the same copy twice changes nothing. THEIRS
is only read; a foreign, damaged or too-new THEIRS is refused before anything
is touched, an older one is merged from a migrated temporary copy.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from db import file as dbfile
from db import ids, indexing, search
from db.briefing import Briefing
from db.connections import chunks, insert_rows, retry_busy, update_rows
from db.copying import consistent_copy
from db.errors import BriefbookError, FileBusy, InvalidInput, WriteRefused, is_busy
from db.synced import SYNCED_TABLES

Progress = Callable[[int, int, str], None]

#: Synced tables in the order they are merged (the registry's: parents first),
#: with the kind the report calls them.
TABLE_KINDS: dict[str, str] = {t.table: t.kind for t in SYNCED_TABLES}
NODE_STATUS_FIELDS = ("status", "status_changed_at", "status_changed_by")


@dataclass
class KindReport:
    added: int = 0
    updated: int = 0
    conflicts: int = 0
    deleted: int = 0

    @property
    def total(self) -> int:
        return self.added + self.updated + self.conflicts + self.deleted


@dataclass
class MergeReport:
    """What a merge did, per kind of row. `to_json()` gives plain JSON values."""

    theirs: str
    kinds: dict[str, KindReport] = field(default_factory=lambda: {k: KindReport() for k in TABLE_KINDS.values()})
    status_changes_added: int = 0
    attachments_bytes_added: int = 0
    backup: str | None = None

    @property
    def changed(self) -> bool:
        return self.status_changes_added > 0 or any(k.total for k in self.kinds.values())

    @property
    def conflicts(self) -> int:
        return sum(k.conflicts for k in self.kinds.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "theirs": self.theirs,
            "changed": self.changed,
            "backup": self.backup,
            "kinds": {name: asdict(k) for name, k in self.kinds.items()},
            "status_changes_added": self.status_changes_added,
            "attachment_bytes_added": self.attachments_bytes_added,
        }

    def summary(self) -> list[str]:
        """Lines for a person: one per kind that changed, then the backup."""
        if not self.changed:
            return [f"Nothing new in {Path(self.theirs).name}: this file already has everything in it."]
        lines = []
        for name, k in self.kinds.items():
            parts = [
                f"{n} {label}"
                for n, label in (
                    (k.added, "added"),
                    (k.updated, "updated"),
                    (k.conflicts, "conflicting " + ("copy" if k.conflicts == 1 else "copies") + " kept"),
                    (k.deleted, "deleted"),
                )
                if n
            ]
            if parts:
                lines.append(f"{name.replace('_', ' ').capitalize()}: {', '.join(parts)}.")
        if self.status_changes_added:
            s = "" if self.status_changes_added == 1 else "s"
            lines.append(f"Status history: {self.status_changes_added} change{s} added.")
        if self.backup:
            lines.append(f"The file as it was before the merge is saved as {Path(self.backup).name}.")
        return lines


def merge_into(ours: Briefing, theirs_path: Path | str, progress: Progress | None = None) -> MergeReport:
    """Merge the file at `theirs_path` into the open file `ours` (see the module doc)."""
    theirs_path = Path(theirs_path)
    if ours.read_only:
        raise WriteRefused(f"{ours.path.name} is open read-only: a colleague's copy cannot be merged into it.")
    facts = dbfile.inspect(theirs_path)  # refuses foreign, damaged, too-new files
    if _same_file(theirs_path, ours.path):
        raise InvalidInput("That is this file itself; choose a colleague's copy to merge.")
    report = MergeReport(theirs=str(theirs_path))
    tick = progress or (lambda done, total, label: None)
    if facts.needs_migration:
        # An older copy: merge from a migrated temporary copy, never changing theirs.
        with tempfile.TemporaryDirectory(prefix="briefbook-merge-") as tmp:
            copy = Path(tmp) / "theirs.sqlite"
            tick(0, 0, "Updating the colleague's copy to this version…")
            consistent_copy(theirs_path, copy)
            dbfile.upgrade(copy)
            return _merge(ours, copy, report, tick)
    return _merge(ours, theirs_path, report, tick)


# -- the merge itself -----------------------------------------------------------------


def _merge(ours: Briefing, theirs_path: Path, report: MergeReport, tick: Progress) -> MergeReport:
    steps = len(TABLE_KINDS) + 3
    try:
        with ours.connection() as conn:
            conn.execute("ATTACH DATABASE ? AS theirs", (dbfile.sqlite_uri(theirs_path, read_only=True),))
            try:
                _begin(conn)
                try:
                    conn.execute("PRAGMA defer_foreign_keys = ON")  # rows arrive in any order
                    plan = _Plan()
                    for step, (table, kind) in enumerate(TABLE_KINDS.items()):
                        tick(step, steps, f"Comparing {kind.replace('_', ' ')}…")
                        _plan_table(conn, table, report.kinds[kind], plan)
                    tick(len(TABLE_KINDS), steps, "Comparing status histories…")
                    new_status = _scalar(
                        conn,
                        "SELECT count(*) FROM theirs.status_change t WHERE NOT EXISTS "
                        "(SELECT 1 FROM main.status_change o WHERE o.id = t.id)",
                    )
                    new_blobs = _scalar(
                        conn,
                        "SELECT count(*) FROM theirs.blob t WHERE NOT EXISTS "
                        "(SELECT 1 FROM main.blob o WHERE o.sha256 = t.sha256) "
                        "AND EXISTS (SELECT 1 FROM theirs.attachment a WHERE a.sha256 = t.sha256)",
                    )
                    new_history = _scalar(
                        conn,
                        "SELECT count(*) FROM theirs.row_version t WHERE NOT EXISTS "
                        "(SELECT 1 FROM main.row_version o WHERE o.row_id = t.row_id AND o.updated_at = t.updated_at)",
                    )
                    if not (plan.writes or new_status or new_blobs or new_history or plan.history):
                        conn.execute("ROLLBACK")
                        tick(steps, steps, "Nothing new.")
                        return report
                    # The backup reads the file through its own connection: our
                    # transaction holds only the reserved lock, so it sees the file
                    # as it is before the merge.
                    tick(len(TABLE_KINDS) + 1, steps, "Saving a backup copy…")
                    report.backup = str(dbfile.backup_copy(ours.path, "merge"))
                    tick(len(TABLE_KINDS) + 2, steps, "Merging…")
                    report.status_changes_added = new_status
                    report.attachments_bytes_added = new_blobs
                    _apply(conn, plan)
                    conn.execute(
                        "INSERT INTO main.blob (sha256, size, data) SELECT sha256, size, data FROM theirs.blob t "
                        "WHERE NOT EXISTS (SELECT 1 FROM main.blob o WHERE o.sha256 = t.sha256) "
                        "AND EXISTS (SELECT 1 FROM theirs.attachment a WHERE a.sha256 = t.sha256)"
                    )
                    conn.execute(
                        "INSERT OR IGNORE INTO main.status_change "
                        "(id, node_id, from_status, to_status, comment, changed_at, changed_by) "
                        "SELECT id, node_id, from_status, to_status, comment, changed_at, changed_by "
                        "FROM theirs.status_change"
                    )
                    conn.execute(
                        "INSERT OR IGNORE INTO main.row_version (row_id, updated_at, body) "
                        "SELECT row_id, updated_at, body FROM theirs.row_version"
                    )
                    if plan.history:
                        conn.executemany(
                            "INSERT OR IGNORE INTO main.row_version (row_id, updated_at, body) VALUES (?, ?, ?)",
                            plan.history,
                        )
                    _reindex(conn, plan)
                    try:
                        _commit(conn)
                    except sqlite3.IntegrityError as exc:
                        # Deferred foreign keys: THEIRS pointed at rows neither file holds.
                        raise BriefbookError(
                            f"{theirs_path.name} could not be merged: it refers to rows that neither file "
                            "holds (run Check file on it); nothing was changed."
                        ) from exc
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            finally:
                conn.execute("DETACH DATABASE theirs")
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            raise FileBusy(
                f"{ours.path.name} is busy: another program is writing to it. Try the merge again in a moment."
            ) from exc
        raise
    tick(steps, steps, "Merged.")
    return report


@dataclass
class _Plan:
    """What the merge will write, gathered before anything is written."""

    inserts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    updates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    history: list[tuple[str, str, str | None]] = field(default_factory=list)
    #: ids per table whose search entries must be refreshed
    touched: dict[str, set[str]] = field(default_factory=dict)

    @property
    def writes(self) -> bool:
        return any(self.inserts.values()) or any(self.updates.values())


def _plan_table(conn: sqlite3.Connection, table: str, counts: KindReport, plan: _Plan) -> None:
    cols = [r[1] for r in conn.execute(f"PRAGMA main.table_info({table})")]
    differs = " OR ".join(f"t.{c} IS NOT o.{c}" for c in cols)
    sql = (
        f"SELECT {', '.join('t.' + c for c in cols)}, o.id IS NOT NULL, {', '.join('o.' + c for c in cols)} "
        f"FROM theirs.{table} t LEFT JOIN main.{table} o ON o.id = t.id "
        f"WHERE o.id IS NULL OR {differs}"
    )
    n = len(cols)
    pairs: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
    for row in conn.execute(sql):
        theirs = dict(zip(cols, row[:n]))
        ours = dict(zip(cols, row[n + 1 :])) if row[n] else None
        pairs.append((theirs, ours))
    inserts = plan.inserts.setdefault(table, [])
    updates = plan.updates.setdefault(table, [])
    touched = plan.touched.setdefault(table, set())
    both = [t["id"] for t, o in pairs if o is not None]
    ours_hist = _history(conn, "main", both)
    theirs_hist = _history(conn, "theirs", both)
    for theirs, ours in pairs:
        if ours is None:
            inserts.append(theirs)
            touched.add(theirs["id"])
            if theirs["deleted_at"] is None:
                counts.added += 1
            continue
        rid = theirs["id"]
        oh, th = ours_hist.get(rid, {}), theirs_hist.get(rid, {})
        ours_behind = ours["updated_at"] in th and ours["updated_at"] != theirs["updated_at"]
        theirs_behind = theirs["updated_at"] in oh and ours["updated_at"] != theirs["updated_at"]
        if theirs_behind and not ours_behind:
            continue  # only we changed it; their history still comes in
        if ours_behind and not theirs_behind:
            result = theirs
        else:
            result, copy = _resolve(table, ours, theirs, oh, th, plan)
            if copy is not None:
                inserts.append(copy)
                touched.add(copy["id"])
                counts.conflicts += 1
            if result == ours:
                continue
        updates.append(result)
        touched.add(rid)
        if ours["deleted_at"] is None and result["deleted_at"] is not None:
            counts.deleted += 1
        else:
            counts.updated += 1


def _resolve(
    table: str,
    ours: dict[str, Any],
    theirs: dict[str, Any],
    ours_hist: dict[str, str | None],
    theirs_hist: dict[str, str | None],
    plan: _Plan,
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Both sides changed the row: the result, and a conflicting copy to keep (notes)."""
    winner, loser = sorted((ours, theirs), key=_order, reverse=True)
    result = dict(winner)
    copy = None
    if table == "note" and winner["body"] != loser["body"]:
        shared = set(ours_hist) & set(theirs_hist)
        base = ours_hist[max(shared)] if shared else None
        winner_changed = base is None or winner["body"] != base
        loser_changed = base is None or loser["body"] != base
        if loser_changed and not winner_changed:
            result["body"] = loser["body"]
        elif loser_changed and winner["deleted_at"] is None and loser["deleted_at"] is None:
            copy = _conflict_copy(winner, loser)
    if table == "node" and (loser["status_changed_at"] or "") > (winner["status_changed_at"] or ""):
        for f in NODE_STATUS_FIELDS:
            result[f] = loser[f]
    if result != winner:
        result["updated_at"] = _later(winner["updated_at"])
    if result != ours:
        # Both versions become history of the result: either original, merged
        # again later, is then recognised as an ancestor.
        for side in (ours, theirs):
            if side["updated_at"] != result["updated_at"]:
                plan.history.append((side["id"], side["updated_at"], side.get("body") if table == "note" else None))
    elif theirs["updated_at"] != ours["updated_at"]:
        plan.history.append((theirs["id"], theirs["updated_at"], theirs.get("body") if table == "note" else None))
    return result, copy


def _conflict_copy(winner: dict[str, Any], loser: dict[str, Any]) -> dict[str, Any]:
    digest = hashlib.sha256(loser["body"].encode("utf-8")).hexdigest()
    cid = uuid.uuid5(ids.NAMESPACE, f"conflict:{loser['id']}:{winner['updated_at']}:{loser['updated_at']}:{digest}")
    return {
        **loser,
        "id": str(cid),
        "author": loser["updated_by"] or loser["author"],
        "conflict_of": loser["id"],
        "deleted_at": None,
    }


def _order(row: dict[str, Any]) -> tuple[str, str, str]:
    return (row["updated_at"] or "", row["updated_by"] or "", repr(sorted(row.items())))


def _later(stamp: str) -> str:
    try:
        t = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError:
        return ids.now()
    return (t + timedelta(microseconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _history(conn: sqlite3.Connection, schema: str, row_ids: Sequence[str]) -> dict[str, dict[str, str | None]]:
    out: dict[str, dict[str, str | None]] = {}
    for chunk, marks in chunks(row_ids):
        for rid, stamp, body in conn.execute(
            f"SELECT row_id, updated_at, body FROM {schema}.row_version WHERE row_id IN ({marks})", chunk
        ):
            out.setdefault(rid, {})[stamp] = body
    return out


def _apply(conn: sqlite3.Connection, plan: _Plan) -> None:
    for table in TABLE_KINDS:
        insert_rows(conn, f"main.{table}", plan.inserts.get(table) or [], or_ignore=True)
        update_rows(conn, f"main.{table}", plan.updates.get(table) or [])


def _reindex(conn: sqlite3.Connection, plan: _Plan) -> None:
    """Refresh the search entries of every row the merge wrote."""
    live: dict[str, list[str]] = {}
    gone: list[str] = []
    for table in indexing.INDEXED_TABLES:
        live[table] = []
        for chunk, marks in chunks(sorted(plan.touched.get(table, ()))):
            for rid, deleted in conn.execute(f"SELECT id, deleted_at FROM main.{table} WHERE id IN ({marks})", chunk):
                (gone if deleted is not None else live[table]).append(rid)
    # Sources are indexed with the quotes of their links: a changed link
    # refreshes its source.
    for chunk, marks in chunks(sorted(plan.touched.get("source_link", ()))):
        for (sid,) in conn.execute(
            f"SELECT DISTINCT l.source_id FROM main.source_link l JOIN main.source s ON s.id = l.source_id "
            f"WHERE l.id IN ({marks}) AND s.deleted_at IS NULL",
            chunk,
        ):
            live["source"].append(sid)
    search.unindex_rows(conn, gone)
    indexing.reindex_nodes(conn, live["node"])
    indexing.reindex_sources(conn, sorted(set(live["source"])))
    indexing.reindex_notes(conn, live["note"])


# -- small helpers ----------------------------------------------------------------------


def _scalar(conn: sqlite3.Connection, sql: str) -> int:
    row = conn.execute(sql).fetchone()
    return int(row[0] or 0) if row else 0


def _begin(conn: sqlite3.Connection) -> None:
    retry_busy(lambda: conn.execute("BEGIN IMMEDIATE"))


def _commit(conn: sqlite3.Connection) -> None:
    retry_busy(lambda: conn.execute("COMMIT"))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
