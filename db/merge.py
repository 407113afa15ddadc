"""Merge a colleague's copy of a briefing file into the open one.

`merge_into(ours, theirs_path)` brings every row of THEIRS into OURS and
returns a `MergeReport`. The rules, and why they give the same result in
both directions (A into B and B into A end with equal content):

Rows match by their UUID. Plan and node ids derive from the plan title and
the reference, source links from (source, node), so copies that imported the
same plan independently still match row for row.

Which side changed a row? Each file keeps `row_version`: triggers record a
row's previous version whenever it changes (schema 3: the whole version, as
JSON), and a merge adds the other side's versions. So for a row present in
both files, with versions O (ours) and T (theirs):

- O and T equal: nothing to do.
- T's stamp is in O's history: O descends from T (only our side changed it
  since they diverged): keep O. Symmetrically, O's stamp in T's history: take T.
- Otherwise both changed it: merge field by field against the common
  ancestor, the last version both histories share (`db.three_way`). A field
  changed on one side only takes that side's value; a field both changed
  keeps the newer side's value and the other is kept where the user sees it:
  a note's other text as a conflicting copy beside it (`conflict_of`), other
  text fields as a `merge_conflict` row the user can restore; a status both
  changed follows the later change, the history keeps both. A deletion that
  meets an edit it never saw loses: the row stays live with the edit. Without
  an ancestor (rows last changed before schema 3) every differing field counts
  as changed on both sides, so nothing is dropped.
  A version combined from both sides gets a new stamp (the later one plus one
  microsecond) with both sides' versions in its history, so merging either
  original again later finds it an ancestor and changes nothing.
- Rows only THEIRS has come in as they are (live or tombstoned); status
  changes are append-only and merge as a union; attachment bytes (`blob`,
  keyed by SHA-256) come in once per hash, whoever stores the same file.
- A node a revised plan removed (a tombstone) on which live notes, citations,
  agenda entries or nodes still hang is kept, marked `retired_at` (removed
  from the plan's current text), so nothing that hangs on it disappears.

Every collision is reported in words (`MergeReport.collisions`), and so is
every row the merge deleted here.

The whole merge is one transaction after a backup copy of OURS
(`db.file.backup_copy`); when THEIRS holds nothing new, nothing is written
and no backup is made, so merging the same copy twice changes nothing. THEIRS
is only read; a foreign, damaged or too-new THEIRS is refused before anything
is touched, an older one is merged from a migrated temporary copy.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

from db import file as dbfile
from db import indexing, search, validation
from db.briefing import Briefing
from db.connections import chunks, insert_rows, retry_busy, update_rows
from db.copying import consistent_copy
from db.errors import BriefbookError, FileBusy, InvalidInput, WriteRefused, is_busy, mark_rolled_back
from db.merge_report import Collision, KindReport, MergeReport
from db.merge_rows import MergePlan, PendingCollision, plan_table
from db.merge_words import describe, sentence
from db.synced import SYNCED_TABLES
from db.three_way import later_stamp

__all__ = ["TABLE_KINDS", "Collision", "KindReport", "MergeReport", "Progress", "merge_into"]

Progress = Callable[[int, int, str], None]

#: Synced tables in the order they are merged (the registry's: parents first),
#: with the kind the report calls them.
TABLE_KINDS: dict[str, str] = {t.table: t.kind for t in SYNCED_TABLES}


def merge_into(ours: Briefing, theirs_path: Path | str, progress: Progress | None = None) -> MergeReport:
    """Merge the file at `theirs_path` into the open file `ours` (see the module doc)."""
    theirs_path = Path(theirs_path)
    if ours.read_only:
        raise WriteRefused(f"{ours.path.name} is open read-only: a colleague's copy cannot be merged into it.")
    facts = dbfile.inspect(theirs_path)  # refuses foreign, damaged, too-new files
    if _same_file(theirs_path, ours.path):
        raise InvalidInput("That is this file itself; choose a colleague's copy to merge.")
    validation.require_valid(theirs_path, "merged")  # the whole copy, before anything is written
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
                    plan = MergePlan()
                    for step, (table, kind) in enumerate(TABLE_KINDS.items()):
                        tick(step, steps, f"Comparing {kind.replace('_', ' ')}…")
                        plan_table(conn, table, report.kinds[kind], plan)
                    _look_for_doubles(conn, plan)
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
                        "INSERT OR IGNORE INTO main.row_version (row_id, updated_at, body, data) "
                        "SELECT row_id, updated_at, body, data FROM theirs.row_version"
                    )
                    if plan.history:
                        conn.executemany(
                            "INSERT OR IGNORE INTO main.row_version (row_id, updated_at, body, data) "
                            "VALUES (?, ?, ?, ?)",
                            plan.history,
                        )
                    keep_parents_things_hang_on(conn, plan)
                    _reindex(conn, plan)
                    put_into_words(conn, plan, report)
                    try:
                        _commit(conn)
                    except sqlite3.IntegrityError as exc:
                        # Deferred foreign keys: THEIRS pointed at rows neither file holds.
                        raise BriefbookError(
                            f"{theirs_path.name} could not be merged: it refers to rows that neither file "
                            "holds (run Check file on it); nothing was changed."
                        ) from exc
                except BaseException as exc:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    mark_rolled_back(exc)
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


def _apply(conn: sqlite3.Connection, plan: MergePlan) -> None:
    for table in TABLE_KINDS:
        insert_rows(conn, f"main.{table}", plan.inserts.get(table) or [], or_ignore=True)
        update_rows(conn, f"main.{table}", plan.updates.get(table) or [])


#: Parents that stay while a live row hangs on them: (table, [(child table, column)]).
#: Deleting a source or meeting deletes what hangs on it, so a live child after a
#: merge is a change on the other side that the deletion never saw.
_PARENTS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("node", (("note", "node_id"), ("source_link", "node_id"), ("agenda_item", "node_id"), ("node", "parent_id"))),
    ("source", (("source_link", "source_id"), ("attachment", "source_id"))),
    ("meeting", (("agenda_item", "meeting_id"),)),
)


def keep_parents_things_hang_on(conn: sqlite3.Connection, plan: MergePlan) -> None:
    """A deleted node (a revised plan dropped it), source or meeting on which live
    rows still hang comes back; a node is marked as removed from the plan."""
    changed = True
    while changed:
        changed = False
        for table, children in _PARENTS:
            hanging = " OR ".join(
                f"EXISTS (SELECT 1 FROM main.{child} x WHERE x.{column} = p.id AND x.deleted_at IS NULL)"
                for child, column in children
            )
            rows = conn.execute(
                f"SELECT p.id, p.updated_at, p.deleted_at FROM main.{table} p "
                f"WHERE p.deleted_at IS NOT NULL AND ({hanging})"
            ).fetchall()
            for row_id, stamp, deleted_at in rows:
                retire = ", retired_at = coalesce(retired_at, deleted_at)" if table == "node" else ""
                conn.execute(
                    f"UPDATE main.{table} SET deleted_at = NULL{retire}, updated_at = ? WHERE id = ?",
                    (later_stamp(stamp), row_id),
                )
                if table != "node":  # what was deleted with it comes back with it
                    for child, column in children:
                        for (child_id, child_stamp) in conn.execute(
                            f"SELECT id, updated_at FROM main.{child} WHERE {column} = ? AND deleted_at = ?",
                            (row_id, deleted_at),
                        ).fetchall():
                            conn.execute(
                                f"UPDATE main.{child} SET deleted_at = NULL, updated_at = ? WHERE id = ?",
                                (later_stamp(child_stamp), child_id),
                            )
                            plan.touched.setdefault(child, set()).add(child_id)
                plan.touched.setdefault(table, set()).add(row_id)
                plan.collisions.append(PendingCollision("node_kept" if table == "node" else "parent_kept", table,
                                                        row_id))
                plan.deletions = [d for d in plan.deletions if d != (table, row_id)]
                changed = True


def _look_for_doubles(conn: sqlite3.Connection, plan: MergePlan) -> None:
    """A source (same address, or same title and outlet) or a meeting (same title
    and date) that both copies added separately: say so, so one can be deleted."""
    for table, cols in (("source", ("id", "url", "title", "outlet")), ("meeting", ("id", "title", "date"))):
        new = [r for r in plan.inserts.get(table, []) if r["deleted_at"] is None]
        if not new:
            continue
        ours: set[tuple[str, ...]] = set()
        for row in conn.execute(f"SELECT {', '.join(cols)} FROM main.{table} WHERE deleted_at IS NULL"):
            ours.update(_same_thing(table, dict(zip(cols, row))))
        for r in new:
            if ours & set(_same_thing(table, r)):
                plan.collisions.append(PendingCollision("duplicate", table, r["id"]))


def _same_thing(table: str, row: dict[str, str | None]) -> list[tuple[str, ...]]:
    """What makes two rows the same source or meeting to a person."""
    if table == "meeting":
        return [("meeting", _norm(row["title"]), row["date"] or "")]
    keys: list[tuple[str, ...]] = [("title", _norm(row["title"]), _norm(row["outlet"]))]
    if row["url"]:
        keys.append(("url", _norm(row["url"])))
    return keys


def _norm(text: str | None) -> str:
    return " ".join((text or "").casefold().split()).rstrip("/")


def put_into_words(conn: sqlite3.Connection, plan: MergePlan, report: MergeReport) -> None:
    """Each collision the plan met, and each deletion, as a sentence in `report` (also used by a sync)."""
    seen: set[tuple[str, str, str]] = set()
    for pending in plan.collisions:
        key = (pending.kind, pending.row_id if pending.kind != "order" else _meeting_of(conn, pending.row_id),
               pending.field)
        if key not in seen:
            seen.add(key)
            report.collisions.append(sentence(conn, pending))
    for table, row_id in plan.deletions:
        report.deletions.append(describe(conn, table, row_id)[0])


def _meeting_of(conn: sqlite3.Connection, agenda_item_id: str) -> str:
    row = conn.execute("SELECT meeting_id FROM main.agenda_item WHERE id = ?", (agenda_item_id,)).fetchone()
    return row[0] if row else agenda_item_id


def _reindex(conn: sqlite3.Connection, plan: MergePlan) -> None:
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
