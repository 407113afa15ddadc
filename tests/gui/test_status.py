"""Status and lead office in the node panel: the required comment is enforced,
each change is undone and redone, the file and the tree agree."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_helpers import action

from briefbook.gui.node import status_dialog
from briefbook.gui.node.status_dialog import StatusCommentDialog
from briefbook.gui.tree.model import COUNTS_ROLE, STATUS_COLUMN
from db.briefing.facade import Briefing


def file_status(path, ref: str) -> tuple[str, list[tuple[str | None, str, str]]]:  # type: ignore[no-untyped-def]
    with Briefing.open(path, read_only=True) as b:
        node = b.node_by_ref(ref)
        return node.status, [(c.from_status, c.to_status, c.comment) for c in b.status_history(node.id)]


def choose_status(qtbot, window, status: str) -> None:  # type: ignore[no-untyped-def]
    """Pick a status from the status button's menu, as a user would."""
    button = window.node_panel.status
    assert button.isEnabled() and button.menu() is not None
    action = window.node_panel.status_actions[status]
    assert action in button.menu().actions()
    action.trigger()


@pytest.fixture
def comments(monkeypatch: pytest.MonkeyPatch) -> list:  # type: ignore[type-arg]
    queue: list = []  # type: ignore[type-arg]
    asked: list = []  # type: ignore[type-arg]

    def ask(parent, ref, status):  # type: ignore[no-untyped-def]
        asked.append((ref, status))
        return queue.pop(0)

    monkeypatch.setattr(status_dialog, "ask_status_comment", ask)
    return queue


def test_status_change_with_undo_and_redo(qtbot, window, seeded_path, comments) -> None:  # type: ignore[no-untyped-def]
    window.tree_pane.select_ref("3.2.1")
    choose_status(qtbot, window, "on_track")
    assert file_status(seeded_path, "3.2.1") == ("on_track", [("not_started", "on_track", "")])
    tree_cell = window.tree_pane.model.index_of(window.context.current_node_id, STATUS_COLUMN)
    assert tree_cell.data() == "On track"
    area = window.tree_pane.model.index_of(window.context.briefing.node_by_ref("3").id, STATUS_COLUMN)
    assert dict(area.data(COUNTS_ROLE))["on_track"] == 1

    action(window, "undoAction").trigger()
    status, history = file_status(seeded_path, "3.2.1")
    assert status == "not_started" and history[-1][:2] == ("on_track", "not_started")
    assert window.node_panel.status.text() == "Not started"
    assert "on_track" not in dict(area.data(COUNTS_ROLE))
    window.tabs.setCurrentWidget(window.history_panel)
    assert window.history_panel.table.topLevelItemCount() == 0  # the change and its undo: not changes
    assert "the changes made were undone" in window.history_panel.empty.text()
    assert "Status never changed since the plan was imported (the changes made were undone)." in (
        window.node_panel.changed.text())
    action(window, "redoAction").trigger()
    status, history = file_status(seeded_path, "3.2.1")
    assert status == "on_track" and len(history) == 3  # the file keeps every change, undo included
    table = window.history_panel.table
    assert table.topLevelItemCount() == 1 and table.topLevelItem(0).text(3) == "On track"
    assert window.node_panel.changed.text().startswith("Status set by tester on ")
    assert "Undo of" not in window.node_panel.changed.text()


def test_required_comment_is_enforced(qtbot, window, seeded_path, comments) -> None:  # type: ignore[no-untyped-def]
    window.tree_pane.select_ref("3.2.1")
    comments.append(None)  # the user cancels the comment dialog
    choose_status(qtbot, window, "with_challenges")
    assert file_status(seeded_path, "3.2.1") == ("not_started", [])
    assert window.node_panel.status.text() == "Not started"
    assert action(window, "undoAction").isEnabled() is False

    comments.append("China tightened export restrictions on dual-use items.")
    choose_status(qtbot, window, "with_challenges")
    assert file_status(seeded_path, "3.2.1") == (
        "with_challenges",
        [("not_started", "with_challenges", "China tightened export restrictions on dual-use items.")],
    )
    history = window.history_panel.table.topLevelItem(0)
    assert history.text(3) == "With challenges" and history.text(1) == "tester"


def test_comment_dialog_will_not_accept_an_empty_comment(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = StatusCommentDialog("3.2.1", "not_pursued")
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.comment, "   ")
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.comment, "Dropped by both sides")
    assert dialog.ok.isEnabled() and dialog.text() == "Dropped by both sides"
    optional = StatusCommentDialog("3.2.1", "achieved")
    qtbot.addWidget(optional)
    assert optional.ok.isEnabled()


def test_lead_office_edit_with_undo(qtbot, window, seeded_path) -> None:  # type: ignore[no-untyped-def]
    window.tree_pane.select_ref("4.5.1")
    edit = window.node_panel.lead_office
    edit.setFocus()
    qtbot.keyClicks(edit, "MOFA Space Policy Division")
    qtbot.keyClick(edit, Qt.Key.Key_Return)

    def office() -> str:
        with Briefing.open(seeded_path, read_only=True) as b:
            return b.node_by_ref("4.5.1").lead_office

    assert office() == "MOFA Space Policy Division"
    assert "tester" in window.node_panel.changed.text()
    action(window, "undoAction").trigger()
    assert office() == "" and edit.text() == ""
    action(window, "redoAction").trigger()
    assert office() == "MOFA Space Policy Division"


def test_area_shows_counts_instead_of_a_status(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.tree_pane.select_ref("3")
    panel = window.node_panel
    assert panel.status.isHidden() and not panel.counts.isHidden()
    assert panel.counts.text() == "11 not started"
