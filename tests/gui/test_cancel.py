"""Cancel keeps its word (briefbook.gui.operations): pressed at the start, the
middle or the end of a merge, a new file, a repair, the reading of a long PDF,
an export or a copy, the disk is as it was (file bytes, backups, lock files,
temporaries, outputs) and the window shows what it showed, with its undo
history; pressed past the point of no return, the button is disabled and
says so, and the result is shown as if nobody had pressed it.

The worker is held at each moment (`cancel_helpers.Hold`) while the real
Cancel button is clicked: nothing depends on timing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import notes_helpers
import pytest
from cancel_helpers import NO_RETURN, START, folder_state, press_cancel
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from window_helpers import action, open_dialogs, shown_box

from briefbook.gui import operations
from briefbook.gui.export import dialog as export_dialog
from briefbook.gui.files.check_dialog import CheckDialog
from briefbook.gui.files.import_dialog import ImportDialog
from briefbook.gui.files.merge_dialog import MergeReportDialog
from briefbook.gui.operations import CANCELLING, FINISHING, NO_LONGER, run_operation
from db.briefing.facade import Briefing
from db.disk import file as dbfile

BIANCA = "Bianca: who leads the critical minerals dialogue?"


def shown_notes(window) -> list[str]:  # type: ignore[no-untyped-def]
    """The notes the window shows on the selected commitment, as their text (Markdown source)."""
    return [n.body for n in window.notes_panel.model.notes()]


def delete_a_note_in_the_window(qtbot, window) -> str:  # type: ignore[no-untyped-def]
    """Select 3.2.1 and delete its first note with the card's button (one step on the undo stack)."""
    window.tree_pane.select_ref("3.2.1")
    note_id = notes_helpers.shown_notes(window.notes_panel)[0].id
    notes_helpers.click_card(qtbot, window.notes_panel, note_id, "delete")
    assert window.context.undo_stack.count() == 1
    return str(note_id)


def assert_cancel_is_refused_past_no_return(qtbot, op) -> None:  # type: ignore[no-untyped-def]
    """The button says it can no longer cancel, and neither it nor Escape stops or hides anything."""
    qtbot.waitUntil(lambda: not op.cancel_button.isEnabled(), timeout=10_000)
    assert op.cancel_button.text() == FINISHING
    assert op.dialog.labelText().endswith(NO_LONGER)
    press_cancel(qtbot, op)  # a disabled button: nothing happens
    qtbot.keyClick(op.dialog, Qt.Key.Key_Escape)
    assert op.dialog.isVisible() and not op.cancellation.is_cancelled()


def cancel_and_see_it_stopping(qtbot, op) -> None:  # type: ignore[no-untyped-def]
    press_cancel(qtbot, op)
    # The dialog stays until the work has stopped, and says what is happening.
    assert op.dialog.isVisible()
    assert op.dialog.labelText() == CANCELLING
    assert not op.cancel_button.isEnabled()


# -- merge -------------------------------------------------------------------------------------


@pytest.fixture
def colleague(seeded_path: Path, tmp_path: Path) -> Path:
    theirs = tmp_path / "from-bianca" / "colleague.sqlite"
    theirs.parent.mkdir()
    shutil.copyfile(seeded_path, theirs)
    with Briefing.open(theirs, user="bianca") as b:
        b.add_note(b.node_by_ref("3.2.1").id, "question", BIANCA)
    return theirs


def start_merge(window, monkeypatch: pytest.MonkeyPatch, theirs: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(theirs), "")))
    action(window, "mergeAction").trigger()


