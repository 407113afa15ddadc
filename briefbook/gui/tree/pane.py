"""The plan tree pane, the window's left side: the plan chooser (when the file
holds more than one plan), the search box with the status and note-kind
filters, the tree and the match count. A reference typed in the search box
("3.2.1") goes to that node; other text filters the tree, each matching row
saying where the words were found.

It follows the shared context on its own: a new file reloads its plans,
changed rows update their lines (and the search, while one is active), and
moving in the tree selects the node for the panels on the right.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, QSettings, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from briefbook.gui import settings
from briefbook.gui.context import AppContext, Changed, ChangeKind
from briefbook.gui.tree.delegate import StatusCountsDelegate
from briefbook.gui.tree.filter import TreeFilter
from briefbook.gui.tree.model import NODE_ID_ROLE, REF_COLUMN, STATUS_COLUMN, TITLE_COLUMN, PlanTreeModel
from briefbook.gui.widgets.empty_state import empty_state
from db.model.errors import BriefbookError
from db.model.values import NOTE_KIND_LABELS, NOTE_KINDS, STATUS_LABELS, STATUSES, TRACKED_KINDS, NodeInfo

#: Trees up to this many nodes open fully expanded; bigger ones show areas and items.
EXPAND_ALL_LIMIT = 600
#: A search opens every branch when at most this many rows stay visible.
EXPAND_MATCHES_LIMIT = 3000


class _SearchKeys(QObject):
    """Esc clears the search box; Down moves into the tree."""

    #: Listed in Help > Keyboard Shortcuts.
    SHORTCUTS = (("Esc", "Clear the search"), ("Down", "Move from the search box into the tree"))

    def __init__(self, pane: TreePane) -> None:
        super().__init__(pane)
        self.pane = pane

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Escape and self.pane.search.text():
                self.pane.search.clear()
                return True
            if event.key() == Qt.Key.Key_Down:
                self.pane.tree.setFocus()
                if not self.pane.tree.currentIndex().isValid():
                    self.pane.tree.setCurrentIndex(self.pane.proxy.index(0, 0))
                return True
        return False


class PlanState(NamedTuple):
    """How the user left one plan's tree."""

    #: The expanded branches (None: never seen; the tree opens as on a first visit).
    expanded: frozenset[str] | None
    selected: str


