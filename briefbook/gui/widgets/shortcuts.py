"""Keyboard shortcuts that act only while one widget has the focus."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


def widget_shortcut(key: QKeySequence | QKeySequence.StandardKey | str, widget: QWidget,
                    slot: Callable[[], object], what: str = "") -> QShortcut:
    """A shortcut live only while `widget` has the focus (e.g. Delete on one list);
    `what` it does is listed in Help > Keyboard Shortcuts (kept as its whatsThis).

    The context is set after construction: PySide6 6.12 silently ignores a
    `context=` keyword, which leaves a window-wide shortcut that then clashes
    (and fires for neither) with the same key on another list.
    """
    shortcut = QShortcut(QKeySequence(key), widget)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
    shortcut.activated.connect(slot)
    shortcut.setWhatsThis(what)
    return shortcut
