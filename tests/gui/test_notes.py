"""Notes in the window: add, edit, delete, reorder, each undone and redone,
checked in the file; Markdown shown rendered with raw HTML kept as text."""

from __future__ import annotations

import pytest
from notes_helpers import bold_and_struck, click_card, shown_notes
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextDocument
from window_helpers import action

from briefbook.gui import settings
from briefbook.gui.notes import dialog as note_dialog
from briefbook.gui.notes.dialog import NoteDialog
from briefbook.gui.notes.markdown_view import markdown_to_html
from db.briefing.facade import Briefing
from exporters.markdown import TASK_MARKS, Para, Table, note_blocks


def file_notes(path, ref: str) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """(kind, body, author) of the node's notes, read through a fresh open of the file."""
    with Briefing.open(path, read_only=True) as b:
        return [(n.kind, n.body, n.author) for n in b.notes(b.node_by_ref(ref).id)]


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list:  # type: ignore[type-arg]
    """What the note dialog 'returns' next (the dialog itself is tested below)."""
    queue: list = []  # type: ignore[type-arg]
    monkeypatch.setattr(note_dialog, "ask_note", lambda *a, **k: queue.pop(0))
    return queue


def test_add_edit_delete_note_with_undo_and_redo(qtbot, window, seeded_path, answers) -> None:  # type: ignore[no-untyped-def]
    window.tree_pane.select_ref("1.1.1")
    undo, redo = action(window, "undoAction"), action(window, "redoAction")
    assert file_notes(seeded_path, "1.1.1") == []

    answers.append(("talking_point", "Welcome the **first** strategic dialogue."))
    qtbot.mouseClick(window.notes_panel.add_button, Qt.MouseButton.LeftButton)
    assert file_notes(seeded_path, "1.1.1") == [("talking_point", "Welcome the **first** strategic dialogue.", "tester")]
    panel = window.notes_panel
    [card] = shown_notes(panel)
    assert card.text == "Welcome the first strategic dialogue."  # rendered, not raw asterisks
    assert bold_and_struck(card.document)[0] == ["first"]
    assert card.heading == "Talking points" and card.byline.startswith("tester · ")

    answers.append(("line_to_take", "Japan and Italy meet yearly."))
    click_card(qtbot, panel, card.id, "edit")
    assert file_notes(seeded_path, "1.1.1") == [("line_to_take", "Japan and Italy meet yearly.", "tester")]
    [card] = shown_notes(panel)
    assert (card.heading, card.text) == ("Lines to take", "Japan and Italy meet yearly.")

    click_card(qtbot, panel, card.id, "delete")
    assert file_notes(seeded_path, "1.1.1") == []
    assert window.notes_panel.summary.text() == "No notes on 1.1.1"

    undo.trigger()  # the deletion
    assert file_notes(seeded_path, "1.1.1") == [("line_to_take", "Japan and Italy meet yearly.", "tester")]
    undo.trigger()  # the edit
    assert file_notes(seeded_path, "1.1.1") == [("talking_point", "Welcome the **first** strategic dialogue.", "tester")]
    undo.trigger()  # the addition
    assert file_notes(seeded_path, "1.1.1") == []
    assert shown_notes(panel) == [] and panel.message.text().startswith("No notes on 1.1.1 yet.")
    redo.trigger()
    redo.trigger()
    assert file_notes(seeded_path, "1.1.1") == [("line_to_take", "Japan and Italy meet yearly.", "tester")]
    redo.trigger()
    assert file_notes(seeded_path, "1.1.1") == []


def test_reorder_notes_within_a_kind(qtbot, window, seeded_path, answers) -> None:  # type: ignore[no-untyped-def]
    window.tree_pane.select_ref("2.2.1")  # two seeded updates
    before = [body for _, body, _ in file_notes(seeded_path, "2.2.1")]
    assert len(before) == 2
    first, second = shown_notes(window.notes_panel)
    assert (first.buttons["up"], first.buttons["down"], second.buttons["up"], second.buttons["down"]) == (
        False, True, True, False)
    click_card(qtbot, window.notes_panel, first.id, "up")  # disabled: nothing moves
    assert [body for _, body, _ in file_notes(seeded_path, "2.2.1")] == before
    click_card(qtbot, window.notes_panel, second.id, "up")
    assert [body for _, body, _ in file_notes(seeded_path, "2.2.1")] == before[::-1]
    assert [n.text for n in shown_notes(window.notes_panel)] == [second.text, first.text]
    action(window, "undoAction").trigger()
    assert [body for _, body, _ in file_notes(seeded_path, "2.2.1")] == before
    action(window, "redoAction").trigger()
    assert [body for _, body, _ in file_notes(seeded_path, "2.2.1")] == before[::-1]


def test_author_comes_from_preferences(qtbot, window, seeded_path, answers) -> None:  # type: ignore[no-untyped-def]
    from briefbook.gui.preferences_dialog import PreferencesDialog

    dialog = PreferencesDialog(window)
    qtbot.addWidget(dialog)
    dialog.author.setText("高市 Team")
    dialog.accept()
    assert settings.author() == "高市 Team"
    window.context.briefing.user = settings.author()  # what show_preferences does after accepting
    window.tree_pane.select_ref("1.1.1")
    answers.append(("question", "Who attends?"))
    window.notes_panel.add_note()
    assert file_notes(seeded_path, "1.1.1") == [("question", "Who attends?", "高市 Team")]


