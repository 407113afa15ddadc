"""SIGTERM (logout, shutdown) and Ctrl+C end the window as File > Quit would:
open dialogs are closed without a question, the settings are saved, the file is
closed and its lock released, and the process exits with status 0.

Why it is built this way. Python runs a signal handler on the main thread at
the next bytecode it executes, and in a running Qt application that is
wherever Qt next calls into Python: in the middle of the tree's paint (its
delegate, the filter's `data()`), in a dialog's nested event loop. Closing the
window there reset the tree's model under the painting view (segmentation
faults, IndexError). So the handler only notes the signal; Python's own C
handler also writes a byte to a pipe (`signal.set_wakeup_fd`), and a
`QSocketNotifier` on that pipe ends the window from the event loop, after any
dialog's or menu's nested loop has returned. The handler is installed before
the file is opened: a signal that comes before the window exists is kept for
it instead of killing the process with the file's lock left behind.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from types import FrameType

from PySide6.QtCore import QSocketNotifier, QThread, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
STOP_NUMBERS = {int(s) for s in STOP_SIGNALS}


class StopSignals:
    """`StopSignals()` before the file is opened, `watch()` once the application exists,
    `run(app, window)` for the event loop, `restore()` at the end."""

    #: How many times (20 ms apart) to wait for a nested loop with nothing to close.
    MAX_WAITS = 50

    def __init__(self) -> None:
        #: A stop signal came (set by the handler; everything else happens in the event loop).
        self.requested = False
        self._window: QWidget | None = None
        self._notifier: QSocketNotifier | None = None
        self._stopping = False
        self._main_loop = False
        self._waits = 0
        self._closers: list[Callable[[], object]] = []  # the pipe's (on Windows the socket pair's) ends
        self._read: Callable[[], bytes]
        if sys.platform == "win32":  # set_wakeup_fd takes only a socket there
            import socket

            reader, writer = socket.socketpair()
            reader.setblocking(False)
            writer.setblocking(False)
            self._read_fd, write_fd = reader.fileno(), writer.fileno()
            self._read = lambda: reader.recv(512)
            self._closers = [reader.close, writer.close]
        else:
            read_fd, write_fd = os.pipe()
            os.set_blocking(read_fd, False)
            os.set_blocking(write_fd, False)
            self._read_fd = read_fd
            self._read = lambda: os.read(read_fd, 512)
            self._closers = [lambda: os.close(read_fd), lambda: os.close(write_fd)]
        self._old_wakeup = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
        self._old_handlers = {sig: signal.signal(sig, self._note) for sig in STOP_SIGNALS}

    def _note(self, signum: int, frame: FrameType | None) -> None:
        # Runs wherever Python happens to be (inside a paint, say): change nothing else here.
        self.requested = True

    def watch(self) -> None:
        """From now on (the application exists) a stop signal is acted on, also in a
        dialog shown before the main loop runs (a start-up error): it is closed."""
        self._notifier = QSocketNotifier(self._read_fd, QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._woken)

    def run(self, app: QApplication, window: QWidget) -> int:
        """`app.exec()`, during which a stop signal closes `window` (at once if one came already)."""
        self._window = window
        # The first event the main loop itself handles (nothing runs between here and exec).
        QTimer.singleShot(0, self._main_loop_runs)
        return app.exec()

    def _main_loop_runs(self) -> None:
        self._main_loop = True

    def _woken(self) -> None:
        # The pipe holds the signals' numbers (the handler may not have run yet).
        if (self._drain() & STOP_NUMBERS or self.requested) and not self._stopping:
            self.requested = True
            self._stopping = True
            self._stop()

    def _drain(self) -> set[int]:
        came: set[int] = set()
        try:
            while chunk := self._read():
                came.update(chunk)
        except OSError:  # BlockingIOError: emptied
            pass
        return came

    def _stop(self) -> None:
        """Close the innermost dialog or menu until only the main loop runs, then the window."""
        if not self._main_loop or QThread.currentThread().loopLevel() > 1:
            # A dialog's exec() (or a menu's) runs a loop of its own: end it, and
            # come back once the code that opened it has seen it rejected and
            # returned, from the main loop.
            popup = QApplication.activePopupWidget()
            modal = QApplication.activeModalWidget()
            if popup is not None:
                popup.close()
            elif isinstance(modal, QDialog):
                modal.done(QDialog.DialogCode.Rejected)  # not reject(): it would ask about typed text
            elif modal is not None:
                modal.close()
            elif self._main_loop:
                # Nothing of ours to close, yet a loop below (a closed dialog's, unwinding;
                # a native file dialog's, a drag's): give it a moment, then end every loop
                # (run_window closes the window after the main one).
                self._waits += 1
                if self._waits > self.MAX_WAITS:
                    QApplication.quit()
                    return
            QTimer.singleShot(0 if popup or modal else 20, self._stop)
            return
        from briefbook.gui import operations

        operations.stop_all()  # nothing may still write to the file being closed
        if self._window is not None:
            self._window.close()
        QApplication.quit()

    def restore(self) -> None:
        """Put back the handlers there were before (the event loop has ended)."""
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier = None
        for sig, old in self._old_handlers.items():
            signal.signal(sig, old)
        signal.set_wakeup_fd(self._old_wakeup)
        for close in self._closers:
            close()
        self._closers = []

