"""Write or edit a note: its kind and its text (Markdown, previewed as you type), an "if raised"
note's response, and whether it is a key message."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from briefbook.gui.notes.markdown_view import markdown_to_html
from briefbook.gui.widgets.guarded_dialog import GuardedDialog
from db.model import rules
from db.model.values import ASK_KIND, NOTE_KIND_LABELS, NOTE_KINDS


class NoteAnswer(NamedTuple):
    """What the dialog was saved with."""

    kind: str
    text: str
    response: str = ""  # an "if raised" note: our response to their ask (the text)
    key: bool = False  # a key message: the pack's first page lists it


HINT = ("Ctrl+Enter saves; Tab goes to the kind. Each line stays a line; an empty line starts a paragraph. "
        "Markdown: **bold**, *italic*, lines starting with “- ” for a list, [text](https://link).")


class NoteDialog(GuardedDialog):
    def __init__(
        self, title: str, kind: str = "talking_point", body: str = "", author: str = "", parent: QWidget | None = None,
        response: str = "", key: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of note")
        for k in NOTE_KINDS:
            self.kind.addItem(NOTE_KIND_LABELS[k], k)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.body = QPlainTextEdit(body)
        self.body.setAccessibleName("Note text")
        self.body.setTabChangesFocus(True)
        self.body.setPlaceholderText("Write the note here.")
        self.response = QPlainTextEdit(response)
        self.response.setAccessibleName("Our response")
        self.response.setTabChangesFocus(True)
        self.response.setPlaceholderText("What we say if they raise it.")
        self.response.setMaximumHeight(90)
        self.response_label = QLabel("Our &response:")
        self.response_label.setBuddy(self.response)
        self.key = QCheckBox("Key &message (listed on the first page of the meeting pack)")
        self.key.setAccessibleName("Key message")
        self.key.setChecked(key)
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        self.preview = QTextBrowser()
        self.preview.setAccessibleName("Preview")
        self.preview.setOpenLinks(False)
        self.preview.setMaximumHeight(150)
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        form = QFormLayout()
        form.addRow("&Kind:", self.kind)
        self.text_label = QLabel("&Text:")
        self.text_label.setBuddy(self.body)
        form.addRow(self.text_label, self.body)
        form.addRow(self.response_label, self.response)
        form.addRow("", self.key)
        form.addRow("", hint)
        form.addRow("Preview:", self.preview)
        if author:
            author_label = QLabel(author)
            author_label.setTextFormat(Qt.TextFormat.PlainText)
            form.addRow("Author:", author_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.body.textChanged.connect(self._update)
        self.kind.currentIndexChanged.connect(self._update)
        self.resize(560, 520)
        self._update()
        self.body.setFocus()
        self.remember_typed()

    def typed(self) -> object:
        return (self.chosen_kind(), self.body.toPlainText(), self.response.toPlainText(), self.key.isChecked())

    def _update(self) -> None:
        # Their ask and our response: the response box only where the kind has one.
        ask = self.chosen_kind() == ASK_KIND
        self.response.setVisible(ask)
        self.response_label.setVisible(ask)
        self.text_label.setText("Their &ask:" if ask else "&Text:")
        self.preview.setHtml(markdown_to_html(self.body.toPlainText()))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(
            rules.note_problem(self.chosen_kind(), self.text()) is None
        )

    def text(self) -> str:
        return self.body.toPlainText().strip()

    def chosen_kind(self) -> str:
        return str(self.kind.currentData())

    def answer(self) -> NoteAnswer:
        kind = self.chosen_kind()
        # A response typed and then left behind by choosing another kind is not saved with it.
        response = self.response.toPlainText().strip() if kind == ASK_KIND else ""
        return NoteAnswer(kind, self.text(), response, self.key.isChecked())


def ask_note(
    parent: QWidget | None, title: str, kind: str = "talking_point", body: str = "", author: str = "",
    response: str = "", key: bool = False,
) -> NoteAnswer | None:
    """What the note was saved with, or None if cancelled."""
    dialog = NoteDialog(title, kind, body, author, parent, response, key)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.answer()
