"""File > Merge a Colleague's Copy… and Help > Check File… in the window."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from db.briefing import Briefing


def _action(window, name: str):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QAction

    return window.findChild(QAction, name)


def test_menus_have_merge_and_check(window) -> None:  # type: ignore[no-untyped-def]
    merge = _action(window, "mergeAction")
    check = _action(window, "checkFileAction")
    assert merge in window.file_menu.actions() and merge.isEnabled()
    assert check in window.help_menu.actions()
    assert merge.text().replace("&", "") == "Merge a Colleague's Copy…"
    assert check.text().replace("&", "") == "Check File…"


def test_merging_a_colleagues_copy_shows_the_report_and_the_new_note(
    qtbot, window, seeded_path: Path, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    from briefbook.gui.files.merge_dialog import merge_file

    theirs = tmp_path / "colleague.sqlite"
    shutil.copyfile(seeded_path, theirs)
    with Briefing.open(theirs, user="bianca") as b:
        node = b.node_by_ref("3.2.1")
        b.add_note(node.id, "question", "Bianca: who leads the critical minerals dialogue?")
    window.select_ref("3.2.1")
    merge_file(window, theirs)
    qtbot.waitUntil(lambda: getattr(window, "merge_report_dialog", None) is not None, timeout=20000)
    dialog = window.merge_report_dialog
    assert dialog.headline.text() == "Merged colleague.sqlite."
    assert dialog.table.verticalHeaderItem(0).text() == "Notes"
    assert dialog.table.item(0, 0).text() == "1"
    assert dialog.backup.text().startswith("The file as it was before the merge is saved beside it as")
    assert window.node_panel.heading.text() == "3.2.1"  # the selection survives the reload
    bodies = [n.body for n in window.context.briefing.notes(node.id)]
    assert "Bianca: who leads the critical minerals dialogue?" in bodies
    dialog.close()


def test_a_foreign_file_is_refused_with_one_sentence(
    qtbot, window, messages, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    from briefbook.gui.files.merge_dialog import merge_file

    foreign = tmp_path / "photos.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE photo (id INTEGER)")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    merge_file(window, foreign)
    qtbot.waitUntil(lambda: bool(messages.errors()), timeout=20000)
    assert messages.errors()[-1].endswith("is an SQLite database of another program, not a briefing file.")
    assert foreign.read_bytes() == before
    assert getattr(window, "merge_report_dialog", None) is None


def test_check_file_shows_a_verdict_and_repairs(
    qtbot, window, messages  # type: ignore[no-untyped-def]
) -> None:
    from briefbook.gui.files.check_dialog import check

    path = window.context.briefing.path
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO blob (sha256, size, data) VALUES ('orphan', 1, x'00')")
    conn.commit()
    conn.close()
    check(window)
    qtbot.waitUntil(lambda: getattr(window, "check_dialog", None) is not None, timeout=20000)
    dialog = window.check_dialog
    assert "A repair (after a backup copy) fixes this." in dialog.verdict.text()
    texts = [dialog.items.item(i).text() for i in range(dialog.items.count())]
    assert any(t.startswith("✗  Attachment files: 1 stored attachment file (1 byte) belongs") for t in texts)
    assert dialog.repair_button is not None
    window.check_dialog = None
    dialog.repair_button.click()
    qtbot.waitUntil(lambda: getattr(window, "check_dialog", None) is not None, timeout=20000)
    assert any("Repaired: removed 1 unused attachment file" in text for _, _, text in messages.shown)
    assert window.check_dialog.verdict.text() == "Verdict: the file is in good order."
    assert window.check_dialog.repair_button is None
    assert list(path.parent.glob("*.repair-*.bak"))
