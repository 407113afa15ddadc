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

import db.search.query
from briefbook.cli.main import main
from briefbook.services import failures
from db.briefing.facade import Briefing

#: Text that is for a programmer, never for the person at the keyboard.
PROGRAMMER_TEXT = re.compile(
    r"Traceback|\b[A-Z]\w*(?:Error|Exception|Warning)\b|Error binding|binding parameter|NoneType|has no attribute"
    r"|invalid literal|Expecting (?:value|property)|line \d+ column \d+|\(char \d+\)|sqlite3\.|\[Errno"
    r"|constraint failed|no such (?:table|column)|syntax error|codec can't|unsupported type|<class |object at 0x"
    r"|SQLITE_[A-Z]+|errno|invalid (?:int|float) value"
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
    monkeypatch.setattr(db.search.query, "index_rows", _raise(KeyError("note")))
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
        "import db.briefing.facade\n"
        "def _bug(self, *a, **k):\n"
        "    raise KeyError('plan_id')\n"
        "db.briefing.facade.Briefing.plans = _bug\n",
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


# -- the sweep: no programmer's text in any refusal ---------------------------------------------


def _bad_inputs(folder: Path, small_template: Path) -> dict[str, list[str]]:
    """Every kind of bad input the command line meets, each with its command."""
    book = folder / "book.sqlite"
    shutil.copyfile(small_template, book)
    f = {name: folder / name for name in (
        "missing.sqlite", "text.sqlite", "empty.sqlite", "json.sqlite", "foreign.sqlite", "truncated.sqlite",
        "torn.sqlite", "hostile.sqlite", "conflict.sqlite", "plan.bin", "plan.json", "plan.docx", "plan.pdf",
        "plan.html", "empty.txt", "nul.txt")}
    f["text.sqlite"].write_text("Meeting notes, not a database.\n", encoding="utf-8")
    f["empty.sqlite"].write_bytes(b"")
    f["json.sqlite"].write_text('{"plan": [1, 2,', encoding="utf-8")
    foreign = sqlite3.connect(f["foreign.sqlite"])
    foreign.execute("CREATE TABLE songs (title TEXT)")
    foreign.commit()
    foreign.close()
    data = small_template.read_bytes()
    f["truncated.sqlite"].write_bytes(data[: len(data) // 3])
    torn = bytearray(data)
    torn[4096 * 3: 4096 * 6] = os.urandom(4096 * 3)  # pages another program tore
    f["torn.sqlite"].write_bytes(bytes(torn))
    for name, sql in (("hostile.sqlite", "UPDATE note SET body = x'00ff10' WHERE kind = 'risk'"),):
        shutil.copyfile(small_template, f[name])
        execute(f[name], sql)
    # A set-aside value that is not the JSON briefbook writes (another program changed it).
    theirs = folder / "theirs.sqlite"
    shutil.copyfile(small_template, f["conflict.sqlite"])
    shutil.copyfile(small_template, theirs)
    for path, excerpt, user in ((f["conflict.sqlite"], "Ours.", "me"), (theirs, "Theirs.", "colleague")):
        with Briefing.open(path, user=user) as b:
            b.edit_source(b.sources()[0].id, excerpt=excerpt)
    from db.sharing.merge import merge_into

    with Briefing.open(f["conflict.sqlite"], user="me") as b:
        merge_into(b, theirs)
        conflict_id = b.set_aside()[0].id
    for leftover in folder.glob("conflict.sqlite*.bak"):
        leftover.unlink()
    execute(f["conflict.sqlite"], "UPDATE merge_conflict SET value = '{not json'")
    f["plan.bin"].write_bytes(os.urandom(2048))
    f["plan.json"].write_text('{"areas": [}', encoding="utf-8")
    f["plan.docx"].write_bytes(b"PK\x03\x04 not really a zip")
    f["plan.pdf"].write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nendobj\n%%EOF")
    f["plan.html"].write_bytes(b"<html><body><table><tr><td>" * 2000)
    f["empty.txt"].write_bytes(b"")
    f["nul.txt"].write_bytes(b"1. Area\x00\x00\x00\n1.1 Item\n")
    out = folder / "out"
    out.mkdir()
    db = ["--db", str(book)]
    return {
        "unknown command": ["frobnicate"],
        "missing option": ["note", "add", "1.1.1", *db],
        "limit not a number": ["search", "x", "--limit", "many", *db],
        "date out of range": ["meeting", "create", "--title", "T", "--date", "2024-13-45", *db],
        "date words": ["source", "add", "1.1.1", "--title", "T", "--published", "last spring", *db],
        "unknown reference": ["note", "add", "9.9.9", "--kind", "risk", "--text", "x", *db],
        "unknown kind": ["note", "add", "1.1.1", "--kind", "memo", "--text", "x", *db],
        "unknown note": ["note", "edit", "no-such-note", "--text", "x", *db],
        "comment missing": ["status", "1.1.1", "--set", "with_challenges", *db],
        "unknown meeting": ["meeting", "add", "No such meeting", "1.1.1", *db],
        "unknown conflict": ["conflicts", "restore", "no-such-id", *db],
        "attachment missing": ["source", "add", "1.1.1", "--title", "T", "--attach", str(folder / "gone.pdf"), *db],
        "attachment a folder": ["source", "add", "1.1.1", "--title", "T", "--attach", str(out), *db],
        "file missing": ["tree", "--db", str(f["missing.sqlite"])],
        "file a folder": ["tree", "--db", str(out)],
        "file of text": ["tree", "--db", str(f["text.sqlite"])],
        "file empty": ["note", "list", "1.1.1", "--db", str(f["empty.sqlite"])],
        "file of JSON": ["tree", "--db", str(f["json.sqlite"])],
        "another program's SQLite": ["tree", "--db", str(f["foreign.sqlite"])],
        "file cut short": ["tree", "--db", str(f["truncated.sqlite"])],
        "pages torn": ["export", "--plan", "-o", str(out / "torn.pdf"), "--db", str(f["torn.sqlite"])],
        "text not UTF-8": ["note", "list", "1.1.1", "--db", str(f["hostile.sqlite"])],
        "set-aside value not JSON": ["conflicts", "restore", conflict_id, "--db", str(f["conflict.sqlite"])],
        "plan of random bytes": ["import-plan", str(f["plan.bin"]), *db],
        "plan of broken JSON": ["import-plan", str(f["plan.json"]), *db],
        "Word file that is not one": ["import-plan", str(f["plan.docx"]), *db],
        "PDF without pages": ["import-plan", str(f["plan.pdf"]), *db],
        "web page nested deep": ["import-plan", str(f["plan.html"]), *db],
        "empty plan": ["import-plan", str(f["empty.txt"]), *db],
        "plan with NUL bytes": ["import-plan", str(f["nul.txt"]), *db],
        "export into a missing folder": ["export", "--plan", "-o", str(folder / "nowhere" / "x.pdf"), *db],
        "export onto a folder": ["export", "--plan", "-o", str(out), "--format", "pdf", *db],
        "export unknown kinds": ["export", "--plan", "--kinds", "memo", "-o", str(out / "k.pdf"), *db],
        "export since words": ["export", "--plan", "--since", "yesterday", "-o", str(out / "s.pdf"), *db],
        "export unknown meeting": ["export", "--meeting", "No such", "-o", str(out / "m.pdf"), *db],
        "merge a text file": ["merge", str(f["text.sqlite"]), *db],
        "merge a file cut short": ["merge", str(f["truncated.sqlite"]), *db],
        "merge text not UTF-8": ["merge", str(f["hostile.sqlite"]), *db],
        "copy onto a folder": ["copy", str(book), str(out)],
        "copy a JSON file": ["copy", str(f["json.sqlite"]), str(out / "c.sqlite")],
        "init over a file": ["init", str(book)],
        "init in a missing folder": ["init", str(folder / "nowhere" / "new.sqlite")],
        "sync with no address": ["sync", "not an address", *db],
    }


def test_no_refusal_of_bad_input_shows_a_programmers_text(
    small_template: Path, tmp_path: Path, logs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    cases = _bad_inputs(folder, small_template)
    said: dict[str, tuple[int, str]] = {}
    for name, argv in cases.items():
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse's refusals
            status = int(exc.code or 0)
        said[name] = (status, capsys.readouterr().err)
    leaks = {name: err for name, (_, err) in said.items() if PROGRAMMER_TEXT.search(err)}
    assert not leaks, leaks
    wrong = {name: (status, err) for name, (status, err) in said.items() if status not in (1, 2)}
    assert not wrong, wrong  # refused (never 0), and never a bug (70)
    for name, (_, err) in said.items():
        assert "Traceback" not in err, name
        assert len([line for line in err.splitlines() if line.startswith("briefbook:")]) == 1, (name, err)
    assert not logs.exists()  # no crash log: bad input is not a bug


# -- init on a full disk -------------------------------------------------------------------------


@pytest.mark.parametrize("pages", [3, 40, 70])
def test_init_when_sqlite_finds_the_disk_full_is_one_sentence(
    pages: int, tmp_path: Path, logs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """SQLite's own SQLITE_FULL (no root needed for a small file system: every new connection may grow
    its file to `pages` pages only), at each stage of `init`: the schema (through SQLAlchemy and
    Alembic), the seeding (through the facade). tests/test_untrusted_environment.py does the same on a
    real full tmpfs where mounting is allowed."""
    real_connect = sqlite3.connect

    def small_disk(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(sqlite3, "connect", small_disk)
    target = tmp_path / "new.sqlite"
    assert main(["init", str(target)]) == 1
    err = capsys.readouterr().err
    assert_one_sentence(err)
    assert "full" in err and "internal error" not in err and not PROGRAMMER_TEXT.search(err), err
    assert ".seeding" not in err  # the temporary file's name is not the user's business
    assert list(tmp_path.iterdir()) == [] and not logs.exists()


def test_init_when_the_operating_system_finds_the_disk_full_is_one_sentence(
    tmp_path: Path, logs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """ENOSPC from the last write of `init`, the flush before the rename (simulated: a real
    OSError(errno.ENOSPC) from os.fsync, which is where a delayed-allocation file system reports it)."""
    import db.disk.atomic

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(db.disk.atomic.os, "fsync", no_space)
    assert main(["init", str(tmp_path / "new.sqlite")]) == 1
    err = capsys.readouterr().err
    assert_one_sentence(err)
    assert err == f"briefbook: The disk holding {tmp_path} is full: new.sqlite was not created; free some space first.\n"
    assert list(tmp_path.iterdir()) == [] and not logs.exists()
