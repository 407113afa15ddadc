"""After a merge: restoring a set-aside version is a swap, dismissing says what goes,
and every text keeps its writer's name (issue 20, items 1, 2 and 10).

Each case runs as a person would, through the command line (`briefbook ...`),
and checks what the file then holds and what the person reads.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefbook.cli.main import main
from briefbook.services import preferences


@pytest.fixture
def aiko() -> Iterator[str]:
    """The preferences name the person at this computer: Aiko Tanaka (restored afterwards)."""
    before = preferences.load().author
    preferences.update(author="Aiko Tanaka")
    yield "Aiko Tanaka"
    preferences.update(author=before)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 1 and captured.out == "", (code, captured)
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    return captured.err


def conflicts(capsys: pytest.CaptureFixture[str], db: Path) -> list[dict[str, Any]]:
    return json.loads(run(capsys, "conflicts", "--db", str(db), "--json"))["conflicts"]


def notes(capsys: pytest.CaptureFixture[str], db: Path, ref: str = "3.2.1") -> list[dict[str, Any]]:
    return json.loads(run(capsys, "note", "list", ref, "--db", str(db), "--json"))["notes"]


def found(capsys: pytest.CaptureFixture[str], db: Path, words: str) -> int:
    return len(json.loads(run(capsys, "search", words, "--db", str(db), "--json"))["hits"])


def rows(db: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture
def two_versions(
    seeded_path: Path, tmp_path: Path, aiko: str, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, str, str]:
    """The issue's repro: a note both Marco (on his copy, `--author`) and Aiko rewrote,
    Marco's copy merged into Aiko's file. Returns (Aiko's file, the note, the set-aside id)."""
    a, b = seeded_path, tmp_path / "marco.sqlite"
    note = run(capsys, "note", "add", "3.2.1", "--db", str(a), "--kind", "talking_point",
               "--text", "Original point").strip()
    run(capsys, "copy", str(a), str(b))
    run(capsys, "note", "edit", note, "--db", str(b), "--text", "Marco's version", "--author", "Marco Rossi")
    run(capsys, "note", "edit", note, "--db", str(a), "--text", "Aiko's version")  # later: the newer text
    out = run(capsys, "merge", str(b), "--db", str(a))
    assert ("Aiko Tanaka and Marco Rossi both rewrote the talking point note on 3.2.1 (“Aiko's version”): "
            "Aiko Tanaka's text stays, and Marco Rossi's text is kept beside it as a conflicting copy.") in out
    [item] = conflicts(capsys, a)
    assert (item["value"], item["by"], item["kept"]) == ("Marco's version", "Marco Rossi", "Aiko's version")
    return a, note, item["id"]


def test_restore_swaps_the_versions_so_neither_text_is_lost(
    two_versions: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    a, note, copy = two_versions
    out = run(capsys, "conflicts", "restore", copy, "--db", str(a))
    assert "Restored Marco Rossi's version of the talking point note on 3.2.1" in out
    assert "Aiko Tanaka's “Aiko's version”, which it replaced, is now the set-aside version" in out
    # The note holds Marco's text under his name; Aiko's text is set aside under hers, and both are found.
    by_id = {n["id"]: (n["text"], n["author"]) for n in notes(capsys, a)}
    assert by_id[note] == ("Marco's version", "Marco Rossi")
    assert by_id[copy] == ("Aiko's version", "Aiko Tanaka")
    [item] = conflicts(capsys, a)
    assert (item["id"], item["value"], item["by"], item["kept"]) == (copy, "Aiko's version", "Aiko Tanaka",
                                                                     "Marco's version")
    assert found(capsys, a, "Aiko's version") == 1 and found(capsys, a, "Marco's version") == 1
    # Restorable in turn: restoring again swaps them back.
    run(capsys, "conflicts", "restore", copy, "--db", str(a))
    by_id = {n["id"]: (n["text"], n["author"]) for n in notes(capsys, a)}
    assert by_id[note] == ("Aiko's version", "Aiko Tanaka") and by_id[copy] == ("Marco's version", "Marco Rossi")


def test_dismiss_says_which_text_it_drops_and_the_note_restore_command_brings_it_back(
    two_versions: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    a, _note, copy = two_versions
    out = run(capsys, "conflicts", "dismiss", copy, "--db", str(a))
    assert out.startswith("Dismissed Marco Rossi's version of the talking point note on 3.2.1 (“Aiko's version”): "
                          "“Marco's version” is no longer kept. The version in place stays: “Aiko's version”.")
    assert f"briefbook note restore {copy}" in out
    assert conflicts(capsys, a) == [] and found(capsys, a, "Marco's version") == 0
    out = run(capsys, "note", "restore", copy, "--db", str(a))
    assert out == f"Note {copy} restored: the talking point note on 3.2.1 is back.\n"
    assert [c["value"] for c in conflicts(capsys, a)] == ["Marco's version"]


def test_restoring_after_the_kept_note_was_deleted_brings_the_note_back(
    two_versions: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    a, note, copy = two_versions
    run(capsys, "note", "delete", note, "--db", str(a))
    out = run(capsys, "conflicts", "restore", copy, "--db", str(a))
    assert "The note had been deleted since the merge: it is back, with this text." in out
    listed = notes(capsys, a)
    assert [(n["id"], n["text"], n["author"]) for n in listed if n["kind"] == "talking_point"] == [
        (note, "Marco's version", "Marco Rossi")]
    assert conflicts(capsys, a) == [] and found(capsys, a, "Marco's version") == 1
    check = json.loads(run(capsys, "check", str(a), "--json"))
    assert check["verdict"] == "good", check


def test_note_restore_undeletes_and_refuses_in_words(
    seeded_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(seeded_path)
    note = run(capsys, "note", "add", "1.1.1", "--db", db, "--kind", "risk", "--text", "A risk to keep").strip()
    run(capsys, "note", "delete", note, "--db", db)
    assert found(capsys, seeded_path, "risk to keep") == 0
    assert run(capsys, "note", "restore", note, "--db", db) == (
        f"Note {note} restored: the risk note on 1.1.1 is back.\n")
    assert [n["text"] for n in notes(capsys, seeded_path, "1.1.1") if n["id"] == note] == ["A risk to keep"]
    assert found(capsys, seeded_path, "risk to keep") == 1
    assert run(capsys, "note", "restore", note, "--db", db) == f"Note {note} on 1.1.1 is not deleted: nothing to restore.\n"
    assert "There is no note 'no-such-note' in this file." in refused(capsys, "note", "restore", "no-such-note",
                                                                      "--db", db)


def test_one_name_per_writer_in_the_byline_and_in_updated_by(
    seeded_path: Path, aiko: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(seeded_path)
    note = run(capsys, "note", "add", "1.1.1", "--db", db, "--kind", "risk", "--text", "Marco's risk",
               "--author", "Marco Rossi").strip()
    assert rows(seeded_path, "SELECT author, updated_by FROM note WHERE id = ?", note) == [
        ("Marco Rossi", "Marco Rossi")]
    run(capsys, "note", "edit", note, "--db", db, "--text", "Aiko's rewrite")  # the preferences' name signs it
    assert rows(seeded_path, "SELECT author, updated_by FROM note WHERE id = ?", note) == [
        ("Aiko Tanaka", "Aiko Tanaka")]
    run(capsys, "note", "edit", note, "--db", db, "--kind", "question")  # not a new text: the byline stays
    assert rows(seeded_path, "SELECT author, updated_by, kind FROM note WHERE id = ?", note) == [
        ("Aiko Tanaka", "Aiko Tanaka", "question")]


def test_the_byline_travels_with_the_text_in_both_directions(
    seeded_path: Path, tmp_path: Path, aiko: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Marco's edit (--author) and Aiko's edit of one note, merged both ways: each text under its writer."""
    a, b = seeded_path, tmp_path / "marco.sqlite"
    note = run(capsys, "note", "add", "2.1.1", "--db", str(a), "--kind", "line_to_take",
               "--text", "Original line").strip()
    shutil.copyfile(a, b)
    run(capsys, "note", "edit", note, "--db", str(b), "--text", "Marco's line", "--author", "Marco Rossi")
    run(capsys, "note", "edit", note, "--db", str(a), "--text", "Aiko's line")
    a0 = tmp_path / "aiko-before.sqlite"
    shutil.copyfile(a, a0)
    run(capsys, "merge", str(b), "--db", str(a))
    out = run(capsys, "merge", str(a0), "--db", str(b))
    assert "Aiko Tanaka and Marco Rossi both rewrote" in out
    for path in (a, b):
        texts = {(n["text"], n["author"]) for n in notes(capsys, path, "2.1.1") if n["kind"] == "line_to_take"}
        assert texts == {("Aiko's line", "Aiko Tanaka"), ("Marco's line", "Marco Rossi")}, path


def test_a_set_aside_value_its_field_cannot_hold_is_refused_by_restore_and_named_by_check(
    seeded_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A set-aside date 2024-13-45 (left by an older briefbook, or another program): restoring it
    is refused in words and writes nothing; check names the row."""
    import hashlib

    conn = sqlite3.connect(seeded_path)
    with conn:
        conn.execute(
            "INSERT INTO merge_conflict (id, updated_at, updated_by, deleted_at, table_name, row_id, field, value, "
            "kept, other_by, other_at, created_at) SELECT '5d1c2a3e-8d0b-4c5e-9a41-2b7e3f9d1c60', updated_at, 'x', "
            "NULL, 'meeting', id, 'date', '\"2024-13-45\"', json_quote(date), 'Ben', updated_at, updated_at "
            "FROM meeting WHERE date IS NOT NULL LIMIT 1")
    conn.close()
    before = hashlib.sha256(seeded_path.read_bytes()).hexdigest()
    err = refused(capsys, "conflicts", "restore", "5d1c2a3e-8d0b-4c5e-9a41-2b7e3f9d1c60", "--db", str(seeded_path))
    assert "cannot be put in place: '2024-13-45' is not a real date." in err
    assert hashlib.sha256(seeded_path.read_bytes()).hexdigest() == before
    capsys.readouterr()
    assert main(["check", str(seeded_path)]) == 1
    out = capsys.readouterr().out
    assert ("row '5d1c2a3e-8d0b-4c5e-9a41-2b7e3f9d1c60' of table merge_conflict holds a set-aside value for "
            "meeting.date that cannot be put back ('2024-13-45' is not a real date.)") in out


def test_two_copies_restoring_one_set_aside_value_keep_both_replaced_versions(
    seeded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ana and Ben each restore the same set-aside purpose, each replacing another text: merged,
    both replaced texts stay set aside, and the report says so."""
    from db.briefing.facade import Briefing

    ana, ben = seeded_path, tmp_path / "ben.sqlite"
    shutil.copyfile(ana, ben)
    with Briefing.open(ana, user="Ana") as f:
        meeting = f.meetings()[0].id
        f.edit_meeting(meeting, purpose="Ana's purpose")
    with Briefing.open(ben, user="Ben") as f:
        f.edit_meeting(meeting, purpose="Ben's purpose")
    run(capsys, "merge", str(ben), "--db", str(ana))
    run(capsys, "merge", str(ana), "--db", str(ben))
    with Briefing.open(ana, user="Ana") as f:
        f.edit_meeting(meeting, purpose="Ana's second purpose")  # then restores her first over it
        [item] = f.set_aside()
        f.restore_set_aside(item.id)
    with Briefing.open(ben, user="Ben") as f:
        [item] = f.set_aside()
        f.restore_set_aside(item.id)
    out = run(capsys, "merge", str(ben), "--db", str(ana))
    assert "Both copies restored a set-aside purpose of the meeting" in out
    with Briefing.open(ana) as f:
        assert f.meeting(meeting).purpose == "Ana's purpose"
        assert sorted(c.value for c in f.set_aside()) == ["Ana's second purpose", "Ben's purpose"]


def test_set_aside_versions_of_a_commitment_and_a_source_are_found_by_search(
    seeded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Search finds both versions of every field it covers: the one in place and the one set
    aside (a commitment's lead office, a source's excerpt), before and after a restore; a
    dismissed one no longer."""
    from db.briefing.facade import Briefing

    ana, ben = seeded_path, tmp_path / "ben.sqlite"
    shutil.copyfile(ana, ben)
    with Briefing.open(ana, user="Ana") as f:
        node, source = f.node_by_ref("2.1.1").id, f.sources()[0].id
        ask = f.add_note(node, "if_raised", "If they ask about fisheries", response="We say nothing yet.").id
    shutil.copyfile(ana, ben)
    with Briefing.open(ana, user="Ana") as f:
        f.set_lead_office(node, "Farnesina Europe Directorate")
        f.edit_source(source, excerpt="Anchovies and semiconductors")
        f.edit_note(ask, response="We welcome the quota talks.")
    with Briefing.open(ben, user="Ben") as f:
        f.set_lead_office(node, "Kasumigaseki Desk")
        f.edit_source(source, excerpt="Bluefin tuna and lasers")
        f.edit_note(ask, response="We defer to the fisheries agency.")
    run(capsys, "merge", str(ben), "--db", str(ana))

    def hits(words: str) -> list[tuple[str, str]]:
        return [(h["kind"], h["snippet"]) for h in
                json.loads(run(capsys, "search", words, "--db", str(ana), "--json"))["hits"]]

    assert hits("Farnesina") == [("node", "Set-aside version: Farnesina Europe Directorate")]
    assert hits("Kasumigaseki")[0][1] != "" and hits("Kasumigaseki")[0][0] == "node"
    # (a source is a hit on each commitment citing it)
    assert set(hits("anchovies")) == {("source", "Set-aside version: Anchovies and semiconductors")}
    assert hits("quota talks") == [("note", "Set-aside version: We welcome the quota talks.")]
    assert hits("fisheries agency")[0][0] == "note"  # the response in place
    with Briefing.open(ana) as f:
        reasons = f.match_reasons("Farnesina")[node]
        assert [(r.what, r.excerpt) for r in reasons] == [
            ("its text, a version set aside by a merge", "Farnesina Europe Directorate")]
    items = {c["field"]: c["id"] for c in conflicts(capsys, ana)}
    run(capsys, "conflicts", "restore", items["lead_office"], "--db", str(ana))
    assert hits("Farnesina")[0][1] != "Set-aside version: Farnesina Europe Directorate"  # in place now
    assert hits("Kasumigaseki") == [("node", "Set-aside version: Kasumigaseki Desk")]  # set aside now
    run(capsys, "conflicts", "dismiss", items["excerpt"], "--db", str(ana))
    assert hits("anchovies") == []
    assert json.loads(run(capsys, "check", str(ana), "--json"))["verdict"] == "good"
