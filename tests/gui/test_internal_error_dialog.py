"""The window with a bug in it (issue 19 item 3): a dialog says briefbook hit an internal error,
whether the change under way was rolled back, and names the crash log; Copy details puts the
traceback on the clipboard; the window goes on. The world around the file keeps its one sentence."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from notes_helpers import shown_notes
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton

import db.search.query
from briefbook.gui import error_dialog
from briefbook.gui.notes import dialog as note_dialog
from briefbook.services import failures
from db.briefing.facade import Briefing

# PySide6 hands an exception raised in a slot to sys.excepthook: the window's own, not pytest-qt's.
pytestmark = pytest.mark.qt_no_exception_capture

REAL_INDEX_ROWS = db.search.query.index_rows


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", error_dialog.excepthook)


@pytest.fixture
def logs() -> Path:
    folder = failures.log_folder()
    assert str(folder).startswith(os.environ["XDG_STATE_HOME"])  # the test session's, never the user's
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def _raise(exc: BaseException) -> Callable[..., object]:
    def fail(*args: object, **kwargs: object) -> object:
        raise exc

    return fail


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _notes(path: Path, ref: str) -> list[str]:
    with Briefing.open(path, read_only=True) as b:
        return [n.body for n in b.notes(b.node_by_ref(ref).id)]


class Seen:
    """What the internal-error dialog showed, read off the real dialog while it is open."""

    def __init__(self) -> None:
        self.title = self.intro = self.details = self.clipboard = ""
        self.buttons: list[str] = []


def _answer_the_dialog(seen: Seen) -> None:
    """When the modal dialog is up: read it, press Copy details, close it."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, error_dialog.ErrorDialog):
            QTimer.singleShot(10, answer)  # not open yet: look again on the next turn of the event loop
            return
        seen.title = dialog.windowTitle()
        seen.intro = dialog.intro.text()
        seen.details = dialog.report_view.toPlainText()
        seen.buttons = [b.text() for b in dialog.findChildren(QPushButton)]
        copy = next(b for b in dialog.findChildren(QPushButton) if b.text() == "&Copy details")
        copy.click()
        seen.clipboard = QApplication.clipboard().text()
        dialog.reject()

    QTimer.singleShot(0, answer)


