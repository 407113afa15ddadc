"""Deciding, row by row, what a merge writes (the rules as a whole are in db/sharing/merge.py).

Everything here reads the two attached files and gathers a `MergePlan`;
nothing is written until the plan is complete.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from db.disk.connections import chunks
from db.model import ids
from db.sharing.report import KindReport
from db.sharing.set_aside import QUIET_FIELDS, SET_ASIDE_FIELDS
from db.sharing.three_way import FieldClash, FieldGroup, is_newer, merge_row

#: Fields merged as one unit: a status with when and by whom it was set.
FIELD_GROUPS: dict[str, list[FieldGroup]] = {
    "node": [FieldGroup(("status", "status_changed_at", "status_changed_by"), clock="status_changed_at")],
}

Row = dict[str, Any]


@dataclass(frozen=True)
class PendingCollision:
    """A collision found while planning; put in words once the rows are written."""

    kind: str
    table: str
    row_id: str
    field: str = ""
    kept: Any = None
    other: Any = None
    kept_by: str = ""
    other_by: str = ""


@dataclass
class MergePlan:
    """What the merge will write, gathered before anything is written."""

    inserts: dict[str, list[Row]] = field(default_factory=dict)
    updates: dict[str, list[Row]] = field(default_factory=dict)
    #: (row_id, updated_at, body, data): past versions to add to the history
    history: list[tuple[str, str, str | None, str]] = field(default_factory=list)
    #: ids per table whose search entries must be refreshed
    touched: dict[str, set[str]] = field(default_factory=dict)
    collisions: list[PendingCollision] = field(default_factory=list)
    #: (table, row_id) of rows this merge deletes here
    deletions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def writes(self) -> bool:
        return any(self.inserts.values()) or any(self.updates.values())

    def insert(self, table: str, row: Row) -> None:
        self.inserts.setdefault(table, []).append(row)
        self.touched.setdefault(table, set()).add(row["id"])

    def update(self, table: str, row: Row) -> None:
        self.updates.setdefault(table, []).append(row)
        self.touched.setdefault(table, set()).add(row["id"])

    def remember(self, table: str, row: Row) -> None:
        """Keep `row` as a past version, so merging its copy again is a no-op."""
        self.history.append((row["id"], row["updated_at"], row.get("body") if table == "note" else None,
                             json.dumps(row, ensure_ascii=False)))


def plan_table(conn: sqlite3.Connection, table: str, counts: KindReport, plan: MergePlan) -> None:
    """Compare one table of THEIRS with ours and add what to write to `plan`."""
    cols = [r[1] for r in conn.execute(f"PRAGMA main.table_info({table})")]
    differs = " OR ".join(f"t.{c} IS NOT o.{c}" for c in cols)
    sql = (
        f"SELECT {', '.join('t.' + c for c in cols)}, o.id IS NOT NULL, {', '.join('o.' + c for c in cols)} "
        f"FROM theirs.{table} t LEFT JOIN main.{table} o ON o.id = t.id "
        f"WHERE o.id IS NULL OR {differs}"
    )
    n = len(cols)
    pairs: list[tuple[Row, Row | None]] = []
    for row in conn.execute(sql):
        theirs = dict(zip(cols, row[:n]))
        ours = dict(zip(cols, row[n + 1 :])) if row[n] else None
        pairs.append((theirs, ours))
    both = [t["id"] for t, o in pairs if o is not None]
    ours_hist, theirs_hist = _history(conn, "main", both), _history(conn, "theirs", both)
    for theirs, ours in pairs:
        if ours is None:
            plan.insert(table, theirs)
            if theirs["deleted_at"] is None:
                counts.added += 1
            continue
        plan_row(table, ours, theirs, ours_hist.get(theirs["id"], {}), theirs_hist.get(theirs["id"], {}),
                  counts, plan)


def plan_row(
    table: str, ours: Row, theirs: Row, oh: dict[str, str | None], th: dict[str, str | None],
    counts: KindReport, plan: MergePlan,
) -> None:
    same_stamp = ours["updated_at"] == theirs["updated_at"]
    ours_behind = ours["updated_at"] in th and not same_stamp
    theirs_behind = theirs["updated_at"] in oh and not same_stamp
    if theirs_behind and not ours_behind:
        return  # only we changed it since; their history still comes in
    if ours_behind and not theirs_behind:
        _write(table, ours, theirs, counts, plan)
        return
    if all(ours[c] == theirs[c] for c in ours if c not in ("updated_at", "updated_by")):
        # The same content under two stamps: keep the later stamp, nothing to tell.
        if is_newer(theirs, ours):
            plan.update(table, theirs)
        else:
            plan.remember(table, theirs)
        return
    outcome = merge_row(_ancestor(oh, th), ours, theirs, FIELD_GROUPS.get(table, ()))
    result = outcome.row
    for clash in outcome.clashes:
        _collide(table, ours, theirs, result, clash, counts, plan)
    if outcome.kept_edit:
        editor, deleter = (theirs, ours) if outcome.deleted_by_side == "ours" else (ours, theirs)
        plan.collisions.append(PendingCollision("edit_kept", table, ours["id"], kept_by=editor["updated_by"] or "",
                                                other_by=deleter["updated_by"] or ""))
    if result == ours:
        plan.remember(table, theirs)
        return
    if result != theirs:
        plan.remember(table, theirs)  # ours is kept by the file's own history trigger
    _write(table, ours, result, counts, plan, counted=not outcome.clashes or table != "note")


def _write(table: str, ours: Row, result: Row, counts: KindReport, plan: MergePlan, counted: bool = True) -> None:
    plan.update(table, result)
    if ours["deleted_at"] is None and result["deleted_at"] is not None:
        counts.deleted += 1
        plan.deletions.append((table, ours["id"]))
    elif counted:
        counts.updated += 1


def _collide(
    table: str, ours: Row, theirs: Row, result: Row, clash: FieldClash, counts: KindReport, plan: MergePlan
) -> None:
    """Keep the set-aside value where the user sees it, and note the collision."""
    if clash.field in QUIET_FIELDS.get(table, ()):
        return
    kept_row, other_row = (theirs, ours) if clash.other_side == "ours" else (ours, theirs)
    kept_by, other_by = kept_row["updated_by"] or "", clash.other_by
    if table == "node" and clash.field == "status":
        plan.collisions.append(PendingCollision("status", table, ours["id"], "status", clash.kept, clash.other,
                                                str(clash.kept[2] or kept_by), str(clash.other[2] or other_by)))
        return
    if table == "note" and clash.field == "body":
        if result["deleted_at"] is None:
            plan.insert("note", _conflict_copy(result, other_row, clash.other))
            counts.conflicts += 1
        plan.collisions.append(PendingCollision("note_copy", table, ours["id"], "body", clash.kept, clash.other,
                                                kept_by, other_by))
        return
    if table == "agenda_item" and clash.field == "position":
        plan.collisions.append(PendingCollision("order", table, ours["id"], kept_by=kept_by, other_by=other_by))
        return
    if clash.field in SET_ASIDE_FIELDS.get(table, ()):
        plan.insert("merge_conflict", _set_aside(table, ours, theirs, clash))
        plan.collisions.append(PendingCollision("set_aside", table, ours["id"], clash.field, clash.kept,
                                                clash.other, kept_by, other_by))
        return
    plan.collisions.append(PendingCollision("field", table, ours["id"], clash.field, clash.kept, clash.other,
                                            kept_by, other_by))


def _set_aside(table: str, ours: Row, theirs: Row, clash: FieldClash) -> Row:
    other = json.dumps(clash.other, ensure_ascii=False)
    digest = hashlib.sha256(other.encode("utf-8")).hexdigest()
    rid = uuid.uuid5(ids.NAMESPACE, f"set-aside:{table}:{ours['id']}:{clash.field}:{clash.other_at}:{digest}")
    newer = theirs if is_newer(theirs, ours) else ours
    stamp = max(ours["updated_at"], theirs["updated_at"])
    return {
        "id": str(rid), "table_name": table, "row_id": ours["id"], "field": clash.field, "value": other,
        "kept": json.dumps(clash.kept, ensure_ascii=False), "other_by": clash.other_by, "other_at": clash.other_at,
        "created_at": stamp, "updated_at": stamp, "updated_by": newer["updated_by"] or "", "deleted_at": None,
    }


def _conflict_copy(kept: Row, other: Row, body: str) -> Row:
    """The other side's text of a note both rewrote, kept as a note of its own beside it."""
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    cid = uuid.uuid5(ids.NAMESPACE, f"conflict:{other['id']}:{kept['updated_at']}:{other['updated_at']}:{digest}")
    return {
        **other,
        "id": str(cid),
        "body": body,
        "author": other["updated_by"] or other["author"],
        "conflict_of": other["id"],
        "deleted_at": None,
    }


def _ancestor(oh: dict[str, str | None], th: dict[str, str | None]) -> Row | None:
    """The last version both histories share, as a row (None: no ancestor known)."""
    shared = set(oh) & set(th)
    if not shared:
        return None
    stamp = max(shared)
    data = oh[stamp] or th[stamp]
    if not data:
        return None  # recorded before whole versions were kept (schema 2)
    try:
        row = json.loads(data)
    except ValueError:
        return None
    return row if isinstance(row, dict) else None


def _history(conn: sqlite3.Connection, schema: str, row_ids: Sequence[str]) -> dict[str, dict[str, str | None]]:
    """Per row: its past version stamps, each with the whole version (JSON) where kept."""
    out: dict[str, dict[str, str | None]] = {}
    for chunk, marks in chunks(row_ids):
        for rid, stamp, data in conn.execute(
            f"SELECT row_id, updated_at, data FROM {schema}.row_version WHERE row_id IN ({marks})", chunk
        ):
            out.setdefault(rid, {})[stamp] = data
    return out
