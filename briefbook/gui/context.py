"""What every part of the window shares: the open file, the undo stack, and
signals that say what changed, so panels refresh themselves without knowing
each other.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from db.briefing import Briefing


class AppContext(QObject):
    #: The open file was replaced (or closed: `briefing` is then None).
    fileChanged = Signal()
    #: Rows changed: kind is "node", "status", "note", "source", "link",
    #: "attachment", "meeting", "agenda" or "plan"; ident is the row's id
    #: (or "" when many changed, e.g. after a merge).
    dataChanged = Signal(str, str)
    #: The node shown on the right changed ("" for none).
    nodeSelected = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.briefing: Briefing | None = None
        self.undo_stack = QUndoStack(self)
        self.current_node_id: str = ""

    def set_briefing(self, briefing: Briefing | None) -> None:
        old = self.briefing
        self.briefing = briefing
        self.undo_stack.clear()  # undo commands hold ids of the old file
        self.current_node_id = ""
        self.fileChanged.emit()
        if old is not None and old is not briefing:
            old.close()

    def select_node(self, node_id: str) -> None:
        self.current_node_id = node_id
        self.nodeSelected.emit(node_id)

    def changed(self, kind: str, ident: str = "") -> None:
        self.dataChanged.emit(kind, ident)
