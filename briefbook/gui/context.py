"""What every part of the window shares: the open file, the undo stack, and
signals that say what changed, so panels refresh themselves without knowing
each other.

A change is announced once, as a typed `Changed` on `notified`; each panel
declares the kinds it listens to (`LISTENS_TO`) and asks `change.concerns(...)`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Set
from contextlib import contextmanager
from typing import NamedTuple

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from db.briefing.facade import Briefing


class ChangeKind(enum.Enum):
    """What changed. The values are the strings the old `changed(kind, ...)` took."""

    #: Anything may have changed (a refused undo, a merge): every panel reads the file again.
    EVERYTHING = ""
    PLAN = "plan"
    NODE = "node"
    STATUS = "status"
    NOTE = "note"
    SOURCE = "source"
    LINK = "link"
    ATTACHMENT = "attachment"
    MEETING = "meeting"
    AGENDA = "agenda"
    #: The search index was rebuilt (rows are as they were; what a search matches may not be).
    SEARCH_INDEX = "search_index"


class Changed(NamedTuple):
    """One change of the open file.

    `ident` is the row's id ("" when many changed): a node, note, source, link,
    attachment or meeting id; for AGENDA the meeting's id. `value` is the row
    as the write returned it (a NodeInfo, NoteInfo, SourceInfo, MeetingInfo,
    AgendaItemInfo, StatusChange) when the write returned one, so a listener
    can show it without reading it again; None otherwise.
    """

    kind: ChangeKind
    ident: str = ""
    value: object | None = None

    def concerns(self, kinds: Set[ChangeKind]) -> bool:
        """True if a panel listening to `kinds` must look at this change."""
        return self.kind is ChangeKind.EVERYTHING or self.kind in kinds


class AppContext(QObject):
    #: The open file was replaced (or closed: `briefing` is then None).
    fileChanged = Signal()
    #: Rows changed: carries one `Changed`.
    notified = Signal(object)
    #: The node shown on the right changed ("" for none).
    nodeSelected = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.briefing: Briefing | None = None
        self.undo_stack = QUndoStack(self)
        self.current_node_id: str = ""
        #: What a step announced while it is not saved yet (`held_notifications`)
        self._held: list[Changed] | None = None

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

    def notify(self, change: Changed) -> None:
        """Tell every listener what changed (inside `held_notifications()`: once it is saved)."""
        if self._held is not None:
            self._held.append(change)
            return
        self.notified.emit(change)

    @contextmanager
    def held_notifications(self) -> Iterator[None]:
        """Hold what a step announces until the step is saved: listeners then read the file
        as it is. A step that fails tells them to read everything again instead, so no panel
        keeps showing a change that was rolled back."""
        if self._held is not None:
            yield  # nested: the outer block sends them
            return
        self._held = []
        try:
            yield
        except BaseException:
            self._held = None
            self.notified.emit(Changed(ChangeKind.EVERYTHING))
            raise
        held, self._held = self._held, None
        for change in held or ():
            self.notified.emit(change)
