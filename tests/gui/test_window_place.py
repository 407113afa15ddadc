"""The window keeps the user's place: with two plans in a file, the plan that
was open, its open branches and its selected node come back after a restart,
a merge, an import of a revision and an undo (the sync: tests/store/
test_sync_keeps_place.py); and a window remembered from a larger screen opens
fitted to the screen it opens on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from window_helpers import action, open_dialogs

from briefbook.gui import settings
from briefbook.gui.files.merge_dialog import MergeReportDialog
from briefbook.gui.main_window import MainWindow
from briefbook.plan_import.plan_parser import parse_plan
from db.briefing.facade import Briefing

ZETA = """# Zeta Cooperation Plan (2025-2028)

## 1 Energy

### (1) Hydrogen

- Build a hydrogen supply chain between the two countries.
- Fund joint research on electrolysers.

### (2) Grids

- Link the two grid operators' planning teams.

## 2 Space

### (1) Launchers

- Share launch windows for small satellites.
- Train young engineers together at both agencies.
"""


@pytest.fixture
def two_plans(seeded_path: Path) -> Path:
    """The seeded file with a second plan, after the first in alphabetical order."""
    with Briefing.open(seeded_path, user="tester") as b:
        b.import_plan(parse_plan(ZETA))
        assert [p.title for p in b.plans()][1] == "Zeta Cooperation Plan (2025-2028)"
    return seeded_path


def open_window(qtbot, path: Path, messages) -> MainWindow:  # type: ignore[no-untyped-def]
    settings.set_author("tester")
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.files.open_path(path), messages.shown
    win.show()
    qtbot.waitExposed(win)
    return win


def choose_plan_with_the_keyboard(qtbot, window: MainWindow, title: str) -> None:  # type: ignore[no-untyped-def]
    box = window.tree_pane.plan_box
    assert box.isVisible()
    box.setFocus()
    wanted = box.findText(title)
    assert wanted >= 0
    for _ in range(box.count()):
        if box.currentIndex() == wanted:
            break
        qtbot.keyClick(box, Qt.Key.Key_Down if box.currentIndex() < wanted else Qt.Key.Key_Up)
    assert box.currentText() == title


def place(window: MainWindow) -> tuple[str, str, list[str]]:
    """(the plan shown, the selected node's reference, the references of the open branches)."""
    pane = window.tree_pane
    briefing = window.context.briefing
    assert briefing is not None
    selected = briefing.node(window.context.current_node_id).ref if window.context.current_node_id else ""
    assert pane.tree.currentIndex().data() == (selected or None)  # the tree shows the selection the panels show
    open_refs = []  # the open branches the user sees (a branch inside a closed one is out of sight)
    index = pane.proxy.index(0, 0)
    while index.isValid():
        if pane.proxy.hasChildren(index) and pane.tree.isExpanded(index):
            open_refs.append(index.data())
        index = pane.tree.indexBelow(index)
    return pane.plan_box.currentText(), selected, open_refs


def leave_zeta_as(qtbot, window: MainWindow) -> tuple[str, str, list[str]]:  # type: ignore[no-untyped-def]
    """Open the second plan, close area 1, select 2.1.2 with the mouse; the place left."""
    choose_plan_with_the_keyboard(qtbot, window, "Zeta Cooperation Plan (2025-2028)")
    pane = window.tree_pane
    briefing = window.context.briefing
    assert briefing is not None
    plan = pane.plan_id
    area_1 = pane.proxy.mapFromSource(pane.model.index_of(briefing.node_by_ref("1", plan).id))
    pane.tree.collapse(area_1)
    target = pane.proxy.mapFromSource(pane.model.index_of(briefing.node_by_ref("2.1.2", plan).id))
    qtbot.mouseClick(pane.tree.viewport(), Qt.MouseButton.LeftButton, pos=pane.tree.visualRect(target).center())
    left = place(window)
    assert left == ("Zeta Cooperation Plan (2025-2028)", "2.1.2", ["2", "2.1"])
    return left


def test_the_open_plan_its_branches_and_selection_come_back_after_a_restart(qtbot, two_plans, messages) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, two_plans, messages)
    window.tree_pane.select_ref("3.2.1")  # the first plan's place
    japan = place(window)
    left = leave_zeta_as(qtbot, window)
    window.close()

    again = open_window(qtbot, two_plans, messages)
    assert place(again) == left
    again.ensure_panels()
    assert again.node_panel.heading.text() == "2.1.2"
    # Each plan keeps its own place: back to the first plan, its selection is there.
    choose_plan_with_the_keyboard(qtbot, again, "Japan-Italy Action Plan (2024-2027)")
    assert place(again) == japan
    again.close()


def test_a_merge_keeps_the_plan_the_branches_and_the_selection(  # type: ignore[no-untyped-def]
    qtbot, two_plans, messages, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    theirs = tmp_path / "ben.sqlite"
    shutil.copyfile(two_plans, theirs)
    with Briefing.open(theirs, user="Ben") as ben:
        ben.add_note(ben.node_by_ref("3.2.1").id, "risk", "Ben's risk.")
    window = open_window(qtbot, two_plans, messages)
    left = leave_zeta_as(qtbot, window)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(theirs), "")))
    action(window, "mergeAction").trigger()
    qtbot.waitUntil(lambda: bool(open_dialogs(window, MergeReportDialog)), timeout=20000)
    [report] = open_dialogs(window, MergeReportDialog)
    assert report.headline.text().startswith("Merged ben.sqlite")
    assert "Ben's risk." in [n.body for n in window.context.briefing.notes(window.context.briefing.node_by_ref("3.2.1").id)]
    assert place(window) == left
    report.close()
    window.close()


