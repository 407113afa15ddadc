"""Preferences: the name put on notes and status changes, and what meeting packs
default to. On the first run the same dialog asks for the name before anything
is signed with the login name."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from briefbook.gui.widgets.guarded_dialog import GuardedDialog
from briefbook.services import preferences
from db.model.ids import current_user


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
        prefs = preferences.load()
        self.classification = QLineEdit(prefs.default_classification)
        self.classification.setAccessibleName("Default marking")
        self.classification.setPlaceholderText("none")
        self.long_note = QSpinBox()
        self.long_note.setRange(20, 100_000)
        self.long_note.setValue(prefs.long_note_words)
        self.long_note.setSuffix(" words")
        self.long_note.setAccessibleName("Notes longer than this go to an annex")
        form = QFormLayout()
        form.addRow("Your &name:", self.author)
        form.addRow("", hint)
        form.addRow("Default &marking:", self.classification)
        form.addRow("Annex &notes longer than:", self.long_note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(460, 220)
        self.remember_typed()

    def typed(self) -> object:
        return (self.author.text(), self.classification.text(), self.long_note.value())

    def accept(self) -> None:
        # Shared with the command line (it signs and marks packs the same way).
        preferences.update(author=self.author.text().strip(), default_classification=self.classification.text().strip(),
                           long_note_words=self.long_note.value())
        super().accept()
