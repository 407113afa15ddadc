"""Reaching the window's parts the way a user does: a menu by its title, an
entry by its object name, a dialog by being open on screen."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QMessageBox

D = TypeVar("D", bound=QDialog)


def menu(window: QMainWindow, title: str) -> QMenu:
    """The menu bar's menu titled `title` (with its mnemonic, e.g. "&File")."""
    found = next((a.menu() for a in window.menuBar().actions() if a.text() == title), None)
    assert isinstance(found, QMenu), f"no menu {title!r}"
    return found


def action(window: QMainWindow, name: str) -> QAction:
    """The window's action with object name `name` (e.g. "undoAction")."""
    found = window.findChild(QAction, name)
    assert found is not None, f"no action {name!r}"
    return found


def open_dialogs(window: QMainWindow, kind: type[D]) -> list[D]:
    """The dialogs of `kind` the window shows now (closed ones stay as hidden children)."""
    return [d for d in window.findChildren(kind) if d.isVisible()]


def shown_box(window: QMainWindow) -> QMessageBox | None:
    """The message box the window shows now (an export's "saved as" box), if any."""
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    return boxes[-1] if boxes else None
