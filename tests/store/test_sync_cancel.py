"""Cancel during File > Sync with Team Store…, on a real PostgreSQL: before the
store's commit the store and the file are as they were (rows, backups, lock)
and the window shows what it showed, with its undo history; past it the
button says the sync can no longer be cancelled and the sync is shown as if
nobody had pressed Cancel. The worker is held at each moment while the real
Cancel button is clicked (tests/cancel_helpers.py): nothing depends on timing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import notes_helpers
import psycopg
import pytest
from cancel_helpers import NO_RETURN, START, folder_state, press_cancel
from PySide6.QtCore import Qt
from sync_helpers import sync

from briefbook.gui.operations import CANCELLING, FINISHING, NO_LONGER
from db.briefing.facade import Briefing
from db.disk import file as dbfile

BIANCA = "Bianca: who leads the minerals dialogue?"


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from briefbook.gui import messages

    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(messages, "show_info", lambda parent, title, text: shown.append(text))
    return shown


@pytest.fixture
def window(qtbot, seeded_path: Path, tmp_path: Path, said: list[str]) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication, QSettings

    from briefbook.gui import settings
    from briefbook.gui.main_window import MainWindow

    QCoreApplication.setOrganizationName("briefbook-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    settings.set_author("tester")
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.files.open_path(seeded_path), said
    win.show()
    yield win
    win.close()


def store_rows(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the store."""
    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")]  # fmt: skip
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}


def shown_notes(window) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.body for n in window.notes_panel.model.notes()]


@pytest.fixture
def both_sides_changed(qtbot, window, store: str, seeded_path: Path, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    """The store holds a colleague's new note on 3.2.1; the window has deleted a note
    of 3.2.1 (one step on its undo stack). Returns the note it deleted."""
    colleague = tmp_path / "bianca" / "colleague.sqlite"
    colleague.parent.mkdir()
    shutil.copyfile(seeded_path, colleague)
    with Briefing.open(colleague, user="bianca") as b:
        b.add_note(b.node_by_ref("3.2.1").id, "question", BIANCA)
    sync(colleague, store, "bianca")
    window.tree_pane.select_ref("3.2.1")
    card = notes_helpers.shown_notes(window.notes_panel)[0]
    deleted = window.notes_panel.model.notes()[0].body
    notes_helpers.click_card(qtbot, window.notes_panel, card.id, "delete")
    assert window.context.undo_stack.count() == 1
    return str(deleted)


def start_sync(window, store: str) -> None:  # type: ignore[no-untyped-def]
    from briefbook.gui.files.sync_dialog import sync_with_store

    sync_with_store(window, window.context, store, reselect=window.tree_pane.select_node)


def report_dialogs(window) -> list[object]:  # type: ignore[no-untyped-def]
    from briefbook.gui.files.sync_dialog import SyncReportDialog

    return [d for d in window.findChildren(SyncReportDialog) if d.isVisible()]


@pytest.mark.parametrize(
    "moment", [START, "Finding what changed on each side…", "Sending this file's changes…", "Saving in the team store…"]
)
def test_a_sync_cancelled_before_the_store_commits_leaves_both_sides_and_the_window_as_they_were(
    qtbot, window, said, store: str, tmp_path: Path, both_sides_changed: str, hold_at, moment: str  # type: ignore[no-untyped-def]
) -> None:
    notes_before = shown_notes(window)
    files_before, rows_before = folder_state(tmp_path), store_rows(store)
    hold = hold_at(moment)
    start_sync(window, store)
    op = hold.wait(qtbot)
    press_cancel(qtbot, op)
    assert op.dialog.isVisible() and op.dialog.labelText() == CANCELLING
    hold.release(qtbot)

    assert hold.stopped_where_held()  # at the next safe point, not at the commit
    assert store_rows(store) == rows_before  # the upload (at the end: written, not committed) rolled back
    assert folder_state(tmp_path) == files_before  # the file, no backup, the lock
    assert report_dialogs(window) == []
    assert shown_notes(window) == notes_before and BIANCA not in notes_before
    assert window.context.undo_stack.count() == 1
    assert window.statusBar().currentMessage() == "Sync cancelled; this file and the team store are as they were."
    assert said == []
    # Nothing was left half done: the next sync goes through and brings the note down.
    start_sync(window, store)
    qtbot.waitUntil(lambda: bool(report_dialogs(window)), timeout=60_000)
    assert BIANCA in shown_notes(window)


def test_past_the_store_commit_a_sync_finishes_and_is_shown_as_if_nobody_had_pressed_cancel(
    qtbot, window, said, store: str, both_sides_changed: str, hold_at  # type: ignore[no-untyped-def]
) -> None:
    path = window.context.briefing.path
    rows_before = store_rows(store)
    hold = hold_at(NO_RETURN)
    start_sync(window, store)
    op = hold.wait(qtbot)
    qtbot.waitUntil(lambda: not op.cancel_button.isEnabled(), timeout=10_000)
    assert op.cancel_button.text() == FINISHING and op.dialog.labelText().endswith(NO_LONGER)
    press_cancel(qtbot, op)
    qtbot.keyClick(op.dialog, Qt.Key.Key_Escape)
    assert op.dialog.isVisible() and not op.cancellation.is_cancelled()
    hold.release(qtbot)

    [report] = report_dialogs(window)
    assert "Brought in from the team store: notes 1 added." in report.lines
    assert BIANCA in shown_notes(window) and both_sides_changed not in shown_notes(window)
    assert window.context.undo_stack.count() == 0  # reloaded, as after any sync that brought rows in
    assert store_rows(store) != rows_before  # the deletion went up
    assert len(dbfile.backups_of(path)) == 1
    assert "cancel" not in window.statusBar().currentMessage().lower()
    assert said == []
    report.close()
