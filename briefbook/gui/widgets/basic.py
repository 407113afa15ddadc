"""Small widget builders the feature panels share."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QPushButton


def heading(text: str, name: str = "") -> QLabel:
    """A bold label over a part of a panel (`name`: its accessible name, if any)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # headings quote references and titles from the file
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    if name:
        label.setAccessibleName(name)
    return label


def button(text: str, name: str, tip: str = "") -> QPushButton:
    """A push button with its accessible name (and tooltip)."""
    widget = QPushButton(text)
    widget.setAccessibleName(name)
    if tip:
        widget.setToolTip(tip)
    return widget


class FocusOutFilter(QObject):
    """Calls back when the watched widget loses focus (e.g. to save what was typed)."""

    def __init__(self, callback: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self._callback()
        return False


def problem_label() -> QLabel:
    """The red line a form shows under its fields when what was typed cannot be saved
    (hidden until then; plain text: the sentence may quote what was typed)."""
    label = QLabel("")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.setAccessibleName("Problem")
    label.hide()
    return label
