"""The base of the undo commands the sources and meetings panels push.

A command's first change is made *before* it goes on the undo stack
(`push_command`), so a refusal from the data layer (a bad date, a read-only
file) becomes a message and leaves the stack as it was. Later redo()/undo()
calls come from the stack; each one calls the facade and then tells the
window what changed (`AppContext.changed`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QApplication, QWidget

from briefbook.gui import messages
from briefbook.gui.context import AppContext
from db.briefing import Briefing
from db.errors import BriefbookError


class FacadeCommand(QUndoCommand):
    """An undoable edit of the open file. Subclasses implement do() and undo_it()."""

    def __init__(self, context: AppContext, text: str) -> None:
        super().__init__(text)
        self.context = context
        self._already_done = False

    @property
    def briefing(self) -> Briefing:
        briefing = self.context.briefing
        if briefing is None:  # the stack is cleared when the file closes, so this is a bug
            raise BriefbookError("No briefing file is open.")
        return briefing

    # -- what subclasses write ---------------------------------------------------

    def do(self) -> None:
        raise NotImplementedError

    def undo_it(self) -> None:
        raise NotImplementedError

    # -- QUndoCommand --------------------------------------------------------------

    def redo(self) -> None:
        if self._already_done:  # push() calls redo(); push_command did the work already
            self._already_done = False
            return
        self._guarded(self.do, "Redo")

    def undo(self) -> None:
        self._guarded(self.undo_it, "Undo")

    def _guarded(self, action: Callable[[], None], verb: str) -> None:
        try:
            action()
        except BriefbookError as exc:
            # The file refused (busy, read-only, row gone): tell the user, drop the
            # command so the stack does not claim a state the file is not in,
            # and let every panel re-read the file.
            self.setObsolete(True)
            self.context.changed("", "")
            messages.show_error(QApplication.activeWindow(), f"{verb} failed", str(exc))


def push_command(
    context: AppContext, command: FacadeCommand, parent: QWidget | None, title: str = "Not saved"
) -> bool:
    """Make the command's change now; on success put it on the undo stack.

    Returns False (after showing the one-sentence reason) when the file refused.
    """
    try:
        command.do()
    except BriefbookError as exc:
        messages.show_error(parent, title, str(exc))
        return False
    command._already_done = True
    context.undo_stack.push(command)
    return True
