"""The one step that writes a merge's or a sync's result into the file.

Both the file merge (`db.sharing.merge`) and the team store's sync
(`db.sharing.store.local`) decide row by row what to write (`db.sharing.rows`),
then write it here, inside their write transaction: the rows, the status
changes, attachment bytes and past versions that came in; then the parents
that live rows still hang on come back (`keep_parents_things_hang_on`); then
every collision and deletion is put into words as the file now reads. The
search index follows by itself (`db.search.keeping`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from db.disk.connections import chunks, insert_rows, update_rows
from db.schema.synced import SYNCED_TABLE_NAMES
from db.sharing.report import LISTED_CHANGES, LISTED_DELETIONS, Change, MergeReport
from db.sharing.rows import MergePlan, PendingCollision
from db.sharing.three_way import later_stamp
from db.sharing.words import describe, sentence

Row = dict[str, Any]
#: A past version of a row (row_version): row_id, updated_at, body, data.
History = tuple[str, str, str | None, str | None]
STATUS_COLUMNS = ("id", "node_id", "from_status", "to_status", "comment", "changed_at", "changed_by")


@dataclass
class Incoming:
    """What comes into the file besides the plan's own rows."""

    #: (new row, the stamp the file must still have for it to be written): a sync
    #: reads the file in short reads while the window keeps editing, and never
    #: overwrites an edit made meanwhile (the next sync merges it)
    guarded_updates: dict[str, list[tuple[Row, str]]] = field(default_factory=dict)
    status_changes: list[Row] = field(default_factory=list)
    blobs: list[Row] = field(default_factory=list)
    history: list[History] = field(default_factory=list)


def apply(
    conn: sqlite3.Connection,
    plan: MergePlan,
    incoming: Incoming,
    report: MergeReport,
    bring_in: Callable[[sqlite3.Connection], None] | None = None,
) -> None:
    """Write `plan`'s rows and `incoming` into the open write transaction of `conn`,
    keep the parents live rows hang on, and tell `report` what collided and what was deleted.

    `bring_in` runs right after the rows are written: the file merge copies the
    other file's status changes, attachment bytes and past versions in bulk there."""
    conn.execute("PRAGMA defer_foreign_keys = ON")  # rows arrive in any order; checked at commit
    for table in SYNCED_TABLE_NAMES:
        insert_rows(conn, f"main.{table}", plan.inserts.get(table) or [], or_ignore=True)
        update_rows(conn, f"main.{table}", plan.updates.get(table) or [])
        for row, expected in incoming.guarded_updates.get(table) or []:
            cols = [c for c in row if c != "id"]
            conn.execute(
                f"UPDATE main.{table} SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ? AND updated_at = ?",
                (*(row[c] for c in cols), row["id"], expected),
            )
    if bring_in is not None:
        bring_in(conn)
    if incoming.status_changes:
        insert_rows(conn, "main.status_change", incoming.status_changes, or_ignore=True)
    if incoming.blobs:
        insert_rows(conn, "main.blob", incoming.blobs, or_ignore=True)
    history: Sequence[History] = [*incoming.history, *plan.history]
    if history:
        conn.executemany(
            "INSERT OR IGNORE INTO main.row_version (row_id, updated_at, body, data) VALUES (?, ?, ?, ?)", history
        )
    keep_parents_things_hang_on(conn, plan)
    put_into_words(conn, plan, report)


#: Parents that stay while a live row hangs on them: (table, [(child table, column)]).
#: Deleting a source or meeting deletes what hangs on it, so a live child after a
#: merge is a change on the other side that the deletion never saw.
_PARENTS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("node", (("note", "node_id"), ("source_link", "node_id"), ("agenda_item", "node_id"), ("node", "parent_id"))),
    ("source", (("source_link", "source_id"), ("attachment", "source_id"))),
    ("meeting", (("agenda_item", "meeting_id"),)),
)


