"""The list of note cards: a QListView over `NotesModel`, drawn by
`NoteCardDelegate`. It turns clicks on a card's drawn buttons and links,
double clicks, keys and the context menu into requests the notes panel
carries out (edit, delete, move) — the cards themselves are no widgets.

Rows are laid out in batches, so the first screen of a commitment with
10,000 notes shows at once and the rest is measured while the user reads.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QDesktopServices,
    QFocusEvent,
    QGuiApplication,
    QHelpEvent,
    QKeySequence,
    QMouseEvent,
)
from PySide6.QtWidgets import QAbstractItemView, QFrame, QListView, QMenu, QToolTip, QWidget

from briefbook.gui.notes.delegate import BUTTONS, NoteCardDelegate
from briefbook.gui.notes.model import NOTE_ROLE
from briefbook.gui.widgets.shortcuts import widget_shortcut
from db.model.values import NoteInfo

#: Rows measured per pass of the event loop while a long list is laid out.
BATCH = 25


class NotesView(QListView):
    editRequested = Signal(str)
    deleteRequested = Signal(str)
    moveRequested = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notesView")
        self.setAccessibleName("Notes")
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(24)
        # Cards follow the pane's width (their text wraps): never clipped sideways.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(BATCH)
        self.setUniformItemSizes(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.viewport().setAutoFillBackground(False)  # cards on the panel's own background, as before
        self.setMouseTracking(True)
        self.delegate = NoteCardDelegate(self)
        self.setItemDelegate(self.delegate)
        for key in ("Return", "Enter", "F2"):
            widget_shortcut(key, self, self._edit_current, "Edit the selected note" if key == "Return" else "")
        widget_shortcut(QKeySequence.StandardKey.Delete, self, self._delete_current,
                        "Delete the selected note (Edit > Undo brings it back)")
        widget_shortcut("Ctrl+Up", self, lambda: self._move_current(-1), "Move the selected note up")
        widget_shortcut("Ctrl+Down", self, lambda: self._move_current(+1), "Move the selected note down")
        widget_shortcut(QKeySequence.StandardKey.Copy, self, self.copy_current, "Copy the selected note's text")

    # -- laying the rows out -------------------------------------------------------------------

    def all_measured(self) -> bool:
        model = self.model()
        return model is not None and self.delegate.measured() >= getattr(model, "note_count", lambda: 0)()

    def relayout_now(self) -> None:
        """Lay the rows out again at once, keeping the scroll position, when every height
        is known (an edit, a deletion): batches would start from the top, the scroll bar's
        range shrinking under the position. While the first measuring is still under way,
        the batches carry on instead."""
        if not self.all_measured():
            self.scheduleDelayedItemsLayout()
            return
        value = self.verticalScrollBar().value()
        self.setLayoutMode(QListView.LayoutMode.SinglePass)
        self.doItemsLayout()
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.verticalScrollBar().setValue(value)

    def dataChanged(self, top_left: QModelIndex, bottom_right: QModelIndex,  # type: ignore[override]
                    roles: list[int] | None = None) -> None:
        super().dataChanged(top_left, bottom_right, roles or [])
        self.relayout_now()  # a note edited in place may be taller or shorter now

    # -- the note a key or a menu acts on ---------------------------------------------------

    def current_note(self) -> NoteInfo | None:
        note = self.currentIndex().data(NOTE_ROLE)
        return note if isinstance(note, NoteInfo) and self.selectionModel().isSelected(self.currentIndex()) \
            else None

    def select_note(self, note_id: str) -> bool:
        model = self.model()
        row = model.row_of(note_id) if hasattr(model, "row_of") else -1
        if row < 0:
            return False
        index = model.index(row, 0)
        self.setCurrentIndex(index)
        self.scrollTo(index)
        return True

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)  # makes the first note current when none is
        current = self.currentIndex()
        if current.isValid() and not self.selectionModel().isSelected(current):
            # Selected too, so the card the keys act on is the one drawn as selected.
            self.selectionModel().select(current, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _editable(self) -> bool:
        return bool(getattr(self.model(), "editable", False))

    def _edit_current(self) -> None:
        note = self.current_note()
        if note is not None and self._editable():
            self.editRequested.emit(note.id)

    def _delete_current(self) -> None:
        note = self.current_note()
        if note is not None and self._editable():
            self.deleteRequested.emit(note.id)

    def _move_current(self, step: int) -> None:
        note = self.current_note()
        if note is not None and self.delegate.button_enabled(self.currentIndex(), "up" if step < 0 else "down"):
            self.moveRequested.emit(note.id, step)

    def copy_current(self) -> None:
        note = self.current_note()
        if note is not None:
            QGuiApplication.clipboard().setText(note.body)

    def _request(self, index: QModelIndex, key: str) -> None:
        note = index.data(NOTE_ROLE)
        if not isinstance(note, NoteInfo) or not self.delegate.button_enabled(index, key):
            return
        if key == "edit":
            self.editRequested.emit(note.id)
        elif key == "delete":
            self.deleteRequested.emit(note.id)
        else:
            self.moveRequested.emit(note.id, -1 if key == "up" else +1)

    # -- the mouse --------------------------------------------------------------------------

    def _under(self, pos: QPoint) -> tuple[QModelIndex, str, str]:
        index = self.indexAt(pos)
        what, key = self.delegate.hit(index, pos) if index.isValid() else ("", "")
        return index, what, key

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)  # selects the card
        if event.button() != Qt.MouseButton.LeftButton:
            return
        index, what, key = self._under(event.position().toPoint())
        if what in ("button", "link"):
            self.delegate.pressed = (index.row(), key)
            self.viewport().update(self.visualRect(index))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        pressed, self.delegate.pressed = self.delegate.pressed, None
        super().mouseReleaseEvent(event)
        if pressed is None or event.button() != Qt.MouseButton.LeftButton:
            return
        index, what, key = self._under(event.position().toPoint())
        self.viewport().update(self.visualRect(index))
        if (index.row(), key) != pressed:
            return  # let go elsewhere: nothing happens, as with a real button
        if what == "button":
            self._request(index, key)
        elif what == "link":
            QDesktopServices.openUrl(QUrl(key))  # only web and mail addresses become links

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        index, what, _ = self._under(event.position().toPoint())
        if what == "note":
            self._request(index, "edit")
            return
        super().mouseDoubleClickEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        index, what, key = self._under(event.position().toPoint())
        hovered = (index.row(), key) if what in ("button", "link") else None
        if hovered != self.delegate.hovered:
            old = self.delegate.hovered
            self.delegate.hovered = hovered
            if old is not None:
                self.viewport().update(self.visualRect(self.model().index(old[0], 0)))
            if hovered is not None:
                self.viewport().update(self.visualRect(index))
        pointing = what == "link" or (what == "button" and self.delegate.button_enabled(index, key))
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if pointing else Qt.CursorShape.ArrowCursor)

    def leaveEvent(self, event: QEvent) -> None:
        if self.delegate.hovered is not None:
            self.delegate.hovered = None
            self.viewport().update()
        super().leaveEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            _, what, key = self._under(event.pos())
            tip = dict((k, t) for k, _, t in BUTTONS).get(key, "") if what == "button" else key if what == "link" \
                else ""
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    # -- the context menu -------------------------------------------------------------------

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            index, what, key = self._under(event.pos())
            pos = event.globalPos()
        else:  # the menu key: the selected card's menu, at the card
            index, what, key = self.currentIndex(), "note", ""
            pos = self.viewport().mapToGlobal(self.visualRect(index).topLeft() + QPoint(24, 24))
        note = index.data(NOTE_ROLE)
        if not isinstance(note, NoteInfo):
            return
        self.setCurrentIndex(index)
        menu = QMenu(self)
        for action_key, text in (("edit", "&Edit…"), ("delete", "&Delete"), ("up", "Move &Up"),
                                 ("down", "Move Do&wn")):
            action = menu.addAction(text)
            action.setEnabled(self.delegate.button_enabled(index, action_key))
            action.triggered.connect(lambda _=False, k=action_key, i=index: self._request(i, k))
        menu.addSeparator()
        menu.addAction("&Copy Text").triggered.connect(self.copy_current)
        if what == "link":
            menu.addAction("Open &Link").triggered.connect(lambda: QDesktopServices.openUrl(QUrl(key)))
            menu.addAction("Copy Link &Address").triggered.connect(
                lambda: QGuiApplication.clipboard().setText(key))
        menu.exec(pos)
