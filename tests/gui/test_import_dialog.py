"""File > Import Plan's preview dialog, driven through its widgets and the keyboard."""

from __future__ import annotations

import shutil
from pathlib import Path
from unittest.mock import patch

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFileDialog
from window_helpers import action

from briefbook.gui.files.import_dialog import ImportDialog, run_import_dialog

FIXTURES = Path(__file__).parent.parent / "fixtures" / "plans"


def open_dialog(qtbot, window, path: Path) -> ImportDialog:  # type: ignore[no-untyped-def]
    """File > Import Plan…, answering the file dialog with `path`."""
    with patch.object(QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(path), ""))):
        action(window, "importAction").trigger()
    qtbot.waitUntil(lambda: window.findChild(ImportDialog) is not None, timeout=20000)
    dialog = window.findChild(ImportDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    return dialog


def plan_titles(window) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.title for p in window.context.briefing.plans()]


def tree_rows(dialog: ImportDialog) -> list[tuple[str, str, str]]:
    rows = []
    stack = [dialog.tree.topLevelItem(i) for i in reversed(range(dialog.tree.topLevelItemCount()))]
    while stack:
        item = stack.pop()
        rows.append((item.text(0), item.text(1), item.text(2)))
        stack.extend(item.child(i) for i in reversed(range(item.childCount())))
    return rows


def test_preview_of_a_real_plan_and_cancel_writes_nothing(qtbot, window, messages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "roadmap.txt"
    shutil.copyfile(FIXTURES / "us_canada_roadmap_renewed_partnership_2021.txt", path)
    before = window.context.briefing.path.read_bytes()
    dialog = open_dialog(qtbot, window, path)
    assert dialog.title_edit.text() == "Roadmap for a Renewed U.S.-Canada Partnership"
    assert dialog.tree.topLevelItemCount() == 6
    assert dialog.tree.topLevelItem(0).text(2) == "Combating COVID-19"
    assert dialog.tree.topLevelItem(0).childCount() == 9
    assert len(dialog.level_boxes) == 2
    assert [b.currentData() for b in dialog.level_boxes] == ["area", "commitment"]
    # the keyboard moves through the tree and the text of the node shows, as plain text
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Down)
    assert dialog.tree.currentItem().text(0) == "1.1"
    assert dialog.text_view.toPlainText().startswith("The Prime Minister and the President committed")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert plan_titles(window) == ["Japan-Italy Action Plan (2024-2027)"]
    assert window.context.briefing.path.read_bytes() == before


PLAN = """Joint Work Plan on Culture

Museums

- The national museums will lend works
- to each other for three exhibitions a year.
- Curators will be exchanged. Conservation staff will train together every spring.

Music

- Orchestras will tour both countries.
"""


