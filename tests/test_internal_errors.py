"""A bug is told as a bug, not as a damaged file (issue 19 item 3): the command line says briefbook
hit an internal error, says whether the file was changed (only what is known), writes the traceback
to a crash log in the user's log folder and names it, and exits 70. The world around the file (a full
disk, a busy or damaged file) and a file with values briefbook never writes keep their one sentence,
and no programmer's text ("JSONDecodeError", "Error binding parameter") reaches one."""

from __future__ import annotations

import errno
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from share_helpers import make_small
from untrusted_helpers import assert_one_sentence, execute, tree_bytes

import db.search
from briefbook.cli.main import main
from briefbook.services import failures
from db.briefing import Briefing

#: Text that is for a programmer, never for the person at the keyboard.
PROGRAMMER_TEXT = re.compile(
    r"Traceback|\b[A-Z]\w*(?:Error|Exception|Warning)\b|Error binding|binding parameter|NoneType|has no attribute"
    r"|invalid literal|Expecting (?:value|property)|line \d+ column \d+|\(char \d+\)|sqlite3\.|\[Errno"
    r"|constraint failed|no such (?:table|column)|syntax error|codec can't|unsupported type|<class |object at 0x"
    r"|SQLITE_[A-Z]+|errno"
)


@pytest.fixture(scope="module")
def small_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_small(tmp_path_factory.mktemp("small") / "small.sqlite")


