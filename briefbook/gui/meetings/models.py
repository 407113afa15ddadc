"""Thin list models over meetings and one meeting's agenda.

The agenda model takes drops of plan nodes (mime type NODE_IDS_MIME, as the
plan tree drags them) and internal moves of its own rows; it changes nothing
itself but hands both to callbacks the panel turns into undo commands.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, Qt

from briefbook.gui.messages import plain_tooltip
from briefbook.gui.notes.markdown_view import markdown_to_html
from briefbook.gui.widgets.mime import NODE_IDS_MIME
from briefbook.gui.widgets.value_list_model import IdRole, Index, ValueListModel, ValueRole
from db.model.values import AgendaItemInfo, MeetingInfo
from exporters.markdown import note_blocks, plain_text
from exporters.text import human_date

#: Newline-separated agenda item ids: what the agenda drags within itself.
AGENDA_ITEMS_MIME = "application/x-briefbook-agenda-item-ids"

__all__ = ["AGENDA_ITEMS_MIME", "NODE_IDS_MIME", "AgendaModel", "IdRole", "MeetingsModel", "ValueRole"]


def meeting_byline(meeting: MeetingInfo) -> str:
    parts = [human_date(meeting.date, "date unknown")]
    if meeting.place:
        parts.append(meeting.place)
    return " · ".join(parts)


def meeting_details_html(meeting: MeetingInfo) -> str:
    """The meeting's details for the panel: rich text built from escaped file text."""
    e = html.escape
    parts = [f"<b style='font-size:115%'>{e(meeting.title)}</b>", e(meeting_byline(meeting))]
    if meeting.classification:
        parts.append(f"<b style='color:#b00020'>{e(meeting.classification)}</b>")
    if meeting.participants:
        parts.append(f"<i>Participants:</i> {e(meeting.participants)}")
    text = "<br>".join(parts)
    if meeting.purpose:  # Markdown, rendered as the pack prints it (from escaped text)
        text += f"<br><i>Purpose:</i>{markdown_to_html(meeting.purpose)}"
    objectives = [line for line in meeting.objectives.splitlines() if line.strip()]
    if objectives:
        text += "<br><i>Objectives:</i><ol>" + "".join(f"<li>{e(o)}</li>" for o in objectives) + "</ol>"
    if meeting.press_line:
        text += f"<i>Press line:</i> {e(meeting.press_line)}"
    return text


class MeetingsModel(ValueListModel):
    def _data(self, value: MeetingInfo, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{value.title}\n{meeting_byline(value)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{value.title}, {meeting_byline(value)}")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{value.title}, {meeting_byline(value)}"
        return None


def _points_summary(points: str) -> str:
    """The first point as the pack prints it, without its bullet or Markdown marks
    (the view cuts it to the width)."""
    text = plain_text(note_blocks(points)) if points.strip() else ""
    return next((line.lstrip("• ").strip() for line in text.splitlines() if line.strip()), "")


class AgendaModel(ValueListModel):
    """One meeting's agenda, in order: "3.2.1  Title", and the first meeting point under it."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.meeting_id = ""
        #: (node ids, insert-before row) -> done? Set by the panel.
        self.on_nodes_dropped: Callable[[list[str], int], bool] | None = None
        #: (agenda item id, final index) -> done? Set by the panel.
        self.on_item_moved: Callable[[str, int], bool] | None = None

    def set_agenda(self, meeting_id: str, items: list[AgendaItemInfo]) -> None:
        self.meeting_id = meeting_id
        self.set_items(items)

    def _data(self, value: AgendaItemInfo, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            text = f"{value.ref}  {value.title}"
            summary = _points_summary(value.points)
            return f"{text}\n      {summary}" if summary else text
        if role == Qt.ItemDataRole.ToolTipRole:  # rendered as in the pack, from escaped text
            tip = markdown_to_html(value.points) if value.points.strip() else "No meeting-specific points yet."
            if value.objective:
                tip = f"<p><b>Objective:</b> {html.escape(value.objective)}</p>{tip}"
            return tip
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{value.ref} {value.title}"
        return None

    # -- drag and drop ----------------------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            # Drops land between rows (on the list itself), never onto a row.
            return Qt.ItemFlag.ItemIsDropEnabled if self.meeting_id else Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [NODE_IDS_MIME, AGENDA_ITEMS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        ids = [self._items[i.row()].id for i in sorted(indexes, key=lambda i: i.row()) if i.isValid()]
        data.setData(AGENDA_ITEMS_MIME, QByteArray("\n".join(ids).encode("utf-8")))
        return data

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        if not self.meeting_id or column > 0:
            return False
        return data.hasFormat(NODE_IDS_MIME) or data.hasFormat(AGENDA_ITEMS_MIME)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        if row < 0:
            row = parent.row() if parent.isValid() else len(self._items)
        if data.hasFormat(AGENDA_ITEMS_MIME):
            ids = _ids(data, AGENDA_ITEMS_MIME)
            source = self.row_of(ids[0]) if ids else -1
            if source < 0:
                return False  # dragged from another meeting's agenda: not a move within this one
            return self._move(source, row)
        ids = _ids(data, NODE_IDS_MIME)
        if not ids or self.on_nodes_dropped is None:
            return False
        return self.on_nodes_dropped(ids, row)

    def moveRows(self, source_parent: Index, source_row: int, count: int, destination_parent: Index,
                 destination_child: int) -> bool:
        # QListView asks for this on an internal drag (it keeps the selection).
        if source_parent.isValid() or destination_parent.isValid() or count != 1:
            return False
        if not 0 <= source_row < len(self._items):
            return False
        return self._move(source_row, destination_child)

    def _move(self, source_row: int, insert_before: int) -> bool:
        """Move a row so that it lands before `insert_before` (a row of the list as it is now)."""
        final = insert_before - 1 if source_row < insert_before else insert_before
        final = max(0, min(final, len(self._items) - 1))
        if final == source_row or self.on_item_moved is None:
            return False
        return self.on_item_moved(self._items[source_row].id, final)


def _ids(data: QMimeData, mime: str) -> list[str]:
    raw = bytes(data.data(mime).data()).decode("utf-8", errors="replace")
    return [line.strip() for line in raw.splitlines() if line.strip()]
