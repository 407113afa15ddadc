"""A dialog that never throws away what was typed without asking.

Esc, Cancel and the window's close button all go through `reject()`, which
asks first when the typed values differ from the ones the dialog opened
with. Ctrl+Enter (and Ctrl+Return) presses the dialog's save button, so a
multi-line text field does not need the mouse to be saved. Tab moves between
the fields only (the buttons take a click), and the question before
discarding has "Keep Editing" as its default, so Esc then Enter keeps the text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from briefbook.gui import messages

DISCARD_TITLE = "Discard what you typed?"
#: Listed in Help > Keyboard Shortcuts (the dialogs do not exist until opened).
SHORTCUTS = (("Ctrl+Enter", "Save the dialog (note, source, meeting, status comment)"),
             ("Esc", "Close the dialog; asks first when you typed something"))


class GuardedDialog(QDialog):
    """Subclasses implement `typed()` and call `remember_typed()` once built."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._opened_with: object = None
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(self.save_from_keyboard)

    def typed(self) -> object:
        """Everything the user can type in the dialog, comparable with `==`."""
        raise NotImplementedError

    def remember_typed(self) -> None:
        self._opened_with = self.typed()
        # Tab goes from field to field, never onto Save or Cancel: a space typed after
        # a stray Tab would otherwise press Save (a one-letter note saved). The buttons
        # take a click; Ctrl+Enter saves and Esc cancels from the keyboard.
        for box in self.findChildren(QDialogButtonBox):
            for button in box.buttons():
                button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

    def has_typed_changes(self) -> bool:
        return self.typed() != self._opened_with

    def save_from_keyboard(self) -> None:
        """Ctrl+Enter: what the save button would do, when it is enabled."""
        box = self.findChild(QDialogButtonBox)
        if box is not None:
            for b in box.buttons():
                if box.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole:
                    if b.isEnabled():
                        b.click()
                    return
        self.accept()

    def reject(self) -> None:
        if self.has_typed_changes() and not messages.ask_yes_no(
            self, DISCARD_TITLE, "Close this dialog and lose what you typed?", "&Discard", "&Keep Editing",
            safe_default=True,  # Esc then Enter keeps the text
        ):
            return
        super().reject()
