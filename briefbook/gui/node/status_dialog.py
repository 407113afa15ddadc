"""Asks for the comment a status such as “With challenges” must carry."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from briefbook.gui.widgets.guarded_dialog import GuardedDialog
from db.model import rules
from db.model.values import STATUS_LABELS


class StatusCommentDialog(GuardedDialog):
    def __init__(self, ref: str, status: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = status
        self.required = rules.needs_comment(status)
        label = STATUS_LABELS.get(status, status)
        self.setWindowTitle(f"Set {ref} to “{label}”")
        why = (
            f"“{label}” needs a comment: say what stands in the way, so colleagues reading the "
            "briefing know."
            if self.required
            else "Add a comment for the status history (optional)."
        )
        intro = QLabel(why)
        intro.setWordWrap(True)
        self.comment = QPlainTextEdit()
        self.comment.setAccessibleName("Comment")
        self.comment.setTabChangesFocus(True)
        self.comment.setPlaceholderText("Comment")
        intro.setBuddy(self.comment)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Set status")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.comment.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.comment)
        layout.addWidget(self.buttons)
        self.resize(440, 220)
        self._update()
        self.remember_typed()

    def typed(self) -> object:
        return self.comment.toPlainText()

    def _update(self) -> None:
        # The facade's own rule: the button makes it plain before the facade would refuse.
        self.ok.setEnabled(rules.status_problem(self.status, self.text()) is None)

    def text(self) -> str:
        return self.comment.toPlainText().strip()


def ask_status_comment(parent: QWidget | None, ref: str, status: str) -> str | None:
    """The comment for the change, or None if the user cancelled."""
    dialog = StatusCommentDialog(ref, status, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.text()
