"""Collisions in the window: the merge dialog tells each in words, and File >
Conflicts… shows every set-aside version to restore or dismiss."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from window_helpers import action, open_dialogs

from briefbook.gui.files.conflicts_dialog import ConflictsDialog
from briefbook.gui.files.merge_dialog import MergeReportDialog
from briefbook.gui.tree.model import TITLE_COLUMN
from db.briefing.facade import Briefing
from db.model.drafts import NodeDraft, PlanDraft


def merge_in_window(qtbot, window, theirs: Path, monkeypatch: pytest.MonkeyPatch) -> MergeReportDialog:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(theirs), "")))
    action(window, "mergeAction").trigger()
    qtbot.waitUntil(lambda: bool(open_dialogs(window, MergeReportDialog)), timeout=20000)
    [dialog] = open_dialogs(window, MergeReportDialog)
    return dialog


@pytest.fixture
def colleague(seeded_path: Path, tmp_path: Path) -> Path:
    """Ben's copy, made from the same file before either edited it."""
    theirs = tmp_path / "ben.sqlite"
    shutil.copyfile(seeded_path, theirs)
    return theirs


def test_edit_against_delete_and_same_field_are_told_and_kept(
    qtbot, window, seeded_path: Path, colleague: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    mine = window.context.briefing
    meeting = next(m for m in mine.meetings() if "Fasano" in m.title)
    note = mine.notes(mine.node_by_ref("1.2.1").id)[0]
    mine.edit_note(note.id, body="Tester's rewrite of the G7 note.")
    mine.edit_meeting(meeting.id, purpose="Tester's purpose")
    with Briefing.open(colleague, user="Ben") as ben:
        ben.delete_note(note.id)
        ben.edit_meeting(meeting.id, purpose="Ben's purpose")
    dialog = merge_in_window(qtbot, window, colleague, monkeypatch)
    told = dialog.collisions.toPlainText()
    assert "Kept tester's edit of the update note on 1.2.1" in told and "which Ben had deleted" in told
    assert "both changed the purpose of the meeting" in told and "set aside" in told
    # What the file holds: the edit alive, the newer purpose in place, the other set aside.
    assert mine.note(note.id).body == "Tester's rewrite of the G7 note."
    assert mine.meeting(meeting.id).purpose == "Ben's purpose"
    assert dialog.conflicts_button.isVisible()
    dialog.conflicts_button.click()
    qtbot.waitUntil(lambda: bool(open_dialogs(window, ConflictsDialog)) or bool(dialog.findChildren(ConflictsDialog)))
    [conflicts] = [d for d in dialog.findChildren(ConflictsDialog) if d.isVisible()]
    assert conflicts.table.rowCount() == 1
    assert conflicts.set_aside_text.toPlainText() == "Tester's purpose"
    assert conflicts.kept_text.toPlainText() == "Ben's purpose"
    conflicts.restore_button.click()
    assert mine.meeting(meeting.id).purpose == "Tester's purpose"
    assert conflicts.table.rowCount() == 0 and "No conflicts" in conflicts.summary.text()


def test_a_note_rewritten_on_both_sides_can_be_dismissed_from_file_conflicts(
    qtbot, window, colleague: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    mine = window.context.briefing
    note = mine.notes(mine.node_by_ref("1.2.1").id)[0]
    mine.edit_note(note.id, body="My text.")
    with Briefing.open(colleague, user="Ben") as ben:
        ben.edit_note(note.id, body="Ben's text.")
    dialog = merge_in_window(qtbot, window, colleague, monkeypatch)
    assert "both rewrote the update note on 1.2.1" in dialog.collisions.toPlainText()
    dialog.close()
    action(window, "conflictsAction").trigger()
    qtbot.waitUntil(lambda: bool(open_dialogs(window, ConflictsDialog)))
    [conflicts] = open_dialogs(window, ConflictsDialog)
    assert conflicts.table.item(0, 1).text() == "text"
    texts = (conflicts.set_aside_text.toPlainText(), conflicts.kept_text.toPlainText())
    assert set(texts) == {"My text.", "Ben's text."}
    kept = conflicts.kept_text.toPlainText()
    conflicts.dismiss_button.click()
    bodies = [n.body for n in mine.notes(mine.node_by_ref("1.2.1").id) if n.kind == "update"]
    assert kept in bodies and conflicts.table.rowCount() == 0
    assert not any(n.conflict_of for n in mine.notes(mine.node_by_ref("1.2.1").id))


def test_a_commitment_the_revised_plan_dropped_stays_in_the_tree_with_the_note(
    qtbot, window, colleague: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    mine = window.context.briefing
    target = mine.node_by_ref("7.3.1")
    with Briefing.open(colleague, user="Ben") as ben:
        plan = ben.plans()[0]
        tree = ben.tree(plan.id)

        def keep(nodes):  # type: ignore[no-untyped-def]
            return [NodeDraft(t.node.kind, t.node.ref, t.node.title, t.node.text, keep(t.children))
                    for t in nodes if t.node.ref != "7.3.1"]

        ben.import_plan(PlanDraft(plan.title, list(plan.parties), plan.period, plan.adopted_on, plan.preamble,
                                  keep(tree)))
    mine.add_note(target.id, "talking_point", "Our line on geographical indications.")
    dialog = merge_in_window(qtbot, window, colleague, monkeypatch)
    assert "no longer in one copy's plan text" in dialog.collisions.toPlainText()
    kept = mine.node_by_ref("7.3.1")
    assert kept.retired
    assert window.tree_pane.select_ref("7.3.1")  # still in the tree, where the user can find it
    index = window.tree_pane.model.index_of(kept.id, TITLE_COLUMN)
    assert index.data() == f"{kept.title} (removed from the plan)"


def test_restoring_and_dismissing_set_aside_versions_can_be_undone(
    qtbot, window, colleague: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    mine = window.context.briefing
    meeting = next(m for m in mine.meetings() if "Fasano" in m.title)
    note = mine.notes(mine.node_by_ref("1.2.1").id)[0]
    mine.edit_meeting(meeting.id, purpose="Tester's purpose")
    mine.edit_note(note.id, body="My text.")
    with Briefing.open(colleague, user="Ben") as ben:
        ben.edit_meeting(meeting.id, purpose="Ben's purpose")
        ben.edit_note(note.id, body="Ben's text.")
    merge_in_window(qtbot, window, colleague, monkeypatch).close()
    kept_note = mine.note(note.id).body
    other_note = ({"My text.", "Ben's text."} - {kept_note}).pop()
    kept_purpose = mine.meeting(meeting.id).purpose
    other_purpose = ({"Tester's purpose", "Ben's purpose"} - {kept_purpose}).pop()
    action(window, "conflictsAction").trigger()
    qtbot.waitUntil(lambda: bool(open_dialogs(window, ConflictsDialog)))
    [conflicts] = open_dialogs(window, ConflictsDialog)
    rows = {conflicts.table.item(r, 1).text(): r for r in range(conflicts.table.rowCount())}
    conflicts.table.selectRow(rows["purpose"])
    conflicts.restore_button.click()
    conflicts.table.selectRow(0)  # the note's version, now the only one
    conflicts.dismiss_button.click()
    assert mine.meeting(meeting.id).purpose == other_purpose and mine.set_aside() == []
    conflicts.close()
    undo, redo = action(window, "undoAction"), action(window, "redoAction")
    assert undo.text().startswith("&Undo Dismiss the set-aside version")
    undo.trigger()  # the dismissed note version is set aside again
    assert [(c.kind, c.value) for c in mine.set_aside()] == [("note", other_note)]
    undo.trigger()  # the restore: the purpose it replaced is back, the other set aside again
    assert mine.meeting(meeting.id).purpose == kept_purpose
    assert {(c.field, c.value, c.kept) for c in mine.set_aside() if c.kind == "field"} == {
        ("purpose", other_purpose, kept_purpose)}
    redo.trigger()
    redo.trigger()
    assert mine.meeting(meeting.id).purpose == other_purpose and mine.set_aside() == []
    assert mine.note(note.id).body == kept_note
