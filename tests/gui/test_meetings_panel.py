"""The meetings panel, driven as a user would, checked against what the file holds."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication, QDialog

from briefbook.gui import messages
from briefbook.gui.context import AppContext
from briefbook.gui.meetings.choose_dialog import ChooseMeetingDialog
from briefbook.gui.meetings.dialog import MeetingDialog
from briefbook.gui.meetings.models import AGENDA_ITEMS_MIME, NODE_IDS_MIME
from briefbook.gui.meetings.panel import MeetingsPanel
from db.briefing.facade import Briefing

TOKYO_2024 = "Kishida–Meloni summit meeting, Tokyo"
NEW_MEETING = {"title": "Vice-ministerial dialogue, Rome", "date": "2025-03", "place": "Farnesina, Rome",
               "participants": "Vice-ministers of foreign affairs", "classification": "RESTRICTED",
               "purpose": "Take stock of the Action Plan."}


@contextmanager
def on_file(path: Path) -> Iterator[Briefing]:
    """The file as a colleague opening it now would see it."""
    briefing = Briefing.open(path, read_only=True)
    try:
        yield briefing
    finally:
        briefing.close()


def agenda_on_file(path: Path, title: str) -> list[str]:
    """The refs on the agenda of the meeting called `title`, in order, read from the file."""
    with on_file(path) as b:
        (meeting,) = [m for m in b.meetings() if m.title == title]
        return [a.ref for a in b.agenda(meeting.id)]


def points_on_file(path: Path, title: str, ref: str) -> str:
    with on_file(path) as b:
        (meeting,) = [m for m in b.meetings() if m.title == title]
        return next(a.points for a in b.agenda(meeting.id) if a.ref == ref)


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "show_error", lambda _parent, title, sentence: shown.append((title, sentence)))
    return shown


@pytest.fixture
def ctx(seeded_path: Path, errors: list[tuple[str, str]]) -> Iterator[AppContext]:
    context = AppContext()
    context.set_briefing(Briefing.open(seeded_path, user="tester"))
    yield context
    context.set_briefing(None)


@pytest.fixture
def panel(ctx: AppContext, qtbot) -> MeetingsPanel:  # type: ignore[no-untyped-def]
    widget = MeetingsPanel(ctx)
    qtbot.addWidget(widget)
    widget.resize(560, 760)
    widget.show()
    return widget


def shown(label) -> str:  # type: ignore[no-untyped-def]
    """The text a rich-text label shows (markup rendered, entities decoded)."""
    document = QTextDocument()
    document.setHtml(label.text())
    return document.toPlainText()


def node_id(ctx: AppContext, ref: str) -> str:
    assert ctx.briefing is not None
    return ctx.briefing.node_by_ref(ref).id


def agenda_refs(panel: MeetingsPanel) -> list[str]:
    return [panel.agenda_model.item(r).ref for r in range(panel.agenda_model.rowCount())]


def select_agenda_row(panel: MeetingsPanel, ref: str) -> None:
    panel.agenda_view.setCurrentIndex(panel.agenda_model.index(agenda_refs(panel).index(ref)))


def create_meeting(panel: MeetingsPanel) -> str:
    panel.ask_meeting = lambda _parent, heading, initial: dict(NEW_MEETING) if initial is None else None
    panel.new_button.click()
    meeting = panel.current_meeting()
    assert meeting is not None and meeting.title == NEW_MEETING["title"]
    return meeting.id


def focus(widget, qtbot) -> None:  # type: ignore[no-untyped-def]
    widget.window().activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def drop_nodes(panel: MeetingsPanel, node_ids: list[str], before_row: int) -> QDropEvent:
    """A real drop of plan nodes (as the tree drags them) just above `before_row`."""
    mime = QMimeData()
    mime.setData(NODE_IDS_MIME, QByteArray("\n".join(node_ids).encode()))
    return drop_mime(panel, mime, before_row)


def _drag_event(kind: type[QDragMoveEvent], where: QPoint, mime: QMimeData) -> QDragMoveEvent:
    """A drag event at `where`: PySide6 6.12 takes a QPointF (the QPoint form is
    deprecated), 6.11 (Python 3.11) only a QPoint."""
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    try:
        return kind(QPointF(where), *args)
    except TypeError:
        return kind(where, *args)


def drop_mime(panel: MeetingsPanel, mime: QMimeData, before_row: int | None) -> QDropEvent:
    """Drag enter, move and drop on the agenda: above `before_row`, or below the last row (None)."""
    view = panel.agenda_view
    if before_row is None:
        rect = view.visualRect(panel.agenda_model.index(panel.agenda_model.rowCount() - 1))
        where = rect.bottomLeft() + QPoint(20, 8)
    else:
        rect = view.visualRect(panel.agenda_model.index(before_row))
        where = rect.topLeft() + QPoint(20, 1)
    enter = _drag_event(QDragEnterEvent, where, mime)
    QApplication.sendEvent(view.viewport(), enter)
    assert enter.isAccepted()  # the agenda says it takes plan nodes
    move = _drag_event(QDragMoveEvent, where, mime)
    QApplication.sendEvent(view.viewport(), move)
    assert move.isAccepted()
    drop = QDropEvent(QPointF(where), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), drop)
    return drop


# -- reading ------------------------------------------------------------------------------


def test_shipped_meetings_and_their_agendas_appear(panel: MeetingsPanel, qtmodeltester) -> None:
    titles = [panel.meetings_model.item(r).title for r in range(panel.meetings_model.rowCount())]
    assert sorted(titles) == sorted([
        "Kishida–Meloni meeting at the G7 Summit, Fasano",
        TOKYO_2024,
        "Takaichi–Meloni summit meeting, Tokyo",
    ])
    panel.select_meeting(panel.meetings_model.item(titles.index(TOKYO_2024)).id)
    assert agenda_refs(panel) == ["1.2.1", "2.1.1", "2.2.1", "2.3.1"]
    assert "5 February 2024 · Prime Minister's Office, Tokyo" in shown(panel.details_label)
    assert panel.points_heading.text() == "Meeting points for 1.2.1"
    assert panel.points_edit.toPlainText().startswith("- Confirmed close cooperation")
    qtmodeltester.check(panel.meetings_model)
    qtmodeltester.check(panel.agenda_model)
    # The undated meeting says so rather than inventing a date.
    takaichi = panel.meetings_model.item(titles.index("Takaichi–Meloni summit meeting, Tokyo"))
    assert "date unknown" in panel.meetings_model.data(panel.meetings_model.index(titles.index(takaichi.title)))


def test_empty_file_says_what_to_do(tmp_path: Path, qtbot, errors: list[tuple[str, str]]) -> None:  # type: ignore[no-untyped-def]
    context = AppContext()
    context.set_briefing(Briefing.create(tmp_path / "empty.sqlite"))
    panel = MeetingsPanel(context)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.no_meetings_label.isVisible()
    assert panel.stack.currentWidget() is panel.none_label
    assert panel.none_label.text() == "No meeting selected"
    panel.add_nodes_to_meeting(["anything"], panel)
    assert errors == [("No meeting", "There is no meeting yet: create one with New meeting… in the Meetings panel.")]
    context.set_briefing(None)


# -- meetings -----------------------------------------------------------------------------


def test_create_edit_delete_a_meeting_with_undo_and_redo(
    panel: MeetingsPanel, ctx: AppContext, seeded_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting_id = create_meeting(panel)
    with on_file(seeded_path) as b:
        m = b.meeting(meeting_id)
        assert (m.date, m.place, m.classification, m.purpose) == ("2025-03", "Farnesina, Rome", "RESTRICTED",
                                                                  "Take stock of the Action Plan.")
    assert "RESTRICTED" in shown(panel.details_label)
    assert panel.agenda_model.rowCount() == 0

    seen: list[str] = []

    def edit(_parent, heading, initial):  # type: ignore[no-untyped-def]
        seen.append(initial.title)
        return {**NEW_MEETING, "date": "2025-03-12", "place": "Villa Madama, Rome"}

    panel.ask_meeting = edit
    panel.edit_button.click()
    assert seen == [NEW_MEETING["title"]]
    with on_file(seeded_path) as b:
        assert (b.meeting(meeting_id).date, b.meeting(meeting_id).place) == ("2025-03-12", "Villa Madama, Rome")
    assert "12 March 2025 · Villa Madama, Rome" in shown(panel.details_label)

    asked: list[str] = []
    monkeypatch.setattr(messages, "ask_yes_no",
                        lambda _p, _t, question, yes, no="Cancel": asked.append(question) or True)
    panel.delete_button.click()
    assert asked == [f"Delete “{NEW_MEETING['title']}”? Edit > Undo brings it back."]
    with on_file(seeded_path) as b:
        assert meeting_id not in {m.id for m in b.meetings()}

    ctx.undo_stack.undo()  # delete
    with on_file(seeded_path) as b:
        assert b.meeting(meeting_id).place == "Villa Madama, Rome"
    ctx.undo_stack.undo()  # edit
    with on_file(seeded_path) as b:
        assert b.meeting(meeting_id).place == "Farnesina, Rome"
    ctx.undo_stack.undo()  # create
    with on_file(seeded_path) as b:
        assert meeting_id not in {m.id for m in b.meetings()}
    assert panel.meetings_model.row_of(meeting_id) == -1
    ctx.undo_stack.redo()
    ctx.undo_stack.redo()
    with on_file(seeded_path) as b:
        assert b.meeting(meeting_id).place == "Villa Madama, Rome"
    ctx.undo_stack.redo()
    with on_file(seeded_path) as b:
        assert meeting_id not in {m.id for m in b.meetings()}


def test_deleting_needs_a_yes(panel: MeetingsPanel, ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(messages, "ask_yes_no", lambda *_a, **_k: False)
    meeting = panel.current_meeting()
    panel.delete_button.click()
    assert ctx.briefing is not None and ctx.briefing.meeting(meeting.id).title == meeting.title
    assert ctx.undo_stack.count() == 0


def test_export_button_asks_for_the_meeting(panel: MeetingsPanel, qtbot) -> None:  # type: ignore[no-untyped-def]
    meeting = panel.current_meeting()
    with qtbot.waitSignal(panel.export_requested) as signal:
        panel.export_button.click()
    assert signal.args == [meeting.id]


# -- the agenda ------------------------------------------------------------------------------


def test_build_an_agenda_from_the_tree_reorder_remove_and_write_points(
    panel: MeetingsPanel, ctx: AppContext, seeded_path: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    title = NEW_MEETING["title"]
    meeting_id = create_meeting(panel)
    stack = ctx.undo_stack

    # Context menu "Add to meeting…": the chooser preselects the current meeting.
    offered: list[tuple[str, str, int]] = []

    def choose(_parent, meetings, preselect_id, what):  # type: ignore[no-untyped-def]
        offered.append((preselect_id, what, len(meetings)))
        return preselect_id

    panel.choose_meeting = choose
    panel.add_nodes_to_meeting([node_id(ctx, "3.2.1")], None)
    panel.add_nodes_to_meeting([node_id(ctx, "2.3.1"), node_id(ctx, "4.2.2")], None)
    assert offered == [(meeting_id, "1 item", 4), (meeting_id, "2 items", 4)]
    assert agenda_on_file(seeded_path, title) == ["3.2.1", "2.3.1", "4.2.2"]
    assert agenda_refs(panel) == ["3.2.1", "2.3.1", "4.2.2"]
    assert stack.undoText() == f"Add 2 items to “{title}”"
    stack.undo()
    assert agenda_on_file(seeded_path, title) == ["3.2.1"]
    stack.redo()
    assert agenda_on_file(seeded_path, title) == ["3.2.1", "2.3.1", "4.2.2"]

    # Drag and drop from the tree, between the first and the second item.
    drop = drop_nodes(panel, [node_id(ctx, "1.2.1")], before_row=1)
    assert drop.isAccepted()
    assert agenda_on_file(seeded_path, title) == ["3.2.1", "1.2.1", "2.3.1", "4.2.2"]
    assert agenda_refs(panel) == ["3.2.1", "1.2.1", "2.3.1", "4.2.2"]
    stack.undo()
    assert agenda_on_file(seeded_path, title) == ["3.2.1", "2.3.1", "4.2.2"]
    stack.redo()
    assert agenda_on_file(seeded_path, title) == ["3.2.1", "1.2.1", "2.3.1", "4.2.2"]

    # Reorder: the button, the keyboard, and an internal drag.
    select_agenda_row(panel, "3.2.1")
    panel.down_button.click()
    assert agenda_on_file(seeded_path, title) == ["1.2.1", "3.2.1", "2.3.1", "4.2.2"]
    assert panel.current_item().ref == "3.2.1"  # the moved item stays selected
    focus(panel.agenda_view, qtbot)
    qtbot.keyClick(panel.agenda_view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert agenda_on_file(seeded_path, title) == ["1.2.1", "2.3.1", "3.2.1", "4.2.2"]
    stack.undo()
    assert agenda_on_file(seeded_path, title) == ["1.2.1", "3.2.1", "2.3.1", "4.2.2"]
    stack.redo()
    mime = panel.agenda_model.mimeData([panel.agenda_model.index(3)])  # drag 4.2.2 to the top
    assert panel.agenda_model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, panel.agenda_view.rootIndex())
    assert agenda_on_file(seeded_path, title) == ["4.2.2", "1.2.1", "2.3.1", "3.2.1"]
    assert panel.agenda_model.moveRows(panel.agenda_view.rootIndex(), 0, 1, panel.agenda_view.rootIndex(), 4)
    assert agenda_on_file(seeded_path, title) == ["1.2.1", "2.3.1", "3.2.1", "4.2.2"]
    stack.undo()
    assert agenda_on_file(seeded_path, title) == ["4.2.2", "1.2.1", "2.3.1", "3.2.1"]
    stack.undo()
    assert agenda_on_file(seeded_path, title) == ["1.2.1", "2.3.1", "3.2.1", "4.2.2"]
    stack.redo()
    assert agenda_on_file(seeded_path, title) == ["4.2.2", "1.2.1", "2.3.1", "3.2.1"]
    stack.redo()
    assert agenda_on_file(seeded_path, title) == ["1.2.1", "2.3.1", "3.2.1", "4.2.2"]

    # Remove with the Delete key; undo puts it back at the same place.
    select_agenda_row(panel, "2.3.1")
    focus(panel.agenda_view, qtbot)
    qtbot.keyClick(panel.agenda_view, Qt.Key.Key_Delete)
    assert agenda_on_file(seeded_path, title) == ["1.2.1", "3.2.1", "4.2.2"]
    stack.undo()
    assert agenda_on_file(seeded_path, title) == ["1.2.1", "2.3.1", "3.2.1", "4.2.2"]
    stack.redo()
    assert agenda_on_file(seeded_path, title) == ["1.2.1", "3.2.1", "4.2.2"]

    # Meeting-specific points: saved by the button, and when the editor is left.
    select_agenda_row(panel, "3.2.1")
    assert panel.points_heading.text() == "Meeting points for 3.2.1"
    panel.points_edit.setPlainText("- Ask about the **minerals** MoU")
    assert panel.save_points_button.isEnabled()
    panel.save_points_button.click()
    assert points_on_file(seeded_path, title, "3.2.1") == "- Ask about the **minerals** MoU"
    assert not panel.save_points_button.isEnabled()
    panel.points_edit.setPlainText("- Ask about the **minerals** MoU\n- Thank Italy")
    select_agenda_row(panel, "4.2.2")  # leaving the item keeps what was typed
    assert points_on_file(seeded_path, title, "3.2.1") == "- Ask about the **minerals** MoU\n- Thank Italy"
    assert panel.points_edit.toPlainText() == ""
    # Saves of one item in a row are one undo step, back to the text before them.
    assert stack.undoText() == "Edit points on 3.2.1"
    stack.undo()
    assert points_on_file(seeded_path, title, "3.2.1") == ""
    assert stack.undoText() != "Edit points on 3.2.1"
    stack.redo()
    assert points_on_file(seeded_path, title, "3.2.1") == "- Ask about the **minerals** MoU\n- Thank Italy"
    select_agenda_row(panel, "3.2.1")
    assert panel.points_edit.toPlainText() == "- Ask about the **minerals** MoU\n- Thank Italy"
    preview = panel.agenda_model.data(panel.agenda_view.currentIndex())
    assert "Ask about the minerals MoU" in preview and "**" not in preview  # the Markdown marks stripped


def test_points_are_saved_after_a_pause_in_typing_and_when_the_file_closes(
    panel: MeetingsPanel, ctx: AppContext, seeded_path: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    panel.select_meeting(next(panel.meetings_model.item(r).id for r in range(panel.meetings_model.rowCount())
                              if panel.meetings_model.item(r).title == TOKYO_2024))
    select_agenda_row(panel, "2.1.1")
    focus(panel.points_edit, qtbot)
    panel.points_edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(panel.points_edit, " Check the date.")
    assert panel.points_timer.isActive()  # the pause is what saves; no need to leave the editor
    panel.points_timer.timeout.emit()
    assert points_on_file(seeded_path, TOKYO_2024, "2.1.1").endswith("March 2024. Check the date.")

    qtbot.keyClicks(panel.points_edit, " Ask for the readout.")
    ctx.set_briefing(None)  # closing the file (or the window) before the pause
    assert points_on_file(seeded_path, TOKYO_2024, "2.1.1").endswith("Check the date. Ask for the readout.")
    assert panel.stack.currentWidget() is panel.none_label


def test_a_drag_from_the_plan_tree_model_lands_on_the_agenda(
    panel: MeetingsPanel, ctx: AppContext, seeded_path: Path
) -> None:
    from briefbook.gui.tree.model import PlanTreeModel

    assert ctx.briefing is not None
    tree = PlanTreeModel()
    tree.set_nodes(ctx.briefing.nodes())
    panel.select_meeting(next(panel.meetings_model.item(r).id for r in range(panel.meetings_model.rowCount())
                              if panel.meetings_model.item(r).title == TOKYO_2024))
    row = [tree.index_of(node_id(ctx, ref), column) for ref in ("3.3.1", "4.5.1") for column in range(3)]
    drop = drop_mime(panel, tree.mimeData(row), None)  # what the tree drags, dropped below the last item
    assert drop.isAccepted()
    assert agenda_on_file(seeded_path, TOKYO_2024) == ["1.2.1", "2.1.1", "2.2.1", "2.3.1", "3.3.1", "4.5.1"]


def test_undo_of_a_removal_restores_the_same_index(panel: MeetingsPanel, ctx: AppContext, seeded_path: Path) -> None:
    panel.select_meeting(next(panel.meetings_model.item(r).id for r in range(panel.meetings_model.rowCount())
                              if panel.meetings_model.item(r).title == TOKYO_2024))
    before = agenda_on_file(seeded_path, TOKYO_2024)
    points = points_on_file(seeded_path, TOKYO_2024, "2.2.1")
    select_agenda_row(panel, "2.2.1")
    panel.remove_button.click()
    assert agenda_on_file(seeded_path, TOKYO_2024) == ["1.2.1", "2.1.1", "2.3.1"]
    ctx.undo_stack.undo()
    assert agenda_on_file(seeded_path, TOKYO_2024) == before
    assert points_on_file(seeded_path, TOKYO_2024, "2.2.1") == points


def test_a_node_already_on_the_agenda_is_refused_in_one_sentence(
    panel: MeetingsPanel, ctx: AppContext, errors: list[tuple[str, str]]
) -> None:
    panel.select_meeting(next(panel.meetings_model.item(r).id for r in range(panel.meetings_model.rowCount())
                              if panel.meetings_model.item(r).title == TOKYO_2024))
    panel.choose_meeting = lambda _p, _m, preselect_id, _w: preselect_id
    panel.add_nodes_to_meeting([node_id(ctx, "2.3.1")], None)
    assert errors == [("Already on the agenda", f"2.3.1 is already on the agenda of “{TOKYO_2024}”.")]
    assert ctx.undo_stack.count() == 0
    # Cancelling the chooser changes nothing either.
    panel.choose_meeting = lambda *_a: None
    panel.add_nodes_to_meeting([node_id(ctx, "5.1.1")], None)
    assert ctx.undo_stack.count() == 0


def test_double_click_on_an_agenda_item_selects_its_node(panel: MeetingsPanel, ctx: AppContext, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel.select_meeting(next(panel.meetings_model.item(r).id for r in range(panel.meetings_model.rowCount())
                              if panel.meetings_model.item(r).title == TOKYO_2024))
    rect = panel.agenda_view.visualRect(panel.agenda_model.index(2))
    qtbot.mouseClick(panel.agenda_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(ctx.nodeSelected) as signal:
        qtbot.mouseDClick(panel.agenda_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [node_id(ctx, "2.2.1")]


def test_add_the_commitment_selected_in_the_plan(panel: MeetingsPanel, ctx: AppContext, seeded_path: Path) -> None:
    create_meeting(panel)
    assert not panel.add_current_button.isEnabled()
    ctx.select_node(node_id(ctx, "3.3.1"))
    assert panel.add_current_button.isEnabled()
    panel.add_current_button.click()
    assert agenda_on_file(seeded_path, NEW_MEETING["title"]) == ["3.3.1"]


# -- the dialogs -------------------------------------------------------------------------------


def test_meeting_dialog_keeps_the_user_in_it_with_one_sentence(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = MeetingDialog(None, "New meeting")
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.text() == "A meeting needs a title."
    dialog.title_edit.setText("Senior officials")
    dialog.date_edit.setText("14 June 2024")
    dialog.accept()
    assert dialog.error_label.text() == "'14 June 2024' is not a date: write it as YYYY, YYYY-MM or YYYY-MM-DD."
    dialog.date_edit.setText("2024-02-30")
    dialog.accept()
    assert dialog.error_label.text() == "'2024-02-30' is not a real date."
    dialog.date_edit.setText("")
    dialog.classification_box.setCurrentText("OFFICIAL")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.fields()["date"] is None and dialog.fields()["classification"] == "OFFICIAL"


def test_choose_meeting_dialog_preselects_the_current_meeting(ctx: AppContext, qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    assert ctx.briefing is not None
    meetings = ctx.briefing.meetings()
    dialog = ChooseMeetingDialog(None, meetings, meetings[2].id, "3 items")
    qtbot.addWidget(dialog)
    assert dialog.chosen_id() == meetings[2].id
    qtmodeltester.check(dialog.model)
    dialog.list_view.setCurrentIndex(dialog.model.index(0))
    assert dialog.chosen_id() == meetings[0].id


def test_agenda_drags_carry_item_ids_and_refuse_other_meetings_items(panel: MeetingsPanel) -> None:
    model = panel.agenda_model
    mime = model.mimeData([model.index(1)])
    assert mime.hasFormat(AGENDA_ITEMS_MIME)
    assert bytes(mime.data(AGENDA_ITEMS_MIME).data()).decode() == model.item(1).id
    foreign = QMimeData()
    foreign.setData(AGENDA_ITEMS_MIME, QByteArray(b"not-an-item-of-this-meeting"))
    assert not model.dropMimeData(foreign, Qt.DropAction.MoveAction, 0, 0, panel.agenda_view.rootIndex())


def test_every_focusable_widget_has_an_accessible_name(panel: MeetingsPanel) -> None:
    from PySide6.QtWidgets import QWidget

    focusable = [w for w in panel.findChildren(QWidget) if w.focusPolicy() != Qt.FocusPolicy.NoFocus]
    assert len(focusable) >= 10
    assert [type(w).__name__ for w in focusable if not w.accessibleName()] == []


def test_tab_goes_top_to_bottom(panel: MeetingsPanel, ctx: AppContext, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx.select_node(node_id(ctx, "3.2.1"))  # so that "Add selected to agenda" is live
    focus(panel.new_button, qtbot)
    order = []
    for _ in range(9):
        panel.focusNextChild()
        order.append(QApplication.focusWidget().accessibleName())
    assert order == ["Meetings list", "Edit meeting", "Delete meeting", "Export this meeting", "Agenda",
                     "Add the selected commitment to the agenda", "Move agenda item down", "Remove agenda item",
                     "Meeting-specific points (Markdown)"]


def test_an_undo_the_file_refuses_is_one_sentence_and_leaves_a_working_panel(
    panel: MeetingsPanel, ctx: AppContext, seeded_path: Path, errors: list[tuple[str, str]]
) -> None:
    meeting_id = create_meeting(panel)
    panel.ask_meeting = lambda *_a: {**NEW_MEETING, "place": "Rome"}
    panel.edit_button.click()
    with Briefing.open(seeded_path, user="colleague") as other:  # someone else deletes it meanwhile
        other.delete_meeting(meeting_id)
    ctx.undo_stack.undo()
    assert errors == [("Undo failed", f"There is no meeting {meeting_id!r} in this file.")]
    assert panel.meetings_model.row_of(meeting_id) == -1  # the panel shows the file as it is
    assert panel.meetings_model.rowCount() == 3
    # The failed step is dropped, so the stack does not claim an edit the file lacks.
    assert (ctx.undo_stack.count(), ctx.undo_stack.index()) == (1, 1)


def test_combine_two_records_of_one_meeting_from_the_list_menu_then_undo(
    panel: MeetingsPanel, ctx: AppContext, seeded_path: Path, qtbot  # type: ignore[no-untyped-def]
) -> None:
    assert ctx.briefing is not None
    b = ctx.briefing
    keep = next(m for m in b.meetings() if "Fasano" in m.title)
    twin = b.create_meeting(keep.title.upper(), date=keep.date, classification="RESTRICTED")
    b.add_agenda_item(twin.id, node_id(ctx, "1.1.1"), "The twin's points on 1.1.1")
    b.add_agenda_item(twin.id, node_id(ctx, "1"), "The twin's points on 1")
    before = agenda_on_file(seeded_path, keep.title)
    panel.reload()
    panel.select_meeting(keep.id)
    asked: list[str] = []

    def choose(parent, meetings, preselect_id, what, **words):  # type: ignore[no-untyped-def]
        dialog = ChooseMeetingDialog(parent, meetings, preselect_id, what, **words)  # the real dialog
        qtbot.addWidget(dialog)
        asked.append(dialog.windowTitle())
        row = [m.id for m in meetings].index(twin.id)
        dialog.list_view.setCurrentIndex(dialog.model.index(row))
        return dialog.chosen_id()

    panel.choose_meeting = choose
    [combine] = [a for a in panel.meetings_menu().actions() if a.text() == "Combine with Another Meeting…"]
    assert combine.isEnabled()
    combine.trigger()
    assert asked == ["Combine meetings"]
    with on_file(seeded_path) as f:
        assert twin.id not in {m.id for m in f.meetings()}
        assert f.meeting(keep.id).classification == (keep.classification or "RESTRICTED")
        points = {a.ref: a.points for a in f.agenda(keep.id)}
    assert agenda_on_file(seeded_path, keep.title) == [*before, "1.1.1"]  # the new entry after its own
    assert points["1.1.1"] == "The twin's points on 1.1.1" and points["1"].endswith("The twin's points on 1")
    assert panel.current_meeting() is not None and panel.current_meeting().id == keep.id
    ctx.undo_stack.undo()
    with on_file(seeded_path) as f:
        assert [a.ref for a in f.agenda(twin.id)] == ["1.1.1", "1"]
        assert f.meeting(keep.id).classification == keep.classification
    assert agenda_on_file(seeded_path, keep.title) == before
    ctx.undo_stack.redo()
    with on_file(seeded_path) as f:
        assert twin.id not in {m.id for m in f.meetings()}


def test_combine_is_offered_only_when_there_is_another_meeting(panel: MeetingsPanel, ctx: AppContext) -> None:
    assert ctx.briefing is not None
    meetings = ctx.briefing.meetings()
    for m in meetings[1:]:
        ctx.briefing.delete_meeting(m.id)
    panel.reload()
    panel.select_meeting(meetings[0].id)
    actions = {a.text(): a.isEnabled() for a in panel.meetings_menu().actions()}
    assert actions["Edit…"] and not actions["Combine with Another Meeting…"]
