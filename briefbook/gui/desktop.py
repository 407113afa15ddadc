"""The window as a desktop program: its icon, the name that ties it to its desktop
entry (packaging/linux/briefbook.desktop), and files the system asks it to open
(macOS sends a double-clicked briefing file as an event, not as an argument)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFileOpenEvent, QIcon

from briefbook.services.paths import RESOURCES

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from briefbook.gui.main_window import MainWindow

ICON = RESOURCES / "icons" / "briefbook.png"


def integrate(app: QApplication) -> None:
    """Icon and desktop entry name (Wayland and the task bars find the entry, its icon, by it)."""
    app.setDesktopFileName("briefbook")
    if ICON.is_file():
        app.setWindowIcon(QIcon(str(ICON)))


class _FileOpen(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent) and event.file():
            self.window.files.open_path(Path(event.file()))
            return True
        return False


def open_files_the_system_sends(app: QApplication, window: MainWindow) -> None:
    """A file double-clicked in the Finder (a QFileOpenEvent) opens in `window`."""
    app.installEventFilter(_FileOpen(window))
