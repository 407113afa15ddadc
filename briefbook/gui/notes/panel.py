"""The selected node's notes, grouped by kind (talking points first), each
rendered from its Markdown with author and date; add, edit, delete, reorder."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from briefbook.gui import settings
from briefbook.gui.commands.base import push
from briefbook.gui.commands.notes import AddNoteCommand, DeleteNoteCommand, EditNoteCommand, MoveNoteCommand
from briefbook.gui.context import AppContext, Changed, ChangeKind
from briefbook.gui.notes import dialog as note_dialog
from briefbook.gui.notes.markdown_view import markdown_to_html
from briefbook.gui.widgets.formatting import local_time
from db.model.errors import BriefbookError
from db.model.values import NOTE_KIND_LABELS, NOTE_KINDS, NoteInfo

KIND_HEADINGS = {
    "talking_point": "Talking points",
    "line_to_take": "Lines to take",
    "background": "Background",
    "update": "Updates",
    "risk": "Risks",
    "question": "Questions",
}


class NoteCard(QFrame):
    """One note: a header (author, date, buttons) above the rendered text."""

    editRequested = Signal(str)
    deleteRequested = Signal(str)
    moveRequested = Signal(str, int)

    def __init__(self, note: NoteInfo, first: bool, last: bool, editable: bool) -> None:
        super().__init__()
        self.note = note
        self.setObjectName("noteCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"{NOTE_KIND_LABELS.get(note.kind, note.kind)} note by {note.author}")
        when = local_time(note.updated_at if note.updated_at != note.created_at else note.created_at)
        meta = f"{escape(note.author)} · {when}"
        if note.updated_at != note.created_at:
            meta += " (edited)"
        if note.conflict_of:
            meta += " · <b>kept from a colleague's copy (both versions are here)</b>"
        header = QLabel(meta)
        header.setTextFormat(Qt.TextFormat.RichText)  # the author is escaped above
        header.setObjectName("noteMeta")
        header.setWordWrap(True)  # a narrow pane wraps the byline instead of clipping the card
        self.body = QLabel(markdown_to_html(note.body))
        self.body.setObjectName("noteBody")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setOpenExternalLinks(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.body.setAccessibleName("Note text")
        self.body.setAccessibleDescription(note.body)

        top = QHBoxLayout()
        top.addWidget(header, 1)
        self.buttons: dict[str, QToolButton] = {}
        for key, text, tip, enabled in (
            ("up", "↑", "Move up", not first),
            ("down", "↓", "Move down", not last),
            ("edit", "Edit…", "Edit this note", True),
            ("delete", "Delete", "Delete this note (Edit > Undo brings it back)", True),
        ):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.setEnabled(enabled and editable)
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            top.addWidget(button)
            self.buttons[key] = button
        self.buttons["up"].clicked.connect(lambda: self.moveRequested.emit(note.id, -1))
        self.buttons["down"].clicked.connect(lambda: self.moveRequested.emit(note.id, +1))
        self.buttons["edit"].clicked.connect(lambda: self.editRequested.emit(note.id))
        self.buttons["delete"].clicked.connect(lambda: self.deleteRequested.emit(note.id))
        self._editable = editable

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.body)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self._editable:
            self.editRequested.emit(self.note.id)
        super().mouseDoubleClickEvent(event)


class NotesPanel(QWidget):
    LISTENS_TO = frozenset({ChangeKind.NOTE, ChangeKind.PLAN})

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.node_id = ""
        self.ref = ""
        self.notes: list[NoteInfo] = []
        self.cards: dict[str, NoteCard] = {}
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

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        # Cards follow the pane's width (their text wraps): never clipped sideways.
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.content = QWidget()
        self.content_layout = QVBoxLayout(self.content)
        self.content_layout.setContentsMargins(0, 0, 4, 0)
        self.scroll_area.setWidget(self.content)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.scroll_area, 1)

        context.nodeSelected.connect(self.show_node)
        # Another file, or the same one reloaded (a merge, a sync): show what the tree selects
        # in it; the tree may have restored its selection before this runs.
        context.fileChanged.connect(lambda: self.show_node(context.current_node_id))
        context.notified.connect(self._on_changed)
        self.show_node("")

    # -- showing -----------------------------------------------------------------------

    def show_node(self, node_id: str) -> None:
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
        self._rebuild()

    def _rebuild(self) -> None:
        scroll_pos = self.scroll_area.verticalScrollBar().value()
        while self.content_layout.count():
            item = self.content_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone from the screen now, deleted when Qt is idle
                widget.deleteLater()
        self.cards = {}
        briefing = self.context.briefing
        editable = briefing is not None and not briefing.read_only and bool(self.node_id)
        self.add_button.setEnabled(editable)
        if not self.node_id:
            self.summary.setText("")
            self._add_message(getattr(self, "_refusal", "") or "Select a commitment to read and write its notes.")
        elif not self.notes:
            self.summary.setText(f"No notes on {self.ref}")
            self._add_message(
                f"No notes on {self.ref} yet. Add talking points, lines to take, background, updates, "
                "risks or questions with “Add note…”."
            )
        else:
            self.summary.setText(f"{len(self.notes)} note{'s' if len(self.notes) != 1 else ''} on {self.ref}")
            for kind in NOTE_KINDS:
                group = [n for n in self.notes if n.kind == kind]
                if not group:
                    continue
                heading = QLabel(KIND_HEADINGS[kind])
                heading.setObjectName("noteKindHeading")
                font = heading.font()
                font.setBold(True)
                heading.setFont(font)
                self.content_layout.addWidget(heading)
                for i, note in enumerate(group):
                    card = NoteCard(note, i == 0, i == len(group) - 1, editable)
                    card.editRequested.connect(self.edit_note)
                    card.deleteRequested.connect(self.delete_note)
                    card.moveRequested.connect(self.move_note)
                    self.content_layout.addWidget(card)
                    self.cards[note.id] = card
        self.content_layout.addStretch(1)
        self.scroll_area.verticalScrollBar().setValue(scroll_pos)

    def _add_message(self, text: str) -> None:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setObjectName("emptyState")
        label.setMargin(12)
        self.content_layout.addWidget(label)

    def _on_changed(self, change: Changed) -> None:
        if not self.node_id or not change.concerns(self.LISTENS_TO):
            return
        if change.kind is ChangeKind.NOTE and change.ident:
            note = change.value if isinstance(change.value, NoteInfo) else None
            if note is not None:
                if note.node_id != self.node_id:
                    return
                shown = self._note(note.id)
                if shown is not None and shown.kind == note.kind:
                    # Edited in place (same kind, same position): show the returned row, no re-read.
                    self.notes = [note if n.id == note.id else n for n in self.notes]
                    self._rebuild()
                    return
            elif change.ident not in self.cards and not self._note_is_here(change.ident):
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
        kind, body = answer
        push(self.context, AddNoteCommand(self.context, self.node_id, kind, body, author), self)

    def edit_note(self, note_id: str) -> None:
        note = self._note(note_id)
        if note is None:
            return
        answer = note_dialog.ask_note(self, f"Edit note on {self.ref}", note.kind, note.body, note.author)
        if answer is None or answer == (note.kind, note.body):
            return
        kind, body = answer
        push(self.context, EditNoteCommand(self.context, note, kind, body), self)

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
            card = self.cards.get(note_id)
            if card is not None:  # keep the keyboard on the note that moved
                card.buttons["up" if step < 0 else "down"].setFocus()
