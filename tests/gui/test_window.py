"""The window's frame: menus and shortcuts, Save a Copy As, recent files,
Add to meeting from the tree, the error report, the empty states."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QPushButton
from window_helpers import action, menu

from briefbook.gui import error_dialog, settings
from briefbook.gui.main_window import MainWindow
from db.briefing.facade import Briefing


def test_menus_have_mnemonics_and_shortcuts(window) -> None:  # type: ignore[no-untyped-def]
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Help"]
    for title in titles:
        for entry in menu(window, title).actions():
            if entry.isSeparator() or entry.menu() is not None:
                continue
            assert "&" in entry.text(), entry.text()
    assert action(window, "findAction").shortcut().toString() == "Ctrl+F"
    assert action(window, "undoAction").shortcut().toString() == "Ctrl+Z"
    assert action(window, "saveCopyAction").shortcut().toString() == "Ctrl+Shift+S"
    pane = window.tree_pane
    named = [w for w in (pane.tree, pane.search, window.node_panel.status, window.node_panel.lead_office)]
    assert all(w.accessibleName() for w in named)


def test_save_a_copy_as(qtbot, window, seeded_path: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "copy for Rome.sqlite"
    asked: list[str] = []

    def ask(parent, title, suggested, filters):  # type: ignore[no-untyped-def]
        asked.append(suggested)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(ask))
    action(window, "saveCopyAction").trigger()
    assert asked == [str(seeded_path.parent / "briefing copy.sqlite")]
    qtbot.waitUntil(lambda: "Saved a copy" in window.statusBar().currentMessage(), timeout=10_000)
    with Briefing.open(target, read_only=True) as copy:
        assert copy.counts() == window.context.briefing.counts()
    assert window.context.briefing.path == seeded_path  # the open file stays the open file


def test_recent_files_remember_what_was_opened(qtbot, window, seeded_path: Path) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: settings.recent_files()[:1] == [seeded_path.resolve()])  # once the window shows it
    recent = menu(window, "&File").findChild(QMenu, "recentMenu")
    recent.aboutToShow.emit()  # as when the user opens File > Open Recent
    assert seeded_path.name in recent.actions()[0].text()


def test_add_to_meeting_hands_the_selection_to_the_meetings_panel(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls = []
    monkeypatch.setattr(window.meetings_panel, "add_nodes_to_meeting", lambda ids, parent: calls.append((ids, parent)))
    window.tree_pane.select_ref("3.2.1")
    action(window, "addToMeetingAction").trigger()
    assert calls == [([window.context.briefing.node_by_ref("3.2.1").id], window)]


def test_no_plan_and_no_file_empty_states(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    empty = Briefing.create(tmp_path / "empty.sqlite", user="tester")
    window.files.set_briefing(empty)
    assert window.tree_pane.tree_stack.currentWidget() is window.tree_pane.no_plan
    assert not window.tree_pane.search.isEnabled()
    window.files.set_briefing(None)
    assert window.pages.currentWidget() is window.start_page
    assert not action(window, "saveCopyAction").isEnabled()


def test_start_page_open_button_opens_the_chosen_file(qtbot, window, seeded_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window.files.set_briefing(None)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(seeded_path), "")))
    button = next(b for b in window.start_page.findChildren(QPushButton) if b.text() == "&Open…")
    button.click()
    assert window.pages.currentWidget() is window.workspace
    assert window.context.briefing is not None and window.context.briefing.path == seeded_path


def test_window_geometry_and_splitters_are_remembered(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.workspace.setSizes([300, 900])
    window.close()
    again = MainWindow()
    qtbot.addWidget(again)
    assert abs(again.workspace.sizes()[0] - window.workspace.sizes()[0]) <= 2


def test_unexpected_exception_shows_a_copyable_report(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[error_dialog.ErrorDialog] = []
    monkeypatch.setattr(error_dialog.ErrorDialog, "exec", lambda self: shown.append(self) or 0)
    try:
        raise ValueError("boom in a slot")
    except ValueError:
        error_dialog.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    assert len(shown) == 1
    dialog = shown[0]
    qtbot.addWidget(dialog)
    report = dialog.report_view.toPlainText()
    assert "ValueError: boom in a slot" in report and "briefbook" in report
    assert dialog.intro.text().startswith("briefbook hit an internal error")
    copy = next(b for b in dialog.findChildren(QPushButton) if b.text() == "&Copy details")
    copy.click()
    assert QApplication.clipboard().text() == report


def test_operation_reports_a_refusal_as_one_sentence(qtbot, messages) -> None:  # type: ignore[no-untyped-def]
    from briefbook.gui.operations import run_operation
    from db.model.errors import InvalidInput

    def work(progress, cancelled):  # type: ignore[no-untyped-def]
        progress(1, 2, "Half way")
        raise InvalidInput("The target folder is full.")

    op = run_operation(None, "Copying…", work)
    with qtbot.waitSignal(op.done, timeout=10_000):
        pass
    assert messages.errors() == ["The target folder is full."]


def test_a_starting_window_shows_the_tree_first_then_adds_the_panels(  # type: ignore[no-untyped-def]
    qtbot, seeded_path: Path
) -> None:
    window = MainWindow(lazy_panels=True)
    qtbot.addWidget(window)
    assert not window.panels_built
    # The menu entries are there from the start (their code loads when used:
    # see test_window_process).
    names = [a.objectName() for a in menu(window, "&File").actions()]
    assert {"exportAction", "mergeAction"} <= set(names)
    assert action(window, "exportAction").shortcut().toString() == "Ctrl+E"
    window.files.set_briefing(Briefing.open(seeded_path, user="tester"))
    window.show()
    qtbot.waitUntil(lambda: window.panels_built, timeout=5_000)
    assert window.meetings_dock.widget() is window.meetings_panel
    window.close()
