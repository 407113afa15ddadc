"""Undo commands for whole plans: an import that added a plan, and removing a plan (changes everything
the plan holds, so they announce EVERYTHING)."""

from __future__ import annotations

from briefbook.gui.commands.base import FacadeCommand
from briefbook.gui.context import AppContext, ChangeKind
from briefbook.services.plan_removal import goes_with
from db.model.drafts import PlanDraft
from db.model.values import ImportReport, PlanContents, PlanRemoval


def _short(title: str, limit: int = 40) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"


class ImportNewPlanCommand(FacadeCommand):
    """File > Import Plan of a plan the file did not hold: Edit > Undo removes it again (as tombstones)."""

    def __init__(self, context: AppContext, draft: PlanDraft) -> None:
        super().__init__(context, f"Import Plan “{_short(draft.title)}”")
        self.draft = draft
        self.report: ImportReport | None = None
        self.removal: PlanRemoval | None = None

    def do(self) -> None:
        if self.removal is None:
            self.report = self.briefing.import_plan(self.draft)
        else:
            self.briefing.restore_plan(self.removal)
            self.removal = None
        self.announce(ChangeKind.EVERYTHING)

    def undo_it(self) -> None:
        assert self.report is not None
        self.removal = self.briefing.remove_plan(self.report.plan_id)
        self.announce(ChangeKind.EVERYTHING)


class RemovePlanCommand(FacadeCommand):
    """File > Remove Plan…: the plan and what hangs on it become tombstones; Edit > Undo brings them back."""

    def __init__(self, context: AppContext, contents: PlanContents) -> None:
        super().__init__(context, f"Remove Plan “{_short(contents.title)}”")
        self.plan_id = contents.plan_id
        self.removal: PlanRemoval | None = None

    def do(self) -> None:
        self.removal = self.briefing.remove_plan(self.plan_id)
        self.announce(ChangeKind.EVERYTHING)

    def undo_it(self) -> None:
        assert self.removal is not None
        self.briefing.restore_plan(self.removal)
        self.removal = None
        self.announce(ChangeKind.EVERYTHING)


def removal_question(contents: PlanContents) -> str:
    """The confirmation: what goes with the plan, counted, and what stays."""
    return f"Remove the plan “{contents.title}” from this file? {goes_with(contents)} Edit > Undo brings it back."
