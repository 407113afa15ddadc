"""File > Conflicts… for a note of several lines that two people rewrote: one
line per conflict in the list, both versions shown in full side by side with
the words that differ marked, who wrote each and when, and where the note is
in the plan; what a colleague wrote is shown as text, never as markup."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QFileDialog
from window_helpers import action, open_dialogs

from briefbook.gui.files.conflicts_dialog import ConflictsDialog
from briefbook.gui.files.merge_dialog import MergeReportDialog
from briefbook.gui.files.text_diff import changed_words, marked
from db.briefing.facade import Briefing

ORIGINAL = "Welcome the agreement on critical minerals.\nStress supply-chain resilience.\nAsk about the timetable."
MINE = ("Welcome the agreement on critical minerals.\nStress supply-chain resilience.\n"
        "Ask about the timetable (Japan’s view).\n\n日本側：重要鉱物の合意を歓迎。")
BENS = ("Welcome the agreement on critical minerals.\nStress supply-chain resilience and diversification.\n"
        "Ask about the timetable.\n\nItalian line: <b>accordo</b> sui minerali critici.")


def marked_pieces(document: QTextDocument) -> list[str]:
    """The text the pane shows marked (a background colour), piece by piece."""
    out = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().background().style().name != "NoBrush":
                out.append(fragment.text())
            it += 1
        block = block.next()
    return out


def squash(pieces: list[str]) -> str:
    """The pieces' words run together (spaces, and the marks of a changed space or line break, left out)."""
    return "".join("".join(pieces).split()).replace("·", "").replace("↵", "")


@pytest.fixture
def conflicts(qtbot, window, seeded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ConflictsDialog:  # type: ignore[no-untyped-def]
    mine = window.context.briefing
    node = mine.node_by_ref("3.2.1")
    note = mine.add_note(node.id, "talking_point", ORIGINAL, author="tester")
    theirs = tmp_path / "ben.sqlite"
    shutil.copyfile(seeded_path, theirs)
    with Briefing.open(theirs, user="Ben") as ben:
        ben.edit_note(note.id, body=BENS)
    mine.edit_note(note.id, body=MINE)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(theirs), "")))
    action(window, "mergeAction").trigger()
    qtbot.waitUntil(lambda: bool(open_dialogs(window, MergeReportDialog)), timeout=20000)
    [report] = open_dialogs(window, MergeReportDialog)
    report.close()
    action(window, "conflictsAction").trigger()
    qtbot.waitUntil(lambda: bool(open_dialogs(window, ConflictsDialog)))
    [dialog] = open_dialogs(window, ConflictsDialog)
    return dialog


def test_a_multi_line_note_shows_both_versions_in_full_side_by_side(conflicts: ConflictsDialog, window) -> None:  # type: ignore[no-untyped-def]
    briefing = window.context.briefing
    [item] = briefing.set_aside()
    # One line per conflict: no line break in a cell, every row one text line high.
    assert conflicts.table.rowCount() == 1
    cells = [conflicts.table.item(0, c).text() for c in range(conflicts.table.columnCount())]
    assert all("\n" not in text for text in cells)
    assert conflicts.table.rowHeight(0) <= conflicts.fontMetrics().height() + 10
    # Both versions, whole, one beside the other.
    kept, other = conflicts.kept_text.toPlainText(), conflicts.set_aside_text.toPlainText()
    assert {kept, other} == {MINE, BENS}
    assert briefing.note(item.row_id).body == kept  # the left is what the file holds
    left, right = conflicts.kept_pane.geometry(), conflicts.set_aside_pane.geometry()
    assert left.right() < right.left() and left.top() == right.top()
    assert conflicts.kept_text.isVisible() and conflicts.set_aside_text.isVisible()
    # Who wrote each, and when.
    note = briefing.note(item.row_id)
    assert conflicts.kept_pane.heading.text().startswith(f"In the file now — by {note.author}, ")
    assert conflicts.set_aside_pane.heading.text().startswith(f"Set aside — by {item.other_by}, ")
    assert item.other_at[:4] in conflicts.set_aside_pane.heading.text()
    # Where it is in the plan.
    assert "Japan-Italy Action Plan (2024-2027) › 3.2.1 Strengthen cooperation" in conflicts.where.text()
    # The words that differ are marked, on both sides, and only those.
    only_kept, only_other = changed_words(kept, other)
    assert squash(marked_pieces(conflicts.kept_text.document())) == squash(only_kept)
    assert squash(marked_pieces(conflicts.set_aside_text.document())) == squash(only_other)
    assert "diversification" in only_kept + only_other and "Welcome" not in only_kept + only_other
    # A colleague's markup is text: "<b>accordo</b>" is shown with its brackets, not in bold.
    assert "<b>accordo</b>" in BENS and "<b>accordo</b>" in (kept + other)


def test_the_versions_keep_the_lines_they_were_typed_on(conflicts: ConflictsDialog) -> None:
    for pane in (conflicts.kept_text, conflicts.set_aside_text):
        lines = pane.toPlainText().split("\n")
        assert lines[:2] == ["Welcome the agreement on critical minerals.", lines[1]] and len(lines) == 5


def test_restore_puts_the_version_shown_on_the_right_in_place(conflicts: ConflictsDialog, window) -> None:  # type: ignore[no-untyped-def]
    briefing = window.context.briefing
    [item] = briefing.set_aside()
    shown_right = conflicts.set_aside_text.toPlainText()
    conflicts.restore_button.click()
    assert briefing.note(item.row_id).body == shown_right


def test_word_marks_escape_the_text_and_split_japanese_by_character() -> None:
    left, right = marked("a <i>b</i> & 高市早苗", "a <i>c</i> & 高市総理")
    assert "<i>" not in left and "&lt;i&gt;" in left and "&amp;" in right
    only_left, only_right = changed_words("a <i>b</i> & 高市早苗", "a <i>c</i> & 高市総理")
    assert only_left == ["b", "早", "苗"] and only_right == ["c", "総", "理"]
