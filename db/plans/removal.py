"""Removing a whole plan from a file, and bringing it back.

A plan is removed with everything that belongs to it: its nodes, the notes
on them, their citations of sources and the meetings' agenda entries for
them. Every row gets a tombstone with one deletion stamp (nothing is erased),
so the removal travels by merge and sync like any other deletion, an undo
finds exactly what went, and a merge brings the plan back with all that went
with it when a colleague changed something under it that this removal never
saw (`db.sharing.apply`). Sources, meetings and status
histories stay: they are not the plan's own (a source may be cited by
another plan; a meeting keeps its other entries).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from db.disk.connections import chunks
from db.model.errors import NotFound
from db.model.values import PlanContents, PlanRemoval

#: The rows that hang on a plan's nodes and go with them: (table, column naming the node).
HANGING: tuple[tuple[str, str], ...] = (("note", "node_id"), ("source_link", "node_id"), ("agenda_item", "node_id"))


def contents(conn: sqlite3.Connection, plan_id: str) -> PlanContents:
    row = conn.execute("SELECT title FROM plan WHERE id = ? AND deleted_at IS NULL", (plan_id,)).fetchone()
    if row is None:
        raise NotFound(f"There is no plan {plan_id!r} in this file.")
    nodes, commitments, statuses = conn.execute(
        "SELECT count(*), count(status), sum(status IS NOT NULL AND status != 'not_started') "
        "FROM node WHERE plan_id = ? AND deleted_at IS NULL", (plan_id,)
    ).fetchone()
    counts = {}
    for table, column in HANGING:
        counts[table] = conn.execute(
            f"SELECT count(*) FROM {table} x JOIN node n ON n.id = x.{column} "
            "WHERE n.plan_id = ? AND n.deleted_at IS NULL AND x.deleted_at IS NULL", (plan_id,)
        ).fetchone()[0]
    meetings = conn.execute(
        "SELECT count(DISTINCT a.meeting_id) FROM agenda_item a JOIN node n ON n.id = a.node_id "
        "JOIN meeting m ON m.id = a.meeting_id WHERE n.plan_id = ? AND n.deleted_at IS NULL "
        "AND a.deleted_at IS NULL AND m.deleted_at IS NULL", (plan_id,)
    ).fetchone()[0]
    return PlanContents(plan_id, row[0], nodes, commitments, counts["note"], statuses or 0,
                        counts["source_link"], counts["agenda_item"], meetings)


def remove(conn: sqlite3.Connection, plan_id: str, stamp: Mapping[str, Any]) -> PlanRemoval:
    """Tombstone the plan and what belongs to it (inside the caller's write transaction)."""
    what = contents(conn, plan_id)
    at, by = stamp["updated_at"], stamp["updated_by"]
    node_ids = [r[0] for r in conn.execute(
        "SELECT id FROM node WHERE plan_id = ? AND deleted_at IS NULL", (plan_id,))]
    for chunk, marks in chunks(node_ids):
        for table, column in HANGING:
            conn.execute(f"UPDATE {table} SET deleted_at = ?, updated_at = ?, updated_by = ? "
                         f"WHERE {column} IN ({marks}) AND deleted_at IS NULL", (at, at, by, *chunk))
    conn.execute("UPDATE node SET deleted_at = ?, updated_at = ?, updated_by = ? "
                 "WHERE plan_id = ? AND deleted_at IS NULL", (at, at, by, plan_id))
    conn.execute("UPDATE plan SET deleted_at = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                 (at, at, by, plan_id))
    return PlanRemoval(plan_id, what.title, at, what)  # (the search index follows by itself: db.search.keeping)


def restore(conn: sqlite3.Connection, removal: PlanRemoval, stamp: Mapping[str, Any]) -> None:
    """Bring back exactly what `remove` tombstoned (the rows that carry its stamp)."""
    at, by = stamp["updated_at"], stamp["updated_by"]
    row = conn.execute("SELECT deleted_at FROM plan WHERE id = ?", (removal.plan_id,)).fetchone()
    if row is None or row[0] != removal.deleted_at:
        raise NotFound(f"The plan “{removal.title}” is no longer removed as it was: there is nothing to undo.")
    conn.execute("UPDATE plan SET deleted_at = NULL, updated_at = ?, updated_by = ? WHERE id = ?",
                 (at, by, removal.plan_id))
    restore_rows_deleted_with(conn, removal.plan_id, removal.deleted_at, at, by)


def restore_rows_deleted_with(conn: sqlite3.Connection, plan_id: str, deleted_at: str, at: str, by: str) -> list[str]:
    """The plan's nodes, and the rows on them, that carry the plan's deletion stamp: live again. Returns the
    rows brought back (nodes first)."""
    node_ids = [r[0] for r in conn.execute(
        "SELECT id FROM node WHERE plan_id = ? AND deleted_at = ?", (plan_id, deleted_at))]
    conn.execute("UPDATE node SET deleted_at = NULL, updated_at = ?, updated_by = ? "
                 "WHERE plan_id = ? AND deleted_at = ?", (at, by, plan_id, deleted_at))
    back: list[str] = list(node_ids)
    for chunk, marks in chunks(node_ids):
        for table, column in HANGING:
            ids = [r[0] for r in conn.execute(
                f"SELECT id FROM {table} WHERE {column} IN ({marks}) AND deleted_at = ?", (*chunk, deleted_at))]
            conn.execute(f"UPDATE {table} SET deleted_at = NULL, updated_at = ?, updated_by = ? "
                         f"WHERE {column} IN ({marks}) AND deleted_at = ?", (at, by, *chunk, deleted_at))
            back += ids
    return back

