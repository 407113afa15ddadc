"""Preferences: the name put on notes and status changes."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from briefbook.gui import settings
from db.ids import current_user


class PreferencesDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.author = QLineEdit(settings.author())
        self.author.setAccessibleName("Your name")
        self.author.setPlaceholderText(current_user())
        hint = QLabel(
            "Your name goes on the notes you write and the status changes you make, so colleagues "
            "who receive a copy of the file know who said what. Empty: your login name."
        )
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        form = QFormLayout()
        form.addRow("Your &name:", self.author)
        form.addRow("", hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(460, 160)

    def accept(self) -> None:
        settings.set_author(self.author.text())
        super().accept()
