"""An unexpected exception becomes a dialog with a report the user can copy
and send, instead of a dead window. Installed as `sys.excepthook` by app.py:
PySide6 passes exceptions raised in slots and event handlers to it."""

from __future__ import annotations

import platform
import sys
import traceback
from types import TracebackType

from PySide6 import __version__ as pyside_version
from PySide6.QtGui import QGuiApplication
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

from briefbook import __version__


def error_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    lines = [
        f"briefbook {__version__}, Python {platform.python_version()}, PySide6 {pyside_version}, "
        f"{platform.system()} {platform.release()}",
        "",
        *traceback.format_exception(exc_type, exc, tb),
    ]
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


class ErrorDialog(QDialog):
    def __init__(self, report: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Something went wrong")
        self.setAccessibleName("Unexpected error")
        self.resize(640, 400)
        intro = QLabel(
            "briefbook ran into a problem it did not expect. Your work up to the last change is "
            "saved in the file. Please copy this report and send it to whoever looks after briefbook."
        )
        intro.setWordWrap(True)
        self.report_view = QPlainTextEdit(report)
        self.report_view.setReadOnly(True)
        self.report_view.setAccessibleName("Error report")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton("&Copy report")
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(report))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.report_view)
        layout.addWidget(buttons)


_showing = False


def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    global _showing
    report = error_report(exc_type, exc, tb)
    if sys.__stderr__ is not None:
        sys.__stderr__.write(report)
    if issubclass(exc_type, KeyboardInterrupt):
        QApplication.quit()
        return
    # Refusals that slipped past a panel's own handling still get their sentence.
    from db.model.errors import BriefbookError

    if _showing or QApplication.instance() is None:
        return
    _showing = True
    try:
        parent = QApplication.activeWindow()
        if isinstance(exc, BriefbookError):
            from briefbook.gui.messages import show_error

            show_error(parent, "briefbook", str(exc))
        else:
            ErrorDialog(report, parent).exec()
    finally:
        _showing = False


def install_excepthook() -> None:
    sys.excepthook = excepthook
