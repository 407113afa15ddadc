"""Schema 4's brief fields (a meeting's objectives and press line, an agenda item's objective, an
"if raised" note's response, the key flag): on the command line, through an upgrade of an older
file, in each row's history, and through a merge of two copies."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from test_cli import assert_one_sentence_error, bb

from db.briefing.facade import Briefing
from db.disk import file as dbfile
from db.sharing.merge import merge_into

TAKAICHI = "Takaichi–Meloni summit meeting, Tokyo"


def test_the_command_line_writes_every_brief_field(seeded_path: Path) -> None:
    db = str(seeded_path)
    bb("meeting", "edit", TAKAICHI, "--db", db, "--objectives", "Agree a minerals group\nLaunch a space dialogue",
       "--press-line", "A special strategic partnership.")
    bb("meeting", "item", TAKAICHI, "3.2.1", "--db", db, "--objective", "A working group by June")
    ask = bb("note", "add", "3.2.1", "--db", db, "--kind", "if_raised", "--text", "Will Italy stockpile?",
             "--response", "We are studying it.", "--json")
    note = json.loads(ask.stdout)
    assert (note["kind"], note["text"], note["response"], note["key"]) == (
        "if_raised", "Will Italy stockpile?", "We are studying it.", False)
    line = bb("note", "add", "3.2.1", "--db", db, "--kind", "press_line", "--text", "Minerals matter.").stdout.strip()
    assert "is a key message" in bb("note", "key", line, "--db", db).stdout
    meetings = json.loads(bb("meeting", "list", "--db", db, "--json").stdout)["meetings"]
    m = next(m for m in meetings if m["title"] == TAKAICHI)
    assert m["objectives"] == "Agree a minerals group\nLaunch a space dialogue"
    assert m["press_line"] == "A special strategic partnership."
    assert next(i for i in m["items"] if i["ref"] == "3.2.1")["objective"] == "A working group by June"
    notes = json.loads(bb("note", "list", "3.2.1", "--db", db, "--json").stdout)["notes"]
    assert [(n["kind"], n["key"]) for n in notes if n["id"] in (note["id"], line)] == [
        ("if_raised", False), ("press_line", True)]
    bb("note", "key", line, "--off", "--db", db)
    assert not next(n for n in json.loads(bb("note", "list", "3.2.1", "--db", db, "--json").stdout)["notes"]
                    if n["id"] == line)["key"]
    text = bb("note", "list", "3.2.1", "--db", db).stdout
    assert "Response: We are studying it." in text and "1970" not in text  # an undated report's note: undated


@pytest.mark.parametrize("args, says", [
    (["note", "add", "3.2.1", "--kind", "risk", "--text", "x", "--response", "y"], "Only an “If raised” note"),
    (["meeting", "edit", TAKAICHI], "Say what to change"),
    (["meeting", "item", TAKAICHI, "1.1.1", "--objective", "x"], "1.1.1 is not on the agenda"),
    (["note", "key", "not-a-note"], "There is no note"),
])
def test_refusals_are_one_sentence_and_change_nothing(seeded_path: Path, args: list[str], says: str) -> None:
    before = seeded_path.read_bytes()
    err = assert_one_sentence_error(bb(*args, "--db", str(seeded_path), check=False))
    assert says in err
    assert seeded_path.read_bytes() == before


def test_a_schema_3_file_is_upgraded_and_its_history_keeps_the_new_fields(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {dbfile.APPLICATION_ID}")
    conn.close()
    dbfile.upgrade(path, "0003")
    with Briefing.open(path, user="ana") as b:  # migrated on open, after a backup
        assert b.migration_backup is not None
        plan_node = None
        from briefbook.services.paths import SEED_PLAN
        from briefbook.services.plan_import import import_plan_file

        import_plan_file(b, SEED_PLAN)
        plan_node = b.node_by_ref("1.1.1").id
        note = b.add_note(plan_node, "if_raised", "Their ask", response="Our answer")
        b.edit_note(note.id, response="Our better answer", key=True)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == dbfile.SCHEMA_VERSION
        (data,) = conn.execute("SELECT data FROM row_version WHERE row_id = ?", (note.id,)).fetchone()
    finally:
        conn.close()
    past = json.loads(data)
    assert (past["response"], past["is_key"]) == ("Our answer", 0)  # the whole earlier version, new fields too


def test_two_copies_rewriting_a_response_keep_both(seeded_path: Path, tmp_path: Path) -> None:
    with Briefing.open(seeded_path, user="ana") as b:
        note = b.add_note(b.node_by_ref("3.2.1").id, "if_raised", "Their ask", response="First answer")
        meeting = next(m for m in b.meetings() if m.title == TAKAICHI)
    theirs = tmp_path / "theirs.sqlite"
    shutil.copyfile(seeded_path, theirs)
    with Briefing.open(theirs, user="ben") as b:
        b.edit_note(note.id, response="Ben's answer")
        b.edit_meeting(meeting.id, objectives="Ben's objective")
    with Briefing.open(seeded_path, user="ana") as b:
        b.edit_note(note.id, response="Ana's answer", key=True)
        b.edit_meeting(meeting.id, objectives="Ana's objective")
        report = merge_into(b, theirs)
        kept = b.note(note.id)
        meeting_after = b.meeting(meeting.id)
        set_aside = {(c.field, c.value) for c in b.set_aside()}
    assert kept.is_key == 1  # only Ana changed the flag: hers
    both = {kept.response, meeting_after.objectives} | {v for _f, v in set_aside}
    assert {"Ana's answer", "Ben's answer", "Ana's objective", "Ben's objective"} <= both
    assert {c.kind for c in report.collisions} == {"set_aside"} and len(report.collisions) == 2


def test_export_takes_an_edition_and_refuses_a_principals_plan_book(seeded_path: Path, tmp_path: Path) -> None:
    from export_helpers import pdf_text

    principal, desk = tmp_path / "principal.pdf", tmp_path / "desk.pdf"
    bb("export", "--db", str(seeded_path), "--meeting", TAKAICHI, "-o", str(principal), "--quiet")  # the default
    bb("export", "--db", str(seeded_path), "--meeting", TAKAICHI, "--edition", "desk", "-o", str(desk), "--quiet")
    assert "Principal's brief" in pdf_text(principal)[0] and "Status of the agenda" not in "".join(pdf_text(principal))
    assert "Desk brief" in pdf_text(desk)[0] and "Status of the agenda" in "".join(pdf_text(desk))
    err = assert_one_sentence_error(bb("export", "--db", str(seeded_path), "--plan", "--edition", "principal",
                                       "-o", str(tmp_path / "plan.pdf"), check=False))
    assert "A plan book has one edition" in err and not (tmp_path / "plan.pdf").exists()
