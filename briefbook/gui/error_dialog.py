"""An exception nothing else handled: one sentence when the world around the file
caused it, or a bug report the user can copy and send, instead of a dead window.

Installed as `sys.excepthook` by app.py: PySide6 passes exceptions raised in
slots and event handlers to it, and long operations (gui/operations.py) pass
theirs. What is the environment's, the file's or a bug is decided as on the
command line (briefbook.services.failures): a refusal (`BriefbookError`), a
full disk, a locked or damaged file get their sentence; a file with values
briefbook never writes gets a sentence naming Help > Check File…; anything
else is an internal error: `ErrorDialog` says so, says whether the change
under way was rolled back, and names the crash log holding the traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from briefbook.services import failures

TITLE = "briefbook hit an internal error"


class ErrorDialog(QDialog):
    """A bug, told as one: what happened to the user's work, where the crash log is, and the details
    (the traceback) to copy."""

    def __init__(self, report: str, log: Path | None, outcome: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(TITLE)
        self.setAccessibleName(TITLE)
        self.resize(640, 420)
        where = (f"The details are saved in {log}; please send that file, or the details below (Copy details), "
                 "to whoever looks after briefbook.") if log is not None else (
                 f"The details could not be saved in {failures.log_folder()}; please copy them (Copy details) "
                 "and send them to whoever looks after briefbook.")
        self.intro = QLabel(
            f"briefbook hit an internal error: a bug in briefbook, not a problem with your file. {outcome} {where}"
        )
        self.intro.setTextFormat(Qt.TextFormat.PlainText)  # the path and the outcome are shown as written
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report_view = QPlainTextEdit(report)
        self.report_view.setReadOnly(True)
        self.report_view.setAccessibleName("Details")
        self.report_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy details")
        self.copy_button.setToolTip("Put the details (with the traceback) on the clipboard")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        if log is not None:
            self.folder_button = QPushButton("Open &Log Folder")
            self.folder_button.setToolTip(f"Show {log.parent} in the file manager")
            buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.folder_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log.parent))))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.report_view)
        layout.addWidget(buttons)
        buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.report)
        self.copy_button.setText("&Copied")


def open_file() -> Path | None:
    """The file the window has open (None: none, or no window)."""
    from briefbook.gui.context import AppContext

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return None
    for widget in app.topLevelWidgets():
        context = getattr(widget, "context", None)
        if isinstance(context, AppContext) and context.briefing is not None:
            return Path(context.briefing.path)
    return None


def outcome_of(exc: BaseException) -> str:
    """What became of the user's work: only a rolled-back transaction is called unchanged; every
    change before it was saved when it was made."""
    from db.model.errors import rolled_back

    if rolled_back(exc):
        return "The change you were making was rolled back: the file is as it was before it."
    return "Every change saved before this is in the file."


def sentence_for(exc: BaseException, path: Path | None) -> str | None:
    """The one sentence for a refusal, the environment or a file briefbook never wrote; None for a bug."""
    from db.model.errors import BriefbookError

    if isinstance(exc, BriefbookError):  # a refusal that slipped past a panel's own handling
        return str(exc)
    sentence = failures.environment_sentence(exc, path)
    if sentence is not None:
        return sentence[0].upper() + sentence[1:]
    damaged = failures.damaged_sentence([path] if path is not None else [], "Help > Check File…")
    return None if damaged is None else damaged + "."


_showing = False


def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    global _showing
    if sys.__stderr__ is not None:  # for whoever started the window from a terminal
        import traceback

        sys.__stderr__.write("".join(traceback.format_exception(exc_type, exc, tb)))
    if issubclass(exc_type, KeyboardInterrupt):
        QApplication.quit()
        return
    if _showing or QApplication.instance() is None:
        return
    _showing = True
    try:
        parent = QApplication.activeWindow()
        path = open_file()
        sentence = sentence_for(exc, path)
        if sentence is not None:
            from briefbook.gui.messages import show_error

            show_error(parent, "briefbook", sentence)
            return
        outcome = outcome_of(exc)
        report = failures.error_report(exc_type, exc, tb, "the window" + (f", with {path} open" if path else ""),
                                       outcome)
        ErrorDialog(report, failures.write_crash_log(report), outcome, parent).exec()
    finally:
        _showing = False


def install_excepthook() -> None:
    sys.excepthook = excepthook
