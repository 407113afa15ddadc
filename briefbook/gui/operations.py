"""Long work (copy, seed, import, export, merge) off the GUI thread, behind a
cancellable progress dialog.

    run_operation(parent, "Copying…", fn, on_success)

`fn(progress, is_cancelled)` runs on a worker thread; it may call
`progress(done, total, label)` and should stop early when `is_cancelled()`.
Its result goes to `on_success` on the GUI thread. A `BriefbookError` is shown
as its one sentence (`db.errors.Cancelled`, the user's own cancel, is not);
anything else as the error report dialog.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from db.errors import BriefbookError, Cancelled

Progress = Callable[[int, int, str], None]
Work = Callable[[Progress, Callable[[], bool]], Any]


class _Signals(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, fn: Work, signals: _Signals, cancelled: threading.Event) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals
        self.cancelled = cancelled
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progressed.emit, self.cancelled.is_set)
        except BaseException as exc:
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


class Operation(QObject):
    """One running piece of work; kept alive by `_running` until it ends."""

    done = Signal()

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        fn: Work,
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[BaseException], None] | None,
    ) -> None:
        super().__init__()
        self.parent_widget = parent
        self.title = title
        self.on_success = on_success
        self.on_failure = on_failure
        self.cancelled = threading.Event()
        self.signals = _Signals()
        self.dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title.rstrip("…."))
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(400)  # quick work never flashes a dialog
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self._cancel)
        self.signals.progressed.connect(self._progress, Qt.ConnectionType.QueuedConnection)
        self.signals.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self.signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self.runnable = _Runnable(fn, self.signals, self.cancelled)

    def start(self) -> None:
        _running.add(self)
        QThreadPool.globalInstance().start(self.runnable)

    @Slot()
    def _cancel(self) -> None:
        self.cancelled.set()
        self.dialog.setLabelText("Cancelling…")

    @Slot(int, int, str)
    def _progress(self, done: int, total: int, label: str) -> None:
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        if label:
            self.dialog.setLabelText(label)

    def _end(self) -> None:
        self.dialog.canceled.disconnect(self._cancel)
        self.dialog.close()
        self.dialog.deleteLater()
        _running.discard(self)
        self.done.emit()

    @Slot(object)
    def _finished(self, result: Any) -> None:
        self._end()
        if self.on_success is not None and not self.cancelled.is_set():
            self.on_success(result)

    @Slot(object)
    def _failed(self, exc: BaseException) -> None:
        self._end()
        if self.on_failure is not None:
            self.on_failure(exc)
        elif isinstance(exc, Cancelled):  # the user asked for it: nothing to say
            pass
        elif isinstance(exc, BriefbookError):
            from briefbook.gui.messages import show_error

            show_error(self.parent_widget, self.dialog.windowTitle(), str(exc))
        else:
            sys.excepthook(type(exc), exc, exc.__traceback__)


_running: set[Operation] = set()


def stop_all() -> None:
    """The window is ending (SIGTERM): ask every running operation to stop and wait
    for their threads, so that nothing still writes to the file being closed."""
    for op in list(_running):
        op.cancelled.set()
    QThreadPool.globalInstance().waitForDone()


def run_operation(
    parent: QWidget | None,
    title: str,
    fn: Work,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
) -> Operation:
    """Start `fn` on a worker thread behind a progress dialog; returns the running operation."""
    op = Operation(parent, title, fn, on_success, on_failure)
    op.start()
    return op