@pytest.fixture
def book(small_template: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    shutil.copyfile(small_template, folder / "book.sqlite")
    return folder / "book.sqlite"


@pytest.fixture
def logs() -> Path:
    """The crash-log folder (in this test session's XDG_STATE_HOME, see conftest.py), emptied."""
    folder = failures.log_folder()
    assert str(folder).startswith(os.environ["XDG_STATE_HOME"])  # never the user's own
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def _raise(exc: BaseException) -> Callable[..., object]:
    def fail(*args: object, **kwargs: object) -> object:
        raise exc

    return fail


def _crash_log(stderr: str) -> Path:
    """The crash log the sentence names."""
    found = re.search(r"the details are in (\S+\.txt):", stderr)
    assert found, stderr
    return Path(found.group(1))


def _notes(path: Path, ref: str = "1.1.1") -> list[str]:
    with Briefing.open(path, read_only=True) as b:
        return [n.body for n in b.notes(b.node_by_ref(ref).id)]


# -- a bug ------------------------------------------------------------------------------------


def test_a_bug_inside_a_write_is_an_internal_error_and_the_write_is_rolled_back(
    book: Path, logs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The note's row is written, then the search index step trips on a bug: the transaction rolls back.
    monkeypatch.setattr(db.search, "index_rows", _raise(KeyError("note")))
    before = tree_bytes(book.parent)
    status = main(["note", "add", "1.1.1", "--db", str(book), "--kind", "risk", "--text", "Never saved."])
    err = capsys.readouterr().err
    assert status == failures.EX_SOFTWARE == 70
    assert_one_sentence(err)
    assert err.startswith("briefbook: briefbook hit an internal error (a bug in briefbook, not a problem with your file)")
    assert "the change was rolled back: nothing in book.sqlite was changed" in err
    assert "check" not in err  # not sent to `check`, which would call the file good
    assert not PROGRAMMER_TEXT.search(err), err
    log = _crash_log(err)
    assert log.parent == logs and log.is_file()
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "KeyError: 'note'" in text
    assert "in add_note" in text and "briefbook note" in text
    assert "the change was rolled back" in text
    assert tree_bytes(book.parent) == before  # not a byte changed, no journal, no lock left
    monkeypatch.undo()
    assert "Never saved." not in _notes(book)
    assert main(["check", str(book)]) == 0  # and the file is as good as `check` says


def test_a_bug_after_the_write_was_saved_does_not_claim_nothing_changed(
    book: Path, logs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # add_note commits, then reads the note back: the bug is in that read.
    monkeypatch.setattr(Briefing, "note", _raise(AttributeError("'NoneType' object has no attribute 'id'")))
    status = main(["note", "add", "1.1.1", "--db", str(book), "--kind", "risk", "--text", "Saved before the bug."])
    err = capsys.readouterr().err
    assert status == 70
    assert_one_sentence(err)
    assert "nothing in" not in err and "rolled back" not in err
    assert "part of what was being done may already be saved in book.sqlite" in err
    assert not PROGRAMMER_TEXT.search(err), err
    assert "AttributeError" in _crash_log(err).read_text(encoding="utf-8")
    monkeypatch.undo()
    assert "Saved before the bug." in _notes(book)


def test_a_bug_in_a_reading_command_says_the_file_was_not_changed(
    book: Path, logs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(Briefing, "nodes", _raise(TypeError("unhashable type: 'list'")))
    before = tree_bytes(book.parent)
    assert main(["tree", "--db", str(book)]) == 70
    err = capsys.readouterr().err
    assert_one_sentence(err)
    assert "; nothing in book.sqlite was changed;" in err and "rolled back" not in err
    assert not PROGRAMMER_TEXT.search(err), err
    assert "TypeError: unhashable type" in _crash_log(err).read_text(encoding="utf-8")
    assert tree_bytes(book.parent) == before


def test_a_bug_while_creating_a_file_leaves_no_file(
    tmp_path: Path, logs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(Briefing, "add_source", _raise(IndexError("list index out of range")))
    assert main(["init", str(tmp_path / "new.sqlite")]) == 70
    err = capsys.readouterr().err
    assert_one_sentence(err)
    assert "new.sqlite was not created" in err
    assert list(tmp_path.iterdir()) == []  # no half-seeded file, no temporary, no journal


def test_a_bug_in_a_child_process_exits_70_with_one_sentence(book: Path, logs: Path) -> None:
    """As a user runs it: `python -m briefbook`, the bug planted by a startup hook of this test."""
    import subprocess
    import sys

    from untrusted_helpers import ROOT

    plant = book.parent / "plant"
    plant.mkdir()
    (plant / "sitecustomize.py").write_text(
        "import db.briefing\n"
        "def _bug(self, *a, **k):\n"
        "    raise KeyError('plan_id')\n"
        "db.briefing.Briefing.plans = _bug\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plant), str(ROOT)])}
    done = subprocess.run([sys.executable, "-m", "briefbook", "tree", "--db", str(book)], capture_output=True,
                          text=True, timeout=60, env=env, cwd=ROOT)
    assert done.returncode == 70, done.stderr
    assert_one_sentence(done.stderr)
    assert "internal error" in done.stderr and not PROGRAMMER_TEXT.search(done.stderr)
    assert "KeyError: 'plan_id'" in _crash_log(done.stderr).read_text(encoding="utf-8")


def test_briefbook_debug_shows_the_traceback_instead(
    book: Path, logs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Briefing, "nodes", _raise(TypeError("for developers")))
    monkeypatch.setenv("BRIEFBOOK_DEBUG", "1")
    with pytest.raises(TypeError, match="for developers"):
        main(["tree", "--db", str(book)])
    assert not logs.exists()


# -- not a bug: the file, or the world around it ----------------------------------------------


def test_a_value_briefbook_never_writes_is_blamed_on_the_file_only_when_check_finds_it(
    book: Path, logs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # What a command trusting its own file trips on (the same exception both times): with a note of a
    # kind briefbook never writes, the file is at fault and `check` names it; without, it is a bug.
    monkeypatch.setattr(Briefing, "nodes", _raise(ValueError("'memo' is not a note kind")))
    assert main(["tree", "--db", str(book)]) == 70
    assert "internal error" in capsys.readouterr().err
    assert main(["check", str(book)]) == 0
    capsys.readouterr()

    execute(book, "UPDATE note SET kind = 'memo' WHERE kind = 'risk'")
    shutil.rmtree(logs, ignore_errors=True)
    assert main(["tree", "--db", str(book)]) == 1
    err = capsys.readouterr().err
    assert_one_sentence(err)
    assert "book.sqlite holds values briefbook never writes" in err and "'memo' in kind" in err
    assert f"'briefbook check {book}' names them" in err and "nothing in book.sqlite was changed" in err
    assert not PROGRAMMER_TEXT.search(err), err
    assert not logs.exists()  # not a bug: no crash log
    assert main(["check", str(book)]) == 1  # and check does name it
    assert "'memo' in kind" in capsys.readouterr().out


def _sqlite_error(code_sql: Callable[[sqlite3.Connection], object]) -> sqlite3.Error:
    """A real error from SQLite, with its result code."""
    conn = sqlite3.connect(":memory:")
    try:
        code_sql(conn)
    except sqlite3.Error as exc:
        return exc
    finally:
        conn.close()
    raise AssertionError("SQLite raised nothing")


def _full(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA max_page_count = 2")  # SQLite's own SQLITE_FULL, as on a full disk
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (randomblob(100000))")


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("SQLITE_FULL", "the disk is full: nothing was changed; free some space and try again."),
        ("ENOSPC", "the disk is full: nothing was changed; free some space and try again."),
        ("EACCES", "Permission denied (briefbook may not write there)"),
        ("SQLITE_BUSY", "the file is busy: another program is writing to it. Try again in a moment."),
        ("SQLITE_CORRUPT", "book.sqlite is damaged (SQLite cannot read part of it)"),
        ("MemoryError", "the computer ran out of memory"),
    ],
)
def test_the_world_around_the_file_keeps_its_one_sentence(
    case: str, words: str, book: Path, logs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    exc: BaseException
    if case == "SQLITE_FULL":
        exc = _sqlite_error(_full)
    elif case == "SQLITE_BUSY":
        held = tmp_path / "held.sqlite"
        first = sqlite3.connect(held, isolation_level=None)
        first.execute("CREATE TABLE t (x)")
        first.execute("BEGIN EXCLUSIVE")
        second = sqlite3.connect(held, timeout=0)
        try:
            second.execute("SELECT * FROM t")
        except sqlite3.OperationalError as caught:
            exc = caught
        finally:
            second.close()
            first.close()
    elif case == "SQLITE_CORRUPT":
        damaged = tmp_path / "damaged.sqlite"
        conn = sqlite3.connect(damaged)
        conn.execute("CREATE TABLE t (x)")
        conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
        conn.commit()
        conn.close()
        data = bytearray(damaged.read_bytes())
        data[4096 * 2: 4096 * 3] = b"\xff" * 4096  # a page of the table overwritten
        damaged.write_bytes(bytes(data))
        exc = _sqlite_error(lambda c: c.execute(f"ATTACH '{damaged}' AS d").connection.execute(
            "SELECT count(*), max(length(x)) FROM d.t").fetchall())
    elif case == "ENOSPC":
        exc = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(book))
    elif case == "EACCES":
        exc = PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(book.parent / "pack.pdf"))
    else:
        exc = MemoryError()
    if case.startswith("SQLITE_"):  # told by its code, not by its message
        assert isinstance(exc, sqlite3.Error) and exc.sqlite_errorcode & 0xFF == getattr(sqlite3, case), exc
    monkeypatch.setattr(Briefing, "nodes", _raise(exc))
    before = tree_bytes(book.parent)
    assert main(["tree", "--db", str(book)]) == 1
    err = capsys.readouterr().err
    assert_one_sentence(err)
    assert words in err, err
    assert "internal error" not in err and not PROGRAMMER_TEXT.search(err), err
    assert not logs.exists()
    assert tree_bytes(book.parent) == before


def test_an_sqlite_error_of_briefbooks_own_sql_is_a_bug(
    book: Path, logs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """SQLITE_ERROR ("no such column") and a parameter the driver cannot bind are briefbook's own
    mistakes, not the disk's: an internal error, whatever their message says."""
    for exc in (_sqlite_error(lambda c: c.execute("SELECT nothing FROM sqlite_master")),
                _sqlite_error(lambda c: c.execute("SELECT ?", ({"a": 1},)))):
        monkeypatch.setattr(Briefing, "nodes", _raise(exc))
        assert main(["tree", "--db", str(book)]) == 70
        err = capsys.readouterr().err
        assert_one_sentence(err)
        assert "internal error" in err and not PROGRAMMER_TEXT.search(err), err
        assert type(exc).__name__ in _crash_log(err).read_text(encoding="utf-8")
