"""The plan tree as a Qt item model: a thin layer over `NodeInfo` values.

The whole tree comes from one `Briefing.nodes(plan_id)` call and lives in flat
lists indexed by an integer (the QModelIndex's internalId), so building and
painting stay fast for 10,000 commitments: no database query per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QMimeData, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from briefbook.gui.messages import plain_tooltip
from briefbook.gui.widgets.mime import NODE_IDS_MIME
from db.briefing.facade import status_counts_of
from db.model.values import RETIRED_MARK, STATUS_COLOURS, STATUS_LABELS, STATUSES, TRACKED_KINDS, NodeInfo

NODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3
#: For areas and items: a tuple of (status, count) with count > 0, in STATUSES order.
COUNTS_ROLE = Qt.ItemDataRole.UserRole + 4
#: The title column's text of a matching row, as escaped HTML with the words highlighted
#: (given by the search filter, painted by `match_text.MatchDelegate`).
MATCH_HTML_ROLE = Qt.ItemDataRole.UserRole + 20

REF_COLUMN, TITLE_COLUMN, STATUS_COLUMN = 0, 1, 2
HEADERS = ("Ref", "Title", "Status")

Index = QModelIndex | QPersistentModelIndex
_ROOT = -1


def status_icon(status: str, size: int = 12) -> QIcon:
    """A coloured dot for a status (cached: one pixmap per status and size)."""
    key = (status, size)
    icon = _icons.get(key)
    if icon is None:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(STATUS_COLOURS.get(status, "#999999")))
        painter.drawEllipse(1, 1, size - 2, size - 2)
        painter.end()
        icon = _icons[key] = QIcon(pixmap)
    return icon


_icons: dict[tuple[str, int], QIcon] = {}


def counts_summary(counts: Sequence[tuple[str, int]]) -> str:
    """"3 on track · 1 with challenges" (empty when there is nothing tracked)."""
    return " · ".join(f"{n} {STATUS_LABELS[s].lower()}" for s, n in counts)


#: Shown after the title of a node a revised plan text no longer has.

class PlanTreeModel(QAbstractItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._nodes: list[NodeInfo] = []
        self._parent: list[int] = []  # position of the parent in _nodes, or _ROOT
        self._row: list[int] = []  # row under the parent
        self._children: dict[int, list[int]] = {_ROOT: []}
        self._by_id: dict[str, int] = {}
        self._counts: dict[int, tuple[tuple[str, int], ...]] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    # -- loading ---------------------------------------------------------------------

    def set_nodes(self, nodes: Sequence[NodeInfo]) -> None:
        """Replace the tree (nodes parents first, siblings in order: `Briefing.nodes`)."""
        self.beginResetModel()
        self._nodes = list(nodes)
        self._by_id = {n.id: i for i, n in enumerate(self._nodes)}
        self._children = {_ROOT: []}
        self._parent = []
        self._row = []
        for i, n in enumerate(self._nodes):
            p = self._by_id.get(n.parent_id, _ROOT) if n.parent_id is not None else _ROOT
            siblings = self._children.setdefault(p, [])
            self._parent.append(p)
            self._row.append(len(siblings))
            siblings.append(i)
        self._recount()
        self.endResetModel()

    def _recount(self) -> None:
        raw = status_counts_of(self._nodes)
        self._counts = {
            self._by_id[nid]: tuple((s, c[s]) for s in STATUSES if c.get(s))
            for nid, c in raw.items()
            if nid in self._by_id
        }

    def update_node(self, node: NodeInfo) -> None:
        """One node changed (status, lead office...): refresh it and its ancestors' counts."""
        i = self._by_id.get(node.id)
        if i is None:
            return
        status_changed = self._nodes[i].status != node.status
        self._nodes[i] = node
        first = self.createIndex(self._row[i], 0, i)
        last = self.createIndex(self._row[i], len(HEADERS) - 1, i)
        self.dataChanged.emit(first, last)
        if status_changed:
            self._recount()
            p = self._parent[i]
            while p != _ROOT:
                cell = self.createIndex(self._row[p], STATUS_COLUMN, p)
                self.dataChanged.emit(cell, cell)
                p = self._parent[p]

    # -- lookups ---------------------------------------------------------------------

    def node_at(self, index: Index) -> NodeInfo | None:
        if not index.isValid():
            return None
        return self._nodes[index.internalId()]

    def node(self, node_id: str) -> NodeInfo | None:
        i = self._by_id.get(node_id)
        return None if i is None else self._nodes[i]

    def index_of(self, node_id: str, column: int = 0) -> QModelIndex:
        i = self._by_id.get(node_id)
        if i is None:
            return QModelIndex()
        return self.createIndex(self._row[i], column, i)

    def nodes(self) -> list[NodeInfo]:
        return list(self._nodes)

    def node_count(self) -> int:
        return len(self._nodes)

    def positions_of(self, node_ids: Iterable[str]) -> set[int]:
        return {i for nid in node_ids if (i := self._by_id.get(nid)) is not None}

    def positions_with_context(self, node_ids: Iterable[str], descendants: bool = True) -> set[int]:
        """Internal positions of the nodes, all their ancestors and (optionally) descendants."""
        out: set[int] = set()
        for nid in node_ids:
            i = self._by_id.get(nid)
            if i is None:
                continue
            if descendants and i not in out:
                stack = [i]
                while stack:
                    j = stack.pop()
                    out.add(j)
                    stack.extend(self._children.get(j, ()))
            out.add(i)
            p = self._parent[i]
            while p != _ROOT and p not in out:
                out.add(p)
                p = self._parent[p]
        return out

    def position_of_child(self, row: int, parent: Index) -> int:
        """The internal position of the row-th child of `parent` (the filter's fast path)."""
        p = parent.internalId() if parent.isValid() else _ROOT
        return self._children[p][row]

    # -- QAbstractItemModel ---------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if column < 0 or column >= len(HEADERS) or row < 0:
            return QModelIndex()
        p = parent.internalId() if parent.isValid() else _ROOT
        children = self._children.get(p)
        if children is None or row >= len(children) or (parent.isValid() and parent.column() != 0):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        p = self._parent[index.internalId()]
        if p == _ROOT:
            return QModelIndex()
        return self.createIndex(self._row[p], 0, p)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._children[_ROOT])
        if parent.column() != 0:
            return 0
        return len(self._children.get(parent.internalId(), ()))

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(HEADERS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:
        return self.rowCount(parent) > 0

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        i = index.internalId()
        n = self._nodes[i]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == REF_COLUMN:
                return n.ref
            if col == TITLE_COLUMN:
                return f"{n.title} {RETIRED_MARK}" if n.retired else n.title
            if n.kind in TRACKED_KINDS:
                return STATUS_LABELS.get(n.status or "", "")
            return counts_summary(self._counts.get(i, ()))
        if role == Qt.ItemDataRole.DecorationRole:
            if col == STATUS_COLUMN and n.kind in TRACKED_KINDS and n.status:
                return status_icon(n.status)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == STATUS_COLUMN and n.kind not in TRACKED_KINDS:
                return counts_summary(self._counts.get(i, ())) or "No commitments to track"
            if col == TITLE_COLUMN and n.retired:
                return ("No longer in the plan's current text; kept because notes, sources or an agenda "
                        "entry hang on it. Move or delete those and it goes.")
            if col == TITLE_COLUMN and n.text:
                return plain_tooltip(n.text if len(n.text) < 400 else n.text[:400] + "…")
            return None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if n.kind == "area" else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if col == STATUS_COLUMN and n.kind not in TRACKED_KINDS:
                return counts_summary(self._counts.get(i, ())) or "no commitments"
            return None
        if role == NODE_ID_ROLE:
            return n.id
        if role == KIND_ROLE:
            return n.kind
        if role == STATUS_ROLE:
            return n.status
        if role == COUNTS_ROLE:
            return self._counts.get(i, ()) if n.kind not in TRACKED_KINDS else None
        if role == Qt.ItemDataRole.ForegroundRole and n.retired:
            return QBrush(QColor("#8a6d3b"))
        if role == Qt.ItemDataRole.ForegroundRole and col == REF_COLUMN:
            return QBrush(QColor("#555555"))
        return None

    # -- drag ------------------------------------------------------------------------

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [NODE_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        ids: list[str] = []
        for index in indexes:
            n = self.node_at(index)
            if n is not None and n.id not in ids:
                ids.append(n.id)
        mime = QMimeData()
        mime.setData(NODE_IDS_MIME, "\n".join(ids).encode("utf-8"))
        mime.setText("\n".join(self._nodes[self._by_id[i]].ref for i in ids))
        return mime
