"""db.model.cancelling: a cancel and the point of no return exclude each other."""

from __future__ import annotations

import threading

import pytest

from db.model.cancelling import Cancellation
from db.model.errors import Cancelled


def test_a_cancel_before_the_point_of_no_return_stops_the_work_there() -> None:
    told: list[str] = []
    cancel = Cancellation(on_no_return=lambda: told.append("no return"))
    cancel.check()  # nothing asked yet
    assert cancel.cancel() is True and cancel.is_cancelled()
    with pytest.raises(Cancelled, match="Merge cancelled"):
        cancel.check("Merge cancelled.")
    with pytest.raises(Cancelled):
        cancel.point_of_no_return()
    assert told == [] and not cancel.past_no_return


def test_past_the_point_of_no_return_a_cancel_is_refused_and_checks_pass() -> None:
    told: list[str] = []
    cancel = Cancellation(on_no_return=lambda: told.append("no return"))
    cancel.point_of_no_return()
    cancel.point_of_no_return()  # a second call changes nothing and tells no one again
    assert told == ["no return"]
    assert cancel.cancel() is False
    assert not cancel.is_cancelled()
    cancel.check()


def test_racing_a_cancel_against_the_point_of_no_return_always_gives_one_answer() -> None:
    for _ in range(300):
        cancel = Cancellation()
        start = threading.Barrier(2)
        answer: list[bool] = []

        def press(cancel: Cancellation = cancel, start: threading.Barrier = start, answer: list[bool] = answer) -> None:
            start.wait()
            answer.append(cancel.cancel())

        presser = threading.Thread(target=press)
        presser.start()
        start.wait()
        try:
            cancel.point_of_no_return()
            passed = True
        except Cancelled:
            passed = False
        presser.join()
        # Either the cancel came first (accepted, the work stops) or it came too late (refused, it finishes).
        assert answer == [not passed]
        assert cancel.past_no_return is passed and cancel.is_cancelled() is not passed
