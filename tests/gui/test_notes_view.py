"""The notes panel as a view over a model: thousands of notes on one
commitment show without a widget per note, and every note feature still
works — the mouse on the drawn buttons and links, double click, the keys,
the context menu, conflicting copies, line breaks, zoom."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from notes_helpers import card_point, click_card, link_point, shown_notes
from PySide6.QtCore import QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QContextMenuEvent, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from window_helpers import action

from briefbook.gui.notes import dialog as note_dialog
from briefbook.gui.notes.model import CONFLICT_MARK
from db.briefing.facade import Briefing
from tests.bench.synth import add_notes_on_one


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list:  # type: ignore[type-arg]
    """What the note dialog 'returns' next (the dialog itself: test_notes.py, test_typed_text_kept.py)."""
    queue: list = []  # type: ignore[type-arg]
    monkeypatch.setattr(note_dialog, "ask_note", lambda *a, **k: queue.pop(0))
    return queue


def file_notes(path, ref: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with Briefing.open(path, read_only=True, lock=False) as b:
        return [(n.kind, n.body) for n in b.notes(b.node_by_ref(ref).id)]


def with_notes(window, ref: str, bodies: list[tuple[str, str]]) -> list[str]:  # type: ignore[no-untyped-def]
    """Add notes (kind, text) on `ref` through the facade, select it; their ids."""
    briefing = window.context.briefing
    node = briefing.node_by_ref(ref)
    ids = [briefing.add_note(node.id, kind, body, author="Aiko Tanaka").id for kind, body in bodies]
    window.tree_pane.select_ref(ref)
    window.notes_panel.show_node(node.id)
    return ids


def test_ten_thousand_notes_show_as_rows_not_widgets_and_all_can_be_reached(qtbot, window, seeded_path) -> None:  # type: ignore[no-untyped-def]
    node = window.context.briefing.node_by_ref("3.2.1")
    add_notes_on_one(seeded_path, node.id, 10_000)
    panel = window.notes_panel
    widgets_before = len(panel.findChildren(QWidget))
    window.tree_pane.select_ref("3.2.1")
    assert panel.summary.text() == "10002 notes on 3.2.1"
    # No widget per note: the view draws them. Only the first screen is measured before it shows.
    assert len(panel.findChildren(QWidget)) == widgets_before
    assert panel.view.delegate.measured() < 200
    first = shown_notes(panel)[0]
    assert first.heading == "Talking points" and panel.view.visualRect(panel.model.index(1, 0)).top() < 40
    # The rest is measured while the user reads; then the last note is where scrolling ends.
    qtbot.waitUntil(panel.view.all_measured, timeout=120_000)
    panel.view.scrollToBottom()
    last = panel.model.notes()[-1]
    rect = panel.view.visualRect(panel.model.index(panel.model.row_of(last.id), 0))
    assert rect.intersects(panel.view.viewport().rect())
    assert panel.view.indexAt(rect.center()).row() == panel.model.row_of(last.id)
    with Briefing.open(seeded_path, read_only=True, lock=False) as b:
        assert [n.id for n in panel.model.notes()] == [n.id for n in b.notes(node.id)]


def test_keys_select_edit_move_copy_and_delete(qtbot, window, seeded_path, answers) -> None:  # type: ignore[no-untyped-def]
    with_notes(window, "1.1.1", [("talking_point", "First point"), ("talking_point", "Second point"),
                                 ("risk", "A risk")])
    view = window.notes_panel.view
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    assert view.current_note() is not None and view.current_note().body == "First point"  # not the heading
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.current_note().body == "Second point"
    qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Up)  # the heading above is passed over: it stays on the first note
    assert view.current_note().body == "First point"
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)  # move it down
    assert file_notes(seeded_path, "1.1.1")[:2] == [("talking_point", "Second point"),
                                                    ("talking_point", "First point")]
    assert view.current_note().body == "First point"  # the selection follows the note
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)  # the last of its kind: stays
    assert [b for _, b in file_notes(seeded_path, "1.1.1")][:2] == ["Second point", "First point"]
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "First point"
    answers.append(("talking_point", "First point, edited"))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert ("talking_point", "First point, edited") in file_notes(seeded_path, "1.1.1")
    assert view.current_note().body == "First point, edited"
    qtbot.keyClick(view, Qt.Key.Key_Down)  # past the "Risks" heading
    assert view.current_note().body == "A risk"
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert [b for _, b in file_notes(seeded_path, "1.1.1")] == ["Second point", "First point, edited"]
    assert [n.text for n in shown_notes(window.notes_panel)] == ["Second point", "First point, edited"]
    action(window, "undoAction").trigger()
    assert "A risk" in [n.text for n in shown_notes(window.notes_panel)]


def run_menu(choose: str, seen: list[list[str]]) -> None:
    """Pick `choose` in the context menu about to open (recording its entries)."""
    def pick() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, pick)
            return
        seen.append([a.text() for a in menu.actions() if not a.isSeparator()])
        entry = next((a for a in menu.actions() if a.text() == choose), None)
        if entry is not None and entry.isEnabled():
            menu.hide()
            entry.trigger()
        else:
            menu.close()

    QTimer.singleShot(0, pick)


def open_menu(panel, note_id: str, at: Callable[[], QPoint] | None = None) -> None:  # type: ignore[no-untyped-def]
    pos = at() if at is not None else card_point(panel, note_id, "body")
    viewport = panel.view.viewport()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, viewport.mapToGlobal(pos))
    QApplication.sendEvent(viewport, event)


def test_the_context_menu_edits_moves_copies_and_deletes(qtbot, window, seeded_path, answers) -> None:  # type: ignore[no-untyped-def]
    first, second = with_notes(window, "1.1.1", [("question", "Who attends?"), ("question", "When?")])
    panel = window.notes_panel
    seen: list[list[str]] = []
    run_menu("Move &Up", seen)
    open_menu(panel, first)  # the first of its kind: Move Up is there, but off
    assert seen[-1] == ["&Edit…", "&Delete", "Move &Up", "Move Do&wn", "&Copy Text"]
    assert [b for _, b in file_notes(seeded_path, "1.1.1")] == ["Who attends?", "When?"]
    run_menu("Move &Up", seen)
    open_menu(panel, second)
    assert [b for _, b in file_notes(seeded_path, "1.1.1")] == ["When?", "Who attends?"]
    answers.append(("question", "When exactly?"))
    run_menu("&Edit…", seen)
    open_menu(panel, second)
    assert [b for _, b in file_notes(seeded_path, "1.1.1")] == ["When exactly?", "Who attends?"]
    run_menu("&Copy Text", seen)
    open_menu(panel, first)
    assert QGuiApplication.clipboard().text() == "Who attends?"
    run_menu("&Delete", seen)
    open_menu(panel, first)
    assert [b for _, b in file_notes(seeded_path, "1.1.1")] == ["When exactly?"]


def test_a_link_opens_on_a_click_and_a_double_click_edits(qtbot, window, seeded_path, answers, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(QUrl(url).toString())))
    [note] = with_notes(window, "1.1.1", [("background", "See [the readout](https://www.mofa.go.jp/erp/) first.")])
    panel = window.notes_panel
    viewport = panel.view.viewport()
    pos = link_point(panel, note, "https://www.mofa.go.jp/erp/")
    qtbot.mouseMove(viewport, pos)
    assert viewport.cursor().shape() == Qt.CursorShape.PointingHandCursor
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pos)
    assert opened == ["https://www.mofa.go.jp/erp/"]
    seen: list[list[str]] = []
    run_menu("Copy Link &Address", seen)
    open_menu(panel, note, lambda: link_point(panel, note, "https://www.mofa.go.jp/erp/"))
    assert QGuiApplication.clipboard().text() == "https://www.mofa.go.jp/erp/"
    answers.append(("background", "Read the readout."))
    click_card(qtbot, panel, note, "body", double=True)
    assert file_notes(seeded_path, "1.1.1") == [("background", "Read the readout.")]


def test_a_conflicting_copy_says_so_on_its_card(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    [original] = with_notes(window, "1.1.1", [("update", "Aiko's version")])
    briefing = window.context.briefing
    copy = briefing.add_note(briefing.node_by_ref("1.1.1").id, "update", "Marco's version", author="Marco Rossi")
    conn = sqlite3.connect(briefing.path)  # what a merge writes for a note both rewrote
    with conn:
        conn.execute("UPDATE note SET conflict_of = ? WHERE id = ?", (original, copy.id))
    conn.close()
    window.notes_panel.show_node(briefing.node_by_ref("1.1.1").id)
    shown = {n.text: n.byline for n in shown_notes(window.notes_panel)}
    assert shown["Marco's version"].startswith("Marco Rossi · ") and shown["Marco's version"].endswith(
        "\n" + CONFLICT_MARK)
    assert CONFLICT_MARK not in shown["Aiko's version"]


def test_a_single_newline_starts_a_new_line_in_the_window(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    with_notes(window, "1.1.1", [("talking_point", "高市総理と会談した。\nIncontro con la Presidente Meloni.")])
    [card] = shown_notes(window.notes_panel)
    block = card.document.begin()
    layout = block.layout()
    lines = [block.text()[layout.lineAt(i).textStart():][:layout.lineAt(i).textLength()].strip("\u2028 ")
             for i in range(layout.lineCount())]
    assert lines == ["高市総理と会談した。", "Incontro con la Presidente Meloni."]


def test_editing_in_a_long_list_keeps_the_place_and_the_card_grows(qtbot, window, seeded_path, answers) -> None:  # type: ignore[no-untyped-def]
    ids = with_notes(window, "1.1.1", [("update", f"Update number {i}.") for i in range(120)])
    panel = window.notes_panel
    view = panel.view
    qtbot.waitUntil(view.all_measured, timeout=60_000)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    target = ids[60]
    view.select_note(target)
    before_scroll = view.verticalScrollBar().value()
    assert before_scroll > 0
    height = view.visualRect(panel.model.index(panel.model.row_of(target), 0)).height()
    answers.append(("update", "Update number 60.\n\n" + "A much longer text. " * 40))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert view.verticalScrollBar().value() == before_scroll
    assert view.current_note() is not None and view.current_note().id == target
    assert view.current_note().body.startswith("Update number 60.\n\nA much longer text.")
    row = panel.model.row_of(target)
    assert view.visualRect(panel.model.index(row, 0)).height() > 2 * height  # measured again, not clipped
    after = view.visualRect(panel.model.index(row + 1, 0))
    assert after.top() >= view.visualRect(panel.model.index(row, 0)).bottom()
    # A deletion (the list is read again) keeps the place too.
    view.select_note(ids[59])
    place = view.verticalScrollBar().value()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert view.verticalScrollBar().value() == place
    assert len(file_notes(seeded_path, "1.1.1")) == 119


def test_zooming_measures_the_cards_again(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from briefbook.gui import zoom

    [note] = with_notes(window, "1.1.1", [("risk", "A risk written at some length. " * 8)])
    panel = window.notes_panel
    row = panel.model.row_of(note)
    before = panel.view.visualRect(panel.model.index(row, 0)).height()
    try:
        zoom.apply(4)
        qtbot.waitUntil(lambda: panel.view.visualRect(panel.model.index(row, 0)).height() > before)
        card = shown_notes(panel)[0]
        assert card.document.defaultFont().pointSizeF() == panel.view.font().pointSizeF()
    finally:
        zoom.apply(0)
