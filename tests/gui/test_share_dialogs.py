"""File > Merge a Colleague's Copy… and Help > Check File… in the window."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from window_helpers import action, menu, open_dialogs

from briefbook.gui.files.check_dialog import CheckDialog
from briefbook.gui.files.merge_dialog import MergeReportDialog
from db.briefing.facade import Briefing


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """The next open-file dialog answers `path`."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(path), "")))


def test_menus_have_merge_and_check(window) -> None:  # type: ignore[no-untyped-def]
    merge = action(window, "mergeAction")
    check = action(window, "checkFileAction")
    assert merge in menu(window, "&File").actions() and merge.isEnabled()
    assert check in menu(window, "&Help").actions()
    assert merge.text().replace("&", "") == "Merge a Colleague's Copy…"
    assert check.text().replace("&", "") == "Check File…"


def test_merge_is_disabled_for_a_read_only_file(window, seeded_path: Path) -> None:  # type: ignore[no-untyped-def]
    window.files.set_briefing(Briefing.open(seeded_path, read_only=True))
    assert not action(window, "mergeAction").isEnabled()
    assert action(window, "checkFileAction").isEnabled()


def test_merging_a_colleagues_copy_shows_the_report_and_the_new_note(
    qtbot, window, seeded_path: Path, tmp_path: Path, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    theirs = tmp_path / "colleague.sqlite"
    shutil.copyfile(seeded_path, theirs)
    with Briefing.open(theirs, user="bianca") as b:
        node = b.node_by_ref("3.2.1")
        b.add_note(node.id, "question", "Bianca: who leads the critical minerals dialogue?")
    window.tree_pane.select_ref("3.2.1")
    choose_file(monkeypatch, theirs)
    action(window, "mergeAction").trigger()
    qtbot.waitUntil(lambda: bool(open_dialogs(window, MergeReportDialog)), timeout=20000)
    [dialog] = open_dialogs(window, MergeReportDialog)
    assert dialog.headline.text() == "Merged colleague.sqlite."
    assert dialog.table.verticalHeaderItem(0).text() == "Notes"
    assert dialog.table.item(0, 0).text() == "1"
    assert dialog.backup.text().startswith("The file as it was before the merge is saved beside it as")
    assert window.node_panel.heading.text() == "3.2.1"  # the selection survives the reload
    bodies = [n.body for n in window.context.briefing.notes(node.id)]
    assert "Bianca: who leads the critical minerals dialogue?" in bodies
    dialog.close()


def test_a_foreign_file_is_refused_with_one_sentence(
    qtbot, window, messages, tmp_path: Path, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    foreign = tmp_path / "photos.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE photo (id INTEGER)")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    choose_file(monkeypatch, foreign)
    action(window, "mergeAction").trigger()
    qtbot.waitUntil(lambda: bool(messages.errors()), timeout=20000)
    assert messages.errors()[-1].endswith("is an SQLite database of another program, not a briefing file.")
    assert foreign.read_bytes() == before
    assert window.findChildren(MergeReportDialog) == []


def test_check_file_shows_a_verdict_and_repairs(
    qtbot, window, messages  # type: ignore[no-untyped-def]
) -> None:
    path = window.context.briefing.path
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO blob (sha256, size, data) VALUES ('orphan', 1, x'00')")
    conn.commit()
    conn.close()
    action(window, "checkFileAction").trigger()
    qtbot.waitUntil(lambda: bool(open_dialogs(window, CheckDialog)), timeout=20000)
    [dialog] = open_dialogs(window, CheckDialog)
    assert "A repair (after a backup copy) fixes this." in dialog.verdict.text()
    texts = [dialog.items.item(i).text() for i in range(dialog.items.count())]
    assert any(t.startswith("✗  Attachment files: 1 stored attachment file (1 byte) belongs") for t in texts)
    assert dialog.repair_button is not None
    dialog.repair_button.click()
    # The repair closes the first verdict and shows a new one on the repaired file.
    qtbot.waitUntil(lambda: [d for d in open_dialogs(window, CheckDialog) if d is not dialog] != [], timeout=20000)
    [again] = open_dialogs(window, CheckDialog)
    assert any("Repaired: removed 1 unused attachment file" in text for _, _, text in messages.shown)
    assert again.verdict.text() == "Verdict: the file is in good order."
    assert again.repair_button is None
    assert list(path.parent.glob("*.repair-*.bak"))
