"""Starting the window: `run_window(db_path)` (also `briefbook` with no sub-command).

Start-up speed matters: only what the first paint needs is imported before the
window shows; dialogs, exporters and services load when first used.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from briefbook.gui.main_window import MainWindow
    from briefbook.gui.stop_signals import StopSignals
    from db.briefing.facade import Briefing
    from db.model.cancelling import Cancellation
    from db.model.values import NodeInfo

ORGANISATION = "briefbook"
APPLICATION = "briefbook"


def make_application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        from briefbook.gui.display import watch_platform_start

        with watch_platform_start():  # no display: one sentence, not Qt's "reinstall the application"
            app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("briefbook")
    from briefbook.gui.desktop import integrate
    from briefbook.gui.fonts import install_fallback_font

    integrate(app)
    install_fallback_font(app)
    return app


#: From this size a file is opened in a thread while Qt loads: its integrity
#: check takes longer than the thread costs the window (on a 78 MB file the
#: thread saves 30 ms; on the 0.3 MB seeded file it costs 5 ms in GIL hand-overs).
PRELOAD_THREAD_FROM = 4 * 1024 * 1024


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # opened at once, where the window's usual dialog explains


class _Preload(threading.Thread):
    """Opens the file and reads its first plan's tree (in a thread while Qt loads, for a large file).

    SQLite's integrity check and reads release the GIL, so they overlap with
    the window being built. Any refusal is left for the window to meet again
    (the file is untouched), so its dialog comes from the usual place.
    """

    def __init__(self, path: Path, user: str) -> None:
        super().__init__(name="briefbook-preload", daemon=True)
        self.path, self.user = path, user
        self.briefing: Briefing | None = None
        self.nodes: tuple[str, list[NodeInfo]] | None = None
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            from db.briefing.facade import Briefing

            briefing = Briefing.open(self.path, user=self.user)
        except Exception as exc:
            self.error = exc
            return
        self.briefing = briefing
        try:
            plans = briefing.plans()
            if plans:
                self.nodes = (plans[0].id, briefing.nodes(plans[0].id))
        except Exception:
            self.nodes = None


def run_window(db_path: Path | None, on_shown: Callable[[MainWindow], object] | None = None) -> int:
    """The window's life. `on_shown(window)`, if given, runs once the tree has painted, in place
    of any question (a one-shot run, `--screenshot`); a file that cannot be opened then raises
    its refusal instead of showing a dialog nobody may be there to close."""
    # No cyclic garbage collection until the tree has painted: start-up makes
    # hundreds of thousands of objects (modules, Qt wrappers) and almost no garbage,
    # and the full collections they trigger cost 7 ms. After the paint the objects
    # made so far are frozen out of every later collection.
    gc.disable()
    # Before the file (and its lock) is opened: a SIGTERM from here on is kept for
    # the window instead of killing the process with the lock left behind.
    from briefbook.gui.stop_signals import StopSignals

    stops = StopSignals()
    try:
        return _run_window(db_path, stops, on_shown)
    finally:
        stops.restore()


def _run_window(db_path: Path | None, stops: StopSignals, on_shown: Callable[[MainWindow], object] | None) -> int:
    path = Path(db_path) if db_path is not None else _default_if_present()
    preload = None
    from PySide6.QtCore import QCoreApplication

    from briefbook.gui import settings

    # Names first: QSettings works before the application exists.
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    threaded = False
    if path is not None:
        preload = _Preload(path, settings.author())
        threaded = _size(path) >= PRELOAD_THREAD_FROM
        if threaded:
            # The modules the thread needs are imported here, first: importing is
            # Python work that holds the GIL, and a thread importing them would
            # stall every Qt call the window makes meanwhile. The thread is then
            # left with SQLite's work, which releases the GIL.
            from db.briefing.files import preload as import_what_opening_needs

            import_what_opening_needs()

            preload.start()
        else:
            preload.run()
    if stops.requested and preload is not None:  # told to stop while the file opened: no window to show
        if threaded:
            preload.join()
        if preload.briefing is not None:
            preload.briefing.close()
        return 0
    app = make_application()
    stops.watch()
    from briefbook.gui.error_dialog import install_excepthook

    install_excepthook()
    from briefbook.gui.main_window import MainWindow

    window = MainWindow(lazy_panels=True)
    from briefbook.gui.desktop import open_files_the_system_sends

    open_files_the_system_sends(app, window)
    if preload is not None:
        if threaded:
            preload.join()
        if preload.briefing is not None:
            window.files.set_briefing(preload.briefing, prefetched=preload.nodes)
        elif on_shown is not None and preload.error is not None:
            raise preload.error
        else:
            window.files.open_path(preload.path)
    window.show()
    window.after_first_paint(_collect_again)
    if on_shown is not None:
        window.after_first_paint(lambda: on_shown(window))
    elif preload is None and db_path is None:
        window.after_first_paint(lambda: _first_start(window))
    else:
        window.after_first_paint(window.ask_name_if_unknown)
    try:
        return stops.run(app, window)
    finally:
        _end(window)


def _end(window: MainWindow) -> None:
    """After the event loop: the window closed (the file with it, if a signal ended
    the loop some other way) and deleted while the application still exists."""
    import shiboken6

    if shiboken6.isValid(window):
        if window.context.briefing is not None:
            window.close()
        shiboken6.delete(window)


def _collect_again() -> None:
    gc.freeze()
    gc.enable()


def _default_if_present() -> Path | None:
    from briefbook.services.paths import default_file

    path = default_file()
    return path if path.exists() else None


def _first_start(window: MainWindow) -> None:
    """First start, once the window is drawn: one dialog at a time. First the name
    (the new file is opened as that user), then the file being made, with its progress."""
    window.ask_name_if_unknown()
    _create_default(window)


def _create_default(window: MainWindow) -> None:
    """First run: create and seed the user's default file in the background."""
    from briefbook.gui import settings
    from briefbook.gui.operations import Progress, run_operation
    from briefbook.services.paths import default_file
    from briefbook.services.seeding import init_file

    path = default_file()
    author = settings.author()

    def work(progress: Progress, cancel: Cancellation) -> Briefing:
        path.parent.mkdir(parents=True, exist_ok=True)
        return init_file(path, user=author, progress=lambda label: progress(0, 0, label), cancel=cancel)

    run_operation(window, "Creating your briefing file with the Japan-Italy plan…", work, window.files.set_briefing)