@pytest.mark.parametrize("moment", [START, "Comparing notes…", "Merging…"])
def test_a_merge_cancelled_before_its_commit_leaves_file_backups_and_window_as_they_were(
    qtbot, window, messages, tmp_path: Path, colleague: Path, monkeypatch, hold_at, moment: str  # type: ignore[no-untyped-def]
) -> None:
    path = window.context.briefing.path
    for _ in range(dbfile.KEEP_BACKUPS):  # older backups a finished merge would prune
        dbfile.backup_copy(path, "merge")
    delete_a_note_in_the_window(qtbot, window)
    notes_before = shown_notes(window)
    before = folder_state(tmp_path)
    hold = hold_at(moment)
    start_merge(window, monkeypatch, colleague)
    op = hold.wait(qtbot)
    if moment == "Merging…":  # the last safe point: the backup is made, the rows not yet committed
        assert len(dbfile.backups_of(path)) == dbfile.KEEP_BACKUPS + 1
    cancel_and_see_it_stopping(qtbot, op)
    hold.release(qtbot)

    assert hold.stopped_where_held()
    assert folder_state(tmp_path) == before  # the file, the old backups, no new one, the lock
    assert open_dialogs(window, MergeReportDialog) == []
    assert shown_notes(window) == notes_before and BIANCA not in shown_notes(window)
    assert window.context.undo_stack.count() == 1
    assert window.statusBar().currentMessage() == "Merge cancelled; this file is as it was."
    assert messages.shown == []
    window.context.undo_stack.undo()  # the history still applies to the file as it is
    assert len(shown_notes(window)) == len(notes_before) + 1
    # Merging again goes through, and the news of the cancel is gone from the status bar.
    start_merge(window, monkeypatch, colleague)
    qtbot.waitUntil(lambda: bool(open_dialogs(window, MergeReportDialog)), timeout=60_000)
    assert BIANCA in shown_notes(window)
    assert window.statusBar().currentMessage() == ""


@pytest.mark.parametrize("tell_first", [True, False], ids=["button-disabled", "pressed-in-the-same-moment"])
def test_past_its_commit_a_merge_finishes_and_is_shown_as_if_nobody_had_pressed_cancel(
    qtbot, window, messages, tmp_path: Path, colleague: Path, monkeypatch, hold_at, tell_first: bool  # type: ignore[no-untyped-def]
) -> None:
    path = window.context.briefing.path
    delete_a_note_in_the_window(qtbot, window)
    theirs_before = colleague.read_bytes()
    hold = hold_at(NO_RETURN, tell_first=tell_first)
    start_merge(window, monkeypatch, colleague)
    op = hold.wait(qtbot)
    if not tell_first:
        # Cancel pressed after the work passed its point of no return, before the window heard:
        # the request is refused and the dialog says so at once.
        assert op.cancel_button.isEnabled()
        press_cancel(qtbot, op)
    assert_cancel_is_refused_past_no_return(qtbot, op)
    hold.release(qtbot)

    [report] = open_dialogs(window, MergeReportDialog)
    assert report.headline.text() == "Merged colleague.sqlite."
    assert BIANCA in shown_notes(window)  # the window shows the merged rows
    assert window.context.undo_stack.count() == 0  # as after any merge: the history was of the old file
    assert len(dbfile.backups_of(path)) == 1
    assert BIANCA in [n.body for n in window.context.briefing.notes(window.context.current_node_id)]
    assert colleague.read_bytes() == theirs_before
    assert "cancel" not in window.statusBar().currentMessage().lower()
    assert messages.shown == []
    report.close()


# -- a new file --------------------------------------------------------------------------------


def start_new_file(window, messages, monkeypatch: pytest.MonkeyPatch, target: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args: (str(target), "")))
    messages.answers.append(0)  # with the Japan-Italy plan
    action(window, "newAction").trigger()


@pytest.mark.parametrize("moment", [START, "Adding the notes…", "Saving the file…"])
def test_a_new_file_cancelled_is_never_made_and_the_window_keeps_its_file(
    qtbot, window, messages, tmp_path: Path, monkeypatch, hold_at, moment: str  # type: ignore[no-untyped-def]
) -> None:
    opened = window.context.briefing.path
    delete_a_note_in_the_window(qtbot, window)
    target = tmp_path / "new" / "team.sqlite"
    target.parent.mkdir()
    before = folder_state(tmp_path)
    hold = hold_at(moment)
    start_new_file(window, messages, monkeypatch, target)
    op = hold.wait(qtbot)
    if moment != START:  # it is being built under a temporary name, and locked while it is
        assert [p.name for p in target.parent.iterdir()] != []
    cancel_and_see_it_stopping(qtbot, op)
    hold.release(qtbot)

    assert hold.stopped_where_held()
    assert folder_state(tmp_path) == before  # no file, no temporary, no lock
    assert list(target.parent.iterdir()) == []
    assert window.context.briefing.path == opened
    assert window.context.undo_stack.count() == 1
    assert window.statusBar().currentMessage() == "The new file was not created; nothing was written."
    assert messages.errors() == []
    # The name is free: making the file again works.
    start_new_file(window, messages, monkeypatch, target)
    qtbot.waitUntil(lambda: window.context.briefing.path == target, timeout=60_000)