def test_an_undo_that_reloads_the_file_keeps_the_place(qtbot, two_plans, messages, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A refused undo shows the whole file again (every panel reloads): the tree stays as it was."""
    from notes_helpers import click_card

    from briefbook.gui.notes import dialog as note_dialog

    with Briefing.open(two_plans, user="tester") as b:
        plan = b.plans()[1].id
        b.add_note(b.node_by_ref("2.1.2", plan).id, "talking_point", "Our line on training.")
    window = open_window(qtbot, two_plans, messages)
    left = leave_zeta_as(qtbot, window)
    window.ensure_panels()
    [note] = window.context.briefing.notes(window.context.current_node_id)
    monkeypatch.setattr(note_dialog, "ask_note", lambda *a, **k: ("talking_point", "Our line, edited."))
    click_card(qtbot, window.notes_panel, note.id, "edit")
    with Briefing.open(two_plans, user="colleague", lock=False) as other:
        other.delete_note(note.id)  # the undo of the edit is now refused
    action(window, "undoAction").trigger()
    assert [kind for kind, _, _ in messages.shown] == ["error"]
    assert place(window) == left
    window.close()


def test_importing_a_revision_of_the_open_plan_keeps_the_place(qtbot, two_plans, messages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from test_import_dialog import open_dialog

    window = open_window(qtbot, two_plans, messages)
    left = leave_zeta_as(qtbot, window)
    revised = tmp_path / "zeta-revised.txt"
    revised.write_text(ZETA.replace("small satellites", "small and medium satellites"), encoding="utf-8")
    dialog = open_dialog(qtbot, window, revised)
    dialog.import_button.click()
    briefing = window.context.briefing
    qtbot.waitUntil(lambda: "medium" in briefing.node_by_ref("2.1.1", window.tree_pane.plan_id).title)
    assert [p.title for p in briefing.plans()] == ["Japan-Italy Action Plan (2024-2027)",
                                                   "Zeta Cooperation Plan (2025-2028)"]
    assert place(window) == left
    window.close()


# One run of the window in a process of its own, on a screen of the given size (Qt's
# offscreen platform takes the screens from a file): opens the file, optionally moves
# and resizes the window as a user would, closes it (which saves the settings), and
# prints where the window and the meetings panel were.
CHILD = r"""
import json, sys
from pathlib import Path
from briefbook.gui.app import make_application
from briefbook.gui.main_window import MainWindow

app = make_application()
window = MainWindow()
assert window.files.open_path(Path(sys.argv[1]))
window.show()
for _ in range(20):
    app.processEvents()
if len(sys.argv) > 2:  # used like this, then closed
    x, y, width, height = (int(v) for v in sys.argv[2].split(","))
    window.resize(width, height)
    window.move(x, y)
    for _ in range(20):
        app.processEvents()
frame, dock = window.frameGeometry(), window.meetings_dock
at = dock.mapToGlobal(dock.rect().topLeft())
print(json.dumps({"frame": [frame.x(), frame.y(), frame.width(), frame.height()],
                  "maximized": window.isMaximized(),
                  "dock": [at.x(), at.y(), dock.width(), dock.height()], "dock_shown": dock.isVisible(),
                  "normal": [window.normalGeometry().width(), window.normalGeometry().height()]}))
window.close()
"""


def run_on_screen(tmp_path: Path, path: Path, width: int, height: int, used_as: str = "") -> dict:  # type: ignore[type-arg]
    import json
    import os
    import subprocess
    import sys

    screens = tmp_path / f"screen-{width}x{height}.json"
    screens.write_text(json.dumps({"screens": [{"name": "Screen", "x": 0, "y": 0, "width": width, "height": height,
                                                "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screens}",
           "XDG_CONFIG_HOME": str(tmp_path / "config")}  # the same settings for every run of one test
    args = [sys.executable, "-c", CHILD, str(path)] + ([used_as] if used_as else [])
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def inside(rect: list[int], width: int, height: int) -> bool:
    x, y, w, h = rect
    return x >= 0 and y >= 0 and x + w <= width and y + h <= height


def test_a_window_used_on_a_large_screen_opens_fitted_and_maximised_on_a_laptop(two_plans, tmp_path: Path) -> None:
    big = run_on_screen(tmp_path, two_plans, 1920, 1080)
    assert big["frame"][2:] >= [1440, 900] and not big["maximized"]  # as it was used on the monitor
    laptop = run_on_screen(tmp_path, two_plans, 1024, 640)
    assert laptop["maximized"]
    assert inside(laptop["frame"], 1024, 640), laptop
    assert laptop["dock_shown"] and inside(laptop["dock"], 1024, 640), laptop  # the meetings are on the screen
    assert laptop["normal"][0] <= 1024 and laptop["normal"][1] <= 640  # un-maximised, it fits too


def test_a_window_left_where_a_larger_screen_reached_is_moved_onto_the_laptop(two_plans, tmp_path: Path) -> None:
    run_on_screen(tmp_path, two_plans, 1920, 1080, used_as="1000,420,960,560")
    laptop = run_on_screen(tmp_path, two_plans, 1024, 640)
    assert not laptop["maximized"]  # it fits: only moved
    assert inside(laptop["frame"], 1024, 640), laptop
    assert inside(laptop["dock"], 1024, 640), laptop
