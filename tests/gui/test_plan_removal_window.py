"""A plan imported by mistake goes with Edit > Undo; File > Remove Plan… asks, naming what goes with it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from test_import_dialog import open_dialog, plan_titles
from window_helpers import action

SEED = "Japan-Italy Action Plan (2024-2027)"
PLAN = "Joint Work Plan on Culture\n\nMuseums\n\n- Museums will lend works.\n\nMusic\n\n- Orchestras will tour.\n"


def test_edit_undo_right_after_an_import_removes_the_plan_and_redo_brings_it_back(  # type: ignore[no-untyped-def]
    qtbot, window, messages, tmp_path: Path
) -> None:
    path = tmp_path / "culture.md"
    path.write_text(PLAN, encoding="utf-8")
    dialog = open_dialog(qtbot, window, path)
    qtbot.keyClick(dialog.import_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "Joint Work Plan on Culture" in plan_titles(window), timeout=5000)
    undo = action(window, "undoAction")
    assert undo.isEnabled() and undo.text() == "&Undo Import Plan “Joint Work Plan on Culture”"
    undo.trigger()
    assert plan_titles(window) == [SEED]
    assert window.tree_pane.plan_id == window.context.briefing.plans()[0].id  # the tree shows what is left
    assert window.context.briefing.search("Orchestras") == []
    action(window, "redoAction").trigger()
    assert sorted(plan_titles(window)) == [SEED, "Joint Work Plan on Culture"]
    assert window.context.briefing.search("Orchestras")


def test_file_remove_plan_names_what_goes_with_it_and_undo_brings_it_all_back(  # type: ignore[no-untyped-def]
    qtbot, window, messages
) -> None:
    briefing = window.context.briefing
    before = briefing.counts()
    messages.answers = [False]
    action(window, "removePlanAction").trigger()
    kind, title, question = messages.shown[-1]
    assert (kind, title) == ("question", "Remove Plan")
    assert question.startswith(f"Remove the plan “{SEED}” from this file? It takes with it 84 nodes")
    assert "17 notes, 27 citations of sources and 22 agenda entries in 3 meetings" in question
    assert plan_titles(window) == [SEED]  # Cancel: nothing changed
    messages.answers = [True]
    action(window, "removePlanAction").trigger()
    assert plan_titles(window) == []
    assert window.tree_pane.plan_id is None
    assert briefing.counts()["notes"] == 0 and briefing.counts()["agenda_items"] == 0
    action(window, "undoAction").trigger()
    assert plan_titles(window) == [SEED]
    assert briefing.counts() == before
    assert window.tree_pane.model.rowCount() == 7  # the areas are in the tree again
