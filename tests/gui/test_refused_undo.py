"""An undo the file refuses, in every domain (notes, node status, sources,
meetings): the edit is made through the real widgets, the file is changed
underneath or becomes read-only, Undo is triggered from the Edit menu, and
afterwards every panel shows what the file holds and the user was told."""

from __future__ import annotations

from pathlib import Path

import pytest
from notes_helpers import click_card, shown_notes
from window_helpers import action

from briefbook.gui.main_window import MainWindow
from briefbook.gui.notes import dialog as note_dialog
from briefbook.gui.sources.dialog import SourceForm
from briefbook.gui.tree.model import STATUS_COLUMN
from db.briefing.facade import Briefing
from db.model.values import STATUS_LABELS, TRACKED_KINDS

CRITICAL_MINERALS = "Japan, Italy Agree to Cooperate on Economic Security, Critical Minerals"
TOKYO_2024 = "Kishida–Meloni summit meeting, Tokyo"


def colleague(path: Path) -> Briefing:
    """Someone else writing to the same file meanwhile (the test shares it on purpose)."""
    return Briefing.open(path, user="colleague", lock=False)


def assert_window_shows_file(window: MainWindow, path: Path) -> None:
    """Every panel shows what a fresh reader of the file sees, for the selected node and meeting."""
    node_id = window.context.current_node_id
    meetings = window.meetings_panel
    meeting = meetings.current_meeting()
    with Briefing.open(path, read_only=True) as b:
        node = b.node(node_id)
        notes = sorted(n.body for n in b.notes(node_id))
        sources = sorted(ls.source.title for ls in b.node_sources(node_id))
        history = len(b.status_history(node_id))
        meeting_titles = [m.title for m in b.meetings()]
        agenda = [(a.ref, a.points) for a in b.agenda(meeting.id)] if meeting else []
    panel = window.node_panel
    if node.kind in TRACKED_KINDS:
        assert panel.status.text() == STATUS_LABELS[node.status or "not_started"]
        assert panel.lead_office.text() == node.lead_office
        assert window.tree_pane.model.index_of(node_id, STATUS_COLUMN).data() == STATUS_LABELS[node.status or "not_started"]
        assert window.history_panel.table.topLevelItemCount() == history
    assert sorted(n.body for n in window.notes_panel.model.notes()) == notes
    sources_model = window.sources_panel.model
    assert sorted(sources_model.item(r).source.title for r in range(sources_model.rowCount())) == sources
    titles = [meetings.meetings_model.item(r).title for r in range(meetings.meetings_model.rowCount())]
    assert titles == meeting_titles
    shown_agenda = [meetings.agenda_model.item(r) for r in range(meetings.agenda_model.rowCount())]
    assert [(a.ref, a.points) for a in shown_agenda] == agenda
    item = meetings.current_item()
    assert meetings.points_edit.toPlainText() == (item.points if item else "")


def undo_failed(messages, sentence: str) -> bool:  # type: ignore[no-untyped-def]
    return ("error", "Undo failed", sentence) in messages.shown


