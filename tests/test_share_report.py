"""What a merge report says: where each added or changed thing is and who did it, not
only counts; a merge that brings only deletions says what it deleted (issue 20, items 7
and 12). Through the command line, as a person reads it and as a script reads it."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from briefbook.cli.main import main
from db.briefing.facade import Briefing


def merge(capsys: pytest.CaptureFixture[str], ours: Path, theirs: Path, *extra: str) -> str:
    capsys.readouterr()
    assert main(["merge", str(theirs), "--db", str(ours), *extra]) == 0
    return capsys.readouterr().out


@pytest.fixture
def copies(seeded_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    theirs = tmp_path / "marco.sqlite"
    shutil.copyfile(seeded_path, theirs)
    return seeded_path, theirs


def test_the_report_names_where_each_thing_is_and_who_changed_it(
    copies: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ours, theirs = copies
    with Briefing.open(theirs, user="Marco Rossi") as f:
        f.add_note(f.node_by_ref("3.2.1").id, "risk", "Supply of rare earths may tighten.")
        meeting = f.meetings()[0]
        f.edit_meeting(meeting.id, place="Tokyo")
        f.set_lead_office(f.node_by_ref("2.1.1").id, "Europe Division")
        source = f.add_source("Leaders meet in Rome", outlet="ANSA")
        f.link_source(source.id, f.node_by_ref("1.1").id, "")
        for i in range(7):
            f.add_note(f.node_by_ref("1.1.1").id, "update", f"Update number {i}.")
    out = merge(capsys, ours, theirs)
    lines = out.splitlines()
    notes_at = lines.index("Notes: 8 added.")
    assert lines[notes_at + 1] == (
        "  Added by Marco Rossi: the risk note on 3.2.1 (“Supply of rare earths may tighten.”); the update note "
        "on 1.1.1 (“Update number 0.”); the update note on 1.1.1 (“Update number 1.”); the update note on 1.1.1 "
        "(“Update number 2.”); the update note on 1.1.1 (“Update number 3.”).")
    assert lines[notes_at + 2] == "  … and 3 more."
    assert f"  Changed by Marco Rossi: the meeting “{meeting.title}” (place)." in lines
    assert any(line.startswith("  Changed by Marco Rossi: 2.1.1 “") and line.endswith("(lead office).")
               for line in lines)
    assert "  Added by Marco Rossi: the source “Leaders meet in Rome”." in lines
    assert "  Added by Marco Rossi: the citation of “Leaders meet in Rome” on 1.1." in lines
    assert "Added or changed, by whom: Marco Rossi, 12." in lines, "\n".join(lines)
    # What the file then holds: each of them.
    with Briefing.open(ours) as f:
        assert f.meeting(meeting.id).place == "Tokyo"
        assert len([n for n in f.notes(f.node_by_ref("1.1.1").id) if n.kind == "update"]) == 7
    # A script reads the same, with ids and references (the file put back as it was before the merge).
    shutil.copyfile(next(ours.parent.glob("*.merge-*.bak")), ours)
    report = json.loads(merge(capsys, ours, theirs, "--json"))
    first = report["changes"][0]
    assert first["change"] == "updated" and first["by"] == "Marco Rossi" and first["ref"] == "2.1.1"
    assert {(c["table"], c["ref"]) for c in report["changes"] if c["table"] == "note"} >= {("note", "3.2.1")}
    assert report["changes_by"] == {"Marco Rossi": 12}


def test_a_merge_that_brings_only_a_deleted_note_says_so(
    copies: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ours, theirs = copies
    with Briefing.open(theirs, user="Marco Rossi") as f:
        note = f.add_note(f.node_by_ref("3.2.1").id, "risk", "A risk Marco thought better of.")
        f.delete_note(note.id)
    out = merge(capsys, ours, theirs)
    assert "Nothing new" not in out
    assert ("Came in deleted (marco.sqlite added and then deleted them): the risk note on 3.2.1 "
            "(“A risk Marco thought better of.”).") in out
    assert "The file as it was before the merge is saved as briefing.merge-" in out
    conn = sqlite3.connect(ours)
    try:
        assert conn.execute("SELECT deleted_at IS NOT NULL FROM note WHERE id = ?", (note.id,)).fetchone() == (1,)
    finally:
        conn.close()
    # Merged again, the copy holds nothing new, and the report says so.
    assert merge(capsys, ours, theirs) == "Nothing new in marco.sqlite: this file already has everything in it.\n"