def test_a_bug_while_adding_a_note_shows_the_internal_error_dialog(  # type: ignore[no-untyped-def]
    qtbot, window, seeded_path: Path, messages, hook, logs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.tree_pane.select_ref("1.1.1")
    monkeypatch.setattr(note_dialog, "ask_note", lambda *a, **k: ("risk", "A risk that is never saved."))
    # The note's row is written, then the search index step trips on a bug: the facade rolls back.
    monkeypatch.setattr(db.search.query, "index_rows", _raise(KeyError("note")))
    before = _sha(seeded_path)
    seen = Seen()
    _answer_the_dialog(seen)
    qtbot.mouseClick(window.notes_panel.add_button, Qt.MouseButton.LeftButton)

    assert seen.title == "briefbook hit an internal error"
    assert seen.intro.startswith("briefbook hit an internal error: a bug in briefbook, not a problem with your file.")
    assert "The change you were making was rolled back: the file is as it was before it." in seen.intro
    logs_written = sorted(logs.glob("crash-*.txt"))
    assert len(logs_written) == 1 and f"The details are saved in {logs_written[0]}" in seen.intro
    assert "&Copy details" in seen.buttons and "Open &Log Folder" in seen.buttons
    # Copy details: the whole report with the traceback, as the crash log holds it.
    assert seen.clipboard == seen.details == logs_written[0].read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in seen.clipboard and "KeyError: 'note'" in seen.clipboard
    assert "in add_note" in seen.clipboard
    assert messages.shown == []  # no second box besides the dialog

    # Nothing saved: the file as it was, no card in the window; and the window goes on working.
    assert _sha(seeded_path) == before
    assert "A risk that is never saved." not in _notes(seeded_path, "1.1.1")
    assert not [n for n in shown_notes(window.notes_panel) if "never saved" in n.text]
    monkeypatch.setattr(db.search.query, "index_rows", REAL_INDEX_ROWS)
    monkeypatch.setattr(note_dialog, "ask_note", lambda *a, **k: ("risk", "Saved once the bug is gone."))
    qtbot.mouseClick(window.notes_panel.add_button, Qt.MouseButton.LeftButton)
    assert "Saved once the bug is gone." in _notes(seeded_path, "1.1.1")


def test_a_bug_outside_a_write_claims_only_what_was_saved(  # type: ignore[no-untyped-def]
    qtbot, window, seeded_path: Path, messages, hook, logs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Briefing, "notes", _raise(AttributeError("'NoneType' object has no attribute 'kind'")))
    seen = Seen()
    _answer_the_dialog(seen)
    window.tree_pane.select_ref("2.2.1")  # the notes panel reads the node's notes: the bug

    assert seen.title == "briefbook hit an internal error"
    assert "Every change saved before this is in the file." in seen.intro
    assert "rolled back" not in seen.intro
    assert "AttributeError: 'NoneType' object has no attribute 'kind'" in seen.clipboard
    assert len(list(logs.glob("crash-*.txt"))) == 1


def test_a_full_disk_in_the_window_is_one_sentence_not_a_bug_report(  # type: ignore[no-untyped-def]
    qtbot, window, seeded_path: Path, messages, hook, logs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.tree_pane.select_ref("1.1.1")
    monkeypatch.setattr(note_dialog, "ask_note", lambda *a, **k: ("risk", "No room for this."))
    monkeypatch.setattr(Briefing, "add_note", _raise(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))))
    opened: list[object] = []
    monkeypatch.setattr(error_dialog.ErrorDialog, "exec", lambda self: opened.append(self) or 0)
    qtbot.mouseClick(window.notes_panel.add_button, Qt.MouseButton.LeftButton)
    assert messages.errors() == ["The disk is full: nothing was changed; free some space and try again."]
    assert opened == [] and not logs.exists()


def test_a_file_with_values_briefbook_never_writes_is_named_not_called_a_bug(  # type: ignore[no-untyped-def]
    qtbot, window, seeded_path: Path, messages, hook, logs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    conn = sqlite3.connect(seeded_path)  # another program wrote a kind briefbook never writes
    conn.execute("UPDATE note SET kind = 'memo' WHERE id = (SELECT id FROM note LIMIT 1)")
    conn.commit()
    conn.close()
    monkeypatch.setattr(Briefing, "notes", _raise(ValueError("'memo' is not a note kind")))
    opened: list[object] = []
    monkeypatch.setattr(error_dialog.ErrorDialog, "exec", lambda self: opened.append(self) or 0)
    window.tree_pane.select_ref("2.2.1")
    (sentence,) = messages.errors()
    assert sentence.startswith("briefing.sqlite holds values briefbook never writes (")
    assert "'memo' in kind" in sentence and sentence.endswith("Help > Check File… names them.")
    assert opened == [] and not logs.exists()


def test_a_file_sqlite_cannot_read_is_told_in_words_not_sqlites(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from briefbook.gui.files import opening

    damaged = tmp_path / "damaged.sqlite"
    conn = sqlite3.connect(damaged)
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
    conn.commit()
    conn.close()
    data = bytearray(damaged.read_bytes())
    data[4096 * 2: 4096 * 3] = b"\xff" * 4096
    damaged.write_bytes(bytes(data))
    try:  # what SQLite itself raises reading that page
        with sqlite3.connect(damaged) as c:
            c.execute("SELECT count(*), max(length(x)) FROM t").fetchall()
    except sqlite3.DatabaseError as exc:
        error = exc
    assert error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_CORRUPT
    # Damage in the middle of a briefing file, which the header checks on opening cannot see.
    monkeypatch.setattr(Briefing, "open", _raise(error))
    assert opening.open_briefing(None, damaged, "tester") is None
    (sentence,) = messages.errors()
    assert sentence.startswith(f"{damaged} could not be opened: damaged.sqlite is damaged (SQLite cannot read part")
    assert str(error) not in sentence  # SQLite's own words ("database disk image is malformed") are not shown
