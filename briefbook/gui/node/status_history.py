"""Every status change of the selected commitment: when, who, from, to, why
(the whole comment, wrapped)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from briefbook.gui.context import AppContext, Changed, ChangeKind
from briefbook.gui.tree.model import status_icon
from briefbook.gui.widgets.formatting import local_time
from db.model.errors import BriefbookError
from db.model.history import without_undone
from db.model.ids import undo_id
from db.model.values import STATUS_LABELS, TRACKED_KINDS, StatusChange

COMMENT_COLUMN = 4


class _WrappedText(QStyledItemDelegate):
    """Rows as tall as the whole comment wrapped to its column (QTreeView alone
    sizes rows for one line, whatever its word-wrap setting)."""

    def __init__(self, view: QTreeWidget) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        width = max(40, self.view.header().sectionSize(index.column()) - 10)
        text = str(index.data() or "")
        height = option.fontMetrics.boundingRect(QRect(0, 0, width, 1 << 20), int(Qt.TextFlag.TextWordWrap),
                                                 text).height()
        return QSize(width, max(size.height(), height + 6))


class StatusHistoryPanel(QStackedWidget):
    LISTENS_TO = frozenset({ChangeKind.STATUS, ChangeKind.PLAN})

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.node_id = ""
        #: The ids an undo of a shown change would have.
        self._undo_ids: set[str] = set()
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setMargin(12)
        self.addWidget(self.empty)
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setAccessibleName("Status history")
        self.table.setHeaderLabels(["When", "Who", "From", "To", "Comment"])
        self.table.setWordWrap(True)
        header = self.table.header()
        for col in range(4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        # Whole comments, wrapped: rows are laid out again when the comment column's width changes.
        self.table.setUniformRowHeights(False)
        self.table.setItemDelegateForColumn(COMMENT_COLUMN, _WrappedText(self.table))
        header.sectionResized.connect(lambda *_: self.table.doItemsLayout())
        self.addWidget(self.table)
        context.nodeSelected.connect(self.show_node)
        # Another file, or the same one reloaded (a merge, a sync): show what the tree selects
        # in it; the tree may have restored its selection before this runs.
        context.fileChanged.connect(lambda: self.show_node(context.current_node_id))
        context.notified.connect(self._on_changed)
        self.show_node("")

    def show_node(self, node_id: str) -> None:
        self.node_id = node_id
        briefing = self.context.briefing
        self.table.clear()
        self._undo_ids = set()
        if not node_id or briefing is None:
            self.empty.setText("Select a commitment to see how its status changed.")
            self.setCurrentIndex(0)
            return
        try:
            node = briefing.node(node_id)
            recorded = briefing.status_history(node_id) if node.kind in TRACKED_KINDS else []
            history = without_undone(recorded)  # a change that was undone, and its undo, are left out
        except BriefbookError:
            return
        if node.kind not in TRACKED_KINDS:
            self.empty.setText("Areas and items have no status of their own: see the counts of their commitments.")
            self.setCurrentIndex(0)
            return
        if not history:
            self.empty.setText(f"The status of {node.ref} has not been changed since the plan was imported"
                               + (" (the changes made were undone)." if recorded else "."))
            self.setCurrentIndex(0)
            return
        self._undo_ids = {undo_id(c.id) for c in history}
        for change in reversed(history):  # newest first
            self.table.addTopLevelItem(_row(change))
        self.setCurrentIndex(1)

    def _on_changed(self, change: Changed) -> None:
        if not self.node_id or not change.concerns(self.LISTENS_TO):
            return
        if change.kind is ChangeKind.STATUS and change.ident not in ("", self.node_id):
            return
        if isinstance(change.value, StatusChange) and change.value.node_id == self.node_id \
                and change.value.id not in self._undo_ids:
            # The write returned the change it recorded: the newest row, no re-read
            # (an undo instead takes its change off the list: read again).
            self._undo_ids.add(undo_id(change.value.id))
            self.table.insertTopLevelItem(0, _row(change.value))
            self.setCurrentIndex(1)
            return
        self.show_node(self.node_id)


def _row(change: StatusChange) -> QTreeWidgetItem:
    item = QTreeWidgetItem(
        [
            local_time(change.changed_at),
            change.changed_by,
            STATUS_LABELS.get(change.from_status or "", change.from_status or ""),
            STATUS_LABELS.get(change.to_status, change.to_status),
            change.comment,
        ]
    )
    if change.from_status:
        item.setIcon(2, status_icon(change.from_status))
    item.setIcon(3, status_icon(change.to_status))
    return item
