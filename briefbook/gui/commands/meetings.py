"""Undo commands for meetings and their agendas (changes MEETING, AGENDA)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from briefbook.gui.commands.base import FacadeCommand
from briefbook.gui.context import AppContext, ChangeKind
from db.briefing.facade import MEETING_FIELDS
from db.briefing.meetings import MeetingsCombined
from db.model.values import MeetingInfo


def meeting_fields(meeting: MeetingInfo) -> dict[str, Any]:
    """The editable fields of a meeting, as `edit_meeting` takes them."""
    return {name: getattr(meeting, name) for name in MEETING_FIELDS}


def _short(title: str, limit: int = 40) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"


class CreateMeetingCommand(FacadeCommand):
    def __init__(self, context: AppContext, fields: Mapping[str, Any]) -> None:
        super().__init__(context, f"New meeting “{_short(fields.get('title') or '')}”")
        self.fields = {k: fields.get(k) for k in MEETING_FIELDS}
        self.meeting_id = ""

    def do(self) -> None:
        if not self.meeting_id:
            fields = dict(self.fields)
            self.meeting_id = self.briefing.create_meeting(fields.pop("title") or "", **fields).id
        else:
            self.briefing.restore_meeting(self.meeting_id)
        self.announce(ChangeKind.MEETING, self.meeting_id)

    def undo_it(self) -> None:
        self.briefing.delete_meeting(self.meeting_id)
        self.announce(ChangeKind.MEETING, self.meeting_id)


class EditMeetingCommand(FacadeCommand):
    def __init__(self, context: AppContext, meeting: MeetingInfo, new_fields: Mapping[str, Any]) -> None:
        super().__init__(context, f"Edit meeting “{_short(meeting.title)}”")
        self.meeting_id = meeting.id
        self.old = meeting_fields(meeting)
        self.new = {k: new_fields.get(k, self.old[k]) for k in MEETING_FIELDS}

    def do(self) -> None:
        self.announce(ChangeKind.MEETING, self.meeting_id, self.briefing.edit_meeting(self.meeting_id, **self.new))

    def undo_it(self) -> None:
        self.announce(ChangeKind.MEETING, self.meeting_id, self.briefing.edit_meeting(self.meeting_id, **self.old))


class DeleteMeetingCommand(FacadeCommand):
    """Delete a meeting (its agenda goes with it); undo brings both back."""

    def __init__(self, context: AppContext, meeting: MeetingInfo) -> None:
        super().__init__(context, f"Delete meeting “{_short(meeting.title)}”")
        self.meeting_id = meeting.id

    def do(self) -> None:
        self.briefing.delete_meeting(self.meeting_id)
        self.announce(ChangeKind.MEETING, self.meeting_id)

    def undo_it(self) -> None:
        self.briefing.restore_meeting(self.meeting_id)
        self.announce(ChangeKind.MEETING, self.meeting_id)


class AddAgendaItemsCommand(FacadeCommand):
    """Put nodes on a meeting's agenda, in order, from `index` (default: the end)."""

    def __init__(self, context: AppContext, meeting: MeetingInfo, node_ids: Sequence[str], refs: Sequence[str],
                 index: int | None = None) -> None:
        what = refs[0] if len(refs) == 1 else f"{len(refs)} items"
        super().__init__(context, f"Add {what} to “{_short(meeting.title)}”")
        self.meeting_id = meeting.id
        self.node_ids = list(node_ids)
        self.index = index
        #: (agenda item id, index it was put at), filled by the first do().
        self.placed: list[tuple[str, int]] = []

    def do(self) -> None:
        b = self.briefing
        if not self.placed:
            start = self.index if self.index is not None else len(b.agenda(self.meeting_id))
            for offset, node_id in enumerate(self.node_ids):
                item = b.add_agenda_item(self.meeting_id, node_id, index=start + offset)
                self.placed.append((item.id, start + offset))
        else:
            for item_id, index in self.placed:
                b.restore_agenda_item(item_id, index)
        self.announce(ChangeKind.AGENDA, self.meeting_id)

    def undo_it(self) -> None:
        for item_id, _ in reversed(self.placed):
            self.briefing.remove_agenda_item(item_id)
        self.announce(ChangeKind.AGENDA, self.meeting_id)


