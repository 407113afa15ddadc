"""What the File menu (and the start page, and Help > Check File…) do, on the
shared context: new, open, open recent, import plan text, save a copy, merge a
colleague's copy, check the file, export a briefing book.

The window builds the menu entries and calls these. Everything slow to import
(services, the merge, the checks, the export dialog and exporters) is imported
inside the handler that needs it, so the window starts without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu

from briefbook.gui import messages, settings
from briefbook.gui.context import AppContext
from briefbook.gui.files.opening import open_briefing
from briefbook.gui.tree.pane import TreePane

if TYPE_CHECKING:
    from db.briefing.facade import Briefing
    from db.model.values import NodeInfo

FILE_FILTER = "Briefing files (*.briefbook *.sqlite *.db);;All files (*)"


class FileActions(QObject):
    """The file handlers of one window: its dialogs are parented to `window`,
    their news go to its status bar, and `tree` shows what was opened."""

    def __init__(self, context: AppContext, window: QMainWindow, tree: TreePane) -> None:
        super().__init__(window)
        self.context = context
        self.window = window
        self.tree = tree

    # -- opening ------------------------------------------------------------------------

    def open_path(self, path: Path) -> bool:
        """Open `path`, replacing the current file; on refusal say why and keep the current one."""
        path = Path(path)
        briefing = open_briefing(self.window, path, settings.author())
        if briefing is None:
            return False
        self.set_briefing(briefing)
        return True

    def set_briefing(self, briefing: Briefing | None, prefetched: tuple[str, list[NodeInfo]] | None = None) -> None:
        """Show `briefing` (None: the start page). `prefetched`: (plan id, its nodes) already read."""
        self.tree.use_prefetched(prefetched)
        if briefing is not None:
            briefing.user = settings.author()
        self.context.set_briefing(briefing)
        if briefing is not None and briefing.recovered:
            self.window.statusBar().showMessage(briefing.recovered, 30000)
        elif briefing is not None and briefing.migration_backup is not None:
            self.window.statusBar().showMessage(
                f"The file was updated for this version of briefbook; the old one is kept as "
                f"{briefing.migration_backup.name}.",
                15000,
            )

    def _ask_open_path(self) -> Path | None:
        start = str(self.context.briefing.path.parent) if self.context.briefing else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self.window, "Open Briefing File", start, FILE_FILTER)
        return Path(name) if name else None

    def _ask_save_path(self, title: str, suggested: str) -> Path | None:
        folder = self.context.briefing.path.parent if self.context.briefing else Path.home()
        name, _ = QFileDialog.getSaveFileName(self.window, title, str(folder / suggested), FILE_FILTER)
        return Path(name) if name else None

    def open_file_dialog(self) -> None:
        path = self._ask_open_path()
        if path is not None:
            self.open_path(path)

    def fill_recent_menu(self, menu: QMenu) -> None:
        """Refill File > Open Recent as it opens: one entry per remembered file."""
        menu.clear()
        files = settings.recent_files()
        for n, path in enumerate(files, 1):
            action = menu.addAction(f"&{n} {path.name}  ({path.parent})" if n < 10 else str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_recent(p))
        if not files:
            menu.addAction("No recent files").setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction("&Clear the List").triggered.connect(lambda: settings.settings().setValue("recentFiles", []))

    def open_recent(self, path: Path) -> None:
        if not path.exists():
            settings.remove_recent_file(path)
            messages.show_error(self.window, "Cannot open file", f"There is no file at {path} any more.")
            return
        self.open_path(path)

    # -- making files ---------------------------------------------------------------------

    def new_file(self) -> None:
        path = self._ask_save_path("New Briefing File", "briefing.briefbook")  # the name the desktop knows
        if path is None:
            return
        choice = messages.ask_choice(
            self.window,
            "New Briefing File",
            "Start the new file with the Japan-Italy Action Plan 2024-2027 (with its news reports, notes "
            "and meetings), or empty?",
            ["With the &Japan-Italy Plan", "&Empty"],
        )
        if choice is None:
            return
        if path.exists():  # the save dialog asked about replacing; never replace a file in place
            messages.show_error(self.window, "New Briefing File", f"{path} already exists; choose another name.")
            return
        from briefbook.gui.operations import run_operation
        from briefbook.services.seeding import init_file

        author = settings.author()
        run_operation(
            self.window,
            "Creating the briefing file…",
            lambda progress, cancel: init_file(
                path, empty=choice == 1, user=author, progress=lambda label: progress(0, 0, label), cancel=cancel
            ),
            self.set_briefing,
        )

    def import_plan_text(self) -> None:
        """File > Import Plan…: a document, previewed as a tree before anything is written."""
        if self.context.briefing is None:
            return
        from briefbook.gui.files.import_dialog import choose_and_import

        choose_and_import(self.window, self.context, self.tree.show_plan)

    def remove_plan(self) -> None:
        """File > Remove Plan…: the plan the tree shows, after a confirmation naming what goes with it."""
        briefing = self.context.briefing
        plan_id = self.tree.plan_id
        if briefing is None or plan_id is None:
            return
        from briefbook.gui import messages
        from briefbook.gui.commands.base import push
        from briefbook.gui.commands.plans import RemovePlanCommand, removal_question
        from db.model.errors import BriefbookError

        try:
            contents = briefing.plan_contents(plan_id)
        except BriefbookError as exc:
            messages.show_error(self.window, "Remove Plan", str(exc))
            return
        if messages.ask_yes_no(self.window, "Remove Plan", removal_question(contents), "Remove"):
            push(self.context, RemovePlanCommand(self.context, contents), self.window, "Remove Plan")

    def save_copy_as(self) -> None:
        briefing = self.context.briefing
        if briefing is None:
            return
        target = self._ask_save_path("Save a Copy As", f"{briefing.path.stem} copy{briefing.path.suffix}")
        if target is None:
            return
        from briefbook.gui.operations import run_operation
        from db.briefing.files import copy_file

        source = briefing.path
        run_operation(
            self.window,
            "Copying the briefing file…",
            lambda progress, cancel: copy_file(source, target, cancel),
            lambda _: self.window.statusBar().showMessage(f"Saved a copy as {target}.", 10000),
        )

    # -- merge, check, export: their code loads when first used -----------------------------------

    def merge(self) -> None:
        """Ask for a colleague's copy and merge it into the open file."""
        briefing = self.context.briefing
        if briefing is None:
            return
        name, _ = QFileDialog.getOpenFileName(
            self.window, "Merge a Colleague's Copy", str(briefing.path.parent), FILE_FILTER
        )
        if name:
            from briefbook.gui.files.merge_dialog import merge_file

            merge_file(self.window, self.context, Path(name), self.tree.select_node)

    def sync(self) -> None:
        """File > Sync with Team Store…: ask for the store's address, then sync."""
        if self.context.briefing is None:
            return
        from briefbook.gui.files.sync_dialog import ask_and_sync  # psycopg loads when a sync starts

        ask_and_sync(self.window, self.context, self.tree.select_node)

    def conflicts(self) -> None:
        """Show what merges set aside, to restore or dismiss."""
        if self.context.briefing is None:
            return
        from briefbook.gui.files.conflicts_dialog import show_conflicts

        show_conflicts(self.window, self.context)

    def check(self) -> None:
        """Check the open file (with none open: ask which one) and show the verdict."""
        briefing = self.context.briefing
        if briefing is None:
            name, _ = QFileDialog.getOpenFileName(self.window, "Check File", str(Path.home()), FILE_FILTER)
            if not name:
                return
            path = Path(name)
        else:
            path = briefing.path
        from briefbook.gui.files.check_dialog import check

        check(self.window, self.context, path)

    def export(self, meeting_id: str | None = None) -> None:
        """Open the export dialog (on `meeting_id`'s pack when the meetings panel asks)."""
        from briefbook.gui.export.dialog import open_export_dialog

        open_export_dialog(self.window, self.context, meeting_id)