def test_past_its_rename_a_new_file_opens_as_if_nobody_had_pressed_cancel(
    qtbot, window, messages, tmp_path: Path, monkeypatch, hold_at  # type: ignore[no-untyped-def]
) -> None:
    delete_a_note_in_the_window(qtbot, window)
    target = tmp_path / "new" / "team.sqlite"
    target.parent.mkdir()
    hold = hold_at(NO_RETURN)
    start_new_file(window, messages, monkeypatch, target)
    op = hold.wait(qtbot)
    assert_cancel_is_refused_past_no_return(qtbot, op)
    hold.release(qtbot)

    assert window.context.briefing.path == target  # shown, and locked by this window
    assert sorted(p.name for p in target.parent.iterdir()) == ["team.sqlite", "team.sqlite.lock"]
    assert window.context.undo_stack.count() == 0
    assert [p.title for p in window.context.briefing.plans()] == ["Japan-Italy Action Plan (2024-2027)"]
    window.tree_pane.select_ref("3.2.1")
    assert window.node_panel.heading.text() == "3.2.1"
    assert messages.errors() == []


# -- repair ------------------------------------------------------------------------------------


def open_repair(qtbot, window) -> CheckDialog:  # type: ignore[no-untyped-def]
    """A file with attachment bytes no attachment uses; Help > Check File… offers to repair it."""
    import sqlite3

    conn = sqlite3.connect(window.context.briefing.path)
    conn.execute("INSERT INTO blob (sha256, size, data) VALUES ('orphan', 1, x'00')")
    conn.commit()
    conn.close()
    action(window, "checkFileAction").trigger()
    qtbot.waitUntil(lambda: bool(open_dialogs(window, CheckDialog)), timeout=60_000)
    [dialog] = open_dialogs(window, CheckDialog)
    assert dialog.repair_button is not None
    return dialog


@pytest.mark.parametrize("moment", [START, "Saving a backup copy…", "Removing unused attachment files…"])
def test_a_repair_cancelled_before_its_first_write_leaves_the_file_and_no_backup(
    qtbot, window, messages, tmp_path: Path, hold_at, moment: str  # type: ignore[no-untyped-def]
) -> None:
    path = window.context.briefing.path
    for _ in range(dbfile.KEEP_BACKUPS):
        dbfile.backup_copy(path, "repair")
    delete_a_note_in_the_window(qtbot, window)
    dialog = open_repair(qtbot, window)
    before = folder_state(tmp_path)
    hold = hold_at(moment)
    dialog.repair_button.click()
    op = hold.wait(qtbot)
    if moment == "Removing unused attachment files…":
        assert len(dbfile.backups_of(path)) == dbfile.KEEP_BACKUPS + 1
    cancel_and_see_it_stopping(qtbot, op)
    hold.release(qtbot)

    assert hold.stopped_where_held()
    assert folder_state(tmp_path) == before
    assert open_dialogs(window, CheckDialog) == []  # no verdict on a repaired file: nothing was repaired
    assert messages.shown == []
    assert window.context.undo_stack.count() == 1
    assert window.statusBar().currentMessage() == "Repair cancelled; the file is as it was."


def test_past_its_first_write_a_repair_finishes_and_reports(
    qtbot, window, messages, tmp_path: Path, hold_at  # type: ignore[no-untyped-def]
) -> None:
    path = window.context.briefing.path
    dialog = open_repair(qtbot, window)
    hold = hold_at(NO_RETURN)
    dialog.repair_button.click()
    op = hold.wait(qtbot)
    assert_cancel_is_refused_past_no_return(qtbot, op)
    hold.release(qtbot)

    assert any("Repaired: removed 1 unused attachment file" in text for _, _, text in messages.shown)
    qtbot.waitUntil(lambda: bool(open_dialogs(window, CheckDialog)), timeout=60_000)
    [again] = open_dialogs(window, CheckDialog)
    assert again.verdict.text() == "Verdict: the file is in good order."
    assert len(dbfile.backups_of(path)) == 1


