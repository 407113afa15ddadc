"""The selected node's notes, grouped by kind (talking points first), each
rendered from its Markdown with author and date; add, edit, delete, reorder.

The notes are rows of a model shown by a list view that draws each as a card
(briefbook/gui/notes/model.py, delegate.py, view.py): a commitment with
10,000 notes (a sync can bring that many) shows as fast as one with ten."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from briefbook.gui import settings
from briefbook.gui.commands.base import push
from briefbook.gui.commands.notes import AddNoteCommand, DeleteNoteCommand, EditNoteCommand, MoveNoteCommand
from briefbook.gui.context import AppContext, Changed, ChangeKind
from briefbook.gui.notes import dialog as note_dialog
from briefbook.gui.notes.model import NotesModel
from briefbook.gui.notes.view import NotesView
from db.model.errors import BriefbookError
from db.model.values import NoteInfo


class NotesPanel(QWidget):
    LISTENS_TO = frozenset({ChangeKind.NOTE, ChangeKind.PLAN})

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.node_id = ""
        self.ref = ""
        self.notes: list[NoteInfo] = []
        self._refusal = ""
        self.setAccessibleName("Notes")

        self.add_button = QPushButton("&Add note…")
        self.add_button.setAccessibleName("Add a note")
        self.add_button.clicked.connect(self.add_note)
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # quotes the reference from the file
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.add_button)

        self.model = NotesModel(self)
        self.view = NotesView()
        self.view.setModel(self.model)
        self.view.editRequested.connect(self.edit_note)
        self.view.deleteRequested.connect(self.delete_note)
        self.view.moveRequested.connect(self.move_note)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setObjectName("emptyState")
        self.message.setMargin(12)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.message)
        self.pages.addWidget(self.view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.pages, 1)

        context.nodeSelected.connect(self.show_node)
        # Another file, or the same one reloaded (a merge, a sync): show what the tree selects
        # in it; the tree may have restored its selection before this runs.
        context.fileChanged.connect(lambda: self.show_node(context.current_node_id))
        context.notified.connect(self._on_changed)
        self.show_node("")

    # -- showing -----------------------------------------------------------------------

    def show_node(self, node_id: str) -> None:
        same = node_id == self.node_id and bool(node_id)
        self.node_id = node_id
        briefing = self.context.briefing
        self.notes = []
        self._refusal = ""
        if node_id and briefing is not None:
            try:
                self.ref = briefing.node(node_id).ref
                self.notes = briefing.notes(node_id)
            except BriefbookError as exc:
                self.node_id = ""
                self._refusal = str(exc)  # e.g. text another program wrote that is not UTF-8: say so
        self._rebuild(keep_place=same)

    def _rebuild(self, keep_place: bool) -> None:
        """Show `self.notes`; `keep_place`: the same node again, so the scroll position
        and the selected note stay where they were."""
        scroll = self.view.verticalScrollBar().value() if keep_place else 0
        current = self.view.current_note() if keep_place else None
        briefing = self.context.briefing
        editable = briefing is not None and not briefing.read_only and bool(self.node_id)
        self.add_button.setEnabled(editable)
        if keep_place:
            self.view.delegate.keep_only(self.notes)  # the notes that did not change keep their heights
        else:
            self.view.delegate.forget()  # another node's notes: their renderings are no use now
        self.model.set_notes(self.notes, editable)
        if not self.node_id:
            self.summary.setText("")
            self._show_message(self._refusal or "Select a commitment to read and write its notes.")
        elif not self.notes:
            self.summary.setText(f"No notes on {self.ref}")
            self._show_message(
                f"No notes on {self.ref} yet. Add talking points, lines to take, background, updates, "
                "risks or questions with “Add note…”."
            )
        else:
            n = len(self.notes)
            self.summary.setText(f"{n} note{'s' if n != 1 else ''} on {self.ref}")
            self.pages.setCurrentWidget(self.view)
            if keep_place:
                self.view.relayout_now()  # the heights are known: the rows are where they were
                if current is not None:
                    self.view.setCurrentIndex(self.model.index(self.model.row_of(current.id), 0))
                self.view.verticalScrollBar().setValue(scroll)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.pages.setCurrentWidget(self.message)

    def _on_changed(self, change: Changed) -> None:
        if not self.node_id or not change.concerns(self.LISTENS_TO):
            return
        if change.kind is ChangeKind.NOTE and change.ident:
            note = change.value if isinstance(change.value, NoteInfo) else None
            if note is not None:
                if note.node_id != self.node_id:
                    return
                old = self.model.note_at(self.model.index(self.model.row_of(note.id), 0))
                if self.model.replace_note(note):
                    # Edited in place (same kind, same position): show the returned row, no re-read.
                    self.notes = [note if n.id == note.id else n for n in self.notes]
                    if old is not None and old != note:
                        self.view.delegate.keep_only(self.notes)
                    return
            elif self.model.row_of(change.ident) < 0 and not self._note_is_here(change.ident):
                return
        self.show_node(self.node_id)

    def _note_is_here(self, note_id: str) -> bool:
        briefing = self.context.briefing
        if briefing is None:
            return False
        try:
            return briefing.note(note_id).node_id == self.node_id
        except BriefbookError:
            return True  # deleted: it may have been one of ours

    # -- editing -----------------------------------------------------------------------

    def _note(self, note_id: str) -> NoteInfo | None:
        return next((n for n in self.notes if n.id == note_id), None)

    def add_note(self) -> None:
        if not self.node_id or self.context.briefing is None:
            return
        author = settings.author()
        answer = note_dialog.ask_note(self, f"New note on {self.ref}", author=author)
        if answer is None:
            return
        a = note_dialog.NoteAnswer(*answer)
        push(self.context, AddNoteCommand(self.context, self.node_id, a.kind, a.text, author, a.response, a.key), self)

    def edit_note(self, note_id: str) -> None:
        note = self._note(note_id)
        if note is None:
            return
        answer = note_dialog.ask_note(self, f"Edit note on {self.ref}", note.kind, note.body, note.author,
                                      note.response, bool(note.is_key))
        if answer is None:
            return
        a = note_dialog.NoteAnswer(*answer)
        if (a.kind, a.text, a.response, a.key) == (note.kind, note.body, note.response, bool(note.is_key)):
            return
        push(self.context, EditNoteCommand(self.context, note, a.kind, a.text, a.response, a.key), self)

    def delete_note(self, note_id: str) -> None:
        note = self._note(note_id)
        if note is not None:
            push(self.context, DeleteNoteCommand(self.context, note), self)

    def move_note(self, note_id: str, step: int) -> None:
        note = self._note(note_id)
        if note is None:
            return
        group = [n.id for n in self.notes if n.kind == note.kind]
        old = group.index(note_id)
        new = max(0, min(len(group) - 1, old + step))
        if new != old:
            push(self.context, MoveNoteCommand(self.context, note, old, new), self)
            self.view.select_note(note_id)  # the selection follows the note that moved
