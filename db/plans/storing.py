"""Storing a parsed plan: compare it with the rows a file holds, then write the difference.

A re-import finds the nodes it stored before by content as well as by number
(`db.plans.revision`): they keep their notes, sources and status, even when a
revision renumbered them, and only what the text changed is written. Nodes
that are no longer in the text get a tombstone, unless notes, citations or an
agenda entry hang on them: then they stay, marked as removed from the plan.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from db.disk.connections import dicts, insert_row, insert_rows, update_row, update_rows
from db.model import ids
from db.model.drafts import NodeDraft, PlanDraft
from db.model.errors import InvalidInput, PlanWouldBeReplaced
from db.model.values import NODE_KINDS, TRACKED_KINDS, ImportPreview, ImportReport
from db.plans.revision import SAME_PLAN, flatten, match

#: The node columns a plan text decides (the rest is the users' work: status, lead office).
_NODE_COLUMNS = "id, parent_id, kind, ref, position, title, text, status, deleted_at, retired_at"


@dataclass
class PlanChanges:
    """What storing a draft changes, worked out before anything is written."""

    plan_id: str
    plan_values: dict[str, Any]
    plan_is_new: bool
    plan_changed: bool
    new_nodes: list[dict[str, Any]] = field(default_factory=list)  # parents before children
    changed_nodes: list[dict[str, Any]] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)  # live nodes the text no longer has
    unchanged: int = 0
    #: new ref -> old ref of nodes a revision renumbered (they keep their notes)
    renumbered: dict[str, str] = field(default_factory=dict)
    #: share of the text's nodes that are nodes the file already had
    share_matched: float = 1.0


def compare(
    draft: PlanDraft,
    stored_plan: Mapping[str, Any] | None,
    stored_nodes: Mapping[str, Mapping[str, Any]],
    stamp: Mapping[str, Any],
) -> PlanChanges:
    """Compare a draft with the stored plan row and its node rows (id -> columns by name)."""
    pid = ids.plan_id(draft.title)
    plan_values = {
        "title": draft.title,
        "parties": "\n".join(draft.parties),
        "period": draft.period,
        "adopted_on": draft.adopted_on,
        "preamble": draft.preamble,
    }
    refs = [n.ref for n in flatten(draft.areas)]
    if len(set(refs)) != len(refs):
        twice = next(r for r in refs if refs.count(r) > 1)
        raise InvalidInput(f"The plan text gives reference {twice} twice.")
    matching = match(pid, draft.areas, stored_nodes)
    changes = PlanChanges(
        plan_id=pid,
        plan_values=plan_values,
        plan_is_new=stored_plan is None,
        plan_changed=stored_plan is not None
        and (stored_plan["deleted_at"] is not None or any(stored_plan[k] != v for k, v in plan_values.items())),
    )
    seen: set[str] = set()

    def visit(nodes: Sequence[NodeDraft], parent: str | None) -> None:
        for position, nd in enumerate(nodes):
            if nd.kind not in NODE_KINDS:
                raise InvalidInput(f"Unknown node kind {nd.kind!r} for {nd.ref}.")
            nid = matching.ids[nd.ref]
            seen.add(nid)
            values = {
                "parent_id": parent,
                "kind": nd.kind,
                "ref": nd.ref,
                "position": position,
                "title": nd.title,
                "text": nd.text,
            }
            old = stored_nodes.get(nid)
            if old is None:
                changes.new_nodes.append(
                    {
                        "id": nid,
                        "plan_id": pid,
                        **values,
                        "status": "not_started" if nd.kind in TRACKED_KINDS else None,
                        "lead_office": "",
                        "status_changed_at": None,
                        "status_changed_by": None,
                        **stamp,
                        "deleted_at": None,
                        "retired_at": None,
                    }
                )
            elif (old["deleted_at"] is not None or old["retired_at"] is not None
                  or any(old[k] != v for k, v in values.items())):
                status = old["status"]
                if nd.kind in TRACKED_KINDS and status is None:
                    status = "not_started"
                changes.changed_nodes.append(
                    {"id": nid, **values, "status": status, **stamp, "deleted_at": None, "retired_at": None}
                )
            else:
                changes.unchanged += 1
            visit(nd.children, nid)

    changes.renumbered = matching.renumbered
    changes.share_matched = matching.share_matched
    visit(draft.areas, None)
    changes.gone = [rid for rid, r in stored_nodes.items() if rid not in seen and r["deleted_at"] is None]
    return changes


def preview(conn: sqlite3.Connection, draft: PlanDraft) -> ImportPreview:
    pid = ids.plan_id(draft.title)
    stored_plan, stored_nodes = _stored(conn, pid)
    changes = compare(draft, stored_plan, stored_nodes, {"updated_at": "", "updated_by": ""})
    kept = _with_things_hanging(conn, changes.gone)
    live = sum(1 for r in stored_nodes.values() if r["deleted_at"] is None)
    return ImportPreview(
        plan_exists=stored_plan is not None and stored_plan["deleted_at"] is None,
        added=tuple(r["ref"] for r in changes.new_nodes),
        updated=tuple(r["ref"] for r in changes.changed_nodes if r["ref"] not in changes.renumbered),
        renumbered=dict(changes.renumbered),
        removed=tuple(stored_nodes[r]["ref"] for r in changes.gone),
        kept=tuple(stored_nodes[r]["ref"] for r in changes.gone if r in kept),
        would_replace=bool(live) and changes.share_matched < SAME_PLAN,
    )


def _stored(conn: sqlite3.Connection, pid: str) -> tuple[dict[str, Any] | None, dict[str, dict[str, Any]]]:
    stored_plan = next(dicts(conn.execute("SELECT * FROM plan WHERE id = ?", (pid,))), None)
    stored_nodes = {
        r["id"]: r for r in dicts(conn.execute(f"SELECT {_NODE_COLUMNS} FROM node WHERE plan_id = ?", (pid,)))
    }
    return stored_plan, stored_nodes


def import_plan(
    conn: sqlite3.Connection, draft: PlanDraft, stamp: Mapping[str, Any], replace: bool = False
) -> ImportReport:
    """Store `draft` (inside the caller's write transaction) and re-index what changed.

    A text whose nodes are mostly not the stored plan's (another plan under the
    same title) is refused unless `replace` says to replace it.
    """
    if not draft.title.strip():
        raise InvalidInput("The plan text has no title: its first line should be the plan's title.")
    pid = ids.plan_id(draft.title)
    stored_plan, stored_nodes = _stored(conn, pid)
    changes = compare(draft, stored_plan, stored_nodes, stamp)
    live = sum(1 for r in stored_nodes.values() if r["deleted_at"] is None)
    if live and changes.share_matched < SAME_PLAN and not replace:
        raise PlanWouldBeReplaced(
            f"This file already holds a plan titled “{draft.title}”, but only "
            f"{round(changes.share_matched * 100)}% of this text's commitments are in it: it looks like another "
            "plan. Give it its own title, or replace the stored plan (import again with --replace)."
        )
    if changes.plan_is_new:
        insert_row(conn, "plan", {"id": pid, **changes.plan_values, **stamp, "deleted_at": None})
    elif changes.plan_changed:
        update_row(conn, "plan", pid, {**changes.plan_values, **stamp, "deleted_at": None})
    # Parents first: the tree's foreign keys point upwards.
    insert_rows(conn, "node", changes.new_nodes)
    update_rows(conn, "node", changes.changed_nodes)
    # A node the text no longer has stays visible, marked as removed from the
    # plan, while notes, citations, agenda entries or kept nodes hang on it.
    kept = _with_things_hanging(conn, changes.gone)
    retired = [r for r in changes.gone if r in kept and stored_nodes[r]["retired_at"] is None]
    update_rows(conn, "node", [{"id": rid, "retired_at": stamp["updated_at"], **stamp} for rid in retired])
    # A kept node whose number the text now gives another commitment takes a number of its own, so
    # references stay unique ("1.1.1" names the plan's 1.1.1; the one dropped is "1.1.1-removed").
    taken = {n.ref for n in flatten(draft.areas)}
    renamed = []
    for rid in (r for r in changes.gone if r in kept):
        ref = stored_nodes[rid]["ref"]
        if ref in taken:
            ref = removed_ref(ref, taken)
            renamed.append({"id": rid, "ref": ref, **stamp})
        taken.add(ref)
    update_rows(conn, "node", renamed)
    deleted = [rid for rid in changes.gone if rid not in kept]
    update_rows(conn, "node", [{"id": rid, "deleted_at": stamp["updated_at"], **stamp} for rid in deleted])
    return ImportReport(
        plan_id=pid,
        added=len(changes.new_nodes),
        updated=len(changes.changed_nodes),
        unchanged=changes.unchanged,
        removed=len(changes.gone),
        kept_removed=len(kept),
        renumbered=len(changes.renumbered),
        unplaced=tuple(draft.unplaced),
    )


def removed_ref(ref: str, taken: set[str]) -> str:
    """A reference for a node a revision dropped whose number went to another: "1.1.1-removed" (then -2...)."""
    base = ref.split("-removed", 1)[0]
    candidate, n = f"{base}-removed", 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-removed-{n}"
    return candidate


def _with_things_hanging(conn: sqlite3.Connection, gone: Sequence[str]) -> set[str]:
    """Of the nodes in `gone`, those with live notes, citations or agenda entries,
    and the nodes above them (a kept node keeps its parent visible)."""
    if not gone:
        return set()
    marks = ", ".join("?" * len(gone))
    hanging = {
        r[0]
        for table in ("note", "source_link", "agenda_item")
        for r in conn.execute(
            f"SELECT DISTINCT node_id FROM {table} WHERE deleted_at IS NULL AND node_id IN ({marks})", tuple(gone)
        )
    }
    parents = dict(conn.execute(f"SELECT id, parent_id FROM node WHERE id IN ({marks})", tuple(gone)).fetchall())
    kept: set[str] = set()
    for node_id in hanging:
        while node_id in parents and node_id not in kept:
            kept.add(node_id)
            node_id = parents[node_id]
    return kept
