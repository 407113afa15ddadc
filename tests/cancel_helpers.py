"""Pressing Cancel at a chosen moment of a long operation, without timing.

`Hold` stops the operation's worker thread at one moment (before the work
starts, at a progress report whose label matches, or at its point of no
return) until the test lets it go; meanwhile the test presses the real
Cancel button of the progress dialog on screen (or Escape). So "Cancel at
the middle of the merge" is exactly that, on every machine, however loaded.

`folder_state` reads every file of a folder (names and bytes), which a
cancelled operation must leave as it found them: the briefing file, its
backups, its lock file, temporaries, exports.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from briefbook.gui import operations
from briefbook.gui.operations import Operation

#: Hold before the work has done anything.
START = "<start>"
#: Hold at the work's point of no return (after it passed it).
NO_RETURN = "<point of no return>"
#: Generous guards against a hang; no outcome depends on them.
WAIT_MS = 60_000


class Hold:
    """Holds the next operation's worker at `at`: START, NO_RETURN, the start of a progress
    label, or the first progress report `at(done, total, label)` is true of.

    `tell_first`: at NO_RETURN, whether the window hears of the point of no
    return before the worker stops (False: Cancel is pressed in the moment
    between the two, while the button still looks enabled).
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch, at: str | Callable[[int, int, str], bool],
                 tell_first: bool = True) -> None:
        self.at = at
        self.reached = threading.Event()
        self.go = threading.Event()
        self.operation: Operation | None = None
        self.labels: list[str] = []
        #: every progress report (done, total, label), and the index of the one held at
        self.steps: list[tuple[int, int, str]] = []
        self.held_step: int | None = None
        original_run = Operation.work_on_worker_thread
        original_progress = Operation.worker_progress
        original_no_return = Operation.worker_no_return

        def run(op: Operation) -> None:
            if at == START:
                self._hold(op)
            original_run(op)

        def progress(op: Operation, done: int, total: int, label: str) -> None:
            original_progress(op, done, total, label)
            self.steps.append((done, total, label))
            if label:
                self.labels.append(label)
            if not self.reached.is_set() and (
                (callable(at) and at(done, total, label)) or (isinstance(at, str) and label.startswith(at))
            ):
                self.held_step = len(self.steps) - 1
                self._hold(op)

        def no_return(op: Operation) -> None:
            if at == NO_RETURN and not tell_first:
                self._hold(op)
            original_no_return(op)
            if at == NO_RETURN and tell_first:
                self._hold(op)

        monkeypatch.setattr(Operation, "work_on_worker_thread", run)
        monkeypatch.setattr(Operation, "worker_progress", progress)
        monkeypatch.setattr(Operation, "worker_no_return", no_return)

    def _hold(self, op: Operation) -> None:
        if self.reached.is_set():
            return  # only the first time
        self.operation = op
        self.reached.set()
        self.go.wait()

    def stopped_where_held(self) -> bool:
        """The work reported no step after the moment it was held at: it stopped at the next safe point."""
        if self.at == START:
            return self.steps == []
        return self.held_step is not None and self.held_step == len(self.steps) - 1

    def wait(self, qtbot: Any) -> Operation:
        """Wait until the worker is held and the progress dialog is on screen; the operation."""
        qtbot.waitUntil(self.reached.is_set, timeout=WAIT_MS)
        op = self.operation
        assert op is not None
        qtbot.waitUntil(op.dialog.isVisible, timeout=WAIT_MS)  # it shows after its minimum duration
        return op

    def release(self, qtbot: Any) -> None:
        """Let the worker go on, and wait until the operation has ended (its result shown)."""
        op = self.operation
        assert op is not None
        if op in operations.running():
            with qtbot.waitSignal(op.done, timeout=WAIT_MS):
                self.go.set()
        self.go.set()


def press_cancel(qtbot: Any, op: Operation) -> None:
    """Click the dialog's Cancel button as a user does."""
    qtbot.mouseClick(op.cancel_button, Qt.MouseButton.LeftButton)


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden temporaries too) with its bytes; a lock file by name only
    (its heartbeat may tick). The window's settings folder is left out."""
    out: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_file() and not name.startswith("settings"):
            out[name] = b"" if name.endswith(".lock") else path.read_bytes()
    return out


def hold_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Hold]]:
    """The `hold_at` fixture (tests/conftest.py): `hold_at(at, tell_first=True)` makes a `Hold`
    on the next operation; after the test every held worker is let go and has ended,
    whatever the test's outcome."""
    from PySide6.QtCore import QThreadPool

    made: list[Hold] = []

    def make(at: str | Callable[[int, int, str], bool], tell_first: bool = True) -> Hold:
        hold = Hold(monkeypatch, at, tell_first)
        made.append(hold)
        return hold

    yield make
    for hold in made:
        hold.go.set()
    QThreadPool.globalInstance().waitForDone(WAIT_MS)
