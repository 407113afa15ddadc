"""Combining two records of one meeting (two colleagues each created it): ask which
other meeting, then combine it into this one as one undoable step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from briefbook.gui.commands.base import push
from briefbook.gui.commands.meetings import CombineMeetingsCommand
from briefbook.gui.context import AppContext
from db.model.values import MeetingInfo


def combine_into(parent: QWidget, context: AppContext, meeting: MeetingInfo, choose: Callable[..., Any]) -> bool:
    """Ask (with `choose`, the panel's meeting chooser) which meeting to combine into
    `meeting`, and combine it; True when it was."""
    briefing = context.briefing
    if briefing is None or briefing.read_only:
        return False
    others = [m for m in briefing.meetings() if m.id != meeting.id]
    if not others:
        return False
    question = (f"Combine which meeting into “{meeting.title}”? Its agenda and points move here, and it is "
                "deleted (Edit > Undo separates them again).")
    other_id = choose(parent, others, "", "", title="Combine meetings", question=question, ok="Combine")
    other = next((m for m in others if m.id == other_id), None)
    return other is not None and push(context, CombineMeetingsCommand(context, meeting, other), parent,
                                      "Meetings not combined")
