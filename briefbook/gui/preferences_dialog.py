"""Preferences: the name put on notes and status changes. On the first run
the same dialog asks for the name before anything is signed with the login name."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from briefbook.gui import settings
from briefbook.gui.widgets.guarded_dialog import GuardedDialog
from briefbook.services import preferences
from db.ids import current_user


class PreferencesDialog(GuardedDialog):
    def __init__(self, parent: QWidget | None = None, first_run: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to briefbook — your name" if first_run else "Preferences")
        self.author = QLineEdit(preferences.load().author)  # empty: the login name
        self.author.setAccessibleName("Your name")
        self.author.setPlaceholderText(current_user())
        hint = QLabel(
            "Your name goes on the notes you write and the status changes you make, so colleagues "
            "who receive a copy of the file know who said what. Empty: your login name."
        )
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        layout = QVBoxLayout(self)
        if first_run:
            welcome = QLabel("Before you start: what name should your notes and status changes carry? "
                             "You can change it later in Edit > Preferences.")
            welcome.setWordWrap(True)
            layout.addWidget(welcome)
        form = QFormLayout()
        form.addRow("Your &name:", self.author)
        form.addRow("", hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(460, 160)
        self.remember_typed()

    def typed(self) -> object:
        return self.author.text()

    def accept(self) -> None:
        settings.set_author(self.author.text())
        super().accept()
