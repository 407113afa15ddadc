"""Undo commands for a plan node's implementation status and lead office."""

from __future__ import annotations

from briefbook.gui.commands.base import FacadeCommand
from briefbook.gui.context import AppContext, ChangeKind
from db.model.values import STATUS_LABELS


class SetStatusCommand(FacadeCommand):
    def __init__(self, context: AppContext, node_id: str, ref: str, old: str, new: str, comment: str) -> None:
        super().__init__(context, f"Set {ref} to “{STATUS_LABELS.get(new, new)}”")
        self.node_id, self.old, self.new, self.comment = node_id, old, new, comment
        self.change_id: str | None = None

    def do(self) -> None:
        change = self.briefing.set_status(self.node_id, self.new, self.comment)
        self.change_id = change.id
        self.announce(ChangeKind.STATUS, self.node_id, change)

    def undo_it(self) -> None:
        # The history keeps every change, so undoing records a change back, paired with
        # the change it undoes (`undo_of`): digests and the history leave both out.
        label = STATUS_LABELS.get(self.new, self.new)
        change = self.briefing.set_status(self.node_id, self.old, f"Undo of the change to “{label}”.",
                                          undo_of=self.change_id)
        self.announce(ChangeKind.STATUS, self.node_id, change)


class SetLeadOfficeCommand(FacadeCommand):
    def __init__(self, context: AppContext, node_id: str, ref: str, old: str, new: str) -> None:
        super().__init__(context, f"Change the lead office of {ref}")
        self.node_id, self.old, self.new = node_id, old, new

    def do(self) -> None:
        self.announce(ChangeKind.NODE, self.node_id, self.briefing.set_lead_office(self.node_id, self.new))

    def undo_it(self) -> None:
        self.announce(ChangeKind.NODE, self.node_id, self.briefing.set_lead_office(self.node_id, self.old))