def test_refused_undo_of_a_note_edit(qtbot, window, seeded_path: Path, messages, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window.tree_pane.select_ref("3.2.1")
    answers = [("talking_point", "Edited in the window.")]
    monkeypatch.setattr(note_dialog, "ask_note", lambda *a, **k: answers.pop(0))
    note_id = shown_notes(window.notes_panel)[0].id
    click_card(qtbot, window.notes_panel, note_id, "edit")
    assert "Edited in the window." in [n.text for n in shown_notes(window.notes_panel)]

    with colleague(seeded_path) as other:  # deletes the note and writes one of their own
        other.delete_note(note_id)
        other.add_note(window.context.current_node_id, "risk", "A colleague's risk.")
    action(window, "undoAction").trigger()

    assert undo_failed(messages, f"There is no note {note_id!r} in this file.")
    assert window.context.undo_stack.count() == 0  # the refused step is dropped
    assert_window_shows_file(window, seeded_path)
    assert "A colleague's risk." in [n.text for n in shown_notes(window.notes_panel)]


def test_refused_undo_of_a_status_change(qtbot, window, seeded_path: Path, messages) -> None:  # type: ignore[no-untyped-def]
    window.tree_pane.select_ref("3.2.1")
    window.node_panel.status_actions["on_track"].trigger()
    assert window.node_panel.status.text() == "On track"

    node_id = window.context.current_node_id
    with colleague(seeded_path) as other:  # a colleague moves it on, and then the file turns read-only
        other.set_status(node_id, "achieved", "Signed in Rome.")
        other.set_lead_office(node_id, "METI")
    window.context.briefing.read_only = True
    action(window, "undoAction").trigger()

    assert undo_failed(messages, "briefing.sqlite is open read-only: changes cannot be saved.")
    assert window.node_panel.status.text() == "Achieved" and window.node_panel.lead_office.text() == "METI"
    assert window.history_panel.table.topLevelItem(0).text(4) == "Signed in Rome."
    assert_window_shows_file(window, seeded_path)


def test_refused_undo_of_a_source_edit(qtbot, window, seeded_path: Path, messages) -> None:  # type: ignore[no-untyped-def]
    window.tree_pane.select_ref("3.2.1")
    panel = window.sources_panel
    row = next(r for r in range(panel.model.rowCount()) if panel.model.item(r).source.title == CRITICAL_MINERALS)
    panel.list_view.setCurrentIndex(panel.model.index(row))
    source_id = panel.current_source().source.id
    panel.ask_source = lambda *_a: SourceForm({"title": "Renamed in the window"}, None)
    panel.edit_button.click()
    assert panel.title_label.text() == "Renamed in the window"

    with colleague(seeded_path) as other:
        other.delete_source(source_id)
    action(window, "undoAction").trigger()

    assert undo_failed(messages, f"There is no source {source_id!r} in this file.")
    assert "Renamed in the window" not in [panel.model.item(r).source.title for r in range(panel.model.rowCount())]
    assert_window_shows_file(window, seeded_path)


def test_refused_undo_of_meeting_points(qtbot, window, seeded_path: Path, messages) -> None:  # type: ignore[no-untyped-def]
    window.tree_pane.select_ref("3.2.1")
    panel = window.meetings_panel
    panel.select_meeting(next(m.id for m in panel.meetings_model.items() if m.title == TOKYO_2024))
    assert panel.agenda_model.rowCount() >= 2
    panel.agenda_view.setCurrentIndex(panel.agenda_model.index(0))
    item = panel.current_item()
    panel.points_edit.setPlainText("- Raise the **minerals** MoU")
    panel.save_points()
    assert panel.agenda_model.item(0).points == "- Raise the **minerals** MoU"

    with colleague(seeded_path) as other:
        other.remove_agenda_item(item.id)
    action(window, "undoAction").trigger()

    assert undo_failed(messages, "That agenda item is no longer in the meeting.")
    assert item.id not in [a.id for a in panel.agenda_model.items()]
    assert_window_shows_file(window, seeded_path)


@pytest.mark.parametrize("step", ["undo", "redo"])
def test_a_refused_step_of_a_meeting_edit_says_which(qtbot, window, seeded_path: Path, messages, step: str) -> None:  # type: ignore[no-untyped-def]
    window.tree_pane.select_ref("3.2.1")
    panel = window.meetings_panel
    meeting = next(m for m in panel.meetings_model.items() if m.title == TOKYO_2024)
    panel.select_meeting(meeting.id)
    panel.ask_meeting = lambda *_a: {"place": "Palazzo Chigi"}
    panel.edit_button.click()
    assert "Palazzo Chigi" in panel.details_label.text()
    if step == "redo":
        action(window, "undoAction").trigger()
        assert "Palazzo Chigi" not in panel.details_label.text()
    with colleague(seeded_path) as other:
        other.delete_meeting(meeting.id)
    action(window, "undoAction" if step == "undo" else "redoAction").trigger()

    verb = "Undo" if step == "undo" else "Redo"
    assert ("error", f"{verb} failed", f"There is no meeting {meeting.id!r} in this file.") in messages.shown
    assert panel.meetings_model.row_of(meeting.id) == -1
    assert_window_shows_file(window, seeded_path)


def test_an_undo_of_two_steps_is_saved_whole_or_not_at_all(qtbot, window, seeded_path: Path, messages,  # type: ignore[no-untyped-def]
                                                           monkeypatch) -> None:
    """Undoing "New source" unlinks, then deletes: when the second step is refused, the
    first is not left saved on its own (the source would be a citation-less orphan)."""
    window.tree_pane.select_ref("3.2.1")
    panel = window.sources_panel
    panel.ask_source = lambda *_a: SourceForm({"title": "A report added in the window"}, "a quote")
    panel.create_button.click()
    with Briefing.open(seeded_path, read_only=True) as b:
        node = b.node_by_ref("3.2.1")
        assert "A report added in the window" in [ls.source.title for ls in b.node_sources(node.id)]

    def refuse(self, source_id):  # type: ignore[no-untyped-def]
        from db.model.errors import WriteRefused

        raise WriteRefused("The file refused the second step.")

    monkeypatch.setattr(Briefing, "delete_source", refuse)
    action(window, "undoAction").trigger()

    assert undo_failed(messages, "The file refused the second step.")
    with Briefing.open(seeded_path, read_only=True) as b:
        cited = {ls.source.title: ls.quote for ls in b.node_sources(b.node_by_ref("3.2.1").id)}
    assert cited.get("A report added in the window") == "a quote"  # the unlink was rolled back with it