def test_note_dialog_needs_text_and_previews_markdown(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = NoteDialog("New note", "risk")
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    assert not save.isEnabled()
    qtbot.keyClicks(dialog.body, "*careful* with - lists")
    assert save.isEnabled()
    assert dialog.chosen_kind() == "risk"
    assert "careful" in dialog.preview.toPlainText() and "*" not in dialog.preview.toPlainText()


def test_raw_html_and_images_stay_text() -> None:
    html = markdown_to_html('<b>bold?</b> <img src="file:///etc/passwd"> ![x](file:///etc/hosts)')
    assert "<img" not in html
    assert "&lt;b&gt;" in html
    assert "![x]" in html


def test_read_only_file_disables_note_editing(qtbot, window, seeded_path, messages) -> None:  # type: ignore[no-untyped-def]
    b = Briefing.open(seeded_path, read_only=True)
    window.files.set_briefing(b)
    window.tree_pane.select_ref("3.2.1")
    assert not window.notes_panel.add_button.isEnabled()
    shown = shown_notes(window.notes_panel)
    assert shown and not any(enabled for note in shown for enabled in note.buttons.values())
    click_card(qtbot, window.notes_panel, shown[0].id, "delete")
    assert len(shown_notes(window.notes_panel)) == len(shown) and not messages.errors()
    assert not action(window, "addNoteAction").isEnabled()
    assert "[read-only]" in window.windowTitle()


def shown_blocks(html: str) -> list[tuple[str, list[str]]]:
    """What a rich-text label shows: each paragraph or list item's text, with its bold runs."""
    document = QTextDocument()
    document.setHtml(html)
    out: list[tuple[str, list[str]]] = []
    block = document.begin()
    while block.isValid():
        bold: list[str] = []
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().fontWeight() >= QFont.Weight.Bold:
                bold.append(fragment.text())
            it += 1
        if block.text():  # Qt adds an empty block after a table: nothing a reader sees
            out.append((block.text(), bold))
        block = block.next()
    return out


def printed_blocks(body: str) -> list[tuple[str, list[str]]]:
    """The same, from the blocks the PDF and Word exporters print."""
    out: list[tuple[str, list[str]]] = []

    def walk(blocks, mark: str = "") -> None:  # type: ignore[no-untyped-def]
        for b in blocks:
            if isinstance(b, Para):
                out.append((mark + "".join(s.text for s in b.spans), [s.text for s in b.spans if s.bold]))
                mark = ""
            elif isinstance(b, Table):  # a block per cell; header cells are bold
                for head, row in ((True, b.header), *((False, r) for r in b.rows)):
                    for cell in row:
                        text = "".join(s.text for s in cell)
                        out.append((text, [text] if head else [s.text for s in cell if s.bold]))
            else:
                for i, item in enumerate(b.items):
                    task = b.task(i)
                    walk(item, TASK_MARKS[task] + " " if task is not None else "")

    walk(note_blocks(body))
    return out


PACK_NOTE = (
    "Agree the **minerals** MoU.\n\n"
    "| Item | Owner |\n|---|---|\n| MoU | METI |\n\n"
    "~~Drop the visit.~~\n\n"
    "- [ ] Book the room\n- [x] Send the agenda\n"
)


def test_a_note_shows_what_the_pack_prints(qtbot, window, answers) -> None:  # type: ignore[no-untyped-def]
    window.tree_pane.select_ref("1.1.1")
    answers.append(("talking_point", PACK_NOTE))
    window.notes_panel.add_button.click()
    (card,) = shown_notes(window.notes_panel)
    shown = shown_blocks(card.document.toHtml())
    assert shown == printed_blocks(PACK_NOTE)
    # The exports print tables, strikethrough and task boxes: so does the window.
    assert shown == [
        ("Agree the minerals MoU.", ["minerals"]),
        ("Item", ["Item"]), ("Owner", ["Owner"]), ("MoU", []), ("METI", []),
        ("Drop the visit.", []),
        ("☐ Book the room", []),
        ("☑ Send the agenda", []),
    ]
    assert card.document.rootFrame().childFrames()  # the table is a table
    assert bold_and_struck(card.document)[1] == ["Drop the visit."]

    dialog = NoteDialog("Edit note", "talking_point", PACK_NOTE)  # the preview agrees
    qtbot.addWidget(dialog)
    assert shown_blocks(dialog.preview.toHtml()) == shown


def test_links_only_for_web_and_mail_and_text_always_escaped() -> None:
    html = markdown_to_html('[a](javascript:alert(1)) [b](https://e.org/?x="1"&y) <script>x</script> & [m](mailto:a@b.it)')
    assert 'href="javascript' not in html and "[a](javascript:alert(1))" in html
    assert 'href="https://e.org/?x=%221%22&amp;y"' in html
    assert 'href="mailto:a@b.it"' in html
    assert "&lt;script&gt;" in html and "<script" not in html
