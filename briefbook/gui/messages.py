"""The window's message boxes, in one place.

Every panel asks and tells the user through these functions, so a test can
replace them (monkeypatch) instead of fighting a modal dialog.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def show_error(parent: QWidget | None, title: str, sentence: str) -> None:
    """A refusal: one clear sentence, one button."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, sentence, QMessageBox.StandardButton.Ok, parent)
    box.setAccessibleName(title)
    box.exec()


def show_info(parent: QWidget | None, title: str, sentence: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, sentence, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # it may quote a file's text
    box.exec()


def ask_yes_no(parent: QWidget | None, title: str, question: str, yes: str, no: str = "Cancel") -> bool:
    """A question with two labelled buttons; True for `yes`."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question, QMessageBox.StandardButton.NoButton, parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes_button)
    box.exec()
    return box.clickedButton() is yes_button


def ask_choice(parent: QWidget | None, title: str, question: str, choices: list[str]) -> int | None:
    """A question with several labelled buttons and Cancel; the index chosen or None."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question, QMessageBox.StandardButton.Cancel, parent)
    buttons = [box.addButton(c, QMessageBox.ButtonRole.AcceptRole) for c in choices]
    if buttons:
        box.setDefaultButton(buttons[0])
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else None
