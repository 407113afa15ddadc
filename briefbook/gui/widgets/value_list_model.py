"""A read-only list model over frozen values from the facade (the base of the panels' models)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

#: The frozen value behind a row (a LinkedSource, MeetingInfo, ...).
ValueRole = Qt.ItemDataRole.UserRole + 1
#: The row's id (link id for linked sources, else the value's id).
IdRole = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


class ValueListModel(QAbstractListModel):
    """A read-only list of frozen values, replaced wholesale when the file changes."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[Any] = []

    def set_items(self, items: Iterable[Any]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def replace(self, row: int, value: Any) -> None:
        """Put a new value (the same row, changed) in place of the row's."""
        self._items[row] = value
        self.dataChanged.emit(self.index(row, 0), self.index(row, 0))

    def items(self) -> list[Any]:
        return list(self._items)

    def item(self, row: int) -> Any:
        return self._items[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def row_of(self, ident: str) -> int:
        """The row whose id is `ident`, or -1."""
        for row in range(len(self._items)):
            if self._id(self._items[row]) == ident:
                return row
        return -1

    def _id(self, value: Any) -> str:
        return value.id

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid() or not 0 <= index.row() < len(self._items):
            return None
        value = self._items[index.row()]
        if role == ValueRole:
            return value
        if role == IdRole:
            return self._id(value)
        return self._data(value, role)

    def _data(self, value: Any, role: int) -> Any:
        raise NotImplementedError
