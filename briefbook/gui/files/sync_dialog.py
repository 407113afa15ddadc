"""File > Sync with Team Store…: sync the open file with the team store on
PostgreSQL, behind a progress dialog on a worker thread, then show what went
up, what came down and every collision in words.

The store's address (without any password) is remembered in the file
(`meta` "store.address"); a password the server asks for is prompted for and
kept in memory for that one sync only. psycopg loads when a sync starts.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QInputDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from briefbook.gui import messages
from db.model.errors import BriefbookError

if TYPE_CHECKING:
    from briefbook.gui.context import AppContext
    from db.briefing.facade import Briefing
    from db.model.cancelling import Cancellation
    from db.sharing.store.report import SyncReport

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


def sync_with_store(
    window: QWidget, context: AppContext, url: str, password: str | None = None,
    reselect: Callable[[str], object] | None = None,
) -> None:
    """Sync the open file with the store at `url`; the report (or one sentence) at the end.
    `reselect(node_id)` shows the node that was selected again after the reload."""
    from briefbook.gui.operations import run_operation

    briefing = context.briefing
    if briefing is None:
        return
    if briefing.read_only:
        messages.show_error(window, TITLE, f"{briefing.path.name} is open read-only: it cannot be synced.")
        return
    selected = context.current_node_id

    def done(report: SyncReport) -> None:
        if report.changed:
            context.set_briefing(briefing)  # rows came in: reload the whole window
            if selected and reselect is not None:
                reselect(selected)
        SyncReportDialog(report, window).open()

    def failed(exc: BaseException) -> None:
        from db.sharing.store.errors import PasswordNeeded

        if isinstance(exc, PasswordNeeded) and password is None:
            typed = ask_password(window, str(exc))
            if typed is not None:
                sync_with_store(window, context, url, typed, reselect)
            return
        if isinstance(exc, BriefbookError):
            messages.show_error(window, TITLE, str(exc))
        else:
            sys.excepthook(type(exc), exc, exc.__traceback__)

    run_operation(
        window,
        "Syncing with the team store…",
        lambda progress, cancel: _sync(briefing, url, password, lambda label: progress(0, 0, label), cancel),
        done,
        failed,
    )


def ask_password(parent: QWidget, why: str) -> str | None:
    """The password for this one sync (never stored); None if the user cancels."""
    text, ok = QInputDialog.getText(parent, TITLE, f"{why}\n\nPassword:", QLineEdit.EchoMode.Password)
    return text if ok else None


def ask_and_sync(window: QWidget, context: AppContext, reselect: Callable[[str], object] | None = None) -> None:
    briefing = context.briefing
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
        sync_with_store(window, context, url.strip(), reselect=reselect)


def _sync(briefing: Briefing, url: str, password: str | None, progress: Callable[[str], None],
          cancel: Cancellation) -> SyncReport:
    # The store code and psycopg load when a sync starts, not with the window.
    from db.sharing.store.sync import sync_file

    return sync_file(briefing, url, password, progress, cancel=cancel)
