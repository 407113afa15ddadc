"""Write or edit a note: its kind and its text (Markdown, previewed as you type)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
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
from db.model.values import NOTE_KIND_LABELS, NOTE_KINDS

HINT = ("Ctrl+Enter saves; Tab goes to the kind. Each line stays a line; an empty line starts a paragraph. "
        "Markdown: **bold**, *italic*, lines starting with “- ” for a list, [text](https://link).")


class NoteDialog(GuardedDialog):
    def __init__(
        self, title: str, kind: str = "talking_point", body: str = "", author: str = "", parent: QWidget | None = None
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
        form.addRow("&Text:", self.body)
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
        self.resize(560, 460)
        self._update()
        self.body.setFocus()
        self.remember_typed()

    def typed(self) -> object:
        return (self.chosen_kind(), self.body.toPlainText())

    def _update(self) -> None:
        self.preview.setHtml(markdown_to_html(self.body.toPlainText()))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(
            rules.note_problem(self.chosen_kind(), self.text()) is None
        )

    def text(self) -> str:
        return self.body.toPlainText().strip()

    def chosen_kind(self) -> str:
        return str(self.kind.currentData())


def ask_note(
    parent: QWidget | None, title: str, kind: str = "talking_point", body: str = "", author: str = ""
) -> tuple[str, str] | None:
    """(kind, text) of the note, or None if cancelled."""
    dialog = NoteDialog(title, kind, body, author, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.chosen_kind(), dialog.text()
