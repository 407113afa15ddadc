"""Undo commands for notes: add, edit, delete, move within their kind."""

from __future__ import annotations

from briefbook.gui.commands.base import FacadeCommand
from briefbook.gui.context import AppContext, ChangeKind
from db.briefing.facade import Briefing
from db.model.values import NOTE_KIND_LABELS, NoteInfo


class AddNoteCommand(FacadeCommand):
    def __init__(self, context: AppContext, node_id: str, kind: str, body: str, author: str, response: str = "",
                 key: bool = False) -> None:
        super().__init__(context, f"Add a {NOTE_KIND_LABELS.get(kind, kind).lower()} note")
        self.node_id, self.kind, self.body, self.author = node_id, kind, body, author
        self.response, self.key = response, key
        self.note_id: str | None = None

    def do(self) -> None:
        if self.note_id is None:
            note = self.briefing.add_note(self.node_id, self.kind, self.body, author=self.author,
                                          response=self.response, key=self.key)
            self.note_id = note.id
        else:
            note = self.briefing.restore_note(self.note_id)
        self.announce(ChangeKind.NOTE, note.id, note)

    def undo_it(self) -> None:
        assert self.note_id is not None
        self.briefing.delete_note(self.note_id)
        self.announce(ChangeKind.NOTE, self.note_id)


class EditNoteCommand(FacadeCommand):
    def __init__(self, context: AppContext, old: NoteInfo, kind: str, body: str, response: str | None = None,
                 key: bool | None = None) -> None:
        super().__init__(context, "Edit a note")
        self.old = old
        self.kind, self.body = kind, body
        self.response = old.response if response is None else response
        self.key = bool(old.is_key) if key is None else key
        self.old_index: int | None = None

    def do(self) -> None:
        if self.kind != self.old.kind:
            self.old_index = _index_in_kind(self.briefing, self.old)
        note = self.briefing.edit_note(self.old.id, body=self.body, kind=self.kind, response=self.response,
                                       key=self.key)
        self.announce(ChangeKind.NOTE, note.id, note)

    def undo_it(self) -> None:
        old = self.old
        note = self.briefing.edit_note(old.id, body=old.body, kind=old.kind, response=old.response,
                                       key=bool(old.is_key))
        if self.old_index is not None:  # back to where it was in its old kind
            self.briefing.move_note(self.old.id, self.old_index)
            self.announce(ChangeKind.NOTE, note.id)  # moved: its position is not the one returned
        else:
            self.announce(ChangeKind.NOTE, note.id, note)


class DeleteNoteCommand(FacadeCommand):
    def __init__(self, context: AppContext, note: NoteInfo) -> None:
        super().__init__(context, f"Delete a {NOTE_KIND_LABELS.get(note.kind, note.kind).lower()} note")
        self.note = note
        self.index = 0

    def do(self) -> None:
        self.index = _index_in_kind(self.briefing, self.note)
        self.briefing.delete_note(self.note.id)
        self.announce(ChangeKind.NOTE, self.note.id)

    def undo_it(self) -> None:
        self.briefing.restore_note(self.note.id)
        self.briefing.move_note(self.note.id, self.index)
        self.announce(ChangeKind.NOTE, self.note.id)


class MoveNoteCommand(FacadeCommand):
    def __init__(self, context: AppContext, note: NoteInfo, old_index: int, new_index: int) -> None:
        super().__init__(context, "Move a note " + ("up" if new_index < old_index else "down"))
        self.note_id, self.old_index, self.new_index = note.id, old_index, new_index

    def do(self) -> None:
        self.briefing.move_note(self.note_id, self.new_index)
        self.announce(ChangeKind.NOTE, self.note_id)

    def undo_it(self) -> None:
        self.briefing.move_note(self.note_id, self.old_index)
        self.announce(ChangeKind.NOTE, self.note_id)


def _index_in_kind(briefing: Briefing, note: NoteInfo) -> int:
    siblings = [n.id for n in briefing.notes(note.node_id) if n.kind == note.kind]
    return siblings.index(note.id) if note.id in siblings else len(siblings)