def _bring_back_removed_plans(conn: sqlite3.Connection, plan: MergePlan) -> None:
    """A plan removed in one copy while the other changed something under it (a node, a note, a citation, an
    agenda entry) comes back with everything removed with it (`db.plans.removal`), as a source or a meeting
    does; its nodes are not marked as removed from the plan (the plan text did not drop them)."""
    from db.plans.removal import HANGING

    under = " OR ".join(
        f"EXISTS (SELECT 1 FROM main.node n JOIN main.{child} x ON x.{column} = n.id "
        f"WHERE n.plan_id = p.id AND x.deleted_at IS NULL)" for child, column in HANGING
    )
    rows = conn.execute(
        "SELECT p.id, p.updated_at, p.deleted_at FROM main.plan p WHERE p.deleted_at IS NOT NULL AND ("
        f"EXISTS (SELECT 1 FROM main.node n WHERE n.plan_id = p.id AND n.deleted_at IS NULL) OR {under})"
    ).fetchall()
    for plan_id, stamp, deleted_at in rows:
        conn.execute("UPDATE main.plan SET deleted_at = NULL, updated_at = ? WHERE id = ?",
                     (later_stamp(stamp), plan_id))
        nodes = conn.execute("SELECT id, updated_at FROM main.node WHERE plan_id = ? AND deleted_at = ?",
                             (plan_id, deleted_at)).fetchall()
        back: list[tuple[str, str, str]] = [("node", nid, s) for nid, s in nodes]
        for chunk, marks in chunks([nid for nid, _ in nodes]):
            for child, column in HANGING:
                back += [(child, cid, s) for cid, s in conn.execute(
                    f"SELECT id, updated_at FROM main.{child} WHERE {column} IN ({marks}) AND deleted_at = ?",
                    (*chunk, deleted_at))]
        for table, row_id, row_stamp in back:
            conn.execute(f"UPDATE main.{table} SET deleted_at = NULL, updated_at = ? WHERE id = ?",
                         (later_stamp(row_stamp), row_id))
        plan.collisions.append(PendingCollision("parent_kept", "plan", plan_id))
        gone = {("plan", plan_id)} | {(t, r) for t, r, _ in back}
        plan.deletions = [d for d in plan.deletions if d not in gone]


def keep_parents_things_hang_on(conn: sqlite3.Connection, plan: MergePlan) -> None:
    """A deleted node (a revised plan dropped it), source or meeting on which live
    rows still hang comes back; a node is marked as removed from the plan. A removed
    plan with changes under it comes back whole first."""
    _bring_back_removed_plans(conn, plan)
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
                plan.collisions.append(PendingCollision("node_kept" if table == "node" else "parent_kept", table,
                                                        row_id))
                plan.deletions = [d for d in plan.deletions if d != (table, row_id)]
                changed = True


def put_into_words(conn: sqlite3.Connection, plan: MergePlan, report: MergeReport) -> None:
    """Each collision the plan met, and each deletion, as a sentence in `report`."""
    seen: set[tuple[str, str, str]] = set()
    for pending in plan.collisions:
        key = (pending.kind, pending.row_id if pending.kind != "order" else _meeting_of(conn, pending.row_id),
               pending.field)
        if key not in seen:
            seen.add(key)
            report.collisions.append(sentence(conn, pending))
    for table, row_id in plan.deletions:
        report.deletions.append(describe(conn, table, row_id)[0])
    report.arrived_deleted_count = len(plan.arrived_deleted)
    for table, row_id in plan.arrived_deleted[:LISTED_DELETIONS]:
        report.arrived_deleted.append(describe(conn, table, row_id)[0])
    listed: dict[str, int] = {}
    for change, table, row_id, by, fields in plan.changes:
        report.changes_by[by] = report.changes_by.get(by, 0) + 1
        if listed.get(table, 0) < LISTED_CHANGES:  # the first few of each kind, in words
            listed[table] = listed.get(table, 0) + 1
            what, ref = describe(conn, table, row_id)
            report.changes.append(Change(change, table, row_id, ref, what, by, fields))


def _meeting_of(conn: sqlite3.Connection, agenda_item_id: str) -> str:
    row = conn.execute("SELECT meeting_id FROM main.agenda_item WHERE id = ?", (agenda_item_id,)).fetchone()
    return row[0] if row else agenda_item_id
