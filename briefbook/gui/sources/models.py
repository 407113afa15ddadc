"""Thin list models over the facade's source values (the panel and dialogs show them)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt

from briefbook.gui.messages import plain_tooltip
from briefbook.gui.widgets.value_list_model import IdRole, Index, ValueListModel, ValueRole
from db.model.values import AttachmentInfo, LinkedSource, SourceInfo
from exporters.text import human_date

__all__ = [
    "AttachmentsModel", "IdRole", "LinkedSourcesModel", "SourceSearchModel", "ValueRole", "human_size",
    "source_byline",
]


def source_byline(source: SourceInfo) -> str:
    """"The Japan News · 6 February 2024" (outlet and date, unknowns said so)."""
    return f"{source.outlet or 'outlet unknown'} · {human_date(source.published, 'date unknown')}"


def date_sort_key(value: str | None) -> tuple[bool, str]:
    """Known (possibly partial) dates first, oldest first; unknown ones last."""
    return (value is None or value == "", value or "")


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class LinkedSourcesModel(ValueListModel):
    """The sources cited on one node: title on the first line, outlet and date on the second."""

    def set_items(self, items: Iterable[LinkedSource]) -> None:
        # A stable, meaningful order (oldest report first, undated last): the
        # facade's order follows link edits, which would make rows jump.
        ordered = sorted(items, key=lambda ls: (date_sort_key(ls.source.published), ls.source.title.casefold()))
        super().set_items(ordered)

    def _id(self, value: LinkedSource) -> str:
        return value.link_id

    def _data(self, value: LinkedSource, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{value.source.title}\n{source_byline(value.source)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{value.source.title}, {source_byline(value.source)}")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{value.source.title}, {source_byline(value.source)}"
        return None


class AttachmentsModel(ValueListModel):
    """The files stored with one source."""

    def _data(self, value: AttachmentInfo, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{value.filename} ({human_size(value.size)})"
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{value.filename}, {value.media_type}, {human_size(value.size)}")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{value.filename}, {value.media_type}, {human_size(value.size)}"
        return None


class SourceSearchModel(ValueListModel):
    """Sources found by title; the ones already cited on the node are shown but not choosable."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._linked: frozenset[str] = frozenset()

    def set_results(self, sources: Sequence[SourceInfo], linked_ids: Iterable[str]) -> None:
        self._linked = frozenset(linked_ids)
        self.set_items(sources)

    def is_linked(self, row: int) -> bool:
        return self._items[row].id in self._linked

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._items[index.row()].id in self._linked:
            return Qt.ItemFlag.NoItemFlags  # greyed out: cannot be linked twice
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def _data(self, value: SourceInfo, role: int) -> Any:
        linked = value.id in self._linked
        if role == Qt.ItemDataRole.DisplayRole:
            suffix = " (already cited here)" if linked else ""
            return f"{value.title}{suffix}\n{source_byline(value)}"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            text = f"{value.title}, {source_byline(value)}" + (", already cited here" if linked else "")
            return plain_tooltip(text) if role == Qt.ItemDataRole.ToolTipRole else text
        return None
