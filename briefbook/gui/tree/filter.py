"""Filtering the plan tree by a search (and the status and note-kind filters):
matches, their ancestors (so the user sees where a match sits) and their
descendants stay visible; a match's title says why it matched."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from briefbook.gui.tree.model import MATCH_HTML_ROLE, TITLE_COLUMN, PlanTreeModel

if TYPE_CHECKING:
    from db.model.values import MatchReason

Index = QModelIndex | QPersistentModelIndex


class TreeFilter(QSortFilterProxyModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._visible: set[int] | None = None  # None: no filter
        self._matches: set[int] = set()
        self._reasons: Mapping[str, Sequence[MatchReason]] = {}
        self._query = ""
        self._html: dict[str, tuple[str, str]] = {}  # node id -> (title html, tooltip), made when shown
        self._context_brush = QBrush(QColor("#8a8f98"))

    @property
    def tree(self) -> PlanTreeModel:
        model = self.sourceModel()
        assert isinstance(model, PlanTreeModel)
        return model

    @property
    def active(self) -> bool:
        return self._visible is not None

    def set_matches(
        self, node_ids: Iterable[str] | None, reasons: Mapping[str, Sequence[MatchReason]] | None = None,
        query: str = "",
    ) -> None:
        """Show only these nodes with their ancestors and descendants (None: everything);
        `reasons` say why each matched `query`."""
        self._reasons, self._query, self._html = reasons or {}, query, {}
        if node_ids is None:
            self._visible = None
            self._matches = set()
        else:
            ids = list(node_ids)
            self._matches = self.tree.positions_of(ids)
            self._visible = self.tree.positions_with_context(ids, descendants=True)
        # One layout change, not row-by-row removals: with an expanded tree of
        # 10,000 rows, begin/endFilterChange took minutes (each removal relaid
        # the view out); invalidate() rebuilds the mapping and the view once.
        self.invalidate()

    def visible_count(self) -> int:
        return self.tree.node_count() if self._visible is None else len(self._visible)

    def match_count(self) -> int:
        return len(self._matches)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._visible is None:
            return True
        return self.tree.position_of_child(source_row, source_parent) in self._visible

    def reasons(self, node_id: str) -> Sequence[MatchReason]:
        """Why the node matched the search (empty when it did not, or no text was searched)."""
        return self._reasons.get(node_id, ())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._visible is None:  # no search: nothing to add (the common case, asked for every cell)
            return super().data(index, role)
        if role in (MATCH_HTML_ROLE, Qt.ItemDataRole.ToolTipRole) and self._reasons \
                and index.column() == TITLE_COLUMN:
            source = self.mapToSource(index)
            node = self.tree.node_at(source)
            reasons = self._reasons.get(node.id) if node is not None else None
            if node is not None and reasons:
                shown = self._html.get(node.id)
                if shown is None:
                    from briefbook.gui.tree.match_text import match_html, match_tooltip

                    shown = self._html[node.id] = (
                        match_html(node.title, reasons, self._query), match_tooltip(reasons, self._query))
                return shown[0] if role == MATCH_HTML_ROLE else shown[1]
        if role == Qt.ItemDataRole.ForegroundRole and self._visible is not None:
            source = self.mapToSource(index)
            if source.isValid() and source.internalId() not in self._matches:
                # Context rows (ancestors, descendants of a match) are drawn grey.
                return self._context_brush
        return super().data(index, role)
