"""Undo commands for what merges set aside: restoring a version, or dismissing it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefbook.gui.commands.base import FacadeCommand
from briefbook.gui.context import AppContext, ChangeKind

if TYPE_CHECKING:
    from db.briefing.conflicts import SetAside


class SettleSetAsideCommand(FacadeCommand):
    """Restore (`restore`) or dismiss one set-aside version; undo sets it aside again."""

    def __init__(self, context: AppContext, item: SetAside, restore: bool) -> None:
        where = f"{item.what} ({item.ref})" if item.ref else item.what
        super().__init__(context, f"{'Restore' if restore else 'Dismiss'} the set-aside version of {where}")
        self.item, self.restore = item, restore
        self.revived = False  # the restore brought a deleted note back (its undo deletes it again)

    def do(self) -> None:
        if self.restore:
            self.revived = self.briefing.restore_set_aside(self.item.id).revived
        else:
            self.briefing.dismiss_set_aside(self.item.id)
        self.announce(ChangeKind.EVERYTHING)  # the restored value shows wherever it appears

    def undo_it(self) -> None:
        self.briefing.reopen_set_aside(self.item.id, restored=self.restore, revived=self.revived)
        self.announce(ChangeKind.EVERYTHING)
