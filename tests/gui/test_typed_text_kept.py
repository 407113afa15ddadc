"""Nothing typed is lost: Esc, Cancel and closing a dialog ask before throwing
typed text away; Ctrl+Enter saves; saving meeting points keeps the focus."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QPlainTextEdit
from window_helpers import action

from briefbook.gui.meetings.dialog import MeetingDialog
from briefbook.gui.node.status_dialog import StatusCommentDialog
from briefbook.gui.notes.dialog import NoteDialog
from briefbook.gui.sources.dialog import SourceDialog
from briefbook.gui.widgets.guarded_dialog import DISCARD_TITLE
from db.briefing.facade import Briefing


def questions(messages) -> list[str]:  # type: ignore[no-untyped-def]
    return [title for kind, title, _ in messages.shown if kind == "question"]


def while_open(qtbot, steps: Callable[[QDialog], None]) -> list[str]:  # type: ignore[no-untyped-def]
    """Run `steps` on the modal dialog about to open; what went wrong, if anything."""
    failures: list[str] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or not dialog.isActiveWindow():
            QTimer.singleShot(20, run)  # keys reach a dialog once it is the active window
            return
        try:
            steps(dialog)
        except Exception as exc:  # reported after exec() returns
            failures.append(repr(exc))
        if dialog.isVisible():
            failures.append("the dialog stayed open")
            dialog.done(0)

    QTimer.singleShot(0, run)
    return failures


def note_bodies(path, ref: str) -> list[str]:  # type: ignore[no-untyped-def]
    with Briefing.open(path, read_only=True) as b:
        return [n.body for n in b.notes(b.node_by_ref(ref).id)]


def test_esc_in_the_note_dialog_asks_and_ctrl_enter_saves(qtbot, window, seeded_path, messages) -> None:  # type: ignore[no-untyped-def]
    window.tree_pane.select_ref("1.1.1")

    def steps(dialog: QDialog) -> None:
        assert isinstance(dialog, NoteDialog)
        qtbot.keyClicks(dialog.body, "Raise the yearly dialogue")
        qtbot.keyClick(dialog.body, Qt.Key.Key_Escape)
        assert questions(messages) == [DISCARD_TITLE]  # asked; the answer was "Keep Editing"
        assert dialog.isVisible() and dialog.body.toPlainText() == "Raise the yearly dialogue"
        dialog.close()  # the window's close button asks as well
        assert questions(messages) == [DISCARD_TITLE] * 2 and dialog.isVisible()
        qtbot.keyClick(dialog.body, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    failures = while_open(qtbot, steps)
    action(window, "addNoteAction").trigger()
    assert failures == []
    assert note_bodies(seeded_path, "1.1.1") == ["Raise the yearly dialogue"]


def test_discarding_needs_a_yes_and_an_untouched_dialog_closes_at_once(qtbot, window, seeded_path, messages) -> None:  # type: ignore[no-untyped-def]
    window.tree_pane.select_ref("1.1.1")
    closed: list[bool] = []

    def untouched(dialog: QDialog) -> None:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        closed.append(not dialog.isVisible())

    while_open(qtbot, untouched)
    action(window, "addNoteAction").trigger()
    assert closed == [True] and questions(messages) == []

    def discard(dialog: QDialog) -> None:
        assert isinstance(dialog, NoteDialog)
        qtbot.keyClicks(dialog.body, "Not needed after all")
        messages.answers.append(True)  # "Discard"
        qtbot.keyClick(dialog.body, Qt.Key.Key_Escape)

    failures = while_open(qtbot, discard)
    action(window, "addNoteAction").trigger()
    assert failures == [] and questions(messages) == [DISCARD_TITLE]
    assert note_bodies(seeded_path, "1.1.1") == []


@pytest.mark.parametrize("make", ["status", "meeting", "source"])
def test_every_dialog_with_typed_text_asks_and_saves_on_ctrl_enter(qtbot, messages, make: str) -> None:  # type: ignore[no-untyped-def]
    if make == "status":
        dialog: QDialog = StatusCommentDialog("3.2.1", "with_challenges")
        field: QPlainTextEdit = dialog.comment
    elif make == "meeting":
        dialog = MeetingDialog(None, "New meeting")
        dialog.title_edit.setText("Dialogue, Rome")
        field = dialog.purpose_edit
    else:
        dialog = SourceDialog(None, "New source", quote="")
        dialog.title_edit.setText("Report")
        field = dialog.excerpt_edit
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    field.setFocus()
    qtbot.keyClicks(field, "Funding is late")
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert questions(messages) == [DISCARD_TITLE]
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    qtbot.keyClick(field, Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted
    assert field.toPlainText() == "Funding is late"  # a line break was not typed instead


def test_ctrl_enter_does_not_save_what_cannot_be_saved(qtbot, messages) -> None:  # type: ignore[no-untyped-def]
    dialog = StatusCommentDialog("3.2.1", "not_pursued")  # needs a comment
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible()


def test_saving_meeting_points_keeps_the_focus_in_the_editor(qtbot, window, seeded_path) -> None:  # type: ignore[no-untyped-def]
    panel = window.meetings_panel
    window.meetings_dock.show()
    panel.meetings_view.setCurrentIndex(panel.meetings_model.index(0, 0))
    panel.agenda_view.setCurrentIndex(panel.agenda_model.index(0, 0))
    panel.points_edit.setFocus()
    qtbot.waitUntil(panel.points_edit.hasFocus)
    panel.points_edit.moveCursor(panel.points_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(panel.points_edit, " Check the date.")
    qtbot.mouseClick(panel.save_points_button, Qt.MouseButton.LeftButton)
    assert not panel.save_points_button.isEnabled()  # saved
    assert panel.points_edit.hasFocus()
    assert not window.tree_pane.search.hasFocus()
    item = panel.current_item()
    assert item is not None
    with Briefing.open(seeded_path, read_only=True) as b:
        assert next(a.points for a in b.agenda(item.meeting_id) if a.id == item.id).endswith(" Check the date.")


def test_esc_then_enter_keeps_what_was_typed(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The real question box: Enter answers its default, which is "Keep Editing"."""
    from PySide6.QtWidgets import QMessageBox

    dialog = StatusCommentDialog("3.2.1", "with_challenges")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClicks(dialog.comment, "Funding is late")
    seen: list[str] = []

    def answer_with_enter() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer_with_enter)
            return
        default = box.defaultButton()
        seen.append(default.text() if default is not None else "")
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer_with_enter)
    qtbot.keyClick(dialog.comment, Qt.Key.Key_Escape)  # the question box runs until Enter answers it
    assert seen == ["&Keep Editing"]
    assert dialog.isVisible() and dialog.comment.toPlainText() == "Funding is late"


def test_tab_from_a_note_goes_to_the_next_field_and_a_space_saves_nothing(qtbot, window, seeded_path) -> None:  # type: ignore[no-untyped-def]
    window.tree_pane.select_ref("1.1.1")
    focus: list[str] = []

    def steps(dialog: QDialog) -> None:
        assert isinstance(dialog, NoteDialog)
        qtbot.keyClicks(dialog.body, "x")
        qtbot.keyClick(dialog.body, Qt.Key.Key_Tab)
        focus.append(QApplication.focusWidget().accessibleName())
        for _ in range(5):  # round the fields, never the buttons, back to the note's text
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            focus.append(QApplication.focusWidget().accessibleName())
            if QApplication.focusWidget() is dialog.body:
                break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)  # typed into the note, not a pressed Save
        assert dialog.isVisible() and dialog.body.toPlainText() == "x "
        qtbot.keyClick(dialog.body, Qt.Key.Key_Backspace)
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)

    failures = while_open(qtbot, steps)
    action(window, "addNoteAction").trigger()
    assert failures == []
    assert focus == ["Key message", "Kind of note", "Note text"]  # down the form and round; the response box shows only for "If raised"
    assert note_bodies(seeded_path, "1.1.1") == ["x"]
