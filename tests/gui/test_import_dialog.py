"""File > Import Plan's preview dialog, driven through its widgets and the keyboard."""

from __future__ import annotations

import shutil
from pathlib import Path
from unittest.mock import patch

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit
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
    path.write_text("Plan <b>of</b> Work\n\n1. Area <h1>one</h1>\n\n- A <a href='x'>link</a> stays text.\n")
    dialog = open_dialog(qtbot, window, path)
    assert dialog.title_edit.text() == "Plan of Work"  # formatting tags a converter left in a title are dropped
    assert tree_rows(dialog)[0] == ("1", "Area", "Area <h1>one</h1>")  # other markup shows as typed
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


EDITS_PLAN = """Joint Work Plan on Culture

Museums

- The national museums will lend works.
- Curators will be exchanged.
- Conservation staff will train together.

Music

- Orchestras will tour both countries.
- Conservatories will exchange students.
"""


def test_structure_edits_with_the_keyboard_and_undo_inside_the_preview(  # type: ignore[no-untyped-def]
    qtbot, window, messages, tmp_path: Path
) -> None:
    path = tmp_path / "culture.md"
    path.write_text(EDITS_PLAN, encoding="utf-8")
    dialog = open_dialog(qtbot, window, path)
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    start = tree_rows(dialog)
    assert [r[0] for r in start] == ["1", "1.1", "1.2", "1.3", "2", "2.1", "2.2"]

    def select(ref: str) -> None:
        dialog.tree.setFocus()
        qtbot.keyClick(dialog.tree, Qt.Key.Key_Home)
        while dialog.tree.currentItem().text(0) != ref:
            qtbot.keyClick(dialog.tree, Qt.Key.Key_Down)

    select("1.2")  # indent "Curators" under "The national museums"
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Right, ctrl_shift)
    assert tree_rows(dialog)[1:4] == [("1.1", "Commitment", "The national museums will lend works"),
                                      ("1.1.2", "Sub-commitment", "Curators will be exchanged"),
                                      ("1.3", "Commitment", "Conservation staff will train together")]
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo in the preview
    assert tree_rows(dialog) == start and dialog.tree.currentItem().text(0) == "1.2"
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Z, ctrl_shift)  # redo
    assert tree_rows(dialog)[2][0] == "1.1.2"
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Left, ctrl_shift)  # outdent it again
    assert [r[0] for r in tree_rows(dialog)][:4] == ["1", "1.1", "1.2", "1.3"]

    select("2")  # the Music area, with its entries, moves above Museums
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Up, ctrl_shift)
    assert [r[2] for r in tree_rows(dialog)][:3] == ["Music", "Orchestras will tour both countries",
                                                     "Conservatories will exchange students"]
    assert [r[0] for r in tree_rows(dialog)][:3] == ["2", "2.1", "2.2"]

    select("2.2")  # one node's kind, from the keyboard
    qtbot.keyClick(dialog.tree, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert tree_rows(dialog)[2] == ("2.2", "Item", "Conservatories will exchange students")

    def answer(name: str, typed: str) -> None:
        def shown() -> list[QInputDialog]:
            return [d for d in dialog.findChildren(QInputDialog, name) if d.isVisible()]

        qtbot.waitUntil(lambda: len(shown()) == 1, timeout=2000)
        asking = shown()[0]
        field = asking.findChild(QLineEdit)
        field.selectAll()
        qtbot.keyClicks(field, typed)
        qtbot.keyClick(field, Qt.Key.Key_Return)

    qtbot.keyClick(dialog.tree, Qt.Key.Key_F2)  # its title, typed
    answer("titleInput", "Student exchanges")
    assert tree_rows(dialog)[2] == ("2.2", "Item", "Student exchanges")
    qtbot.keyClick(dialog.tree, Qt.Key.Key_F2, Qt.KeyboardModifier.ShiftModifier)  # and its reference
    answer("refInput", "2b")
    assert tree_rows(dialog)[2][0] == "2.2b"
    qtbot.keyClick(dialog.tree, Qt.Key.Key_F2, Qt.KeyboardModifier.ShiftModifier)  # a number taken: one sentence
    answer("refInput", "1")
    assert tree_rows(dialog)[2][0] == "2.2b" and "already has the reference 1" in dialog.summary.text()

    select("1.3")  # delete: its text goes where the user says
    messages.answers = [1]  # "To the Node Before"
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Delete)
    assert "Where should its text go?" in messages.shown[-1][2]
    assert "Conservation staff will train together" not in [r[2] for r in tree_rows(dialog)]
    assert dialog.selected_node() is not None
    node_before = next(n for n in dialog.plan.walk() if n.title == "Curators will be exchanged")
    assert node_before.text.endswith("Conservation staff will train together.")
    select("1.1")
    qtbot.keyClick(dialog.tree, Qt.Key.Key_P, ctrl_shift)  # to the preamble
    assert dialog.plan.preamble.endswith("The national museums will lend works.")

    rows = tree_rows(dialog)
    qtbot.keyClick(dialog.import_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "Joint Work Plan on Culture" in plan_titles(window), timeout=5000)
    briefing = window.context.briefing
    plan = next(p for p in briefing.plans() if p.title == "Joint Work Plan on Culture")
    stored = [(n.ref, n.kind, n.title) for n in briefing.nodes(plan.id)]
    assert stored == [(r, k.lower().replace("-", ""), t) for r, k, t in rows]
    assert plan.preamble.endswith("The national museums will lend works.")


def test_guesses_are_marked_and_f8_goes_to_them(qtbot, window, messages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "statement.txt"
    path.write_text("Joint Statement on Trade\n\nThe leaders met.\n\nPORTS AND SHIPPING\n\n- Ports will open.\n\n"
                    "ROADS\n\n- Roads will be paved.\n", encoding="utf-8")
    dialog = open_dialog(qtbot, window, path)
    assert "marked “?” were guessed" in dialog.guesses.text()
    dialog.tree.setFocus()
    qtbot.keyClick(dialog.tree, Qt.Key.Key_End)
    qtbot.keyClick(dialog.tree, Qt.Key.Key_F8)
    item = dialog.tree.currentItem()
    assert item.text(2) == "PORTS AND SHIPPING" and item.text(3).startswith("? a heading recognised by its capitals")
    qtbot.keyClick(dialog.tree, Qt.Key.Key_F8)
    assert dialog.tree.currentItem().text(2) == "ROADS"
    dialog.reject()


def test_import_and_cancel_are_on_a_1024x640_screen(qtbot, window, messages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The seed plan's preview (four level boxes, a long tree) on a 1024x640 laptop with a 40-pixel panel:
    the dialog and everything its layout needs fit, and the Import and Cancel buttons are on the screen."""
    from PySide6.QtCore import QRect

    from briefbook.services.paths import SEED_PLAN

    path = tmp_path / "seed.txt"
    path.write_text(SEED_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    dialog = open_dialog(qtbot, window, path)
    laptop = QRect(0, 0, 1024, 600)
    dialog._fit_to_screen(laptop)
    qtbot.waitUntil(lambda: dialog.height() <= laptop.height() - 32, timeout=2000)  # 32: the title bar
    assert dialog.minimumSizeHint().height() <= laptop.height() - 32
    frame = dialog.frameGeometry()
    assert laptop.contains(frame.topLeft()) and frame.bottom() <= laptop.bottom()
    for button in (dialog.import_button, dialog.buttons.button(dialog.buttons.StandardButton.Cancel)):
        corner = button.mapTo(dialog, button.rect().bottomRight())
        assert button.isVisible() and dialog.rect().contains(corner)
    dialog.reject()
