"""Files that are not what they claim: FIFOs, devices, endless files, plan texts in other encodings
(issue 11 items 5, 6, 15). Each command ends in one sentence, in time, touching nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from share_helpers import make_small
from untrusted_helpers import assert_one_sentence, run, tree_bytes


@pytest.fixture(scope="module")
def small_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_small(tmp_path_factory.mktemp("small") / "small.sqlite")


@pytest.fixture
def folder(small_template: Path, tmp_path: Path) -> Path:
    shutil.copyfile(small_template, tmp_path / "book.sqlite")
    os.mkfifo(tmp_path / "pipe.sqlite")
    (tmp_path / "plan.txt").write_text("Small Plan\n1 Area\n(1) Item\n- A commitment.\n", encoding="utf-8")
    return tmp_path


def _commands(folder: Path) -> dict[str, list[str]]:
    pipe, book = str(folder / "pipe.sqlite"), str(folder / "book.sqlite")
    return {
        "check": ["check", pipe],
        "tree": ["tree", "--db", pipe],
        "note add": ["note", "add", "1.1.1", "--db", pipe, "--kind", "risk", "--text", "x"],
        "merge a FIFO in": ["merge", pipe, "--db", book],
        "merge into a FIFO": ["merge", book, "--db", pipe],
        "copy a FIFO": ["copy", pipe, str(folder / "out.sqlite")],
        "import-plan into a FIFO": ["import-plan", str(folder / "plan.txt"), "--db", pipe],
        "import-plan from a FIFO": ["import-plan", pipe, "--db", book],
    }


@pytest.mark.parametrize(
    "command", ["check", "tree", "note add", "merge a FIFO in", "merge into a FIFO", "copy a FIFO",
                "import-plan into a FIFO", "import-plan from a FIFO"]
)
def test_a_fifo_given_as_the_file_is_refused_at_once(command: str, folder: Path) -> None:
    before = tree_bytes(folder)
    done = run(*_commands(folder)[command], timeout=20)
    assert done.returncode == 1, done
    assert "Traceback" not in done.stderr
    if command == "check":  # the check's report says it
        assert "Verdict: briefbook cannot use this file" in done.stdout
        said = done.stdout
    else:
        assert_one_sentence(done.stderr)
        said = done.stderr
    assert "pipe (FIFO)" in said and "pipe.sqlite" in said
    assert tree_bytes(folder) == before


@pytest.mark.parametrize("args", [["tree"], ["note", "add", "1.1.1", "--kind", "risk", "--text", "x"], ["check"]])
def test_a_fifo_as_the_lock_file_neither_blocks_nor_is_removed(args: list[str], folder: Path) -> None:
    book = folder / "book.sqlite"
    os.mkfifo(folder / "book.sqlite.lock")
    before = tree_bytes(folder)
    full = [*args, str(book)] if args == ["check"] else [*args, "--db", str(book)]
    done = run(*full, timeout=20)
    assert "Traceback" not in done.stderr
    if args[0] == "note":  # a writer needs the lock: refused, with what to do
        assert done.returncode == 1
        assert_one_sentence(done.stderr)
        assert "book.sqlite.lock is a pipe (FIFO), not a lock briefbook wrote; remove it" in done.stderr
    else:  # readers never need it
        assert done.returncode == 0, done.stderr
    assert tree_bytes(folder) == before


@pytest.mark.parametrize("device", ["/dev/urandom", "/dev/zero", "FIFO", "FOLDER"])
def test_attaching_what_is_not_a_regular_file_is_refused(device: str, folder: Path) -> None:
    if device == "FIFO":
        device = str(folder / "pipe.sqlite")
    elif device == "FOLDER":
        device = str(folder)
    before = tree_bytes(folder)
    done = run("source", "add", "1.1.1", "--db", str(folder / "book.sqlite"), "--title", "T", "--attach", device,
               timeout=20)
    assert done.returncode == 1
    assert_one_sentence(done.stderr)
    assert "cannot be attached" in done.stderr and ("not a regular file" in done.stderr or "folder" in done.stderr)
    assert tree_bytes(folder) == before


def test_an_attachment_over_the_limit_is_refused_whatever_stat_says(folder: Path) -> None:
    from db.disk.reading import MAX_ATTACHMENT_BYTES

    big = folder / "big.bin"
    with big.open("wb") as fh:  # sparse: no disk space used
        fh.truncate(MAX_ATTACHMENT_BYTES + 1)
    before = tree_bytes(folder, skip=(big,))
    done = run("source", "add", "1.1.1", "--db", str(folder / "book.sqlite"), "--title", "T", "--attach", str(big))
    assert done.returncode == 1
    assert_one_sentence(done.stderr)
    assert "big.bin cannot be attached: it is larger than 100 MB, the limit for attachments" in done.stderr
    assert tree_bytes(folder, skip=(big,)) == before


PLAN = "Small Encoded Plan\n1 Città e cultura\n(1) Scambi\n- Promuovere la cooperazione tra università.\n"


@pytest.mark.parametrize("encoding", ["utf-16-be", "utf-16-le", "utf-16", "utf-8-sig"])
def test_a_plan_text_in_utf16_without_a_bom_is_read_as_written(encoding: str, folder: Path) -> None:
    text = folder / "plan16.txt"
    text.write_bytes(PLAN.encode(encoding))
    done = run("import-plan", str(text), "--db", str(folder / "book.sqlite"))
    assert done.returncode == 0, done.stderr
    tree = run("tree", "--db", str(folder / "book.sqlite"))
    assert "1 Città e cultura" in tree.stdout


def test_a_plan_text_in_latin1_is_read_as_written(folder: Path) -> None:
    text = folder / "latin1.txt"
    text.write_bytes(PLAN.encode("latin-1"))
    done = run("import-plan", str(text), "--db", str(folder / "book.sqlite"))
    assert done.returncode == 0, done.stderr
    assert "1 Città e cultura" in run("tree", "--db", str(folder / "book.sqlite")).stdout
