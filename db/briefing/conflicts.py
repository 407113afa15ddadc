"""The facade's conflicts: what merges set aside, to look at and to restore or dismiss.

Two kinds, one list: a value of a field both copies changed (a `merge_conflict`
row: the other meeting purpose, the other source excerpt…), and a note both
copies rewrote (the other text, kept as a note of its own with `conflict_of`).
Restoring puts the set-aside value back in place (an ordinary edit; the
window can undo it, `reopen_set_aside`); dismissing drops it. Both are
tombstones, so they travel to the other copies like any change.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any, NamedTuple

from db.briefing.access import Access
from db.disk.connections import update_row
from db.model.errors import InvalidInput, NotFound

# The merge's modules load when conflicts are listed or restored, not with every file.


class SetAside(NamedTuple):
    """One version a merge set aside, in words the user reads."""

    id: str
    #: "field" (a merge_conflict row) or "note" (a conflicting copy of a note)
    kind: str
    table: str
    row_id: str
    field: str
    what: str
    ref: str
    value: str
    kept: str
    other_by: str
    other_at: str


class SetAsideDetails(NamedTuple):
    """What a person choosing between the two versions needs besides the texts: who
    wrote the version in place and when, and where the row is."""

    kept_by: str
    kept_at: str
    #: The value in place now, as text (it may have changed since the merge set the other aside).
    kept_now: str
    #: "Japan-Italy Action Plan (2024-2027) › 3.2.1 Strengthen cooperation…", "the meeting
    #: “Tokyo summit” (2025-03-02)", …; "" when the row is gone.
    place: str


class Conflicts(Access):
    def set_aside(self) -> list[SetAside]:
        """Everything merges set aside and nobody has restored or dismissed yet."""
        from db.sharing.words import describe

        out: list[SetAside] = []
        with self._read() as conn:
            for cid, table, row_id, field, value, kept, by, at in conn.execute(
                "SELECT id, table_name, row_id, field, value, kept, other_by, other_at FROM merge_conflict "
                "WHERE deleted_at IS NULL ORDER BY created_at, id"
            ).fetchall():
                what, ref = describe(conn, table, row_id)
                out.append(SetAside(cid, "field", table, row_id, field, what, ref, _text(value), _text(kept), by, at))
            for nid, original, body, by, at, kept in conn.execute(
                "SELECT c.id, c.conflict_of, c.body, c.author, c.updated_at, o.body FROM note c "
                "LEFT JOIN note o ON o.id = c.conflict_of "
                "WHERE c.conflict_of IS NOT NULL AND c.deleted_at IS NULL ORDER BY c.updated_at, c.id"
            ).fetchall():
                what, ref = describe(conn, "note", original)
                out.append(SetAside(nid, "note", "note", original, "body", what, ref, body, kept or "", by, at))
        return out

    def restore_set_aside(self, conflict_id: str) -> SetAside:
        """Put the set-aside value in place (the value it replaces stays in the row's history)."""
        item = self._set_aside_item(conflict_id)
        stamp = self._stamp()
        with self._write() as conn:
            if item.kind == "note":
                update_row(conn, "note", item.row_id, {"body": item.value, **stamp})
                update_row(conn, "note", item.id, {"body": item.kept, "deleted_at": stamp["updated_at"], **stamp})
            else:
                value = json.loads(conn.execute("SELECT value FROM merge_conflict WHERE id = ?",
                                                (item.id,)).fetchone()[0])
                replaced = _put_field(conn, item.table, item.row_id, item.field, value, stamp, item.what)
                # `kept` now names the value the restore replaced, so that undoing it puts that back.
                update_row(conn, "merge_conflict", item.id,
                           {"kept": json.dumps(replaced, ensure_ascii=False), "deleted_at": stamp["updated_at"],
                            **stamp})
        return item

    def dismiss_set_aside(self, conflict_id: str) -> SetAside:
        """Drop a set-aside version: the kept one stays as it is."""
        item = self._set_aside_item(conflict_id)
        stamp = self._stamp()
        with self._write() as conn:
            table = "note" if item.kind == "note" else "merge_conflict"
            update_row(conn, table, item.id, {"deleted_at": stamp["updated_at"], **stamp})
        return item

    def reopen_set_aside(self, conflict_id: str, restored: bool) -> None:
        """Undo a restore (`restored`) or a dismissal: the version is set aside again and,
        after a restore, the value it replaced is back in place."""
        stamp = self._stamp()
        with self._write() as conn:
            note = conn.execute("SELECT conflict_of, body FROM note WHERE id = ? AND conflict_of IS NOT NULL",
                                (conflict_id,)).fetchone()
            if note is not None:
                original, body = note
                if restored:  # the restore put this copy's text in the note and kept the note's text here
                    current = conn.execute("SELECT body FROM note WHERE id = ?", (original,)).fetchone()
                    if current is None:
                        raise NotFound("The note that version belongs to is no longer in the file.")
                    update_row(conn, "note", original, {"body": body, **stamp})
                    update_row(conn, "note", conflict_id, {"body": current[0], "deleted_at": None, **stamp})
                else:
                    update_row(conn, "note", conflict_id, {"deleted_at": None, **stamp})
                return
            row = conn.execute("SELECT table_name, row_id, field, kept FROM merge_conflict WHERE id = ?",
                               (conflict_id,)).fetchone()
            if row is None:
                raise NotFound(f"There is no set-aside version {conflict_id!r} in this file.")
            table, row_id, field, kept = row
            if restored:
                _put_field(conn, table, row_id, field, json.loads(kept), stamp, "the row that version belongs to")
            update_row(conn, "merge_conflict", conflict_id, {"deleted_at": None, **stamp})

    def set_aside_details(self, item: SetAside) -> SetAsideDetails:
        """Who wrote the kept version of `item` and when (the set-aside one's are in
        `item.other_by`, `item.other_at`), and where in the plan it is."""
        with self._read() as conn:
            return _details(conn, item)

    def _set_aside_item(self, conflict_id: str) -> SetAside:
        found = [c for c in self.set_aside() if c.id == conflict_id]
        if not found:
            raise NotFound(f"There is no set-aside version {conflict_id!r} in this file (it may be restored or "
                           "dismissed already).")
        return found[0]


def _put_field(conn: sqlite3.Connection, table: str, row_id: str, field: str, value: object,
               stamp: dict[str, Any], what: str) -> object:
    """Write `value` into a field merges may set aside; returns the value it replaced."""
    from db.sharing.set_aside import SET_ASIDE_FIELDS

    if field not in SET_ASIDE_FIELDS.get(table, ()):
        raise InvalidInput(f"A set-aside value of {table}.{field} cannot be put in place.")
    row = conn.execute(f"SELECT {field} FROM {table} WHERE id = ? AND deleted_at IS NULL", (row_id,)).fetchone()
    if row is None:
        raise NotFound(f"{what[:1].upper()}{what[1:]} is no longer in the file.")
    update_row(conn, table, row_id, {field: value, **stamp})
    return row[0]


def _text(value: str) -> str:
    """A set-aside value (JSON) as the text a person reads."""
    from db.sharing.words import short

    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    return decoded if isinstance(decoded, str) else ("" if decoded is None else short(decoded))


#: The tables a set-aside version can belong to (a name read from a file is checked against these).
_ROW_TABLES = frozenset({"note", "plan", "node", "source", "source_link", "attachment", "meeting", "agenda_item"})


def _details(conn: sqlite3.Connection, item: SetAside) -> SetAsideDetails:
    from db.sharing.set_aside import SET_ASIDE_FIELDS
    from db.sharing.words import quoted

    table = item.table if item.table in _ROW_TABLES else ""
    if not table:
        return SetAsideDetails("", "", item.kept, "")
    # A note's kept text is its author's; any other field was last written by the row's last writer.
    who = "author" if table == "note" else "updated_by"
    field = "body" if table == "note" else item.field if item.field in SET_ASIDE_FIELDS.get(table, ()) else ""
    row = conn.execute(f"SELECT {who}, updated_at{', ' + field if field else ''} FROM {table} WHERE id = ?",
                       (item.row_id,)).fetchone()
    kept_by, kept_at = (row[0] or "", row[1] or "") if row else ("", "")
    kept_now = item.kept
    if row is not None and field:
        kept_now = row[2] if isinstance(row[2], str) else ("" if row[2] is None else str(row[2]))
    one = lambda sql: conn.execute(sql, (item.row_id,)).fetchone()  # noqa: E731
    place = ""
    if table == "note":
        r = one("SELECT node_id FROM note WHERE id = ?")
        place = _node_place(conn, r[0]) if r else ""
    elif table == "node":
        place = _node_place(conn, item.row_id)
    elif table == "plan":
        r = one("SELECT title FROM plan WHERE id = ?")
        place = f"the plan {quoted(r[0])}" if r else ""
    elif table == "source_link":
        r = one("SELECT l.node_id, s.title FROM source_link l LEFT JOIN source s ON s.id = l.source_id WHERE l.id = ?")
        place = f"{_node_place(conn, r[0])} · the citation of {quoted(r[1])}" if r else ""
    elif table in ("source", "attachment"):
        r = one("SELECT title, id FROM source WHERE id = ?" if table == "source" else
                "SELECT s.title, s.id FROM attachment a JOIN source s ON s.id = a.source_id WHERE a.id = ?")
        if r:
            refs = [x[0] for x in conn.execute(
                "SELECT DISTINCT nd.ref FROM source_link l JOIN node nd ON nd.id = l.node_id "
                "WHERE l.source_id = ? AND l.deleted_at IS NULL ORDER BY nd.ref LIMIT 6", (r[1],))]
            cited = f", cited on {', '.join(refs[:5])}{'…' if len(refs) > 5 else ''}" if refs else ""
            place = f"the source {quoted(r[0])}{cited}"
    elif table in ("meeting", "agenda_item"):
        r = one("SELECT title, date FROM meeting WHERE id = ?" if table == "meeting" else
                "SELECT m.title, m.date, a.node_id FROM agenda_item a JOIN meeting m ON m.id = a.meeting_id "
                "WHERE a.id = ?")
        if r:
            place = f"the meeting {quoted(r[0])}" + (f" ({r[1]})" if r[1] else "")
            if table == "agenda_item":
                place += f" › agenda entry {_node_place(conn, r[2], with_plan=False)}"
    return SetAsideDetails(kept_by, kept_at, kept_now, place)


def _node_place(conn: sqlite3.Connection, node_id: str | None, with_plan: bool = True) -> str:
    """"Plan title › 3.2.1 Node title" for a node (its title shortened)."""
    from db.sharing.words import short

    r = conn.execute("SELECT n.ref, n.title, p.title FROM node n LEFT JOIN plan p ON p.id = n.plan_id "
                     "WHERE n.id = ?", (node_id,)).fetchone()
    if r is None:
        return ""
    node = f"{r[0]} {short(r[1])}".strip()
    return f"{r[2]} › {node}" if with_plan and r[2] else node
