"""Opening a file the data layer refuses shows one dialog and leaves the file
that was open open; a file that can only be read is offered read-only."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from db.briefing.facade import Briefing
from db.model import ids


def make_empty(path: Path, good: Path) -> None:
    path.write_bytes(b"")


def make_random(path: Path, good: Path) -> None:
    path.write_bytes(bytes(range(256)) * 16)


def make_foreign(path: Path, good: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes(name TEXT)")
    conn.commit()
    conn.close()


def make_newer(path: Path, good: Path) -> None:
    shutil.copyfile(good, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()


def make_corrupt(path: Path, good: Path) -> None:
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def make_missing(path: Path, good: Path) -> None:
    pass


@pytest.mark.parametrize(
    ("maker", "words"),
    [
        (make_empty, "empty"),
        (make_random, "not an SQLite database"),
        (make_foreign, "another program"),
        (make_newer, "newer"),
        (make_corrupt, "damaged"),
        (make_missing, "There is no file"),
    ],
)
def test_bad_file_shows_one_dialog_and_keeps_the_open_file(
    qtbot, window, seeded_path: Path, messages, tmp_path: Path, maker, words: str  # type: ignore[no-untyped-def]
) -> None:
    window.tree_pane.select_ref("3.2.1")
    bad = tmp_path / "bad.sqlite"
    maker(bad, seeded_path)
    before = bad.read_bytes() if bad.exists() else None
    assert window.files.open_path(bad) is False
    errors = messages.errors()
    assert len(errors) == 1 and words in errors[0] and "\n" not in errors[0]
    assert errors[0].endswith(".")
    assert window.context.briefing.path == seeded_path
    assert window.tree_pane.model.rowCount() == 7
    assert window.context.current_node_id == window.context.briefing.node_by_ref("3.2.1").id
    assert window.node_panel.heading.text() == "3.2.1"
    assert (bad.read_bytes() if bad.exists() else None) == before  # the refused file is untouched


def test_file_open_elsewhere_is_offered_read_only(qtbot, window, seeded_path: Path, messages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "colleague.sqlite"
    shutil.copyfile(seeded_path, other)
    now = ids.now()
    (tmp_path / "colleague.sqlite.lock").write_text(
        json.dumps({"host": "anna-laptop", "user": "anna", "pid": 4242, "since": now, "heartbeat": now, "token": "t"})
    )
    messages.answers.append(False)  # first time: the user declines
    assert window.files.open_path(other) is False
    kind, _, question = messages.shown[-1]
    assert kind == "question" and "anna" in question and "read-only" in question
    assert window.context.briefing.path == seeded_path

    messages.answers.append(True)
    assert window.files.open_path(other) is True
    assert window.context.briefing.path == other and window.context.briefing.read_only
    assert "[read-only]" in window.windowTitle()
    window.tree_pane.select_ref("3.2.1")
    assert not window.node_panel.status.isEnabled()
    assert not window.notes_panel.add_button.isEnabled()


def test_read_only_file_is_offered_read_only(qtbot, window, seeded_path: Path, messages, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "on-a-cd.sqlite"
    shutil.copyfile(seeded_path, other)
    # Root can write anything, so make the file look unwritable to the data layer.
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if mode == os.W_OK and Path(p) in (other, tmp_path) else real_access(p, mode))
    messages.answers.append(True)
    assert window.files.open_path(other) is True
    assert "cannot be written" in messages.shown[-1][2]
    assert window.context.briefing.read_only


def test_edit_refused_on_a_read_only_file_says_why(qtbot, window, seeded_path: Path, messages) -> None:  # type: ignore[no-untyped-def]
    from briefbook.gui.commands.base import push
    from briefbook.gui.commands.nodes import SetLeadOfficeCommand

    window.files.set_briefing(Briefing.open(seeded_path, read_only=True))
    node = window.context.briefing.node_by_ref("3.2.1")
    assert push(window.context, SetLeadOfficeCommand(window.context, node.id, "3.2.1", "", "X"), window) is False
    assert messages.errors() == ["briefing.sqlite is open read-only: changes cannot be saved."]
    assert window.context.undo_stack.count() == 0
