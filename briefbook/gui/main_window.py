"""The main window: the plan tree pane on the left, the selected node with its
notes, sources and status history on the right, the meetings in a dock; the
start page instead while no file is open. Menus give every action a keyboard path.

Every menu entry is built here, in `_build_menus`. The File entries (and
Help > Check File…) call `FileActions` (briefbook/gui/files/actions.py),
whose export, merge and check handlers import their code only when used, so
the entries cost nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QTabWidget,
)

from briefbook.gui import settings
from briefbook.gui.context import AppContext
from briefbook.gui.files.actions import FileActions
from briefbook.gui.files.start_page import StartPage
from briefbook.gui.tree.pane import TreePane
from briefbook.gui.widgets.empty_state import empty_state

Shortcut = QKeySequence | QKeySequence.StandardKey | str


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext | None = None, lazy_panels: bool = False) -> None:
        """`lazy_panels`: build the right-hand panels and the meetings dock after the
        first paint (start-up: the tree shows first); otherwise at once."""
        super().__init__()
        self.panels_built = False
        self._after_panels: list[Callable[[], object]] = []
        self.context = context or AppContext(self)
        self.setWindowTitle("briefbook")
        self.setAccessibleName("briefbook")
        self.resize(1440, 900)

        self.tree_pane = TreePane(self.context)
        self.files = FileActions(self.context, self, self.tree_pane)
        self._build_right_side()
        self.workspace = QSplitter(Qt.Orientation.Horizontal)
        self.workspace.setObjectName("mainSplitter")
        self.workspace.addWidget(self.tree_pane)
        self.workspace.addWidget(self.right)
        self.workspace.setStretchFactor(0, 2)
        self.workspace.setStretchFactor(1, 3)
        self.workspace.setSizes([520, 560])
        self.workspace.setChildrenCollapsible(False)

        self.start_page = StartPage(self.files)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.start_page)
        self.pages.addWidget(self.workspace)
        self.setCentralWidget(self.pages)

        self.meetings_dock = QDockWidget("Meetings", self)
        self.meetings_dock.setObjectName("meetingsDock")
        self.meetings_dock.setAccessibleName("Meetings")
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.meetings_dock)
        self.resizeDocks([self.meetings_dock], [360], Qt.Orientation.Horizontal)
        self._build_menus()
        self.status_file = QLabel()
        self.status_file.setTextFormat(Qt.TextFormat.PlainText)  # a colleague's file name is data
        self.status_file.setAccessibleName("Open file")
        self.statusBar().addPermanentWidget(self.status_file)

        self.context.fileChanged.connect(self._file_changed)
        self._check_frame = False
        self._restore_settings()
        self._file_changed()
        if lazy_panels:
            # After the tree's first paint (a zero timer would run before it);
            # the second timer covers a start with no file, where no tree paints.
            self.tree_pane.tree.viewport().installEventFilter(self)
            QTimer.singleShot(400, self.ensure_panels)
        else:
            self.ensure_panels()

    # -- building --------------------------------------------------------------------

    def _build_right_side(self) -> None:
        # Until ensure_panels() runs, plain placeholders keep the layout in shape.
        self.node_panel_slot = QStackedWidget()
        self.node_panel_slot.addWidget(empty_state(""))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("nodeTabs")
        self.tabs.setAccessibleName("Notes, sources and status history")
        for title in ("&Notes", "S&ources", "Status &history"):
            self.tabs.addTab(empty_state(""), title)
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.setObjectName("rightSplitter")
        self.right.addWidget(self.node_panel_slot)
        self.right.addWidget(self.tabs)
        self.right.setStretchFactor(0, 2)
        self.right.setStretchFactor(1, 3)
        self.right.setSizes([300, 460])
        self.right.setChildrenCollapsible(False)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        viewport = self.tree_pane.tree.viewport()
        if event.type() == QEvent.Type.Paint and obj is viewport and not self.panels_built:
            viewport.removeEventFilter(self)
            QTimer.singleShot(0, self.ensure_panels)
        return False

    def after_first_paint(self, step: Callable[[], object]) -> None:
        """Run `step` once the panels are built: after the tree's first paint (or the
        fallback timer), so a first-run question never holds the tree back."""
        if self.panels_built:
            QTimer.singleShot(0, step)
        else:
            self._after_panels.append(step)

    def ensure_panels(self) -> None:
        """Import and build the node, notes, sources, history and meetings panels (once)."""
        if self.panels_built:
            return
        self.panels_built = True
        for step in self._after_panels:
            QTimer.singleShot(0, step)
        self._after_panels.clear()
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
            if old is not None:
                old.deleteLater()
        self.tabs.setCurrentIndex(max(0, current))
        self.meetings_panel = MeetingsPanel(self.context)
        self.meetings_panel.export_requested.connect(self.files.export)
        self.meetings_dock.setWidget(self.meetings_panel)
        # Panels made after a node was selected catch up with it.
        if self.context.current_node_id:
            for panel in (self.node_panel, self.notes_panel, self.history_panel):
                panel.show_node(self.context.current_node_id)

    # -- menus -----------------------------------------------------------------------

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: Shortcut | None = None,
        name: str = "",
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        if name:
            action.setObjectName(name)
        if tip:
            action.setStatusTip(tip)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        """Every menu entry of the window; the ones to find again have an object name."""
        bar = self.menuBar()
        files, tree = self.files, self.tree_pane

        f = bar.addMenu("&File")
        self._action(f, "&New…", files.new_file, QKeySequence.StandardKey.New, "newAction")
        self._action(f, "&Open…", files.open_file_dialog, QKeySequence.StandardKey.Open, "openAction")
        recent = f.addMenu("Open &Recent")
        recent.setObjectName("recentMenu")
        recent.aboutToShow.connect(lambda: files.fill_recent_menu(recent))
        f.addSeparator()
        import_plan = self._action(f, "&Import Plan…", files.import_plan_text, None, "importAction")
        remove_plan = self._action(f, "Remo&ve Plan…", files.remove_plan, None, "removePlanAction",
                                   "Remove the plan shown, with its notes, statuses and agenda entries (undoable)")
        save_copy = self._action(f, "Save a &Copy As…", files.save_copy_as, "Ctrl+Shift+S", "saveCopyAction")
        merge = self._action(
            f, "&Merge a Colleague's Copy…", files.merge, None, "mergeAction",
            "Bring the notes, sources and changes of a colleague's copy of this file in",
        )
        sync = self._action(f, "S&ync with Team Store…", files.sync, None, "syncAction",
                            "Send this file's changes to the team store and bring in everyone else's")
        conflicts = self._action(f, "Con&flicts…", files.conflicts, None, "conflictsAction",
                     "Versions merges set aside where two people changed the same thing: restore or dismiss")
        self._action(
            f, "&Export Briefing Book…", lambda: files.export(), "Ctrl+E", "exportAction",
            "Write a meeting pack, the plan or one area as PDF or Word",
        )
        f.addSeparator()
        self._action(f, "&Quit", self.close, QKeySequence.StandardKey.Quit, "quitAction")

        e = bar.addMenu("&Edit")
        undo = self.context.undo_stack.createUndoAction(self, "&Undo")
        undo.setObjectName("undoAction")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.context.undo_stack.createRedoAction(self, "&Redo")
        redo.setObjectName("redoAction")
        redo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")])
        e.addAction(undo)
        e.addAction(redo)
        e.addSeparator()
        self._action(e, "&Find…", tree.focus_search, QKeySequence.StandardKey.Find, "findAction")
        add_note = self._action(e, "Add &Note…", self.add_note, "Ctrl+Shift+N", "addNoteAction")
        add_to_meeting = self._action(
            e, "Add to &Meeting…", self.add_selection_to_meeting, "Ctrl+Shift+M", "addToMeetingAction"
        )
        e.addSeparator()
        preferences = self._action(
            e, "&Preferences…", self.show_preferences, QKeySequence.StandardKey.Preferences, "preferencesAction"
        )
        if preferences.shortcut().isEmpty():
            preferences.setShortcut(QKeySequence("Ctrl+,"))

        v = bar.addMenu("&View")
        self._action(v, "Plan &Tree", lambda: tree.tree.setFocus(), "Ctrl+1")
        self._action(v, "&Notes", lambda: self._show_tab(0), "Ctrl+2")
        self._action(v, "&Sources", lambda: self._show_tab(1), "Ctrl+3")
        self._action(v, "Status &History", lambda: self._show_tab(2), "Ctrl+4")
        meetings = self.meetings_dock.toggleViewAction()
        meetings.setText("&Meetings")
        meetings.setShortcut(QKeySequence("Ctrl+5"))
        v.addAction(meetings)
        v.addSeparator()
        self._action(v, "&Expand All", lambda: tree.tree.expandAll())
        self._action(v, "&Collapse All", lambda: tree.tree.collapseAll())
        v.addSeparator()
        zoom_in = self._action(v, "Zoom &In", lambda: self._zoom(+1), QKeySequence.StandardKey.ZoomIn, "zoomInAction")
        zoom_in.setShortcuts([QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")])
        self._action(v, "Zoom &Out", lambda: self._zoom(-1), QKeySequence.StandardKey.ZoomOut, "zoomOutAction")
        self._action(v, "&Actual Size", lambda: self._zoom(None), "Ctrl+0", "zoomResetAction")

        h = bar.addMenu("&Help")
        self._action(h, "User &Guide", self.show_guide, QKeySequence.StandardKey.HelpContents, "guideAction")
        self._action(h, "&Keyboard Shortcuts", self.show_shortcuts, "Ctrl+/", "shortcutsAction")
        h.addSeparator()
        self._action(
            h, "&Check File…", files.check, None, "checkFileAction",
            "Check the open file: integrity, references, attachments, search index",
        )
        h.addSeparator()
        self._action(h, "&About briefbook", self.show_about, None, "aboutAction")

        tree.menu_actions = [add_to_meeting, add_note]
        #: Enabled only with a file open (for writing, for the second list).
        self._file_actions = [save_copy, conflicts]
        self._editing_actions = [add_note, import_plan, remove_plan, add_to_meeting, merge, sync]

    # -- following the open file ---------------------------------------------------------

    def _file_changed(self) -> None:
        briefing = self.context.briefing
        if briefing is None:
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
            # File > Open Recent learns of it once the tree has shown it (a settings write
            # to disk is 1-3 ms the first paint need not wait for).
            path = briefing.path
            self.after_first_paint(lambda: settings.add_recent_file(path))
        editable = briefing is not None and not briefing.read_only
        for action in self._editing_actions:
            action.setEnabled(editable)
        for action in self._file_actions:
            action.setEnabled(briefing is not None)

    # -- actions -------------------------------------------------------------------------

    def add_selection_to_meeting(self) -> None:
        ids = self.tree_pane.selected_node_ids()
        if not ids:
            return
        self.ensure_panels()
        self.meetings_dock.show()
        self.meetings_panel.add_nodes_to_meeting(ids, self)

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

    def ask_name_if_unknown(self) -> None:
        """First run: ask for the name notes and status changes are signed with."""
        from briefbook.services import preferences

        if preferences.has_author():
            return
        from briefbook.gui.preferences_dialog import PreferencesDialog

        if PreferencesDialog(self, first_run=True).exec() and self.context.briefing is not None:
            self.context.briefing.user = settings.author()

    def show_about(self) -> None:
        from briefbook.gui.help import AboutDialog

        AboutDialog(self).exec()

    def show_guide(self) -> None:
        from briefbook.gui.help import GuideDialog

        GuideDialog(self).exec()

    def show_shortcuts(self) -> None:
        from briefbook.gui.help import ShortcutsDialog

        ShortcutsDialog(self).exec()

    def _zoom(self, delta: int | None) -> None:
        from briefbook.gui import zoom

        chosen = zoom.apply(0) if delta is None else zoom.zoom_by(delta)
        self.statusBar().showMessage(f"Text size {'+' if chosen > 0 else ''}{chosen}" if chosen else
                                     "Text at its normal size", 3000)

    # -- remembering -------------------------------------------------------------------

    #: How far each further briefbook window opens from the one before it.
    CASCADE = 36

    def _restore_settings(self) -> None:
        from briefbook.gui import zoom

        zoom.apply()  # the text size chosen last time
        s = settings.settings()
        geometry = s.value("window/geometry")
        normal = s.value("window/normal")
        restored = isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)
        if not restored and isinstance(normal, QRect) and normal.isValid():
            # Qt refuses a geometry saved on a screen that is gone: the size and place we saved instead.
            self.resize(normal.size())
            self.move(normal.topLeft())
            restored = True
        if not restored:
            self._fit_screen()
        # A second briefbook opens beside the first, not exactly on top of it.
        self.window_slot, self._slot_lock = settings.claim_window_slot()
        if self.window_slot:
            step = self.CASCADE * self.window_slot
            self.move(self.pos() + QPoint(step, step))
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        for splitter in (self.workspace, self.right):
            sizes = s.value(f"window/{splitter.objectName()}")
            if isinstance(sizes, QByteArray):
                splitter.restoreState(sizes)
        header = s.value("window/treeHeader")
        if isinstance(header, QByteArray):
            self.tree_pane.tree.header().restoreState(header)
        if restored:
            self.fit_restored_geometry()

    def fit_restored_geometry(self) -> None:
        """The place remembered from a larger screen (a 1920x1080 monitor, now a 1024x640
        laptop) fitted to the screen the window opens on: moved onto it when it fits,
        else fitted (the panes shared out for that size) and maximised, so that no part of
        the window, the meetings on the right first, is off the screen."""
        screen = QGuiApplication.screenAt(self.geometry().center()) or QGuiApplication.primaryScreen()
        if screen is None:
            return
        room = screen.availableGeometry()
        normal = self.normalGeometry() if self.isMaximized() else self.geometry()
        too_big = normal.width() > room.width() or normal.height() > room.height()
        saved_on = settings.settings().value("window/room")
        if too_big and isinstance(saved_on, QSize) and saved_on.width() <= room.width() \
                and saved_on.height() <= room.height():
            return  # as large already on a screen like this one: the user's choice (a screen below its minimum)
        if too_big:
            self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMaximized)
            self.move(room.topLeft())
            self.fit_to(min(normal.width(), room.width()), min(normal.height(), room.height()))
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
            return
        x = min(max(normal.x(), room.left()), room.right() + 1 - normal.width())
        y = min(max(normal.y(), room.top()), room.bottom() + 1 - normal.height())
        if (x, y) != (normal.x(), normal.y()):
            self.move(x, y)
        self._check_frame = True  # once shown, the frame (title bar, borders) is known: see showEvent

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._check_frame and not self.isMaximized():
            self._check_frame = False
            # The title bar and borders the system adds, kept on the screen too.
            screen = self.screen()
            room, frame = screen.availableGeometry(), self.frameGeometry()
            x = min(max(frame.x(), room.left()), room.right() + 1 - frame.width())
            y = min(max(frame.y(), room.top()), room.bottom() + 1 - frame.height())
            if (x, y) != (frame.x(), frame.y()):
                self.move(x, y)

    def _fit_screen(self) -> None:
        """First start: the window fits the screen; on a laptop (1024x640 up) the
        tree and the meetings get their share of a smaller width."""
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            return
        room = screen.availableGeometry()
        self.fit_to(min(1440, room.width()), min(900, room.height()))

    def fit_to(self, width: int, height: int) -> None:
        """This size, with the panes shared out for it (narrower than 1400: more for the tree)."""
        self.resize(width, height)
        if width < 1400:
            dock = max(260, int(width * 0.28))
            self.resizeDocks([self.meetings_dock], [dock], Qt.Orientation.Horizontal)
            rest = width - dock
            tree = int(rest * 0.55)  # the tree needs its three columns; the notes wrap
            self.workspace.setSizes([tree, rest - tree])

    def save_settings(self) -> None:
        s = settings.settings()
        if self.window_slot == 0:  # a cascaded window leaves the first one's place alone
            s.setValue("window/geometry", self.saveGeometry())
            s.setValue("window/normal", self.normalGeometry() if self.isMaximized() else self.geometry())
            screen = self.screen()
            if screen is not None:  # the room it had: a smaller screen next time fits the window to itself
                s.setValue("window/room", screen.availableGeometry().size())
        s.setValue("window/state", self.saveState())
        for splitter in (self.workspace, self.right):
            s.setValue(f"window/{splitter.objectName()}", splitter.saveState())
        s.setValue("window/treeHeader", self.tree_pane.tree.header().saveState())
        self.tree_pane.save_state()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Every edit is already committed; leave the line edit being typed in first
        # so its last change is committed too.
        focus = QGuiApplication.focusObject()
        if isinstance(focus, QLineEdit):
            focus.editingFinished.emit()
        self.save_settings()
        self.context.set_briefing(None)
        if self._slot_lock is not None:
            self._slot_lock.unlock()
            self._slot_lock = None
        super().closeEvent(event)
