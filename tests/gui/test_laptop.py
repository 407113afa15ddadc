"""The window fits a laptop and picks up where it was: usable at 1024x640, the
last selected node and the expanded branches come back after a restart, and
meeting points and purposes show rendered Markdown, not raw marks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from briefbook.gui.main_window import MainWindow
from briefbook.gui.tree.model import TITLE_COLUMN


def open_window(qtbot, path: Path, messages) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.files.open_path(path), messages.shown
    win.show()
    qtbot.waitExposed(win)
    return win


def test_selection_and_expanded_branches_come_back_after_a_restart(qtbot, seeded_path, messages) -> None:  # type: ignore[no-untyped-def]
    win = open_window(qtbot, seeded_path, messages)
    pane = win.tree_pane
    pane.select_ref("4.2.2")
    area_2 = pane.proxy.mapFromSource(pane.model.index_of(win.context.briefing.node_by_ref("2").id))
    pane.tree.setCurrentIndex(pane.proxy.mapFromSource(pane.model.index_of(win.context.briefing.node_by_ref("4.2.2").id)))
    pane.tree.collapse(area_2)
    win.close()

    again = open_window(qtbot, seeded_path, messages)
    pane = again.tree_pane
    briefing = again.context.briefing
    assert briefing.node(again.context.current_node_id).ref == "4.2.2"
    assert pane.tree.currentIndex().data() == "4.2.2"

    def expanded(ref: str) -> bool:
        return pane.tree.isExpanded(pane.proxy.mapFromSource(pane.model.index_of(briefing.node_by_ref(ref).id)))

    assert not expanded("2") and expanded("3") and expanded("4.2")
    again.ensure_panels()
    assert again.node_panel.heading.text() == "4.2.2"
    again.close()


def test_markdown_in_agenda_previews_and_the_purpose_is_rendered(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    panel = window.meetings_panel
    briefing = window.context.briefing
    meeting = briefing.meetings()[0]
    briefing.edit_meeting(meeting.id, purpose="Agree on **LNG** and *critical minerals* <b>now</b>")
    item = briefing.agenda(meeting.id)[0]
    briefing.set_agenda_points(item.id, "- Raise **LNG** supply\n- Thank Italy")
    panel.reload()
    panel.select_meeting(meeting.id)
    details = panel.details_label.text()
    assert "<b>LNG</b>" in details and "**" not in details and "&lt;b&gt;now&lt;/b&gt;" in details
    preview = panel.agenda_model.data(panel.agenda_model.index(0))
    assert preview.splitlines()[1].strip() == "Raise LNG supply"
    tip = panel.agenda_model.data(panel.agenda_model.index(0), Qt.ItemDataRole.ToolTipRole)
    assert "<b>LNG</b>" in tip and "**" not in tip


def test_usable_at_1024_by_640(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.fit_to(1024, 640)
    window.tree_pane.select_ref("3.2.1")
    window.meetings_panel.select_meeting(window.context.briefing.meetings()[0].id)
    qtbot.waitUntil(lambda: window.width() == 1024 and window.height() == 640)
    for _ in range(5):
        QApplication.processEvents()
    tree = window.tree_pane.tree
    title_width = tree.header().sectionSize(TITLE_COLUMN)
    assert title_width >= tree.fontMetrics().horizontalAdvance("Strengthen co"), title_width
    notes = window.notes_panel
    viewport = notes.view.viewport().width()
    assert not notes.view.horizontalScrollBar().isVisible()
    rows = [notes.view.visualRect(notes.model.index(r, 0)) for r in range(notes.model.rowCount())]
    assert rows and all(rect.left() >= 0 and rect.right() < viewport for rect in rows)
    assert notes.view.delegate.width() < viewport  # each card is drawn inside its row
    assert window.meetings_dock.width() <= 0.4 * window.width()
    agenda = window.meetings_panel.agenda_view
    row = agenda.sizeHintForRow(0)
    assert agenda.viewport().height() >= 3 * row  # the agenda has room for three items (two lines each)
