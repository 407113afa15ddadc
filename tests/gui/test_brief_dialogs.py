"""What the principal's brief needs, written in the window: a meeting's objectives and press
line, an agenda item's objective, an "if raised" note with our response, a key message. Each
through the real dialogs, checked in the file, and undone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from notes_helpers import click_card, shown_notes
from PySide6.QtWidgets import QDialog
from window_helpers import action

from briefbook.gui.context import AppContext
from briefbook.gui.meetings.dialog import MeetingDialog
from briefbook.gui.meetings.panel import MeetingsPanel
from briefbook.gui.notes import dialog as note_dialog
from briefbook.gui.notes.dialog import NoteDialog
from db.briefing.facade import Briefing
from db.model.values import MeetingInfo

TAKAICHI = "Takaichi–Meloni summit meeting, Tokyo"


def _on_file(path: Path) -> Briefing:
    return Briefing.open(path, read_only=True)


@pytest.fixture
def ctx(seeded_path: Path) -> Iterator[AppContext]:
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


def test_the_meeting_dialog_writes_objectives_and_a_press_line(panel: MeetingsPanel, ctx: AppContext,
                                                               seeded_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel.select_meeting(next(m.id for m in ctx.briefing.meetings() if m.title == TAKAICHI))  # type: ignore[union-attr]

    def fill(parent: Any, heading: str, initial: MeetingInfo | None) -> dict[str, Any] | None:
        dialog = MeetingDialog(parent, heading, initial)  # the real dialog, typed into
        qtbot.addWidget(dialog)
        dialog.objectives_edit.setPlainText("  Agree a minerals working group\n\nLaunch the space dialogue  ")
        dialog.press_line_edit.setPlainText("Japan and Italy deepen their special strategic partnership.")
        dialog.accept()
        assert dialog.result() == QDialog.DialogCode.Accepted
        return dialog.fields()

    panel.ask_meeting = fill  # type: ignore[method-assign]
    panel.edit_button.click()
    with _on_file(seeded_path) as b:
        m = next(m for m in b.meetings() if m.title == TAKAICHI)
    assert m.objectives == "Agree a minerals working group\nLaunch the space dialogue"
    assert m.press_line == "Japan and Italy deepen their special strategic partnership."
    assert "Launch the space dialogue" in panel.details_label.text()
    ctx.undo_stack.undo()
    with _on_file(seeded_path) as b:
        m = next(m for m in b.meetings() if m.title == TAKAICHI)
    assert (m.objectives, m.press_line) == ("", "")


def test_an_agenda_item_gets_an_objective_and_loses_it_on_undo(panel: MeetingsPanel, ctx: AppContext,
                                                               seeded_path: Path) -> None:
    panel.select_meeting(next(m.id for m in ctx.briefing.meetings() if m.title == TAKAICHI))  # type: ignore[union-attr]
    refs = [panel.agenda_model.item(r).ref for r in range(panel.agenda_model.rowCount())]
    panel.agenda_view.setCurrentIndex(panel.agenda_model.index(refs.index("3.2.1")))
    asked: list[str] = []

    def answer(item: Any) -> str:
        asked.append(item.ref)
        return "  A minerals   working group by June "

    panel.ask_objective = answer  # type: ignore[method-assign]
    assert panel.objective_button.isEnabled()
    panel.objective_button.click()
    assert asked == ["3.2.1"]
    with _on_file(seeded_path) as b:
        m = next(m for m in b.meetings() if m.title == TAKAICHI)
        assert next(a.objective for a in b.agenda(m.id) if a.ref == "3.2.1") == "A minerals working group by June"
    ctx.undo_stack.undo()
    with _on_file(seeded_path) as b:
        m = next(m for m in b.meetings() if m.title == TAKAICHI)
        assert next(a.objective for a in b.agenda(m.id) if a.ref == "3.2.1") == ""


def test_the_note_dialog_takes_an_ask_with_our_response_and_a_key_flag(qtbot, window, seeded_path,  # type: ignore[no-untyped-def]
                                                                        monkeypatch) -> None:
    window.tree_pane.select_ref("3.2.1")
    seen: list[bool] = []

    def fill(parent: Any, title: str, kind: str = "talking_point", body: str = "", author: str = "",
             response: str = "", key: bool = False) -> note_dialog.NoteAnswer | None:
        dialog = NoteDialog(title, kind, body, author, parent, response, key)
        qtbot.addWidget(dialog)
        dialog.show()
        seen.append(dialog.response.isVisible())  # a talking point has no response box
        dialog.kind.setCurrentIndex(dialog.kind.findData("if_raised"))
        seen.append(dialog.response.isVisible())
        dialog.body.setPlainText("Will Italy join a rare-earth stockpile?")
        dialog.response.setPlainText("We are studying it with our EU partners.")
        dialog.key.setChecked(True)
        dialog.accept()
        return dialog.answer()

    monkeypatch.setattr(note_dialog, "ask_note", fill)
    window.notes_panel.add_button.click()
    assert seen == [False, True]
    with _on_file(seeded_path) as b:
        note = next(n for n in b.notes(b.node_by_ref("3.2.1").id) if n.kind == "if_raised")
    assert (note.body, note.response, note.is_key) == (
        "Will Italy join a rare-earth stockpile?", "We are studying it with our EU partners.", 1)
    shown = next(n for n in shown_notes(window.notes_panel) if n.id == note.id)
    assert "key message" in shown.byline
    assert "We are studying it with our EU partners." in shown.text
    assert shown.heading == "If raised"

    # Edited back to a plain talking point: the response goes, the flag is cleared.
    def plain(*_a: Any, **_k: Any) -> note_dialog.NoteAnswer:
        return note_dialog.NoteAnswer("talking_point", "Italy will study a stockpile.", "", False)

    monkeypatch.setattr(note_dialog, "ask_note", plain)
    click_card(qtbot, window.notes_panel, note.id, "edit")
    with _on_file(seeded_path) as b:
        edited = b.note(note.id)
    assert (edited.kind, edited.response, edited.is_key) == ("talking_point", "", 0)
    action(window, "undoAction").trigger()
    with _on_file(seeded_path) as b:
        back = b.note(note.id)
    assert (back.kind, back.body, back.response, back.is_key) == (
        "if_raised", "Will Italy join a rare-earth stockpile?", "We are studying it with our EU partners.", 1)


def test_the_export_dialog_offers_the_two_editions_of_a_meeting_pack(ctx: AppContext, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from briefbook.gui.export.dialog import ExportDialog

    assert ctx.briefing is not None
    meeting = next(m for m in ctx.briefing.meetings() if m.title == TAKAICHI)
    dialog = ExportDialog(ctx.briefing, meeting.id)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "pack.pdf"))
    assert dialog.edition_combo.isEnabled() and dialog.edition_combo.currentData() == "principal"
    assert dialog.request().edition == "principal"  # the principal's is the default for a meeting pack
    dialog.edition_combo.setCurrentIndex(dialog.edition_combo.findData("desk"))
    assert dialog.request().edition == "desk"
    dialog.plan_radio.setChecked(True)
    assert not dialog.edition_combo.isEnabled() and dialog.request().edition == "desk"