# -- reading a long PDF --------------------------------------------------------------------------


PAGES = 30
TOPICS = ("energy", "culture", "space", "health", "trade", "oceans", "science", "defence", "tourism", "education")


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plan of 30 pages, an area with its commitments a page (laid out a little
    differently on each, or the reader takes the lines for running headers)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path_factory.mktemp("pdf") / "long-plan.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    for page in range(1, PAGES + 1):
        y = 790 - 7 * (page % 9)
        if page == 1:
            canvas.drawString(72, y, "Joint Action Plan on Everything (2025-2030)")
            y -= 30
        topic = TOPICS[page % len(TOPICS)]
        canvas.drawString(72, y, f"{page}. Cooperation on {topic} ({'and ' * (page % 3)}more)")
        for n in range(1, 3 + page % 4):
            y -= 22 + page % 5
            canvas.drawString(90, y, f"{page}.{n} Both sides will work on {topic} matter {page}.{n} "
                                     f"{'together ' * (n % 3)}each year.")
        canvas.showPage()
    canvas.save()
    return path


@pytest.mark.parametrize("page", [0, PAGES // 2, PAGES], ids=["start", "middle", "end"])
def test_reading_a_long_pdf_cancelled_shows_no_preview_and_writes_nothing(
    qtbot, window, messages, tmp_path: Path, long_pdf: Path, monkeypatch, hold_at, page: int  # type: ignore[no-untyped-def]
) -> None:
    before = folder_state(tmp_path)
    plans = [p.title for p in window.context.briefing.plans()]
    hold = hold_at(START if page == 0 else f"Reading page {page} of {PAGES}…")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(long_pdf), "")))
    action(window, "importAction").trigger()
    op = hold.wait(qtbot)
    cancel_and_see_it_stopping(qtbot, op)
    hold.release(qtbot)

    # It stopped at the page it was on (at the end: after the last page, before the plan is recognised).
    assert hold.stopped_where_held()
    assert window.findChildren(ImportDialog) == []
    assert [p.title for p in window.context.briefing.plans()] == plans
    assert folder_state(tmp_path) == before
    assert window.statusBar().currentMessage() == "Import cancelled; nothing was read into this file."
    assert messages.shown == []  # in particular not "damaged"


def test_reading_a_long_pdf_not_cancelled_shows_its_preview(
    qtbot, window, messages, long_pdf: Path, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(long_pdf), "")))
    action(window, "importAction").trigger()
    qtbot.waitUntil(lambda: window.findChild(ImportDialog) is not None, timeout=60_000)
    dialog = window.findChild(ImportDialog)
    assert dialog.tree.topLevelItemCount() == PAGES  # every page was read: an area a page
    dialog.reject()


# -- export ------------------------------------------------------------------------------------


def start_export(window, out: Path) -> None:  # type: ignore[no-untyped-def]
    action(window, "exportAction").trigger()
    [dialog] = open_dialogs(window, export_dialog.ExportDialog)
    dialog.classification_edit.setText("Restricted")
    dialog.path_edit.setText(str(out))
    dialog.export_button.click()


def _after(share: int):  # type: ignore[no-untyped-def]
    return lambda done, total, label: done >= share


@pytest.mark.parametrize(
    "moment", [START, _after(500), _after(980)], ids=["start", "middle", "rendered-not-written"]
)
def test_an_export_cancelled_before_it_writes_keeps_the_previous_file(
    qtbot, window, messages, tmp_path: Path, hold_at, moment  # type: ignore[no-untyped-def]
) -> None:
    out = tmp_path / "exports" / "pack.pdf"
    out.parent.mkdir()
    out.write_bytes(b"the previous export")
    before = folder_state(tmp_path)
    hold = hold_at(moment)
    start_export(window, out)
    op = hold.wait(qtbot)
    cancel_and_see_it_stopping(qtbot, op)
    hold.release(qtbot)

    assert hold.stopped_where_held()
    assert folder_state(tmp_path) == before  # the previous export, no temporary beside it
    assert shown_box(window) is None
    assert window.statusBar().currentMessage() == "The export was cancelled; no file was written."
    assert messages.shown == []


