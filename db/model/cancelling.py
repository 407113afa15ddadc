"""Cancelling long work: one request shared by the person who asks and the work.

The contract every long operation keeps (the window's Cancel button, see
`briefbook.gui.operations`, relies on it):

- Before its **point of no return** the work stops at a safe point when asked
  (`check()` raises `db.model.errors.Cancelled`), and leaves the disk as it was: no
  row written, no backup copy, no lock, no half-made file.
- At its point of no return (a commit, the rename of a finished file) the
  work calls `point_of_no_return()`. That call and a request to cancel are
  decided under one lock: either the request came first and the call raises
  `Cancelled` (nothing done yet), or the call came first and from then on
  the work finishes as if nobody had asked: `cancel()` answers False,
  `is_cancelled()` stays False, `check()` never raises.

So a work that returns has done all it set out to do; one that raises
`Cancelled` has done nothing. Work that only reads needs no point of no
return: its caller calls `point_of_no_return()` when it returns, and a
request that came first throws the result away.

Nothing here knows about Qt: the data layer, the exporters and the command
line use it as they are, and a window connects `on_no_return` to disable its
Cancel button.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from db.model.errors import Cancelled

#: What cancelled work says when nothing more specific fits.
CANCELLED = "Cancelled; nothing was changed."


class Cancellation:
    """A request to stop, asked from one thread and polled by the work on another."""

    def __init__(self, on_no_return: Callable[[], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._asked = False
        self._past = False
        self._on_no_return = on_no_return

    def cancel(self) -> bool:
        """Ask the work to stop; False when it is past its point of no return (it finishes)."""
        with self._lock:
            if self._past:
                return False
            self._asked = True
            return True

    def is_cancelled(self) -> bool:
        """Whether the work should stop at its next safe point (a plain callable for pollers)."""
        return self._asked

    @property
    def past_no_return(self) -> bool:
        return self._past

    def check(self, message: str = CANCELLED) -> None:
        """A safe point: raise `Cancelled` if a stop was asked for."""
        if self._asked:
            raise Cancelled(message)

    def point_of_no_return(self, message: str = CANCELLED) -> None:
        """From here the work finishes: raise `Cancelled` if a stop was asked for first."""
        with self._lock:
            if self._past:
                return
            if self._asked:
                raise Cancelled(message)
            self._past = True
        if self._on_no_return is not None:
            self._on_no_return()

