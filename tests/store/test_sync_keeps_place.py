"""File > Sync with Team Store… that brings a colleague's changes in shows the
file again: the plan that was open (the second of two), its open branches and
the selected node stay as they were (the merge, an import, an undo and a
restart: tests/gui/test_window_place.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sync_helpers import sync

from briefbook.plan_import.plan_parser import parse_plan
from db.briefing.facade import Briefing

ZETA = """# Zeta Cooperation Plan (2025-2028)

## 1 Energy

### (1) Hydrogen

- Build a hydrogen supply chain between the two countries.

## 2 Space

### (1) Launchers

- Share launch windows for small satellites.
- Train young engineers together at both agencies.
"""


@pytest.fixture
def window(qtbot, seeded_path: Path, tmp_path: Path) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication, QSettings

    from briefbook.gui import messages, settings
    from briefbook.gui.main_window import MainWindow

    with Briefing.open(seeded_path, user="tester") as b:
        b.import_plan(parse_plan(ZETA))
    QCoreApplication.setOrganizationName("briefbook-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    said: list[str] = []
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(messages, "show_error", lambda parent, title, text: said.append(text))
    settings.set_author("tester")
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.files.open_path(seeded_path), said
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    monkeypatch.undo()


def place(window) -> tuple[str, str, list[str]]:  # type: ignore[no-untyped-def]
    """(the plan shown, the selected node's reference, the open branches the user sees)."""
    pane, briefing = window.tree_pane, window.context.briefing
    selected = briefing.node(window.context.current_node_id).ref if window.context.current_node_id else ""
    assert pane.tree.currentIndex().data() == (selected or None)
    open_refs, index = [], pane.proxy.index(0, 0)
    while index.isValid():
        if pane.proxy.hasChildren(index) and pane.tree.isExpanded(index):
            open_refs.append(index.data())
        index = pane.tree.indexBelow(index)
    return pane.plan_box.currentText(), selected, open_refs


def sync_from_the_menu(qtbot, window, store: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QInputDialog

    from briefbook.gui.files.sync_dialog import SyncReportDialog

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *args, **kwargs: (store, True)))
    window.findChild(QAction, "syncAction").trigger()

    def shown() -> list[SyncReportDialog]:
        return [d for d in window.findChildren(SyncReportDialog) if d.isVisible()]

    qtbot.waitUntil(lambda: bool(shown()), timeout=30000)
    [dialog] = shown()
    dialog.close()
    dialog.setParent(None)
    return list(dialog.lines)


def test_a_sync_that_brings_changes_keeps_the_plan_the_branches_and_the_selection(  # type: ignore[no-untyped-def]
    qtbot, window, store: str, seeded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_from_the_menu(qtbot, window, store, monkeypatch)  # the file goes up first
    colleague = tmp_path / "colleague.sqlite"
    shutil.copyfile(seeded_path, colleague)
    with Briefing.open(colleague, user="bianca", lock=False) as b:
        b.add_note(b.node_by_ref("3.2.1").id, "question", "Bianca: who leads the minerals dialogue?")
    sync(colleague, store, "bianca")

    pane = window.tree_pane
    box = pane.plan_box
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Down)  # the second plan, the one after the first alphabetically
    briefing = window.context.briefing
    plan = pane.plan_id
    pane.tree.collapse(pane.proxy.mapFromSource(pane.model.index_of(briefing.node_by_ref("1", plan).id)))
    pane.select_node(briefing.node_by_ref("2.1.2", plan).id)
    left = place(window)
    assert left == ("Zeta Cooperation Plan (2025-2028)", "2.1.2", ["2", "2.1"])

    lines = sync_from_the_menu(qtbot, window, store, monkeypatch)
    assert "Brought in from the team store: notes 1 added." in lines
    assert place(window) == left
