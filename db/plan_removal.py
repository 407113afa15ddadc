"""Removing a whole plan from a file, and bringing it back.

A plan is removed with everything that belongs to it: its nodes, the notes
on them, their citations of sources and the meetings' agenda entries for
them. Every row gets a tombstone with one deletion stamp (nothing is erased),
so the removal travels by merge and sync like any other deletion, an undo
finds exactly what went, and a merge brings the plan back with all that went
with it when a colleague changed something under it that this removal never
saw (`db.merge.keep_parents_things_hang_on`). Sources, meetings and status
histories stay: they are not the plan's own (a source may be cited by
another plan; a meeting keeps its other entries).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any, NamedTuple

from db import indexing, search
from db.connections import chunks
from db.errors import NotFound

#: The rows that hang on a plan's nodes and go with them: (table, column naming the node).
HANGING: tuple[tuple[str, str], ...] = (("note", "node_id"), ("source_link", "node_id"), ("agenda_item", "node_id"))


class PlanContents(NamedTuple):
    """What removing a plan takes with it, counted for the confirmation."""

    plan_id: str
    title: str
    nodes: int
    commitments: int  # of the nodes, those that carry a status
    notes: int
    statuses: int  # commitments whose status was set (not "not started")
    citations: int
    agenda_entries: int
    meetings: int  # meetings with one of those agenda entries


class PlanRemoval(NamedTuple):
    """A removal done: enough to undo exactly it."""

    plan_id: str
    title: str
    deleted_at: str  # the stamp every row removed with the plan carries
    contents: PlanContents


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
    gone: list[str] = list(node_ids)
    for chunk, marks in chunks(node_ids):
        for table, column in HANGING:
            gone += [r[0] for r in conn.execute(
                f"SELECT id FROM {table} WHERE {column} IN ({marks}) AND deleted_at IS NULL", chunk)]
            conn.execute(f"UPDATE {table} SET deleted_at = ?, updated_at = ?, updated_by = ? "
                         f"WHERE {column} IN ({marks}) AND deleted_at IS NULL", (at, at, by, *chunk))
    conn.execute("UPDATE node SET deleted_at = ?, updated_at = ?, updated_by = ? "
                 "WHERE plan_id = ? AND deleted_at IS NULL", (at, at, by, plan_id))
    conn.execute("UPDATE plan SET deleted_at = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                 (at, at, by, plan_id))
    search.unindex_rows(conn, gone)
    return PlanRemoval(plan_id, what.title, at, what)


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
    """The plan's nodes, and the rows on them, that carry the plan's deletion stamp: live again and
    searchable. Returns the rows brought back (nodes first)."""
    node_ids = [r[0] for r in conn.execute(
        "SELECT id FROM node WHERE plan_id = ? AND deleted_at = ?", (plan_id, deleted_at))]
    conn.execute("UPDATE node SET deleted_at = NULL, updated_at = ?, updated_by = ? "
                 "WHERE plan_id = ? AND deleted_at = ?", (at, by, plan_id, deleted_at))
    back: list[str] = list(node_ids)
    notes: list[str] = []
    for chunk, marks in chunks(node_ids):
        for table, column in HANGING:
            ids = [r[0] for r in conn.execute(
                f"SELECT id FROM {table} WHERE {column} IN ({marks}) AND deleted_at = ?", (*chunk, deleted_at))]
            conn.execute(f"UPDATE {table} SET deleted_at = NULL, updated_at = ?, updated_by = ? "
                         f"WHERE {column} IN ({marks}) AND deleted_at = ?", (at, by, *chunk, deleted_at))
            back += ids
            if table == "note":
                notes += ids
    indexing.reindex_nodes(conn, node_ids)
    indexing.reindex_notes(conn, notes)
    return back


def goes_with(c: PlanContents) -> str:
    """What removing a plan takes with it, in words (the window's confirmation and the command line's)."""
    return (f"It takes with it {listed(c)}. The sources and meetings themselves stay. Copies merged or synced "
            "with this file lose it too, unless a colleague changed something in it there.")


def listed(c: PlanContents) -> str:
    """"5 nodes (3 commitments, 1 with a status set), 1 note, 0 citations of sources and 0 agenda entries"."""

    def n(count: int, one: str, many: str) -> str:
        return f"{count} {one if count == 1 else many}"

    agenda = n(c.agenda_entries, "agenda entry", "agenda entries")
    if c.agenda_entries:
        agenda += f" in {n(c.meetings, 'meeting', 'meetings')}"
    return (f"{n(c.nodes, 'node', 'nodes')} ({n(c.commitments, 'commitment', 'commitments')}, "
            f"{c.statuses} with a status set), {n(c.notes, 'note', 'notes')}, "
            f"{n(c.citations, 'citation of a source', 'citations of sources')} and {agenda}")
