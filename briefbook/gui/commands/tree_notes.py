"""Undoable edits of the plan tree, statuses and notes (GUI-B keeps the sources'
and meetings' commands in its own module).

Every command calls the facade (which commits at once) and then tells the
context what changed, so every panel refreshes. `push(context, command, parent)`
does the first change *before* the command goes on the stack: a refusal (a
read-only file, a missing comment) shows its sentence and leaves nothing on
the stack to undo.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from briefbook.gui.context import AppContext
from db.briefing import Briefing
from db.errors import BriefbookError
from db.values import NOTE_KIND_LABELS, STATUS_LABELS, NoteInfo


class FacadeCommand(QUndoCommand):
    """A command whose first `redo` has already happened in `push`."""

    def __init__(self, context: AppContext, text: str) -> None:
        super().__init__(text)
        self.context = context
        self._done_once = False

    @property
    def briefing(self) -> Briefing:
        assert self.context.briefing is not None
        return self.context.briefing

    # Subclasses implement these two; they may raise BriefbookError.
    def do(self) -> None:
        raise NotImplementedError

    def undo_it(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if not self._done_once:
            self._done_once = True  # push() already did it
            return
        self._guarded(self.do)

    def undo(self) -> None:
        self._guarded(self.undo_it)

    def _guarded(self, step) -> None:  # type: ignore[no-untyped-def]
        try:
            step()
        except BriefbookError as exc:
            # The file changed under us (e.g. a merge): say so, drop the command.
            from briefbook.gui.messages import show_error

            self.setObsolete(True)
            show_error(None, self.text(), str(exc))


def push(context: AppContext, command: FacadeCommand, parent: QWidget | None) -> bool:
    """Do the command's change; on success put it on the undo stack. False if refused."""
    if context.briefing is None:
        return False
    try:
        command.do()
    except BriefbookError as exc:
        from briefbook.gui.messages import show_error

        show_error(parent, command.text(), str(exc))
        return False
    context.undo_stack.push(command)
    return True


# -- status and lead office ---------------------------------------------------------


class SetStatusCommand(FacadeCommand):
    def __init__(self, context: AppContext, node_id: str, ref: str, old: str, new: str, comment: str) -> None:
        super().__init__(context, f"Set {ref} to “{STATUS_LABELS.get(new, new)}”")
        self.node_id, self.old, self.new, self.comment = node_id, old, new, comment

    def do(self) -> None:
        self.briefing.set_status(self.node_id, self.new, self.comment)
        self.context.changed("status", self.node_id)

    def undo_it(self) -> None:
        # The history keeps every change, so undoing records a change back.
        label = STATUS_LABELS.get(self.new, self.new)
        self.briefing.set_status(self.node_id, self.old, f"Undo of the change to “{label}”.")
        self.context.changed("status", self.node_id)


class SetLeadOfficeCommand(FacadeCommand):
    def __init__(self, context: AppContext, node_id: str, ref: str, old: str, new: str) -> None:
        super().__init__(context, f"Change the lead office of {ref}")
        self.node_id, self.old, self.new = node_id, old, new

    def do(self) -> None:
        self.briefing.set_lead_office(self.node_id, self.new)
        self.context.changed("node", self.node_id)

    def undo_it(self) -> None:
        self.briefing.set_lead_office(self.node_id, self.old)
        self.context.changed("node", self.node_id)


# -- notes ----------------------------------------------------------------------------


class AddNoteCommand(FacadeCommand):
    def __init__(self, context: AppContext, node_id: str, kind: str, body: str, author: str) -> None:
        super().__init__(context, f"Add a {NOTE_KIND_LABELS.get(kind, kind).lower()} note")
        self.node_id, self.kind, self.body, self.author = node_id, kind, body, author
        self.note_id: str | None = None

    def do(self) -> None:
        if self.note_id is None:
            self.note_id = self.briefing.add_note(self.node_id, self.kind, self.body, author=self.author).id
        else:
            self.briefing.restore_note(self.note_id)
        self.context.changed("note", self.note_id)

    def undo_it(self) -> None:
        assert self.note_id is not None
        self.briefing.delete_note(self.note_id)
        self.context.changed("note", self.note_id)


class EditNoteCommand(FacadeCommand):
    def __init__(self, context: AppContext, old: NoteInfo, kind: str, body: str) -> None:
        super().__init__(context, "Edit a note")
        self.old = old
        self.kind, self.body = kind, body
        self.old_index: int | None = None

    def do(self) -> None:
        if self.kind != self.old.kind:
            self.old_index = _index_in_kind(self.briefing, self.old)
        self.briefing.edit_note(self.old.id, body=self.body, kind=self.kind)
        self.context.changed("note", self.old.id)

    def undo_it(self) -> None:
        self.briefing.edit_note(self.old.id, body=self.old.body, kind=self.old.kind)
        if self.old_index is not None:  # back to where it was in its old kind
            self.briefing.move_note(self.old.id, self.old_index)
        self.context.changed("note", self.old.id)


class DeleteNoteCommand(FacadeCommand):
    def __init__(self, context: AppContext, note: NoteInfo) -> None:
        super().__init__(context, f"Delete a {NOTE_KIND_LABELS.get(note.kind, note.kind).lower()} note")
        self.note = note
        self.index = 0

    def do(self) -> None:
        self.index = _index_in_kind(self.briefing, self.note)
        self.briefing.delete_note(self.note.id)
        self.context.changed("note", self.note.id)

    def undo_it(self) -> None:
        self.briefing.restore_note(self.note.id)
        self.briefing.move_note(self.note.id, self.index)
        self.context.changed("note", self.note.id)


class MoveNoteCommand(FacadeCommand):
    def __init__(self, context: AppContext, note: NoteInfo, old_index: int, new_index: int) -> None:
        super().__init__(context, "Move a note " + ("up" if new_index < old_index else "down"))
        self.note_id, self.old_index, self.new_index = note.id, old_index, new_index

    def do(self) -> None:
        self.briefing.move_note(self.note_id, self.new_index)
        self.context.changed("note", self.note_id)

    def undo_it(self) -> None:
        self.briefing.move_note(self.note_id, self.old_index)
        self.context.changed("note", self.note_id)


def _index_in_kind(briefing: Briefing, note: NoteInfo) -> int:
    siblings = [n.id for n in briefing.notes(note.node_id) if n.kind == note.kind]
    return siblings.index(note.id) if note.id in siblings else len(siblings)
