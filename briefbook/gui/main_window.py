"""The main window: the plan tree with its search box on the left, the selected
node with its notes, sources and status history on the right, the meetings
in a dock. Menus give every action a keyboard path.

Other features hook in through `EXTENSIONS`: each named module has
`install(window)` and adds its menu entries to `window.file_menu`,
`window.edit_menu` or `window.help_menu` (export, merge, check file).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from briefbook.gui import messages, settings
from briefbook.gui.context import AppContext
from briefbook.gui.files.opening import open_briefing
from briefbook.gui.tree.delegate import StatusCountsDelegate
from briefbook.gui.tree.filter import TreeFilter
from briefbook.gui.tree.model import NODE_ID_ROLE, REF_COLUMN, STATUS_COLUMN, TITLE_COLUMN, PlanTreeModel
from db.briefing import Briefing
from db.errors import BriefbookError
from db.values import NodeInfo

#: Modules with `install(window) -> None`, called once the menus exist.
EXTENSIONS: list[str] = ["briefbook.gui.files.merge_dialog", "briefbook.gui.files.check_dialog", "briefbook.gui.export.dialog"]

FILE_FILTER = "Briefing files (*.sqlite *.briefbook *.db);;All files (*)"
#: Trees up to this many nodes open fully expanded; bigger ones show areas and items.
EXPAND_ALL_LIMIT = 600
#: A search opens every branch when at most this many rows stay visible.
EXPAND_MATCHES_LIMIT = 3000


def _placeholder(text: str) -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setObjectName("emptyState")
    return label


class _SearchKeys(QObject):
    """Esc clears the search box; Down moves into the tree."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Escape and self.window.search.text():
                self.window.search.clear()
                return True
            if event.key() == Qt.Key.Key_Down:
                self.window.tree.setFocus()
                if not self.window.tree.currentIndex().isValid():
                    self.window.tree.setCurrentIndex(self.window.proxy.index(0, 0))
                return True
        return False


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext | None = None, lazy_panels: bool = False) -> None:
        """`lazy_panels`: build the right-hand panels and the meetings dock after the
        first paint (start-up: the tree shows first); otherwise at once."""
        super().__init__()
        self.panels_built = False
        self._prefetched: tuple[str, list[NodeInfo]] | None = None
        self.context = context or AppContext(self)
        self.plan_id: str | None = None
        self.setWindowTitle("briefbook")
        self.setAccessibleName("briefbook")
        self.resize(1440, 900)

        self._build_tree_side()
        self._build_right_side()
        self.workspace = QSplitter(Qt.Orientation.Horizontal)
        self.workspace.setObjectName("mainSplitter")
        self.workspace.addWidget(self.left)
        self.workspace.addWidget(self.right)
        self.workspace.setStretchFactor(0, 2)
        self.workspace.setStretchFactor(1, 3)
        self.workspace.setSizes([520, 560])
        self.workspace.setChildrenCollapsible(False)

        self.start_page = self._build_start_page()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.start_page)
        self.pages.addWidget(self.workspace)
        self.setCentralWidget(self.pages)

        self.meetings_dock = QDockWidget("Meetings", self)
        self.meetings_dock.setObjectName("meetingsDock")
        self.meetings_dock.setAccessibleName("Meetings")
        self.meetings_panel: QWidget | None = None
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.meetings_dock)
        self.resizeDocks([self.meetings_dock], [360], Qt.Orientation.Horizontal)
        self._build_menus()
        self.status_file = QLabel()
        self.status_file.setAccessibleName("Open file")
        self.statusBar().addPermanentWidget(self.status_file)

        self.context.fileChanged.connect(self._file_changed)
        self.context.dataChanged.connect(self._data_changed)
        self.context.undo_stack.cleanChanged.connect(lambda _clean: None)
        self.extensions_installed = False
        self._restore_settings()
        self._file_changed()
        if lazy_panels:
            # After the tree's first paint (a zero timer would run before it);
            # the second timer covers a start with no file, where no tree paints.
            self.tree.viewport().installEventFilter(self)
            QTimer.singleShot(400, self._after_first_paint)
        else:
            self._after_first_paint()

    # -- building --------------------------------------------------------------------

    def _build_tree_side(self) -> None:
        self.left = QWidget()
        self.left.setMinimumWidth(280)
        self.plan_box = QComboBox()
        self.plan_box.setAccessibleName("Plan")
        self.plan_box.activated.connect(lambda i: self.show_plan(self.plan_box.itemData(i)))
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search commitments, notes and sources (Ctrl+F)")
        self.search.setAccessibleName("Search the plan")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.search.installEventFilter(_SearchKeys(self))
        self.match_label = QLabel()
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
        self.tree.setIndentation(14)
        self.tree.setItemDelegateForColumn(STATUS_COLUMN, StatusCountsDelegate(self.tree))
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(REF_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(STATUS_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(REF_COLUMN, 118)
        header.resizeSection(STATUS_COLUMN, 120)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.no_plan = _placeholder(
            "This file holds no plan yet.\nAdd one from its text with File > Import Plan Text…"
        )
        self.tree_stack = QStackedWidget()
        self.tree_stack.addWidget(self.tree)
        self.tree_stack.addWidget(self.no_plan)

        layout = QVBoxLayout(self.left)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(self.plan_box)
        layout.addWidget(self.search)
        layout.addWidget(self.tree_stack, 1)
        layout.addWidget(self.match_label)
        self.plan_box.hide()
        self.match_label.hide()

    def _build_right_side(self) -> None:
        # Until ensure_panels() runs, plain placeholders keep the layout in shape.
        self.node_panel_slot = QStackedWidget()
        self.node_panel_slot.addWidget(_placeholder(""))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("nodeTabs")
        self.tabs.setAccessibleName("Notes, sources and status history")
        for title in ("&Notes", "S&ources", "Status &history"):
            self.tabs.addTab(_placeholder(""), title)
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.setObjectName("rightSplitter")
        self.right.addWidget(self.node_panel_slot)
        self.right.addWidget(self.tabs)
        self.right.setStretchFactor(0, 2)
        self.right.setStretchFactor(1, 3)
        self.right.setSizes([300, 460])
        self.right.setChildrenCollapsible(False)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and obj is self.tree.viewport() and not self.panels_built:
            self.tree.viewport().removeEventFilter(self)
            QTimer.singleShot(0, self._after_first_paint)
        return False

    def _after_first_paint(self) -> None:
        """What the first look at the tree does not need: the menu entries of the
        extensions (export, merge, check: their modules load here), then the panels."""
        if not self.extensions_installed:
            self.extensions_installed = True
            self._install_extensions()
        self.ensure_panels()

    def ensure_panels(self) -> None:
        """Import and build the node, notes, sources, history and meetings panels (once)."""
        if self.panels_built:
            return
        self.panels_built = True
        from briefbook.gui.meetings.panel import MeetingsPanel
        from briefbook.gui.node.panel import NodePanel
        from briefbook.gui.node.status_history import StatusHistoryPanel
        from briefbook.gui.notes.panel import NotesPanel
        from briefbook.gui.sources.panel import SourcesPanel

        current = self.tabs.currentIndex()
        self.node_panel = NodePanel(self.context)
        self.node_panel_slot.addWidget(self.node_panel)
        self.node_panel_slot.setCurrentWidget(self.node_panel)
        self.notes_panel = NotesPanel(self.context)
        self.sources_panel = SourcesPanel(self.context)
        self.history_panel = StatusHistoryPanel(self.context)
        for i, (panel, title) in enumerate(
            ((self.notes_panel, "&Notes"), (self.sources_panel, "S&ources"), (self.history_panel, "Status &history"))
        ):
            old = self.tabs.widget(i)
            self.tabs.removeTab(i)
            self.tabs.insertTab(i, panel, title)
            old.deleteLater()
        self.tabs.setCurrentIndex(max(0, current))
        self.meetings_panel = MeetingsPanel(self.context)
        self.meetings_dock.setWidget(self.meetings_panel)
        # Panels made after a node was selected catch up with it.
        if self.context.current_node_id:
            for panel in (self.node_panel, self.notes_panel, self.history_panel):
                panel.show_node(self.context.current_node_id)

    def _build_start_page(self) -> QWidget:
        page = QWidget()
        title = QLabel("No briefing file is open")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        text = QLabel(
            "A briefing file holds a plan, your notes and sources on it, implementation statuses and "
            "meetings. Create a new one (with the Japan-Italy Action Plan 2024-2027 or empty), or open "
            "one a colleague gave you."
        )
        text.setWordWrap(True)
        new = QPushButton("&New Briefing File…")
        new.clicked.connect(self.new_file)
        open_ = QPushButton("&Open…")
        open_.clicked.connect(self.open_file_dialog)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(new)
        buttons.addWidget(open_)
        buttons.addStretch(1)
        inner = QVBoxLayout()
        inner.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        inner.addWidget(text)
        inner.addLayout(buttons)
        box = QWidget()
        box.setMaximumWidth(560)
        box.setLayout(inner)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    def _action(self, menu: QMenu, text: str, slot, shortcut=None, name: str = "") -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        if name:
            action.setObjectName(name)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.edit_menu = bar.addMenu("&Edit")
        self.view_menu = bar.addMenu("&View")
        self.help_menu = bar.addMenu("&Help")

        f = self.file_menu
        self.new_action = self._action(f, "&New…", self.new_file, QKeySequence.StandardKey.New, "newAction")
        self.open_action = self._action(f, "&Open…", self.open_file_dialog, QKeySequence.StandardKey.Open, "openAction")
        self.recent_menu = f.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        f.addSeparator()
        self.import_action = self._action(f, "&Import Plan Text…", self.import_plan_text, None, "importAction")
        self.copy_action = self._action(
            f, "Save a &Copy As…", self.save_copy_as, QKeySequence("Ctrl+Shift+S"), "saveCopyAction"
        )
        self.file_menu_end = f.addSeparator()  # extensions insert their entries before this
        self.quit_action = self._action(f, "&Quit", self.close, QKeySequence.StandardKey.Quit, "quitAction")

        e = self.edit_menu
        self.undo_action = self.context.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.context.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence.StandardKey.Redo, QKeySequence("Ctrl+Y")])
        e.addAction(self.undo_action)
        e.addAction(self.redo_action)
        e.addSeparator()
        self.find_action = self._action(e, "&Find…", self.focus_search, QKeySequence.StandardKey.Find, "findAction")
        self.add_note_action = self._action(
            e, "Add &Note…", self.add_note, QKeySequence("Ctrl+Shift+N"), "addNoteAction"
        )
        self.add_to_meeting_action = self._action(
            e, "Add to &Meeting…", self.add_selection_to_meeting, QKeySequence("Ctrl+Shift+M"), "addToMeetingAction"
        )
        e.addSeparator()
        self.preferences_action = self._action(
            e, "&Preferences…", self.show_preferences, QKeySequence.StandardKey.Preferences, "preferencesAction"
        )
        if self.preferences_action.shortcut().isEmpty():
            self.preferences_action.setShortcut(QKeySequence("Ctrl+,"))

        v = self.view_menu
        self._action(v, "Plan &Tree", lambda: self.tree.setFocus(), QKeySequence("Ctrl+1"))
        self._action(v, "&Notes", lambda: self._show_tab(0), QKeySequence("Ctrl+2"))
        self._action(v, "&Sources", lambda: self._show_tab(1), QKeySequence("Ctrl+3"))
        self._action(v, "Status &History", lambda: self._show_tab(2), QKeySequence("Ctrl+4"))
        meetings = self.meetings_dock.toggleViewAction()
        meetings.setText("&Meetings")
        meetings.setShortcut(QKeySequence("Ctrl+5"))
        v.addAction(meetings)
        v.addSeparator()
        self._action(v, "&Expand All", lambda: self.tree.expandAll(), None)
        self._action(v, "&Collapse All", lambda: self.tree.collapseAll(), None)

        self.about_action = self._action(self.help_menu, "&About briefbook", self.show_about, None, "aboutAction")
        self.editing_actions = [self.add_note_action, self.import_action, self.add_to_meeting_action]

    def _install_extensions(self) -> None:
        for name in EXTENSIONS:
            try:
                importlib.import_module(name).install(self)
            except Exception as exc:
                import sys

                sys.excepthook(type(exc), exc, exc.__traceback__)

    # -- files -----------------------------------------------------------------------

    def open_path(self, path: Path) -> bool:
        """Open `path`, replacing the current file; on refusal say why and keep the current one."""
        path = Path(path)
        briefing = open_briefing(self, path, settings.author())
        if briefing is None:
            return False
        self.set_briefing(briefing)
        return True

    def set_briefing(self, briefing: Briefing | None, prefetched: tuple[str, list[NodeInfo]] | None = None) -> None:
        """Show `briefing` (None: the start page). `prefetched`: (plan id, its nodes) already read."""
        self._prefetched = prefetched
        if briefing is not None:
            briefing.user = settings.author()
            settings.add_recent_file(briefing.path)
        self.context.set_briefing(briefing)
        if briefing is not None and briefing.migration_backup is not None:
            self.statusBar().showMessage(
                f"The file was updated for this version of briefbook; the old one is kept as "
                f"{briefing.migration_backup.name}.",
                15000,
            )

    def _ask_open_path(self) -> Path | None:
        start = str(self.context.briefing.path.parent) if self.context.briefing else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self, "Open Briefing File", start, FILE_FILTER)
        return Path(name) if name else None

    def _ask_save_path(self, title: str, suggested: str) -> Path | None:
        folder = self.context.briefing.path.parent if self.context.briefing else Path.home()
        name, _ = QFileDialog.getSaveFileName(self, title, str(folder / suggested), FILE_FILTER)
        return Path(name) if name else None

    def open_file_dialog(self) -> None:
        path = self._ask_open_path()
        if path is not None:
            self.open_path(path)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = settings.recent_files()
        for n, path in enumerate(files, 1):
            action = self.recent_menu.addAction(f"&{n} {path.name}  ({path.parent})" if n < 10 else str(path))
            action.triggered.connect(lambda _=False, p=path: self._open_recent(p))
        if not files:
            self.recent_menu.addAction("No recent files").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("&Clear the List").triggered.connect(
                lambda: settings.settings().setValue("recentFiles", [])
            )

    def _open_recent(self, path: Path) -> None:
        if not path.exists():
            settings.remove_recent_file(path)
            messages.show_error(self, "Cannot open file", f"There is no file at {path} any more.")
            return
        self.open_path(path)

    def new_file(self) -> None:
        path = self._ask_save_path("New Briefing File", "briefing.sqlite")
        if path is None:
            return
        choice = messages.ask_choice(
            self,
            "New Briefing File",
            "Start the new file with the Japan-Italy Action Plan 2024-2027 (with its news reports, notes "
            "and meetings), or empty?",
            ["With the &Japan-Italy Plan", "&Empty"],
        )
        if choice is None:
            return
        if path.exists():  # the save dialog asked about replacing; never replace a file in place
            messages.show_error(self, "New Briefing File", f"{path} already exists; choose another name.")
            return
        from briefbook.gui.operations import run_operation
        from briefbook.services.seeding import init_file

        author = settings.author()
        run_operation(
            self,
            "Creating the briefing file…",
            lambda progress, cancelled: init_file(path, empty=choice == 1, user=author),
            self.set_briefing,
        )

    def import_plan_text(self) -> None:
        briefing = self.context.briefing
        if briefing is None:
            return
        name, _ = QFileDialog.getOpenFileName(self, "Import Plan Text", str(Path.home()), "Text (*.txt *.md);;All files (*)")
        if not name:
            return
        from briefbook.gui.operations import run_operation
        from briefbook.services.plan_import import import_plan_file

        def done(report) -> None:  # type: ignore[no-untyped-def]
            self.context.changed("plan", report.plan_id)
            self.show_plan(report.plan_id)
            note = f" {len(report.unplaced)} lines could not be placed." if report.unplaced else ""
            messages.show_info(
                self,
                "Plan imported",
                f"{report.added} nodes added, {report.updated} updated, {report.removed} removed.{note}",
            )

        run_operation(self, "Importing the plan…", lambda p, c: import_plan_file(briefing, Path(name)), done)

    def save_copy_as(self) -> None:
        briefing = self.context.briefing
        if briefing is None:
            return
        target = self._ask_save_path("Save a Copy As", f"{briefing.path.stem} copy{briefing.path.suffix}")
        if target is None:
            return
        from briefbook.gui.operations import run_operation
        from db.copying import consistent_copy

        source = briefing.path
        run_operation(
            self,
            "Copying the briefing file…",
            lambda progress, cancelled: consistent_copy(source, target),
            lambda _: self.statusBar().showMessage(f"Saved a copy as {target}.", 10000),
        )

    # -- showing a file and a plan ---------------------------------------------------------

    def _file_changed(self) -> None:
        briefing = self.context.briefing
        self.plan_id = None
        if briefing is None:
            self.model.set_nodes([])
            self.pages.setCurrentWidget(self.start_page)
            self.setWindowTitle("briefbook")
            self.status_file.setText("")
            self.meetings_dock.setEnabled(False)
        else:
            self.pages.setCurrentWidget(self.workspace)
            ro = " [read-only]" if briefing.read_only else ""
            self.setWindowTitle(f"{briefing.path.name}{ro} — briefbook")
            self.status_file.setText(f"{briefing.path}{' — read-only: changes cannot be saved' if ro else ''}")
            self.meetings_dock.setEnabled(True)
            self._reload_plans()
        editable = briefing is not None and not briefing.read_only
        for action in self.editing_actions:
            action.setEnabled(editable)
        self.copy_action.setEnabled(briefing is not None)

    def _reload_plans(self, keep: str | None = None) -> None:
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
        briefing = self.context.briefing
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
        if self.search.text().strip():
            self._apply_search(self.search.text())
        elif len(nodes) <= EXPAND_ALL_LIMIT:
            self.tree.expandAll()
        else:
            self.tree.expandToDepth(0)
        if selected and self.model.node(selected) is not None:
            self.select_node(selected)
        else:
            self.context.select_node("")

    def select_node(self, node_id: str) -> bool:
        """Select and show the node in the tree (clearing a search that hides it)."""
        source = self.model.index_of(node_id)
        if not source.isValid():
            return False
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            self.search.clear()
            index = self.proxy.mapFromSource(source)
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        if self.context.current_node_id != node_id:
            self.context.select_node(node_id)
        return True

    def select_ref(self, ref: str) -> bool:
        node = next((n for n in self.model.nodes() if n.ref == ref), None)
        return node is not None and self.select_node(node.id)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node_id = current.data(NODE_ID_ROLE) if current.isValid() else ""
        if node_id != self.context.current_node_id:
            self.context.select_node(node_id or "")

    def _data_changed(self, kind: str, ident: str) -> None:
        briefing = self.context.briefing
        if briefing is None:
            return
        if kind in ("plan", "") or (kind == "node" and not ident):
            self._reload_plans(keep=self.plan_id)
            return
        if kind in ("status", "node") and ident:
            try:
                self.model.update_node(briefing.node(ident))
            except BriefbookError:
                self._reload_plans(keep=self.plan_id)
        if self.proxy.active and kind in ("note", "source", "link", "node", "status"):
            self._apply_search(self.search.text())  # what matches may have changed

    # -- search ----------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _search_changed(self, text: str) -> None:
        self._apply_search(text)

    def _apply_search(self, text: str) -> None:
        briefing = self.context.briefing
        if briefing is None or not text.strip():
            if self.proxy.active:
                self.tree.collapseAll()  # see below
                self.proxy.set_matches(None)
                if self.model.rowCount() and self.model.node_count() <= EXPAND_ALL_LIMIT:
                    self.tree.expandAll()
                else:
                    self.tree.expandToDepth(0)
                current = self.tree.currentIndex()
                if current.isValid():
                    self.tree.scrollTo(current)
            self.match_label.hide()
            return
        if len(text.strip()) < 2 and text.strip().isascii():
            # One Latin letter matches nearly everything and costs the most.
            self.match_label.setText("Type one more letter to search.")
            self.match_label.show()
            return
        try:
            ids = briefing.matching_node_ids(text)
        except BriefbookError as exc:
            self.match_label.setText(str(exc))
            self.match_label.show()
            return
        # Collapsed first: the view then has no expanded rows to carry through
        # the filter change (with 10,000 expanded rows that is most of the cost).
        self.tree.collapseAll()
        self.proxy.set_matches(ids)
        count = self.proxy.match_count()
        if self.proxy.visible_count() <= EXPAND_MATCHES_LIMIT:
            self.tree.expandAll()
            shown = "Esc clears the search"
        else:
            self.tree.expandToDepth(0)
            shown = "too many to open them all: type more to narrow them down"
        self.match_label.setText(f"{count} match{'es' if count != 1 else ''} — {shown}" if count else "Nothing matches.")
        self.match_label.show()

    # -- meetings --------------------------------------------------------------------

    def selected_node_ids(self) -> list[str]:
        rows = self.tree.selectionModel().selectedRows(0)
        ids = [i.data(NODE_ID_ROLE) for i in rows]
        if not ids and self.context.current_node_id:
            ids = [self.context.current_node_id]
        return [i for i in ids if i]

    def add_selection_to_meeting(self) -> None:
        ids = self.selected_node_ids()
        if not ids:
            return
        self.ensure_panels()
        self.meetings_dock.show()
        self.meetings_panel.add_nodes_to_meeting(ids, self)  # type: ignore[union-attr]

    def _tree_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        if not index.isValid():
            return
        if not self.tree.selectionModel().isSelected(index):
            self.tree.setCurrentIndex(index)
        menu = QMenu(self)
        menu.addAction(self.add_to_meeting_action)
        menu.addAction(self.add_note_action)
        menu.addSeparator()
        copy = menu.addAction("&Copy Reference")
        copy.triggered.connect(self._copy_refs)
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def _copy_refs(self) -> None:
        refs = [self.model.node(i).ref for i in self.selected_node_ids() if self.model.node(i)]  # type: ignore[union-attr]
        QGuiApplication.clipboard().setText(", ".join(refs))

    # -- other actions -------------------------------------------------------------------

    def add_note(self) -> None:
        self.ensure_panels()
        self.notes_panel.add_note()

    def _show_tab(self, index: int) -> None:
        self.ensure_panels()
        self.tabs.setCurrentIndex(index)
        self.tabs.currentWidget().setFocus()

    def show_preferences(self) -> None:
        from briefbook.gui.preferences_dialog import PreferencesDialog

        if PreferencesDialog(self).exec() and self.context.briefing is not None:
            self.context.briefing.user = settings.author()

    def show_about(self) -> None:
        from briefbook import __version__

        messages.show_info(
            self,
            "About briefbook",
            f"briefbook {__version__}: briefing books for bilateral action plans — notes, sources, "
            "implementation status and meeting packs. It works offline; everything is kept in one file.",
        )

    # -- remembering -------------------------------------------------------------------

    def _restore_settings(self) -> None:
        s = settings.settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        for splitter in (self.workspace, self.right):
            sizes = s.value(f"window/{splitter.objectName()}")
            if isinstance(sizes, QByteArray):
                splitter.restoreState(sizes)
        header = s.value("window/treeHeader")
        if isinstance(header, QByteArray):
            self.tree.header().restoreState(header)

    def save_settings(self) -> None:
        s = settings.settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        for splitter in (self.workspace, self.right):
            s.setValue(f"window/{splitter.objectName()}", splitter.saveState())
        s.setValue("window/treeHeader", self.tree.header().saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        # Every edit is already committed; leave the line edit being typed in first
        # so its last change is committed too.
        focus = QGuiApplication.focusObject()
        if isinstance(focus, QLineEdit):
            focus.editingFinished.emit()
        self.save_settings()
        self.context.set_briefing(None)
        super().closeEvent(event)

    def show_error_later(self, title: str, sentence: str) -> None:
        QTimer.singleShot(0, lambda: messages.show_error(self, title, sentence))
