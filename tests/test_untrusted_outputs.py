"""Where briefbook writes: exports never replace a briefing file or a device, copies ask before replacing
what is not a briefing copy and never land damaged, backups are pruned (issue 10 items 8-10)."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from share_helpers import content, make_small
from untrusted_helpers import assert_one_sentence, run, tree_bytes

from briefbook.cli.main import main
from db.briefing.facade import Briefing
from db.disk import file as dbfile
from db.sharing.merge import merge_into


@pytest.fixture(scope="module")
def small_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_small(tmp_path_factory.mktemp("small") / "small.sqlite")


@pytest.fixture
def book(small_template: Path, tmp_path: Path) -> Path:
    shutil.copyfile(small_template, tmp_path / "book.sqlite")
    return tmp_path / "book.sqlite"


def _other_database(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE accounts (name TEXT)")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("target", ["itself", "colleague", "other program's", "itself, named .pdf"])
def test_an_export_never_replaces_a_briefing_file_or_a_database(
    target: str, book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = {
        "itself": book,
        "colleague": tmp_path / "colleague.sqlite",
        "other program's": _other_database(tmp_path / "accounts.db"),
        "itself, named .pdf": tmp_path / "book.pdf",
    }[target]
    if target == "colleague":
        shutil.copyfile(book, out)
    if target == "itself, named .pdf":
        book.rename(out)
        book = out
    before = tree_bytes(tmp_path)
    assert main(["export", "--db", str(book), "--plan", "--format", "pdf", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert_one_sentence(err)
    assert "is a briefing file or another database: an export never replaces one" in err
    assert tree_bytes(tmp_path) == before


def test_an_export_onto_a_fifo_is_refused_at_once(book: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "out.pdf"
    os.mkfifo(fifo)
    before = tree_bytes(tmp_path)
    done = run("export", "--db", str(book), "--plan", "-o", str(fifo), timeout=30)
    assert done.returncode == 1
    assert_one_sentence(done.stderr)
    assert "is a pipe (FIFO), not a file an export can replace" in done.stderr
    assert tree_bytes(tmp_path) == before


def test_an_export_while_the_window_holds_the_file_is_refused_onto_it(book: Path, tmp_path: Path) -> None:
    with Briefing.open(book, user="window"):  # the window holds the lock
        before = tree_bytes(tmp_path)
        done = run("export", "--db", str(book), "--plan", "--format", "pdf", "-o", str(book))
        assert done.returncode == 1 and "an export never replaces one" in done.stderr
        assert tree_bytes(tmp_path) == before


def test_copy_asks_before_replacing_a_file_that_is_not_a_briefing_copy(
    book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = tmp_path / "minutes.docx"
    document.write_bytes(b"PK\x03\x04 the minutes of the meeting")
    accounts = _other_database(tmp_path / "accounts.db")
    before = tree_bytes(tmp_path)
    for target in (document, accounts):
        assert main(["copy", str(book), str(target)]) == 1
        err = capsys.readouterr().err
        assert_one_sentence(err)
        assert "exists and is not a briefing file; choose another name, or give --force to replace it" in err
    assert tree_bytes(tmp_path) == before
    assert main(["copy", str(book), str(document), "--force"]) == 0
    assert content(document) == content(book)
    # An earlier briefing copy is replaced without asking.
    assert main(["copy", str(book), str(document)]) == 0


def test_copy_honours_read_only_files_and_refuses_devices(book: Path, tmp_path: Path) -> None:
    earlier = tmp_path / "earlier.sqlite"
    shutil.copyfile(book, earlier)
    earlier.chmod(0o444)
    fifo = tmp_path / "pipe.sqlite"
    os.mkfifo(fifo)
    before = tree_bytes(tmp_path)
    if os.geteuid() != 0:  # root may write any file
        done = run("copy", str(book), str(earlier))
        assert done.returncode == 1 and "earlier.sqlite is read-only" in done.stderr
    for target in (fifo, Path("/dev/null")):
        done = run("copy", str(book), str(target), "--force", timeout=20)
        assert done.returncode == 1, done
        assert_one_sentence(done.stderr)
        assert "not a file a copy can replace" in done.stderr
    assert tree_bytes(tmp_path) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_a_copy_into_a_read_only_folder_names_the_folder(book: Path, tmp_path: Path) -> None:
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    done = run("copy", str(book), str(folder / "c.sqlite"))
    folder.chmod(0o755)
    assert done.returncode == 1 and f"You cannot write to the folder {folder}" in done.stderr


def test_a_copy_that_comes_out_damaged_never_lands(book: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.sqlite"
    data = bytearray(book.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for i in range(page * 3, page * 3 + 400):  # scribble over a b-tree page the header checks cannot see
        data[i] = 0x5A
    damaged.write_bytes(bytes(data))
    out = tmp_path / "out.sqlite"
    shutil.copyfile(book, out)  # an earlier good copy
    before = tree_bytes(tmp_path)
    done = run("copy", str(damaged), str(out))
    assert done.returncode == 1, done
    assert_one_sentence(done.stderr)
    assert "damaged" in done.stderr
    assert tree_bytes(tmp_path) == before  # the earlier copy survives; no temporary left


def test_a_killed_copys_leftovers_are_cleaned_by_the_next_copy(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.sqlite"
    (tmp_path / ".out.sqlite.copying").write_bytes(b"half a copy")
    (tmp_path / ".out.sqlite.copying-journal").write_bytes(b"its journal")
    assert run("copy", str(book), str(out)).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.sqlite", "out.sqlite"]


def test_syncs_never_push_out_the_backup_made_before_a_merge(book: Path) -> None:
    merge_backup = dbfile.backup_copy(book, "merge")
    syncs = [dbfile.backup_copy(book, "sync") for _ in range(dbfile.KEEP_BACKUPS + 2)]
    assert sorted(dbfile.backups_of(book)) == sorted([merge_backup, *syncs[-dbfile.KEEP_BACKUPS :]])
    assert merge_backup.exists() and not syncs[0].exists()


def test_only_the_last_backups_are_kept_and_failed_ones_are_cleaned(book: Path, tmp_path: Path) -> None:
    leftover = tmp_path / ".book.merge-20240101-000000.sqlite.bak.part"
    leftover.write_bytes(b"a backup that failed half way")
    (tmp_path / "book.merge-20240101-000000.sqlite.bak.note.txt").write_text("not a backup: kept")
    made = []
    for n in range(dbfile.KEEP_BACKUPS + 2):
        theirs = tmp_path / f"theirs{n}.sqlite"
        shutil.copyfile(book, theirs)
        with Briefing.open(theirs, user=f"colleague{n}") as b:
            b.add_note(b.node_by_ref("1.1.1").id, "update", f"Update {n}.")
        with Briefing.open(book, user="me") as ours:
            report = merge_into(ours, theirs)
        assert report.backup is not None
        made.append(Path(report.backup))
        theirs.unlink()
    kept = dbfile.backups_of(book)
    assert kept == made[-dbfile.KEEP_BACKUPS :] and all(p.exists() for p in kept)
    assert not leftover.exists()
    assert (tmp_path / "book.merge-20240101-000000.sqlite.bak.note.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p not in kept) == [
        "book.merge-20240101-000000.sqlite.bak.note.txt", "book.sqlite"]
