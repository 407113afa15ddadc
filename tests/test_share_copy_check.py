"""A consistent copy while the file is open; Check file and its safe repair."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from share_helpers import content, make_small, sha

from briefbook.cli.main import main
from db.briefing.checking import check_file, repair
from db.briefing.facade import Briefing
from db.disk import file as dbfile
from db.disk.copying import consistent_copy
from db.model.errors import BriefbookError, InvalidInput, NotABriefingFile


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return make_small(tmp_path / "file.sqlite")


def test_copy_while_open_and_mid_transaction_holds_the_committed_state(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "copy.sqlite"
    out.parent.mkdir()
    with Briefing.open(small, user="alice") as b:
        b.add_note(b.node_by_ref("1.2.1").id, "update", "committed before the copy")
        # Another program is half way through a transaction of its own.
        other = sqlite3.connect(small, timeout=5)
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE note SET body = 'uncommitted'")
        consistent_copy(small, out)
        other.rollback()
        other.close()
        expected = content(small)
    assert content(out) == expected
    assert sorted(p.name for p in out.parent.iterdir()) == ["copy.sqlite"]  # one self-contained file
    with Briefing.open(out, read_only=True) as copy:
        assert "committed before the copy" in [n.body for n in copy.notes(copy.node_by_ref("1.2.1").id)]
    conn = sqlite3.connect(out)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_copy_refuses_itself_a_folder_and_a_foreign_file(small: Path, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="onto itself"):
        consistent_copy(small, small)
    with pytest.raises(InvalidInput, match="folder"):
        consistent_copy(small, tmp_path)
    foreign = tmp_path / "notes.txt"
    foreign.write_text("hello")
    with pytest.raises(NotABriefingFile):
        consistent_copy(foreign, tmp_path / "x.sqlite")
    assert not (tmp_path / "x.sqlite").exists()


def test_a_failed_copy_keeps_the_previous_file_at_the_target(small: Path, tmp_path: Path) -> None:
    target = tmp_path / "previous.sqlite"
    target.write_bytes(b"the previous copy")
    (tmp_path / "missing.sqlite").unlink(missing_ok=True)
    with pytest.raises(BriefbookError):
        consistent_copy(tmp_path / "missing.sqlite", target)
    assert target.read_bytes() == b"the previous copy"


def test_cli_copy(small: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Briefing.open(small):  # the window has it open
        assert main(["copy", str(small), str(tmp_path / "c.sqlite")]) == 0
    assert "Copied" in capsys.readouterr().out
    assert content(tmp_path / "c.sqlite") == content(small)


def test_a_sound_file_checks_good(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = check_file(small)
    assert report.verdict == "good" and all(i.ok for i in report.items)
    assert report.counts["node"]["live"] == 18 and report.counts["note"]["live"] == 2
    assert main(["check", str(small), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "good" and out["counts"]["attachment"]["live"] == 1


def test_orphan_attachment_bytes_and_a_stale_index_are_found_and_repaired(
    small: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(small)
    conn.execute("INSERT INTO blob (sha256, size, data) VALUES ('ab' || hex(randomblob(31)), 3, x'010203')")
    conn.execute("DELETE FROM search_index WHERE kind = 'note'")
    conn.commit()
    conn.close()
    report = check_file(small)
    assert report.verdict == "repairable"
    failed = {i.name for i in report.items if not i.ok}
    assert failed == {"attachment files", "search index"}
    assert main(["check", str(small)]) == 1
    assert "A repair" in capsys.readouterr().out

    assert main(["check", str(small), "--repair"]) == 0
    out = capsys.readouterr().out
    assert "Repaired: removed 1 unused attachment file and rebuilt the search index" in out
    assert check_file(small).verdict == "good"
    assert list(small.parent.glob("*.repair-*.bak"))
    with Briefing.open(small, read_only=True) as b:
        assert b.search("Background written")


def test_broken_references_are_reported_and_not_repaired(small: Path) -> None:
    conn = sqlite3.connect(small)
    conn.execute("UPDATE note SET node_id = '00000000-0000-4000-8000-000000000000' WHERE kind = 'risk'")
    conn.commit()
    conn.close()
    report = check_file(small)
    assert report.verdict == "damaged"
    assert any(i.name == "references" and not i.ok and "note" in i.detail for i in report.items)
    with Briefing.open(small) as b, pytest.raises(Exception, match="cannot be repaired safely"):
        repair(b)


def test_check_of_a_damaged_or_foreign_file_gives_a_verdict_and_changes_nothing(
    small: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged = tmp_path / "damaged.sqlite"
    data = bytearray(small.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for i in range(page * 3, page * 3 + 400):  # scribble over a b-tree page
        data[i] = 0x5A
    damaged.write_bytes(bytes(data))
    digest = sha(damaged)
    report = check_file(damaged)
    assert report.verdict == "damaged" and "backup" in report.sentence
    assert sha(damaged) == digest
    assert main(["check", str(tmp_path / "nope.txt")]) == 1
    assert "There is no file" in capsys.readouterr().out


def test_check_reads_an_older_file_without_migrating_it(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite"
    old.write_bytes((Path(__file__).parent / "fixtures" / "schema1.sqlite").read_bytes())
    digest = sha(old)
    report = check_file(old)
    assert report.verdict == "good" and "schema version 1" in report.items[1].detail
    assert sha(old) == digest and dbfile.SCHEMA_VERSION > 1