def test_edit_levels_merge_split_then_import(qtbot, window, messages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "culture.md"
    path.write_text(PLAN, encoding="utf-8")
    dialog = open_dialog(qtbot, window, path)
    assert [r[0] for r in tree_rows(dialog)] == ["1", "1.1", "1.2", "1.3", "2", "2.1"]

    # merge the wrongly split bullet 1.2 into 1.1, with the keyboard
    dialog.tree.setFocus()
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Down)
    assert dialog.tree.currentItem().text(0) == "1.2"
    qtbot.keyClick(dialog.tree, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert [r[0] for r in tree_rows(dialog)] == ["1", "1.1", "1.3", "2", "2.1"]
    assert dialog.tree.currentItem().text(0) == "1.1"
    assert dialog.text_view.toPlainText() == ("The national museums will lend works\n\n"
                                              "to each other for three exhibitions a year.")

    # split 1.3 where its second sentence starts: cursor placed with the keyboard
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Down)
    assert dialog.tree.currentItem().text(0) == "1.3"
    dialog.text_view.setFocus()
    dialog.text_view.moveCursor(QTextCursor.MoveOperation.Start)
    for _ in range(12):  # word by word to "Curators will be exchanged. |Conservation"
        if dialog.text_view.toPlainText()[dialog.text_view.textCursor().position():].startswith("Conservation"):
            break
        qtbot.keyClick(dialog.text_view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert dialog.text_view.toPlainText()[dialog.text_view.textCursor().position():].startswith("Conservation")
    qtbot.keyClick(dialog.text_view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    rows = tree_rows(dialog)
    assert [r[2] for r in rows[1:4]] == ["The national museums will lend works", "Curators will be exchanged",
                                         "Conservation staff will train together every spring"]
    assert len({r[0] for r in rows}) == len(rows)  # references stay unique

    # the title is the user's to change; Import writes the edited tree
    dialog.title_edit.setFocus()
    dialog.title_edit.selectAll()
    qtbot.keyClicks(dialog.title_edit, "Culture Work Plan 2025")
    qtbot.keyClick(dialog.import_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "Culture Work Plan 2025" in plan_titles(window), timeout=5000)
    briefing = window.context.briefing
    plan = next(p for p in briefing.plans() if p.title == "Culture Work Plan 2025")
    stored = []
    stack = list(reversed(briefing.tree(plan.id)))
    while stack:
        t = stack.pop()
        stored.append((t.node.ref, t.node.kind, t.node.title))
        stack.extend(reversed(t.children))
    assert stored == [(r, k.lower().replace("-", ""), t) for r, k, t in rows]
    assert [s[2] for s in stored[1:4]] == ["The national museums will lend works", "Curators will be exchanged",
                                           "Conservation staff will train together every spring"]
    assert ("info", "Plan imported",
            f"{len(rows)} nodes added, 0 updated, 0 removed. Edit > Undo removes it again.") in messages.shown
    assert window.tree_pane.plan_id == plan.id  # the window shows the plan just imported


def test_changing_a_level_and_a_missing_title(qtbot, window, messages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "points.txt"
    path.write_text("we agreed as follows:\n\nTrade\n\n- Tariffs will fall.\n- Quotas will rise.\n\n"
                    "Energy\n\n- Grids will link.\n")
    dialog = open_dialog(qtbot, window, path)
    assert dialog.title_edit.text() == ""
    assert not dialog.import_button.isEnabled()  # the preview asks for a title
    # level 1 becomes text of the plan: the commitments are then the top level
    box = dialog.level_boxes[0]
    box.setFocus()
    text_index = box.findData("text")
    while box.currentIndex() < text_index:
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert [r[1] for r in tree_rows(dialog)] == []  # everything is now plan text: nothing to import
    while box.currentIndex() > 0:
        qtbot.keyClick(box, Qt.Key.Key_Up)
    assert [r[1] for r in tree_rows(dialog)] == ["Area", "Commitment", "Commitment", "Area", "Commitment"]
    dialog.set_level(1, "item")
    assert [r[1] for r in tree_rows(dialog)] == ["Area", "Item", "Item", "Area", "Item"]
    qtbot.keyClicks(dialog.title_edit, "Points Agreed")
    assert dialog.import_button.isEnabled()
    dialog.accept()
    qtbot.waitUntil(lambda: "Points Agreed" in plan_titles(window), timeout=5000)


def test_a_file_that_is_not_a_plan_is_one_sentence_and_no_dialog(qtbot, window, messages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import zipfile

    path = tmp_path / "plan.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    run_import_dialog(window, window.context, path)
    qtbot.waitUntil(lambda: bool(messages.errors()), timeout=20000)
    assert messages.errors() == ["plan.docx is a zip archive, not a Word document (.docx)."]
    assert window.findChild(ImportDialog) is None
    assert plan_titles(window) == ["Japan-Italy Action Plan (2024-2027)"]


def test_document_text_is_shown_as_plain_text(qtbot, window, messages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    path = tmp_path / "markup.txt"
    path.write_text("Plan <b>of</b> Work\n\n1. Area <i>one</i>\n\n- A <a href='x'>link</a> stays text.\n")
    dialog = open_dialog(qtbot, window, path)
    assert dialog.title_edit.text() == "Plan <b>of</b> Work"
    assert tree_rows(dialog)[0] == ("1", "Area", "Area <i>one</i>")
    assert dialog.text_view.toPlainText() == ""
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Down)
    assert dialog.text_view.toPlainText() == "A <a href='x'>link</a> stays text."
    labels = [w for w in dialog.findChildren(QLabel) if "one" in w.text()]
    assert labels and all(w.textFormat() == Qt.TextFormat.PlainText for w in labels)
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Up)
    assert dialog.tree.currentItem().text(0) == "1"
    assert not dialog.merge_button.isEnabled()  # nothing before the first node to merge into
    dialog.reject()


def test_the_seed_text_previews_with_its_four_levels(qtbot, window, messages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from briefbook.services.paths import SEED_PLAN

    path = tmp_path / "seed.txt"
    shutil.copyfile(SEED_PLAN, path)
    dialog = open_dialog(qtbot, window, path)
    rows = tree_rows(dialog)
    kinds = [k for _, k, _ in rows]
    assert (kinds.count("Area"), kinds.count("Item"), kinds.count("Commitment"), kinds.count("Sub-commitment")) == (
        7, 29, 42, 6)
    assert ("3.2.1", "Commitment") in [(r, k) for r, k, _ in rows]
    assert [b.currentData() for b in dialog.level_boxes] == ["area", "item", "commitment", "subcommitment"]
    dialog.set_level(3, "commitment")  # the sub-commitments become commitments, where they are
    assert [k for _, k, _ in tree_rows(dialog)].count("Commitment") == 48
    dialog.reject()
    assert plan_titles(window) == ["Japan-Italy Action Plan (2024-2027)"]
