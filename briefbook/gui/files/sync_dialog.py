"""File > Sync with Team Store…: sync the open file with the team store on
PostgreSQL, behind a progress dialog on a worker thread, then show what went
up, what came down and every collision in words.

Hook-up: add "briefbook.gui.files.sync_dialog" to `EXTENSIONS` in
briefbook/gui/main_window.py (`install(window)` adds the menu entry).

The store's address (without any password) is remembered in the file
(`meta` "store.address"); a password the server asks for is prompted for and
kept in memory for that one sync only. psycopg loads when a sync starts.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QInputDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from briefbook.gui import messages
from db.errors import BriefbookError

if TYPE_CHECKING:
    from briefbook.gui.main_window import MainWindow
    from db.briefing import Briefing
    from db.store.report import SyncReport

TITLE = "Sync with Team Store"


class SyncReportDialog(QDialog):
    """What a sync did, as the command line prints it: one line each."""

    def __init__(self, report: SyncReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sync Report")
        self.setObjectName("syncReportDialog")
        layout = QVBoxLayout(self)
        self.lines = report.summary()
        self.text = QLabel("\n\n".join(self.lines))
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # user text is data, never markup
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 260)


def sync_with_store(window: MainWindow, url: str, password: str | None = None) -> None:
    """Sync the window's file with the store at `url`; the report (or one sentence) at the end."""
    from briefbook.gui.operations import run_operation

    briefing = window.context.briefing
    if briefing is None:
        return
    if briefing.read_only:
        messages.show_error(window, TITLE, f"{briefing.path.name} is open read-only: it cannot be synced.")
        return
    selected = window.context.current_node_id

    def done(report: SyncReport) -> None:
        if report.changed:
            window.context.set_briefing(briefing)  # rows came in: reload the whole window
            if selected:
                window.select_node(selected)
        dialog = SyncReportDialog(report, window)
        window.sync_report_dialog = dialog  # type: ignore[attr-defined]
        dialog.open()

    def failed(exc: BaseException) -> None:
        from db.store.errors import PasswordNeeded

        if isinstance(exc, PasswordNeeded) and password is None:
            typed = ask_password(window, str(exc))
            if typed is not None:
                sync_with_store(window, url, typed)
            return
        if isinstance(exc, BriefbookError):
            messages.show_error(window, TITLE, str(exc))
        else:
            sys.excepthook(type(exc), exc, exc.__traceback__)

    run_operation(
        window,
        "Syncing with the team store…",
        lambda progress, cancelled: _sync(briefing, url, password, lambda label: progress(0, 0, label)),
        done,
        failed,
    )


def ask_password(parent: QWidget, why: str) -> str | None:
    """The password for this one sync (never stored); None if the user cancels."""
    text, ok = QInputDialog.getText(parent, TITLE, f"{why}\n\nPassword:", QLineEdit.EchoMode.Password)
    return text if ok else None


def ask_and_sync(window: MainWindow) -> None:
    briefing = window.context.briefing
    if briefing is None:
        return
    try:
        remembered = briefing.meta("store.address") or ""
    except BriefbookError:
        remembered = ""
    url, ok = QInputDialog.getText(
        window,
        TITLE,
        "Address of the team store (postgresql://user@host/database; the password comes from your "
        "PGPASSFILE or is asked for):",
        QLineEdit.EchoMode.Normal,
        remembered,
    )
    if ok and url.strip():
        sync_with_store(window, url.strip())


def install(window: MainWindow) -> None:
    action = QAction("S&ync with Team Store…", window)
    action.setObjectName("syncAction")
    action.setStatusTip("Send this file's changes to the team store and bring in everyone else's")
    action.triggered.connect(lambda: ask_and_sync(window))
    window.file_menu.insertAction(window.file_menu_end, action)
    window.sync_action = action  # type: ignore[attr-defined]
    window.editing_actions.append(action)  # enabled only for a file open for writing
    briefing = window.context.briefing
    action.setEnabled(briefing is not None and not briefing.read_only)


def _sync(briefing: Briefing, url: str, password: str | None, progress: Callable[[str], None]) -> SyncReport:
    # The store code and psycopg load when a sync starts, not with the window.
    from db.store.sync import sync_file

    return sync_file(briefing, url, password, progress)
