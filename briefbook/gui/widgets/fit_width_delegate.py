"""Item delegate for list views whose rows should be cut with "…", not scrolled sideways."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import QListView, QStyledItemDelegate, QStyleOptionViewItem


class FitWidthDelegate(QStyledItemDelegate):
    """Rows as wide as the view, so long lines are elided at its edge."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        # A list view lays rows out at least as wide as the viewport; asking for
        # no width of our own keeps it from growing a horizontal scroll bar.
        return QSize(1, super().sizeHint(option, index).height())


def elide_rows(view: QListView) -> None:
    """Give the view one-line-per-text-line rows cut with "…" at its right edge."""
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setItemDelegate(FitWidthDelegate(view))