def test_past_its_rename_an_export_is_saved_and_said(
    qtbot, window, messages, tmp_path: Path, hold_at  # type: ignore[no-untyped-def]
) -> None:
    out = tmp_path / "pack.pdf"
    hold = hold_at(NO_RETURN)
    start_export(window, out)
    op = hold.wait(qtbot)
    assert_cancel_is_refused_past_no_return(qtbot, op)
    hold.release(qtbot)

    assert out.read_bytes().startswith(b"%PDF")
    box = shown_box(window)
    assert box is not None and "pack.pdf" in box.text()
    box.button(box.StandardButton.Close).click()


# -- a copy --------------------------------------------------------------------------------------


@pytest.mark.parametrize("moment", [START, NO_RETURN])
def test_save_a_copy_cancelled_writes_nothing_and_past_its_rename_is_saved(
    qtbot, window, messages, tmp_path: Path, monkeypatch, hold_at, moment: str  # type: ignore[no-untyped-def]
) -> None:
    target = tmp_path / "copies" / "copy.sqlite"
    target.parent.mkdir()
    before = folder_state(tmp_path)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args: (str(target), "")))
    hold = hold_at(moment)
    action(window, "saveCopyAction").trigger()
    op = hold.wait(qtbot)
    if moment == START:
        cancel_and_see_it_stopping(qtbot, op)
        hold.release(qtbot)
        assert hold.stopped_where_held()
        assert folder_state(tmp_path) == before
        assert window.statusBar().currentMessage() == "Copy cancelled; nothing was written."
    else:
        assert_cancel_is_refused_past_no_return(qtbot, op)
        hold.release(qtbot)
        assert window.statusBar().currentMessage() == f"Saved a copy as {target}."
        with Briefing.open(target, read_only=True) as copy:
            assert copy.plans()[0].title == "Japan-Italy Action Plan (2024-2027)"


# -- the operation itself ------------------------------------------------------------------------


def test_a_cancelled_result_nobody_asked_for_is_reported_as_a_bug(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sys

    from db.model.errors import Cancelled

    reported: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, exc, tb: reported.append(exc))

    def work(progress, cancel):  # type: ignore[no-untyped-def]
        raise Cancelled("Stopped on its own.")

    op = run_operation(None, "Working…", work, lambda result: reported.append(AssertionError("shown")))
    with qtbot.waitSignal(op.done, timeout=10_000):
        pass
    [bug] = reported
    assert isinstance(bug, RuntimeError) and "nobody cancelled it" in str(bug)


def test_work_that_ignores_cancel_until_it_returns_has_its_result_thrown_away(
    qtbot, hold_at  # type: ignore[no-untyped-def]
) -> None:
    shown: list[object] = []

    def work(progress, cancel):  # type: ignore[no-untyped-def]
        progress(1, 2, "Reading…")
        return "read"  # never checks: returning is its point of no return

    hold = hold_at("Reading…")
    op = run_operation(None, "Reading…", work, shown.append)
    assert hold.wait(qtbot) is op
    press_cancel(qtbot, op)
    hold.release(qtbot)
    assert shown == [] and op not in operations.running()


def test_escape_and_the_title_bar_close_ask_the_same_as_the_button_and_keep_the_dialog_up(
    qtbot, hold_at  # type: ignore[no-untyped-def]
) -> None:
    from db.model.cancelling import Cancellation

    def work(progress, cancel: Cancellation):  # type: ignore[no-untyped-def]
        progress(1, 3, "Step one…")
        cancel.check("Stopped.")
        return "done"

    for ask in ("escape", "close"):
        hold = hold_at("Step one…")
        shown: list[object] = []
        op = run_operation(None, "Working…", work, shown.append)
        assert hold.wait(qtbot) is op
        if ask == "escape":
            qtbot.keyClick(op.dialog, Qt.Key.Key_Escape)
        else:
            op.dialog.close()
        assert op.dialog.isVisible() and op.dialog.labelText() == CANCELLING  # up until the work has stopped
        assert op.cancellation.is_cancelled()
        hold.release(qtbot)
        assert shown == [] and op not in operations.running()