class RemoveAgendaItemCommand(FacadeCommand):
    """Take an item off the agenda; undo puts it back at the same index."""

    def __init__(self, context: AppContext, meeting_id: str, item_id: str, ref: str, index: int) -> None:
        super().__init__(context, f"Remove {ref} from the agenda")
        self.meeting_id = meeting_id
        self.item_id = item_id
        self.index = index

    def do(self) -> None:
        self.briefing.remove_agenda_item(self.item_id)
        self.announce(ChangeKind.AGENDA, self.meeting_id)

    def undo_it(self) -> None:
        self.briefing.restore_agenda_item(self.item_id, self.index)
        self.announce(ChangeKind.AGENDA, self.meeting_id)


class MoveAgendaItemCommand(FacadeCommand):
    def __init__(self, context: AppContext, meeting_id: str, item_id: str, ref: str, from_index: int,
                 to_index: int) -> None:
        super().__init__(context, f"Move {ref} on the agenda")
        self.meeting_id = meeting_id
        self.item_id = item_id
        self.from_index = from_index
        self.to_index = to_index

    def do(self) -> None:
        self.briefing.move_agenda_item(self.item_id, self.to_index)
        self.announce(ChangeKind.AGENDA, self.meeting_id)

    def undo_it(self) -> None:
        self.briefing.move_agenda_item(self.item_id, self.from_index)
        self.announce(ChangeKind.AGENDA, self.meeting_id)


class SetAgendaObjectiveCommand(FacadeCommand):
    """Change what the desk wants from one agenda item (its objective, at the head of its section)."""

    def __init__(self, context: AppContext, meeting_id: str, item_id: str, ref: str, old: str, new: str) -> None:
        super().__init__(context, f"Edit the objective of {ref}")
        self.meeting_id, self.item_id, self.old, self.new = meeting_id, item_id, old, new

    def do(self) -> None:
        self.announce(ChangeKind.AGENDA, self.meeting_id, self.briefing.set_agenda_objective(self.item_id, self.new))

    def undo_it(self) -> None:
        self.announce(ChangeKind.AGENDA, self.meeting_id, self.briefing.set_agenda_objective(self.item_id, self.old))


class SetAgendaPointsCommand(FacadeCommand):
    """Change the meeting-specific points (Markdown) of one agenda item.

    Saves of one item made one after the other (the editor saves after each
    pause in typing) merge into one undo step.
    """

    MERGE_ID = 0x41_47_50  # "AGP"

    def __init__(self, context: AppContext, meeting_id: str, item_id: str, ref: str, old: str, new: str) -> None:
        super().__init__(context, f"Edit points on {ref}")
        self.meeting_id = meeting_id
        self.item_id = item_id
        self.old = old
        self.new = new

    def do(self) -> None:
        self.announce(ChangeKind.AGENDA, self.meeting_id, self.briefing.set_agenda_points(self.item_id, self.new))

    def undo_it(self) -> None:
        self.announce(ChangeKind.AGENDA, self.meeting_id, self.briefing.set_agenda_points(self.item_id, self.old))

    def id(self) -> int:
        return self.MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetAgendaPointsCommand) or other.item_id != self.item_id:
            return False
        self.new = other.new  # undo still goes back to the text before the first save
        return True


class CombineMeetingsCommand(FacadeCommand):
    """Make two records of one meeting one; undo separates them again."""

    def __init__(self, context: AppContext, keep: MeetingInfo, other: MeetingInfo) -> None:
        super().__init__(context, f"Combine “{_short(other.title)}” into “{_short(keep.title)}”")
        self.keep_id, self.other_id = keep.id, other.id
        self.combined: MeetingsCombined | None = None

    def do(self) -> None:
        self.combined = self.briefing.combine_meetings(self.keep_id, self.other_id)
        self.announce(ChangeKind.MEETING)

    def undo_it(self) -> None:
        assert self.combined is not None
        self.briefing.separate_meetings(self.combined)
        self.announce(ChangeKind.MEETING)
