"""Long work (copy, seed, import, export, merge, sync, check, repair) off the GUI
thread, behind a progress dialog with a Cancel button that keeps its word.

    run_operation(parent, "Merging…", fn, on_success)

`fn(progress, cancel)` runs on a worker thread. It may call
`progress(done, total, label)`; `cancel` is the operation's
`db.model.cancelling.Cancellation`, which the data layer takes as it is.

The contract (every long operation keeps it; the tests press Cancel at the
start, the middle and the end of each one and look at the disk and the window):

1. Before its point of no return, Cancel stops the work at its next safe
   point (`cancel.check()` raises `db.model.errors.Cancelled`) and the disk is as
   it was: nothing written, no backup copy left, no lock held, no half file.
   The window says so in its status bar (the `Cancelled` sentence) and shows
   nothing else: no report, no reload, the undo history kept.
2. The work calls `cancel.point_of_no_return()` just before the step it
   cannot take back (a commit, the rename of a finished file). A Cancel that
   came first makes that call raise (rule 1); otherwise, from then on, the
   Cancel button is disabled and says "Finishing…", the dialog says the work
   can no longer be cancelled, and the result is shown exactly as if nobody
   had pressed Cancel (its report, the window reloaded, the undo history
   handled as after any completion).
3. Returning is the last point of no return: work that only reads never
   calls it, and a Cancel pressed before it returned throws the result away.

The API holds the work to this: the outcome is decided by what the work did
(returned: shown; raised `Cancelled`: nothing to show), never by a flag read
afterwards, and a request and the point of no return are decided under one
lock, so no Cancel can land between the last check and the commit. A
`Cancelled` raised although nobody pressed Cancel is a bug, reported as one.

A `BriefbookError` is shown as its one sentence (`on_failure` may take it
instead); anything else as the error report dialog.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import SIGNAL, SLOT, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QProgressDialog, QPushButton, QWidget

from db.model.cancelling import Cancellation
from db.model.errors import BriefbookError, Cancelled

Progress = Callable[[int, int, str], None]
Work = Callable[[Progress, Cancellation], Any]

#: What the dialog says once Cancel was pressed, until the work reaches a safe point.
CANCELLING = "Cancelling… nothing will be changed."
#: The Cancel button's text past the point of no return, and what the dialog adds then.
FINISHING = "Finishing…"
NO_LONGER = "Finishing: this can no longer be cancelled."


class _Signals(QObject):
    progressed = Signal(int, int, str)
    no_return = Signal()
    finished = Signal(object)
    cancelled = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, operation: Operation) -> None:
        super().__init__()
        self.operation = operation
        self.setAutoDelete(True)

    def run(self) -> None:
        self.operation.work_on_worker_thread()


class ProgressDialog(QProgressDialog):
    """A progress dialog whose Cancel (button, Escape, the title bar's close)
    only asks: it stays on screen until the work has stopped or finished."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(title, "Cancel", 0, 0, parent)
        # The dialog's own button (setCancelButton would add a second Escape shortcut: then neither works).
        button = self.findChild(QPushButton)
        assert button is not None
        self.cancel_button: QPushButton = button
        # QProgressDialog hides itself on Cancel; the operation closes it when the work has ended.
        QObject.disconnect(self, SIGNAL("canceled()"), self, SLOT("cancel()"))
        self.ended = False

    def reject(self) -> None:  # Escape
        self.canceled.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.ended:
            event.accept()
            return
        event.ignore()
        self.canceled.emit()


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
        self.fn = fn
        self.on_success = on_success
        self.on_failure = on_failure
        self.signals = _Signals()
        self.cancellation = Cancellation(on_no_return=self.worker_no_return)
        self.label = title
        self.dialog = ProgressDialog(title, parent)
        self.dialog.setWindowTitle(title.rstrip("…."))
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(400)  # quick work never flashes a dialog
        # Starts that 400 ms clock: without a first value QProgressDialog keeps the 4 s of its
        # constructor, and work that reports no counts (a new file) showed no dialog for 4 s.
        self.dialog.setValue(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        queued = Qt.ConnectionType.QueuedConnection
        self.signals.progressed.connect(self._progress, queued)
        self.signals.no_return.connect(self._no_return, queued)
        self.signals.finished.connect(self._finished, queued)
        self.signals.cancelled.connect(self._cancelled, queued)
        self.signals.failed.connect(self._failed, queued)

    @property
    def cancel_button(self) -> QPushButton:
        return self.dialog.cancel_button

    def _window(self) -> QMainWindow | None:
        window = self.parent_widget.window() if self.parent_widget is not None else None
        return window if isinstance(window, QMainWindow) else None

    def start(self) -> None:
        window = self._window()
        if window is not None and window.statusBar().currentMessage() == window.property(_SAID_CANCELLED):
            window.statusBar().clearMessage()  # an earlier cancel's news is stale once new work starts
        _running.add(self)
        QThreadPool.globalInstance().start(_Runnable(self))

    # -- on the worker thread ---------------------------------------------------------------

    def work_on_worker_thread(self) -> None:
        try:
            result = self.fn(self.worker_progress, self.cancellation)
            self.cancellation.point_of_no_return()  # returning is the last one (rule 3)
        except Cancelled as exc:
            if self.cancellation.is_cancelled():
                self.signals.cancelled.emit(exc)
            else:  # nobody pressed Cancel: the work broke the contract
                bug = RuntimeError(f"{self.title} stopped as cancelled although nobody cancelled it")
                bug.__cause__ = exc
                self.signals.failed.emit(bug)
        except BaseException as exc:
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)

    def worker_progress(self, done: int, total: int, label: str) -> None:
        self.signals.progressed.emit(done, total, label)

    def worker_no_return(self) -> None:
        self.signals.no_return.emit()

    # -- on the GUI thread ---------------------------------------------------------------------

    @Slot()
    def cancel(self) -> None:
        """What the Cancel button does: ask; past the point of no return the work finishes."""
        if self.cancellation.cancel():
            self.cancel_button.setEnabled(False)
            self.dialog.setLabelText(CANCELLING)
        else:
            self._no_return()

    @Slot(int, int, str)
    def _progress(self, done: int, total: int, label: str) -> None:
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        if label:
            self.label = label
        if self.cancellation.is_cancelled():
            return  # it says "Cancelling…" until the work has stopped
        self.dialog.setLabelText(f"{self.label}\n{NO_LONGER}" if self.cancellation.past_no_return else self.label)

    @Slot()
    def _no_return(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText(FINISHING)
        self.cancel_button.setToolTip(NO_LONGER)
        self.dialog.setLabelText(f"{self.label}\n{NO_LONGER}")

    def _end(self) -> None:
        self.dialog.canceled.disconnect(self.cancel)
        self.dialog.ended = True
        self.dialog.close()
        self.dialog.deleteLater()
        _running.discard(self)
        self.done.emit()

    @Slot(object)
    def _finished(self, result: Any) -> None:
        if _ending:
            return
        self._end()
        if self.on_success is not None:
            self.on_success(result)

    @Slot(object)
    def _cancelled(self, exc: Cancelled) -> None:
        if _ending:
            return
        self._end()
        window = self._window()
        if window is not None:
            window.setProperty(_SAID_CANCELLED, str(exc))
            window.statusBar().showMessage(str(exc), 10000)

    @Slot(object)
    def _failed(self, exc: BaseException) -> None:
        if _ending:  # no dialog now; a bug still says so on stderr
            if not isinstance(exc, BriefbookError):
                sys.__excepthook__(type(exc), exc, exc.__traceback__)
            return
        self._end()
        if self.on_failure is not None:
            self.on_failure(exc)
        elif isinstance(exc, BriefbookError):
            from briefbook.gui.messages import show_error

            show_error(self.parent_widget, self.dialog.windowTitle(), str(exc))
        else:
            sys.excepthook(type(exc), exc, exc.__traceback__)


_running: set[Operation] = set()
#: Set by `stop_all`: the window is closing, results that arrive now are not shown.
_ending = False
#: The window property holding what the last cancelled operation said in its status bar.
_SAID_CANCELLED = "briefbookCancelledMessage"


def running() -> list[Operation]:
    """The operations under way (their dialogs are on screen or about to be)."""
    return list(_running)


def stop_all() -> None:
    """The window is ending (SIGTERM): ask every running operation to stop (past its
    point of no return it finishes), wait for their threads so that nothing still
    writes to the file being closed, and show none of their results."""
    global _ending
    _ending = True
    for op in list(_running):
        op.cancellation.cancel()
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
