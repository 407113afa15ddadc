"""The world around the file: another briefbook or SQLite program holding it, a lock from a clock
that is ahead, odd arguments, an older file on read-only media (issue 11 items 12, 14, 15; issue 14 item 3)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from share_helpers import make_small
from untrusted_helpers import ROOT, assert_one_sentence, run, tree_bytes

from briefbook.cli.main import main
from db.briefing.facade import Briefing

READS = {
    "tree": ["tree", "--json"],
    "search": ["search", "commitment", "--json"],
    "meeting list": ["meeting", "list", "--json"],
    "note list": ["note", "list", "1.1.1", "--json"],
    "source list": ["source", "list", "--json"],
    "status": ["status", "1.1.1", "--json"],
}


@pytest.fixture(scope="module")
def small_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_small(tmp_path_factory.mktemp("small") / "small.sqlite")


@pytest.fixture
def book(small_template: Path, tmp_path: Path) -> Path:
    shutil.copyfile(small_template, tmp_path / "book.sqlite")
    return tmp_path / "book.sqlite"


def test_reading_commands_work_on_the_default_file_while_the_window_holds_it(
    small_template: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    (data / "briefbook").mkdir(parents=True)
    default = data / "briefbook" / "briefbook.sqlite"
    shutil.copyfile(small_template, default)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(data)}
    with Briefing.open(default, user="window"):  # what the window does
        before = tree_bytes(tmp_path)
        for name, args in READS.items():
            done = subprocess.run([sys.executable, "-m", "briefbook", *args], capture_output=True, text=True,
                                  timeout=60, env=env)
            assert done.returncode == 0, (name, done.stderr)
            assert json.loads(done.stdout)
        out = tmp_path / "pack.pdf"
        done = subprocess.run([sys.executable, "-m", "briefbook", "export", "--plan", "-o", str(out)],
                              capture_output=True, text=True, timeout=60, env=env)
        assert done.returncode == 0, done.stderr
        assert out.read_bytes().startswith(b"%PDF")
        done = subprocess.run([sys.executable, "-m", "briefbook", "note", "add", "1.1.1", "--kind", "risk",
                               "--text", "x"], capture_output=True, text=True, timeout=60, env=env)
        assert done.returncode == 1
        assert_one_sentence(done.stderr)
        assert "is open in briefbook by window on this computer" in done.stderr
        assert "wait until they close it" in done.stderr and "read-only" not in done.stderr
        assert tree_bytes(tmp_path, skip=(out,)) == before


def _future_lock(path: Path, ahead: timedelta, host: str = "ana-laptop") -> Path:
    stamp = (datetime.now(UTC) + ahead).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    lock = path.with_name(path.name + ".lock")
    lock.write_text(json.dumps({"host": host, "user": "ana", "pid": 1, "since": stamp, "heartbeat": stamp,
                                "token": "ahead"}), encoding="utf-8")
    return lock


def test_a_lock_from_a_clock_that_is_ahead_is_suspect_and_can_be_broken(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = _future_lock(book, timedelta(hours=6))
    before = tree_bytes(book.parent)
    args = ["note", "add", "1.1.1", "--db", str(book), "--kind", "risk", "--text", "After the lock."]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert_one_sentence(err)
    assert "still to come (that computer's clock is ahead)" in err and "--break-lock" in err
    assert tree_bytes(book.parent) == before

    assert main([*args, "--break-lock"]) == 0
    with Briefing.open(book, read_only=True) as b:
        assert "After the lock." in [n.body for n in b.notes(b.node_by_ref("1.1.1").id)]
    assert not lock.exists()  # released again when the command ended


def test_a_lock_a_few_minutes_ahead_is_an_ordinary_holder(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _future_lock(book, timedelta(minutes=1))
    assert main(["note", "add", "1.1.1", "--db", str(book), "--kind", "risk", "--text", "x"]) == 1
    err = capsys.readouterr().err
    assert "ana on ana-laptop" in err and "--break-lock" not in err


def test_the_window_offers_to_take_over_a_suspect_lock(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefbook.gui import messages
    from briefbook.gui.files import opening

    _future_lock(book, timedelta(days=1))
    asked: list[str] = []

    def choose(_parent, _title, question, choices):  # type: ignore[no-untyped-def]
        asked.append(question)
        assert choices[0] == "&Take Over and Open"
        return 0

    monkeypatch.setattr(messages, "ask_choice", choose)
    briefing = opening.open_briefing(None, book, "me")
    assert briefing is not None and not briefing.read_only
    assert "still to come" in asked[0] and "take the lock over" in asked[0]
    briefing.close()


def test_a_file_another_sqlite_program_holds_is_one_sentence(book: Path, tmp_path: Path) -> None:
    before = tree_bytes(book.parent)
    commands = {
        "tree": ["tree", "--db", str(book)],
        "note add": ["note", "add", "1.1.1", "--db", str(book), "--kind", "risk", "--text", "x"],
        "check": ["check", str(book)],
        "copy": ["copy", str(book), str(tmp_path / "copy.sqlite")],
    }
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    other = sqlite3.connect(book)
    other.execute("BEGIN EXCLUSIVE")
    try:  # all at once: each waits out SQLite's busy timeout
        children = {name: subprocess.Popen([sys.executable, "-m", "briefbook", *args], stdout=subprocess.PIPE,
                                           stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
                    for name, args in commands.items()}
        results = {name: child.communicate(timeout=90) for name, child in children.items()}
    finally:
        other.rollback()
        other.close()
    for name, (out, err) in results.items():
        assert children[name].returncode == 1, (name, out, err)
        said = out if name == "check" and not err else err
        assert "Traceback" not in err, (name, err)
        assert "busy: another program is writing to it. Try again in a moment." in said, (name, out, err)
    assert tree_bytes(book.parent) == before


def test_arguments_that_are_not_utf8_and_huge_limits_are_one_sentence(book: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    before = tree_bytes(book.parent)
    done = subprocess.run(
        [sys.executable, "-m", "briefbook", "note", "add", "1.1.1", "--db", str(book), "--kind", "risk",
         "--text", b"caf\xe9".decode("utf-8", "surrogateescape")],
        capture_output=True, text=True, timeout=60, env=env,
    )
    assert done.returncode == 2
    assert_one_sentence(done.stderr)
    assert "is not valid UTF-8 text" in done.stderr
    assert tree_bytes(book.parent) == before
    done = run("search", "commitment", "--db", str(book), "--limit", "99999999999999999999", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["hits"]


def test_an_older_file_on_read_only_media_can_be_read(tmp_path: Path) -> None:
    media = tmp_path / "usb"
    media.mkdir()
    old = media / "old.sqlite"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "schema1.sqlite", old)
    old.chmod(0o444)
    media.chmod(0o555)
    try:
        before = tree_bytes(media)
        done = run("tree", "--db", str(old), "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["plans"][0]["nodes"]
        with Briefing.open(old, read_only=True) as b:
            assert b.plans() and b.path == old
            temporary = b._temporary_copy
            assert temporary is not None and temporary.exists()
        assert not temporary.exists()  # the migrated copy goes when the file is closed
        assert tree_bytes(media) == before
    finally:
        media.chmod(0o755)


@pytest.fixture
def full_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A small file system (tmpfs) that is full; skipped where mounting is not allowed."""
    mount = tmp_path / "stick"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("mounting a small file system needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def _fill(folder: Path, room: int) -> None:
    """Fill the file system, then free `room` bytes again."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 512):
            pass
    except OSError:
        pass  # full
    finally:
        os.close(fd)
    os.truncate(filler, max(0, filler.stat().st_size - room))


@pytest.mark.parametrize("room", [0, 8192, 65536])
def test_a_full_disk_is_one_sentence_and_leaves_nothing_behind(
    small_template: Path, full_disk: Path, room: int
) -> None:
    book = full_disk / "book.sqlite"
    shutil.copyfile(small_template, book)
    theirs = full_disk.parent / "theirs.sqlite"
    shutil.copyfile(small_template, theirs)
    with Briefing.open(theirs, user="colleague") as b:
        b.add_note(b.node_by_ref("1.1.1").id, "update", "Something new to merge. " * 50)
    _fill(full_disk, room)
    before = tree_bytes(full_disk)
    for args in (["note", "add", "1.1.1", "--db", str(book), "--kind", "risk", "--text", "x" * 100_000],
                 ["merge", str(theirs), "--db", str(book)],
                 ["copy", str(theirs), str(full_disk / "copy.sqlite")],
                 ["init", str(full_disk / "new.sqlite")]):
        done = run(*args, timeout=60)
        assert done.returncode == 1, (args, done)
        assert_one_sentence(done.stderr)
        assert "full" in done.stderr, done.stderr
        assert tree_bytes(full_disk) == before, args  # no *.bak.part, no .copying, no journal


def _on_a_terminal(*args: str) -> str:
    """What `briefbook ARGS` shows on a terminal (a pseudo-terminal as its stdout and stderr)."""
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-m", "briefbook", *args], stdout=follower, stderr=follower,
                             stdin=subprocess.DEVNULL, env=env, cwd=ROOT)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        out += chunk
    child.wait(timeout=60)
    os.close(leader)
    return out.decode("utf-8", "replace")


def test_escape_sequences_from_the_file_never_reach_the_terminal(book: Path) -> None:
    hostile = "Ordinary text\x1b]0;PWNED\x07\x1b[2J\x9b31m\u202eevil"
    conn = sqlite3.connect(book)
    conn.execute("UPDATE note SET body = ?, author = ? WHERE kind = 'risk'", (hostile, "ana\x1b[5m"))
    conn.commit()
    conn.close()
    shown = _on_a_terminal("note", "list", "1.1.1", "--db", str(book))
    assert "Ordinary text" in shown and "evil" in shown
    assert "\x1b" not in shown and "\x9b" not in shown and "\u202e" not in shown and "\x07" not in shown
    # A script reading a pipe gets the file's text as it is.
    piped = run("note", "list", "1.1.1", "--db", str(book), "--json")
    assert any(n["text"] == hostile for n in json.loads(piped.stdout)["notes"])
