"""The one base of the window's undo commands, and the one way to run them.

A command's first change is made *before* it goes on the undo stack (`push`),
so a refusal from the data layer (a bad date, a read-only file) becomes a
message and leaves the stack as it was. Later redo()/undo() calls come from
the stack; each calls the facade and then announces what changed
(`AppContext.notify`). Each step runs in one transaction of the file
(`Briefing.one_transaction`): an undo that takes two facade calls (unlink,
then delete) is saved whole or not at all. When the file refuses one of those (it became
read-only, a colleague deleted the row), the command is dropped, every panel
reads the file again and the user is told "Undo failed" / "Redo failed".

One module per domain holds the commands: notes, nodes (status, lead office),
sources, meetings.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QApplication, QWidget

from briefbook.gui import messages
from briefbook.gui.context import AppContext, Changed, ChangeKind
from db.briefing.facade import Briefing
from db.model.errors import BriefbookError


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

    def announce(self, kind: ChangeKind, ident: str = "", value: object | None = None) -> None:
        """Tell the panels what the step changed (`value`: the row the write returned)."""
        self.context.notify(Changed(kind, ident, value))

    # -- what subclasses write ---------------------------------------------------

    def do(self) -> None:
        raise NotImplementedError

    def undo_it(self) -> None:
        raise NotImplementedError

    # -- QUndoCommand --------------------------------------------------------------

    def redo(self) -> None:
        if self._already_done:  # the stack's push() calls redo(); push() below did the work already
            self._already_done = False
            return
        self._guarded(self.do, "Redo")

    def undo(self) -> None:
        self._guarded(self.undo_it, "Undo")

    def _guarded(self, action: Callable[[], None], verb: str) -> None:
        try:
            with self.context.held_notifications(), self.briefing.one_transaction():
                action()
        except BriefbookError as exc:
            # The file refused (busy, read-only, row gone): drop the command so the
            # stack does not claim a state the file is not in, let every panel
            # re-read the file, and tell the user.
            self.setObsolete(True)
            self.context.notify(Changed(ChangeKind.EVERYTHING))
            messages.show_error(QApplication.activeWindow(), f"{verb} failed", str(exc))


def push(context: AppContext, command: FacadeCommand, parent: QWidget | None, title: str | None = None) -> bool:
    """Make the command's change now; on success put it on the undo stack.

    Returns False (after showing the one-sentence reason under `title`, by
    default the command's own text) when no file is open or the file refused.
    """
    if context.briefing is None:
        return False
    try:
        with context.held_notifications(), context.briefing.one_transaction():
            command.do()
    except BriefbookError as exc:
        messages.show_error(parent, title or command.text(), str(exc))
        return False
    command._already_done = True
    context.undo_stack.push(command)
    return True
