"""Starting the window: `run_window(db_path)` (also `briefbook` with no sub-command).

Start-up speed matters: only what the first paint needs is imported before the
window shows; dialogs, exporters and services load when first used.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

ORGANISATION = "briefbook"
APPLICATION = "briefbook"


def make_application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("briefbook")
    from briefbook.gui.fonts import install_fallback_font

    install_fallback_font(app)
    return app


def run_window(db_path: Path | None) -> int:
    app = make_application()
    from briefbook.gui.error_dialog import install_excepthook

    install_excepthook()
    from briefbook.gui.main_window import MainWindow

    window = MainWindow()
    if db_path is not None:
        window.open_path(Path(db_path))
    else:
        _open_default(window)
    window.show()
    return app.exec()


def _open_default(window) -> None:  # type: ignore[no-untyped-def]
    """The user's default file; created and seeded (in the background) on first run."""
    from briefbook.gui import settings
    from briefbook.services.paths import default_file

    path = default_file()
    if path.exists():
        window.open_path(path)
        return

    def create() -> None:
        from briefbook.gui.operations import run_operation
        from briefbook.services.seeding import init_file

        author = settings.author()

        def work(progress, cancelled):  # type: ignore[no-untyped-def]
            path.parent.mkdir(parents=True, exist_ok=True)
            return init_file(path, user=author)

        run_operation(window, "Creating your briefing file with the Japan-Italy plan…", work, window.set_briefing)

    QTimer.singleShot(0, create)
