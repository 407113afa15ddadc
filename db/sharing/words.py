"""Putting a merge's collisions and deletions into words, read from the merged file.

Each sentence says who, what, which reference, and where the other version
is; they are built once the rows are written, so a row's description (its
reference, its title) is the one the user now sees.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from db.model.values import NOTE_KIND_LABELS, STATUS_LABELS
from db.sharing.report import SET_ASIDE_PLACE, Collision
from db.sharing.rows import PendingCollision

FIELD_LABELS = {
    "lead_office": "lead office", "points": "meeting points", "body": "text", "kind": "kind",
    "parent_id": "place in the plan", "position": "position", "published": "publication date",
    "is_key": "key-message mark", "response": "response to the ask",
}  # fmt: skip
SHOWN = 60


def short(value: Any) -> str:
    text = " ".join(str(value if value is not None else "").split())
    return text if len(text) <= SHOWN else text[: SHOWN - 1].rstrip() + "…"


def quoted(value: Any) -> str:
    return f"“{short(value)}”" if value not in (None, "") else "nothing"


def describe(conn: sqlite3.Connection, table: str, row_id: str) -> tuple[str, str]:
    """(what the row is, in words; the plan reference it belongs to, or "")."""
    one = lambda sql: conn.execute(sql, (row_id,)).fetchone()  # noqa: E731
    if table == "note":
        r = one("SELECT n.kind, n.body, nd.ref FROM main.note n LEFT JOIN main.node nd ON nd.id = n.node_id "
                "WHERE n.id = ?")
        if r:
            kind = NOTE_KIND_LABELS.get(r[0], "note").lower()
            return f"the {kind} note on {r[2] or '?'} ({quoted(r[1])})", r[2] or ""
    elif table == "node":
        r = one("SELECT ref, title, text FROM main.node WHERE id = ?")
        if r:
            return f"{r[0]} {quoted(r[1] or r[2])}", r[0]
    elif table == "source":
        r = one("SELECT title FROM main.source WHERE id = ?")
        if r:
            return f"the source {quoted(r[0])}", ""
    elif table == "source_link":
        r = one("SELECT s.title, nd.ref FROM main.source_link l LEFT JOIN main.source s ON s.id = l.source_id "
                "LEFT JOIN main.node nd ON nd.id = l.node_id WHERE l.id = ?")
        if r:
            return f"the citation of {quoted(r[0])} on {r[1] or '?'}", r[1] or ""
    elif table == "attachment":
        r = one("SELECT filename FROM main.attachment WHERE id = ?")
        if r:
            return f"the attachment {quoted(r[0])}", ""
    elif table == "meeting":
        r = one("SELECT title FROM main.meeting WHERE id = ?")
        if r:
            return f"the meeting {quoted(r[0])}", ""
    elif table == "agenda_item":
        r = one("SELECT nd.ref, m.title FROM main.agenda_item a LEFT JOIN main.node nd ON nd.id = a.node_id "
                "LEFT JOIN main.meeting m ON m.id = a.meeting_id WHERE a.id = ?")
        if r:
            return f"agenda entry {r[0] or '?'} of the meeting {quoted(r[1])}", r[0] or ""
    elif table == "plan":
        r = one("SELECT title FROM main.plan WHERE id = ?")
        if r:
            return f"the plan {quoted(r[0])}", ""
    elif table == "merge_conflict":
        return "a value set aside by an earlier merge", ""
    return f"a row of {table.replace('_', ' ')}", ""


def _who(name: str) -> str:
    return name or "someone"


def sentence(conn: sqlite3.Connection, c: PendingCollision) -> Collision:
    what, ref = describe(conn, c.table, c.row_id)
    a, b = _who(c.kept_by), _who(c.other_by)
    label = FIELD_LABELS.get(c.field, c.field.replace("_", " "))
    if c.kind == "edit_kept":
        text = f"Kept {a}'s edit of {what}, which {b} had deleted: it stays in the file."
    elif c.kind == "note_copy":
        text = (f"{a} and {b} both rewrote {what}: {a}'s text stays, and {b}'s text is kept beside it "
                "as a conflicting copy.")
    elif c.kind == "set_aside":
        text = (f"{a} and {b} both changed the {label} of {what}: kept {a}'s {quoted(c.kept)}; "
                f"{b}'s {quoted(c.other)} is set aside ({SET_ASIDE_PLACE}).")
    elif c.kind == "status":
        kept = STATUS_LABELS.get(c.kept[0], str(c.kept[0])) if isinstance(c.kept, tuple | list) else c.kept
        other = STATUS_LABELS.get(c.other[0], str(c.other[0])) if isinstance(c.other, tuple | list) else c.other
        text = (f"{a} and {b} both changed the status of {ref or what}: it is {kept} ({a}'s later change); "
                f"{b}'s {other} stays in the status history.")
    elif c.kind == "order":
        text = f"{a} and {b} both reordered the agenda ({what}): kept {a}'s order; no entry was lost."
    elif c.kind == "node_kept":
        text = (f"{what} is no longer in one copy's plan text, but notes, sources or agenda entries hang on it: "
                "it stays, marked as removed from the plan.")
    elif c.kind == "parent_kept":
        text = (f"{what[:1].upper()}{what[1:]} was deleted in one copy while the other changed what belongs to "
                "it: it stays.")
    elif c.kind == "duplicate":
        combine = ("combine them (Combine with… in the Sources tab, or briefbook source combine), so that the "
                   "citations of both stay" if c.table == "source" else
                   "combine them (right-click the meeting in the Meetings panel: Combine with Another Meeting…, "
                   "or briefbook meeting combine), so that the agenda points of both stay")
        text = (f"Both copies added {what} separately (the same title and outlet, address or date): both "
                f"are kept; if they are the same, {combine}.")
    else:
        text = (f"{a} and {b} both changed the {label} of {what}: kept {a}'s {short(_plain(c.kept))}; "
                f"{b} had {short(_plain(c.other))}.")
    return Collision(c.kind, c.table, c.row_id, ref, text)


def _plain(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
