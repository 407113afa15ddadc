"""The window's message boxes, in one place.

Every panel asks and tells the user through these functions, so a test can
replace them (monkeypatch) instead of fighting a modal dialog.

Every sentence is shown as plain text: it often quotes what a file holds (a
lock's user and host, a title, a row a check found), and Qt would otherwise
guess, and render `<img src=...>` or `<font size=7>` from someone else's file.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def _box(icon: QMessageBox.Icon, title: str, text: str, buttons: QMessageBox.StandardButton,
         parent: QWidget | None) -> QMessageBox:
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAccessibleName(title)
    return box


def show_error(parent: QWidget | None, title: str, sentence: str) -> None:
    """A refusal: one clear sentence, one button."""
    _box(QMessageBox.Icon.Warning, title, sentence, QMessageBox.StandardButton.Ok, parent).exec()


def show_info(parent: QWidget | None, title: str, sentence: str) -> None:
    _box(QMessageBox.Icon.Information, title, sentence, QMessageBox.StandardButton.Ok, parent).exec()


def ask_yes_no(parent: QWidget | None, title: str, question: str, yes: str, no: str = "Cancel",
               safe_default: bool = False) -> bool:
    """A question with two labelled buttons; True for `yes`. `safe_default`: Enter
    answers `no` (where `yes` throws something away, a stray Enter must not)."""
    box = _box(QMessageBox.Icon.Question, title, question, QMessageBox.StandardButton.NoButton, parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button if safe_default else yes_button)
    box.exec()
    return box.clickedButton() is yes_button


def ask_choice(parent: QWidget | None, title: str, question: str, choices: list[str]) -> int | None:
    """A question with several labelled buttons and Cancel; the index chosen or None."""
    box = _box(QMessageBox.Icon.Question, title, question, QMessageBox.StandardButton.Cancel, parent)
    buttons = [box.addButton(c, QMessageBox.ButtonRole.AcceptRole) for c in choices]
    if buttons:
        box.setDefaultButton(buttons[0])
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else None


def plain_tooltip(text: str) -> str:
    """A tooltip that shows `text` as it is: Qt renders any tooltip that looks like HTML as HTML."""
    if not text:
        return ""
    import html  # on the first tooltip, not at start-up

    body = html.escape(text).replace("\n", "<br>")
    return f"<qt><span style='white-space:pre-wrap'>{body}</span></qt>"
