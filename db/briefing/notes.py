"""The facade's notes: reading, writing, ordering and restoring the notes on a node."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from db.briefing.access import Access
from db.disk.connections import chunks, insert_row, select_list, update_row
from db.model import ids, rules
from db.model.errors import NotFound
from db.model.values import NOTE_KINDS, NoteInfo

_NOTE_COLS = select_list(NoteInfo)
_NOTE_COLS_N = select_list(NoteInfo, "nt")


class Notes(Access):
    """Notes: talking points, lines to take, background… kept on a node."""

    def notes(self, node_id: str) -> list[NoteInfo]:
        """The node's notes, grouped by kind in briefing order, then by position."""
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_NOTE_COLS} FROM note WHERE node_id = ? AND deleted_at IS NULL", (node_id,)
            ).fetchall()
        return sorted((NoteInfo(*r) for r in rows), key=_note_order)

    def notes_for(self, node_ids: Sequence[str]) -> dict[str, list[NoteInfo]]:
        """Notes of many nodes at once (exports)."""
        out: dict[str, list[NoteInfo]] = defaultdict(list)
        with self._read() as conn:
            for chunk, marks in chunks(node_ids):
                for r in conn.execute(
                    f"SELECT {_NOTE_COLS} FROM note WHERE node_id IN ({marks}) AND deleted_at IS NULL", chunk
                ):
                    note = NoteInfo(*r)
                    out[note.node_id].append(note)
        for notes in out.values():
            notes.sort(key=_note_order)
        return dict(out)

    def notes_since(self, since: str, plan_id: str | None = None) -> list[NoteInfo]:
        if plan_id is None:
            sql = f"SELECT {_NOTE_COLS} FROM note WHERE created_at >= ? AND deleted_at IS NULL ORDER BY created_at"
            params: tuple[str, ...] = (since,)
        else:
            sql = (
                f"SELECT {_NOTE_COLS_N} FROM note nt JOIN node n ON n.id = nt.node_id "
                "WHERE nt.created_at >= ? AND nt.deleted_at IS NULL AND n.plan_id = ? ORDER BY nt.created_at"
            )
            params = (since, plan_id)
        with self._read() as conn:
            return [NoteInfo(*r) for r in conn.execute(sql, params)]

    def note(self, note_id: str) -> NoteInfo:
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {_NOTE_COLS} FROM note WHERE id = ? AND deleted_at IS NULL", (note_id,)
            ).fetchone()
        if row is None:
            raise NotFound(f"There is no note {note_id!r} in this file.")
        return NoteInfo(*row)

    def add_note(
        self, node_id: str, kind: str, body: str, author: str | None = None, row_id: str | None = None,
        response: str = "", key: bool = False,
    ) -> NoteInfo:
        """Add a note (`row_id`: a derived id for shipped data; new notes get a random one).
        `response`: an "if raised" note's answer to the ask its body holds; `key`: a key message."""
        rules.check_note_kind(kind)
        rules.check_response(kind, response)
        self.node(node_id)
        stamp = self._stamp()
        note_id = row_id or ids.new_id()
        with self._write() as conn:
            insert_row(
                conn,
                "note",
                {
                    "id": note_id,
                    "node_id": node_id,
                    "kind": kind,
                    "body": body,
                    "author": (author or self.user).strip(),
                    "position": _next_note_position(conn, node_id, kind),
                    "created_at": stamp["updated_at"],
                    "conflict_of": None,
                    "response": response,
                    "is_key": int(key),
                    "deleted_at": None,
                    **stamp,
                },
            )
        return self.note(note_id)

    def edit_note(
        self, note_id: str, body: str | None = None, kind: str | None = None, author: str | None = None,
        response: str | None = None, key: bool | None = None,
    ) -> NoteInfo:
        old = self.note(note_id)
        values: dict[str, Any] = {}
        if body is not None and body != old.body:
            values["body"] = body
        if kind is not None and kind != old.kind:
            rules.check_note_kind(kind)
            values["kind"] = kind
        if author is not None and author.strip() != old.author:
            values["author"] = author.strip()
        if response is not None and response != old.response:
            rules.check_response(kind or old.kind, response)
            values["response"] = response
        if key is not None and int(key) != old.is_key:
            values["is_key"] = int(key)
        if not values:
            return old
        with self._write() as conn:
            if "kind" in values:  # a note moved to another kind goes to its end
                values["position"] = _next_note_position(conn, old.node_id, values["kind"])
            update_row(conn, "note", note_id, {**values, **self._stamp()})
        return self.note(note_id)

    def set_note_key(self, note_id: str, key: bool) -> NoteInfo:
        """Mark the note as a key message (the pack's steering page lists it), or not."""
        return self.edit_note(note_id, key=key)

    def delete_note(self, note_id: str) -> None:
        self.note(note_id)
        stamp = self._stamp()
        with self._write() as conn:
            update_row(conn, "note", note_id, {"deleted_at": stamp["updated_at"], **stamp})

    def restore_note(self, note_id: str) -> NoteInfo:
        """Undo a deletion."""
        with self._write() as conn:
            row = conn.execute("SELECT body FROM note WHERE id = ?", (note_id,)).fetchone()
            if row is None:
                raise NotFound(f"There is no note {note_id!r} in this file.")
            update_row(conn, "note", note_id, {"deleted_at": None, **self._stamp()})
        return self.note(note_id)

    def move_note(self, note_id: str, index: int) -> None:
        """Put the note at `index` among the notes of its node and kind."""
        note = self.note(note_id)
        siblings = [n for n in self.notes(note.node_id) if n.kind == note.kind]
        order = [n.id for n in siblings if n.id != note_id]
        index = max(0, min(index, len(order)))
        order.insert(index, note_id)
        stamp = self._stamp()
        with self._write() as conn:
            for position, (nid, old) in enumerate(zip(order, [n for n in _reorder(siblings, order)])):
                if old.position != position:
                    update_row(conn, "note", nid, {"position": position, **stamp})


def _next_note_position(conn: sqlite3.Connection, node_id: str, kind: str) -> int:
    row = conn.execute(
        "SELECT coalesce(max(position) + 1, 0) FROM note WHERE node_id = ? AND kind = ?", (node_id, kind)
    ).fetchone()
    return int(row[0])


def _reorder(items: list[NoteInfo], order: list[str]) -> list[NoteInfo]:
    by_id = {n.id: n for n in items}
    return [by_id[i] for i in order]


def _note_order(n: NoteInfo) -> tuple[int, int, str]:
    kind_rank = NOTE_KINDS.index(n.kind) if n.kind in NOTE_KINDS else len(NOTE_KINDS)
    return (kind_rank, n.position, n.created_at)
