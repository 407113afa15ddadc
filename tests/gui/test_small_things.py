"""Small things seen in daily use: the first run asks for the name; an import
says which lines it could not place; the status history shows whole comments
and the detail pane the current status's comment; a second window does not
open exactly on top of the first."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from briefbook.gui import settings
from briefbook.gui.main_window import MainWindow
from briefbook.gui.node import status_dialog
from briefbook.gui.preferences_dialog import PreferencesDialog
from briefbook.services import preferences
from db.briefing.facade import Briefing

LONG_COMMENT = ("The refinery project waits for the second tranche of funding, which the ministry expects "
                "after the budget law passes in the spring; until then the pilot shipments are on hold "
                "and the working group meets monthly to keep the partners informed.")


def test_first_run_asks_for_the_name_and_signs_with_it(qtbot, window, seeded_path) -> None:  # type: ignore[no-untyped-def]
    preferences.update(author="")
    assert not preferences.has_author()

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PreferencesDialog) or not dialog.isActiveWindow():
            QTimer.singleShot(20, answer)
            return
        assert "Welcome" in dialog.windowTitle()
        qtbot.keyClicks(dialog.author, "Maria Rossi (MAECI)")
        qtbot.keyClick(dialog.author, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    window.ask_name_if_unknown()
    assert preferences.load().author == "Maria Rossi (MAECI)"
    briefing = window.context.briefing
    briefing.add_note(briefing.node_by_ref("1.1.1").id, "background", "Signed by the name given")
    with Briefing.open(seeded_path, read_only=True) as b:
        assert [n.author for n in b.notes(b.node_by_ref("1.1.1").id)] == ["Maria Rossi (MAECI)"]
    window.ask_name_if_unknown()  # known now: nothing is asked again
    assert QApplication.activeModalWidget() is None


def test_one_unplaced_line_is_one_line() -> None:
    from briefbook.gui.files.import_dialog import unplaced_lines
    from db.model.values import ImportReport, UnplacedLine

    report = ImportReport("p", 0, 0, 0, 0, (UnplacedLine(3, "Stray", "text after the closing date"),))
    assert "1 line could not be placed in the tree:\nline 3: Stray" in unplaced_lines(report)


def test_whole_status_comments_in_the_history_and_the_detail_pane(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(status_dialog, "ask_status_comment", lambda *a: LONG_COMMENT)
    window.resize(1024, 640)
    window.tree_pane.select_ref("3.2.1")
    window.node_panel.status_actions["with_challenges"].trigger()
    assert LONG_COMMENT in window.node_panel.changed.text()  # the current status's comment, whole
    window.tabs.setCurrentWidget(window.history_panel)
    table = window.history_panel.table
    qtbot.waitUntil(table.isVisible)
    item = table.topLevelItem(0)
    assert item.text(4) == LONG_COMMENT
    line = table.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: table.visualItemRect(item).height() >= 2 * line)  # wrapped, not cut off
    # Its width shrinks: the row grows again to hold the whole comment.
    before = table.visualItemRect(item).height()
    table.header().resizeSection(4, max(80, table.header().sectionSize(4) // 2))
    qtbot.waitUntil(lambda: table.visualItemRect(item).height() > before)


def test_a_second_window_opens_beside_the_first(qtbot, seeded_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = MainWindow()
    qtbot.addWidget(first)
    first.resize(520, 420)  # room on the (small) test screen for the next one beside it
    first.move(100, 80)
    first.save_settings()
    second = MainWindow()  # while the first is open
    qtbot.addWidget(second)
    assert (first.window_slot, second.window_slot) == (0, 1)
    second.close()
    first.close()
    again = MainWindow()  # both closed: the next window takes the first place again
    qtbot.addWidget(again)
    assert again.window_slot == 0
    step = MainWindow.CASCADE
    assert (second.pos().x() - again.pos().x(), second.pos().y() - again.pos().y()) == (step, step)
    # A window that fills the screen: the one beside it stays on the screen all the same.
    room = again.screen().availableGeometry()
    again.resize(room.width() - 2, room.height() - 30)
    again.move(room.topLeft())
    again.save_settings()
    beside = MainWindow()
    qtbot.addWidget(beside)
    assert beside.window_slot == 1 and room.contains(beside.geometry())
    beside.close()
    again.close()


@pytest.fixture(autouse=True)
def _name(qapp) -> None:  # type: ignore[no-untyped-def]
    settings.set_author("tester")


def test_the_detail_pane_shows_who_and_why_as_plain_text(qtbot, window, monkeypatch, seeded_path) -> None:  # type: ignore[no-untyped-def]
    comment = "Delayed <b>again</b> & rescheduled"
    monkeypatch.setattr(status_dialog, "ask_status_comment", lambda *a: comment)
    window.tree_pane.select_ref("2.1.2")
    shown = window.node_panel.changed.text()
    assert shown.startswith("Status never changed since the plan was imported.") and "<span" not in shown
    window.node_panel.status_actions["with_challenges"].trigger()
    shown = window.node_panel.changed.text()
    assert f"Why: {comment}" in shown  # as typed: no markup of ours, none of the comment's obeyed
    assert "<span" not in shown and "&amp;" not in shown and "<br>" not in shown
    with Briefing.open(seeded_path, read_only=True) as b:
        assert b.node_by_ref("2.1.2").status == "with_challenges"