class TreePane(QWidget):
    """The window's left side, on the shared context (see the module's docstring)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.plan_id: str | None = None
        self._state_file: Path | None = None  # the file whose tree state is saved and restored
        self._prefetched: tuple[str, list[NodeInfo]] | None = None
        #: Per plan of the file shown: its branches and selection, to show it again as it was left.
        self._plan_states: dict[str, PlanState] = {}
        self._legacy_state: PlanState | None = None
        #: Offered first in the tree's context menu (the window's Add to Meeting, Add Note).
        self.menu_actions: list[QAction] = []
        self.setMinimumWidth(280)
        self.plan_box = QComboBox()
        self.plan_box.setAccessibleName("Plan")
        self.plan_box.activated.connect(lambda i: self.show_plan(self.plan_box.itemData(i)))
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search commitments, notes and sources (Ctrl+F)")
        self.search.setAccessibleName("Search the plan")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply_search)
        self.search.installEventFilter(_SearchKeys(self))
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Show commitments with the status")
        self.status_filter.addItem("Any status", "")
        for status in STATUSES:
            self.status_filter.addItem(STATUS_LABELS[status], status)
        self.kind_filter = QComboBox()
        self.kind_filter.setAccessibleName("Show nodes with a note of the kind")
        self.kind_filter.addItem("Any notes", "")
        for kind in NOTE_KINDS:
            self.kind_filter.addItem(f"With a {NOTE_KIND_LABELS[kind].lower()}", kind)
        for box in (self.status_filter, self.kind_filter):
            box.currentIndexChanged.connect(lambda _i: self._apply_search(self.search.text()))
        self.match_label = QLabel()
        self.match_label.setTextFormat(Qt.TextFormat.PlainText)
        self.match_label.setObjectName("hint")
        self.match_label.setAccessibleName("Search results")
        self.model = PlanTreeModel(self)
        self.proxy = TreeFilter(self)
        self.proxy.setSourceModel(self.model)
        self.tree = QTreeView()
        self.tree.setObjectName("planTree")
        self.tree.setAccessibleName("Plan tree")
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)  # fast layout for 10,000 rows
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setAlternatingRowColors(True)
        self.tree.setIndentation(12)
        self.tree.setItemDelegateForColumn(STATUS_COLUMN, StatusCountsDelegate(self.tree))
        self._explains = False  # the title column's match painter, installed by the first search
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(REF_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(STATUS_COLUMN, QHeaderView.ResizeMode.Interactive)
        # Narrow enough that the title keeps most of a laptop-sized pane.
        header.resizeSection(REF_COLUMN, 92)
        header.resizeSection(STATUS_COLUMN, 112)
        header.setMinimumSectionSize(36)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.no_plan = empty_state(
            "This file holds no plan yet.\nAdd one from its text with File > Import Plan Text…"
        )
        self.tree_stack = QStackedWidget()
        self.tree_stack.addWidget(self.tree)
        self.tree_stack.addWidget(self.no_plan)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(self.plan_box)
        layout.addWidget(self.search)
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.kind_filter, 1)
        layout.addLayout(filters)
        layout.addWidget(self.tree_stack, 1)
        layout.addWidget(self.match_label)
        self.plan_box.hide()
        self.match_label.hide()

        context.fileChanged.connect(self._file_changed)
        context.notified.connect(self._data_changed)
        self._file_changed()

    # -- showing a file and a plan ---------------------------------------------------------

    def use_prefetched(self, prefetched: tuple[str, list[NodeInfo]] | None) -> None:
        """(plan id, its nodes) already read for the file about to be shown: the tree
        takes them instead of reading them again."""
        self._prefetched = prefetched

    def _file_changed(self) -> None:
        self.save_state()  # of the file being left (the tree still shows it)
        self.plan_id = None
        briefing = self.context.briefing
        self._state_file = None if briefing is None else briefing.path
        self._plan_states = {}
        self._legacy_state = None
        if briefing is None:
            self.model.set_nodes([])
        else:
            # The plan open last time, as it was: a restart, a merge and a sync (which show
            # the file again) come back to the same plan, branches and selection.
            remembered = self._load_states()
            self.reload_plans(keep=remembered)

    # -- what the tree looked like last time ----------------------------------------------

    #: At most this many expanded branches are remembered per plan.
    MAX_REMEMBERED = 2000

    @staticmethod
    def _state_key(path: Path) -> str:
        # crc32, not hashlib: the key is read at start-up, and hashlib loads OpenSSL (~2 ms).
        return f"treeState/{zlib.crc32(str(path.resolve()).encode('utf-8')):08x}"

    def _capture(self) -> None:
        """Keep (in memory) the selected node and the expanded branches of the plan shown."""
        if self.plan_id is None or not self.model.node_count():
            return
        current = self.tree.currentIndex()  # the context's selection is already cleared on a file change
        selected = (current.data(NODE_ID_ROLE) if current.isValid() else "") or self.context.current_node_id
        if self.model.node(selected) is None:
            selected = ""
        previous = self._plan_states.get(self.plan_id)
        if self.proxy.active:  # a search's or filter's branches are not the user's own
            expanded = previous.expanded if previous is not None else None
        else:
            found = []
            for node in self.model.nodes():
                source = self.model.index_of(node.id)
                if self.model.hasChildren(source) and self.tree.isExpanded(self.proxy.mapFromSource(source)):
                    found.append(node.id)
                    if len(found) >= self.MAX_REMEMBERED:
                        break
            expanded = frozenset(found)
        self._plan_states[self.plan_id] = PlanState(expanded, selected)

    def save_state(self) -> None:
        """Remember the open plan, and each plan's selected node and expanded branches,
        of the file shown (in the settings, for the next time it is shown)."""
        path = self._state_file
        if path is None:
            return
        self._capture()
        if not self._plan_states:
            return
        s = settings.settings()
        key = self._state_key(path)
        if self.plan_id is not None:
            s.setValue(f"{key}/plan", self.plan_id)
        for plan_id, state in self._plan_states.items():
            s.setValue(f"{key}/plans/{plan_id}/selected", state.selected)
            if state.expanded is not None:
                s.setValue(f"{key}/plans/{plan_id}/expanded", sorted(state.expanded))

    def _load_states(self) -> str | None:
        """Read the file's remembered plan states into memory; the id of the plan open last."""
        path = self._state_file
        if path is None:
            return None
        s = settings.settings()
        key = self._state_key(path)
        s.beginGroup(f"{key}/plans")
        for plan_id in s.childGroups():
            self._plan_states[plan_id] = self._read_state(s, plan_id)
        s.endGroup()
        if s.value(f"{key}/remembered", False, type=bool):
            # Saved by an earlier version: one state for the file, good for the plan holding its nodes.
            self._legacy_state = self._read_state(s, key)
        plan = s.value(f"{key}/plan", "", type=str)
        return plan if isinstance(plan, str) and plan else None

    @staticmethod
    def _read_state(s: QSettings, group: str) -> PlanState:
        wanted = None
        if s.contains(f"{group}/expanded"):
            expanded = s.value(f"{group}/expanded", [], type=list)
            wanted = frozenset(i for i in expanded if isinstance(i, str)) if isinstance(expanded, list) else None
        selected = s.value(f"{group}/selected", "", type=str)
        return PlanState(wanted, selected if isinstance(selected, str) else "")

    def _state_for(self, plan_id: str) -> PlanState | None:
        state = self._plan_states.get(plan_id)
        legacy = self._legacy_state
        if state is None and legacy is not None:
            ids = legacy.expanded or frozenset()
            if self.model.node(legacy.selected) is not None or any(self.model.node(i) for i in list(ids)[:50]):
                state = legacy
        return state

    def reload_plans(self, keep: str | None = None) -> None:
        briefing = self.context.briefing
        assert briefing is not None
        plans = briefing.plans()
        self.plan_box.clear()
        for plan in plans:
            self.plan_box.addItem(plan.title, plan.id)
        self.plan_box.setVisible(len(plans) > 1)
        wanted = keep or self.plan_id
        ids = [p.id for p in plans]
        self.show_plan(wanted if wanted in ids else (ids[0] if ids else None))

    def show_plan(self, plan_id: str | None) -> None:
        """Show the plan, as the user left it: the branches they had open and the node they
        had selected (the same plan shown again after a change keeps both)."""
        briefing = self.context.briefing
        self._capture()  # the plan shown until now, to come back to
        self.plan_id = plan_id
        selected = self.context.current_node_id
        if briefing is None or plan_id is None:
            self.model.set_nodes([])
            self.tree_stack.setCurrentWidget(self.no_plan)
            self.search.setEnabled(False)
            self.context.select_node("")
            return
        self.tree_stack.setCurrentWidget(self.tree)
        self.search.setEnabled(True)
        self.plan_box.setCurrentIndex(max(0, self.plan_box.findData(plan_id)))
        prefetched, self._prefetched = self._prefetched, None
        nodes = prefetched[1] if prefetched is not None and prefetched[0] == plan_id else briefing.nodes(plan_id)
        self.model.set_nodes(nodes)
        self._fit_ref_column(nodes)
        state = self._state_for(plan_id)
        if self.search.text().strip() or self.filters_active():
            self._apply_search(self.search.text())
        elif state is not None and state.expanded is not None:
            self.tree.collapseAll()
            for node in nodes:  # parents come before their children
                if node.id in state.expanded:
                    self.tree.expand(self.proxy.mapFromSource(self.model.index_of(node.id)))
        elif len(nodes) <= EXPAND_ALL_LIMIT:
            self.tree.expandAll()
        else:
            self.tree.expandToDepth(0)
        if not (selected and self.model.node(selected) is not None):
            selected = state.selected if state is not None else ""
        if selected and self.model.node(selected) is not None:
            self.select_node(selected)
        else:
            self.context.select_node("")

    def _fit_ref_column(self, nodes: list[NodeInfo]) -> None:
        """The reference column as wide as its deepest, longest reference: the title gets the rest."""
        if not nodes:
            return
        metrics = self.tree.fontMetrics()
        deepest = max(nodes[: EXPAND_ALL_LIMIT * 4], key=lambda n: (n.ref.count("."), len(n.ref)))
        need = (deepest.ref.count(".") + 1) * self.tree.indentation() + metrics.horizontalAdvance(deepest.ref) + 16
        self.tree.header().resizeSection(REF_COLUMN, max(56, min(140, need)))

    def select_node(self, node_id: str) -> bool:
        """Select and show the node in the tree (clearing a search that hides it)."""
        source = self.model.index_of(node_id)
        if not source.isValid():
            return False
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            self.search.clear()
            index = self.proxy.mapFromSource(source)
        if not index.isValid():  # hidden by the status or note-kind filter
            self.status_filter.setCurrentIndex(0)
            self.kind_filter.setCurrentIndex(0)
            index = self.proxy.mapFromSource(source)
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        if self.context.current_node_id != node_id:
            self.context.select_node(node_id)
        return True

    def select_ref(self, ref: str) -> bool:
        node = next((n for n in self.model.nodes() if n.ref == ref), None)
        return node is not None and self.select_node(node.id)

    def selected_node_ids(self) -> list[str]:
        """The nodes selected in the tree, else the current node (if any)."""
        rows = self.tree.selectionModel().selectedRows(0)
        ids = [i.data(NODE_ID_ROLE) for i in rows]
        if not ids and self.context.current_node_id:
            ids = [self.context.current_node_id]
        return [i for i in ids if i]

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node_id = current.data(NODE_ID_ROLE) if current.isValid() else ""
        if node_id != self.context.current_node_id:
            self.context.select_node(node_id or "")

    #: What the tree shows or filters by.
    LISTENS_TO = frozenset({ChangeKind.PLAN, ChangeKind.NODE, ChangeKind.STATUS, ChangeKind.NOTE, ChangeKind.SOURCE,
                            ChangeKind.LINK, ChangeKind.SEARCH_INDEX})

    def _data_changed(self, change: Changed) -> None:
        briefing = self.context.briefing
        if briefing is None or not change.concerns(self.LISTENS_TO):
            return
        kind, ident = change.kind, change.ident
        if kind in (ChangeKind.PLAN, ChangeKind.EVERYTHING) or (kind is ChangeKind.NODE and not ident):
            self.reload_plans(keep=self.plan_id)
            return
        if kind in (ChangeKind.STATUS, ChangeKind.NODE) and ident:
            try:
                node = change.value if isinstance(change.value, NodeInfo) else briefing.node(ident)
                self.model.update_node(node)
            except BriefbookError:
                self.reload_plans(keep=self.plan_id)
        if self.proxy.active:
            self._apply_search(self.search.text())  # what matches may have changed

    # -- search ----------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def filters_active(self) -> bool:
        return bool(self.status_filter.currentData() or self.kind_filter.currentData())

    def _apply_search(self, text: str) -> None:
        """Filter the tree by the search text and the two filters (or go to a reference)."""
        briefing = self.context.briefing
        text = text.strip()
        status, kind = self.status_filter.currentData(), self.kind_filter.currentData()
        if briefing is None or (not text and not status and not kind):
            self._show_everything()
            self.match_label.hide()
            return
        if text and self._go_to_ref(text):
            return
        if len(text) < 2 and text.isascii() and text:
            # One Latin letter matches nearly everything and costs the most.
            self.match_label.setText("Type one more letter to search.")
            self.match_label.show()
            return
        if not self._explains:
            from briefbook.gui.tree.match_text import MatchDelegate

            self.tree.setItemDelegateForColumn(TITLE_COLUMN, MatchDelegate(self.tree))
            self._explains = True
        try:
            reasons = briefing.match_reasons(text) if text else {}
            ids: set[str] | None = set(reasons) if text else None
            if status:
                with_status = {n.id for n in self.model.nodes() if n.status == status}
                ids = with_status if ids is None else ids & with_status
            if kind:
                with_kind = briefing.nodes_with_note_kind(kind)
                ids = with_kind if ids is None else ids & with_kind
        except BriefbookError as exc:
            self.match_label.setText(str(exc))
            self.match_label.show()
            return
        assert ids is not None
        # Collapsed first: the view then has no expanded rows to carry through
        # the filter change (with 10,000 expanded rows that is most of the cost).
        self.tree.collapseAll()
        self.proxy.set_matches(ids, {i: reasons[i] for i in ids if i in reasons}, text)
        count = self.proxy.match_count()
        if self.proxy.visible_count() <= EXPAND_MATCHES_LIMIT:
            self.tree.expandAll()
            shown = "Esc clears the search" if text else "choose “Any” to show every row"
        else:
            self.tree.expandToDepth(0)
            shown = "too many to open them all: type more to narrow them down"
        label = f"{count} match{'es' if count != 1 else ''}{self._where_found(ids, text)} — {shown}"
        self.match_label.setText(label if count else "Nothing matches.")
        self.match_label.show()

    def _where_found(self, ids: set[str], text: str) -> str:
        """": 3 in their own text, 5 only in a linked source" (empty without a text)."""
        if not text:
            return ""
        from briefbook.gui.tree.match_text import first_other_reason

        counts: dict[str, int] = {}
        for nid in ids:
            node = self.model.node(nid)
            reasons = self.proxy.reasons(nid)
            if node is None or not reasons:
                continue
            other = first_other_reason(node.title, reasons, text)
            if other is None or other.what == "its text":
                where = "in their own text"
            else:
                where = "only in " + other.what.split(" (")[0]
                if any(r.what == "its text" for r in reasons):
                    where = "in their own text"
            counts[where] = counts.get(where, 0) + 1
        order = sorted(counts.items(), key=lambda kv: (kv[0] != "in their own text", kv[0]))
        return ": " + ", ".join(f"{n} {where}" for where, n in order) if order else ""

    def _go_to_ref(self, text: str) -> bool:
        """A reference typed in the box ("3.2.1"): select that node, filter nothing."""
        node = next((n for n in self.model.nodes() if n.ref == text), None) if text[0].isdigit() else None
        if node is None:
            return False
        for box in (self.status_filter, self.kind_filter):  # a reference shows the whole tree
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self._show_everything()
        self.select_node(node.id)
        what = "commitment" if node.kind in TRACKED_KINDS else node.kind
        self.match_label.setText(f"Went to {what} {node.ref} — Down moves into the tree")
        self.match_label.show()
        return True

    def _show_everything(self) -> None:
        if not self.proxy.active:
            return
        self.tree.collapseAll()  # see _apply_search
        self.proxy.set_matches(None)
        if self.model.rowCount() and self.model.node_count() <= EXPAND_ALL_LIMIT:
            self.tree.expandAll()
        else:
            self.tree.expandToDepth(0)
        current = self.tree.currentIndex()
        if current.isValid():
            self.tree.scrollTo(current)

    # -- the context menu -------------------------------------------------------------------

    def _tree_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        if not index.isValid():
            return
        if not self.tree.selectionModel().isSelected(index):
            self.tree.setCurrentIndex(index)
        menu = QMenu(self)
        for action in self.menu_actions:
            menu.addAction(action)
        menu.addSeparator()
        copy = menu.addAction("&Copy Reference")
        copy.triggered.connect(self._copy_refs)
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def _copy_refs(self) -> None:
        nodes = [self.model.node(i) for i in self.selected_node_ids()]
        QGuiApplication.clipboard().setText(", ".join(n.ref for n in nodes if n is not None))
