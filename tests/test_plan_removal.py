"""Removing a plan: everything that belongs to it goes as tombstones, an undo brings back exactly that,
and merges carry the removal, unless a colleague changed something under it that the removal never saw."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from share_helpers import content

from db.briefing.facade import Briefing
from db.sharing.merge import merge_into
from tests.test_plan_revision import TEXTS, plan


@pytest.fixture
def file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.sqlite"
    with Briefing.create(path, user="ana") as b:
        report = b.import_plan(plan(TEXTS))
        wine = b.node_by_ref("1.1.1")
        b.add_note(wine.id, "talking_point", "Wine: push for lower tariffs.")
        b.set_status(b.node_by_ref("1.1.3").id, "achieved")
        source = b.add_source("Wine exports rise", url="https://example.org/wine")
        b.link_source(source.id, wine.id)
        meeting = b.create_meeting("Trade talks", date="2025-03-01")
        b.add_agenda_item(meeting.id, wine.id)
        b.import_plan(plan({"1.1.1": "Build a bridge.", "2.1.1": "Fix a road."}, title="Other Plan"))
        assert report.plan_id
    return path


def _plan_id(b: Briefing, title: str = "Food Plan") -> str:
    return next(p.id for p in b.plans() if p.title == title)


def test_removing_a_plan_tombstones_it_with_what_hangs_on_it_and_undo_brings_back_exactly_that(file: Path) -> None:
    with Briefing.open(file, user="ana") as b:
        pid = _plan_id(b)
        before = b.counts()
        what = b.plan_contents(pid)
        assert (what.nodes, what.commitments, what.notes, what.statuses, what.citations, what.agenda_entries,
                what.meetings) == (7, 4, 1, 1, 1, 1, 1)
        removal = b.remove_plan(pid)
        assert [p.title for p in b.plans()] == ["Other Plan"]
        assert b.search("tariffs") == [] and b.search("cheese") == []
        assert [m.title for m in b.meetings()] == ["Trade talks"] and b.agenda(b.meetings()[0].id) == []
        assert [s.title for s in b.sources()] == ["Wine exports rise"]  # the source itself stays
        assert b.counts()["nodes"] == before["nodes"] - 7
        b.restore_plan(removal)
        assert b.counts() == before
        assert [n.body for n in b.notes(b.node_by_ref("1.1.1", pid).id)] == ["Wine: push for lower tariffs."]
        assert b.node_by_ref("1.1.3", pid).status == "achieved"
        assert b.search("tariffs") and len(b.agenda(b.meetings()[0].id)) == 1
    # the rows were never erased: a removal is tombstones, which is what lets it merge and sync
    import sqlite3

    conn = sqlite3.connect(file)
    try:
        assert conn.execute("SELECT count(*) FROM node").fetchone()[0] == before["nodes"]
    finally:
        conn.close()


def test_a_removal_travels_by_merge_when_the_other_copy_left_the_plan_alone(file: Path, tmp_path: Path) -> None:
    theirs = tmp_path / "theirs.sqlite"
    shutil.copyfile(file, theirs)
    with Briefing.open(file, user="ana") as b:
        b.remove_plan(_plan_id(b))
    with Briefing.open(theirs, user="ben") as b:
        report = merge_into(b, file)
        assert [p.title for p in b.plans()] == ["Other Plan"]
        assert any("Food Plan" in d for d in report.deletions)
    with Briefing.open(file, user="ana") as b:
        merge_into(b, theirs)
        assert [p.title for p in b.plans()] == ["Other Plan"]  # merging back does not undo the removal
    assert content(file) == content(theirs)


@pytest.mark.parametrize("edit", ["note", "status", "new_note"])
def test_a_colleagues_unseen_edit_under_a_removed_plan_brings_it_back_whole(
    edit: str, file: Path, tmp_path: Path
) -> None:
    theirs = tmp_path / "theirs.sqlite"
    shutil.copyfile(file, theirs)
    with Briefing.open(file, user="ana") as b:
        b.remove_plan(_plan_id(b))
    with Briefing.open(theirs, user="ben") as b:
        pid = _plan_id(b)
        wine = b.node_by_ref("1.1.1", pid)
        if edit == "note":
            b.edit_note(b.notes(wine.id)[0].id, body="Wine: tariffs are now 5%.")
        elif edit == "status":
            b.set_status(b.node_by_ref("1.1.2", pid).id, "on_track")
        else:
            b.add_note(b.node_by_ref("1.2.1", pid).id, "update", "Students arrived.")
    with Briefing.open(file, user="ana") as b:
        report = merge_into(b, theirs)
        pid = _plan_id(b)  # the plan is back, with everything removed with it
        assert len(b.nodes(pid)) == 7 and not any(n.retired for n in b.nodes(pid))
        wine_notes = [n.body for n in b.notes(b.node_by_ref("1.1.1", pid).id)]
        assert wine_notes == ["Wine: tariffs are now 5%." if edit == "note" else "Wine: push for lower tariffs."]
        assert b.node_by_ref("1.1.3", pid).status == "achieved"
        assert len(b.agenda(b.meetings()[0].id)) == 1 and b.search("tariffs")
        assert any("The plan “Food Plan” was deleted in one copy while the other changed what belongs to it"
                   in c.sentence for c in report.collisions), [c.sentence for c in report.collisions]
        assert not any("Food Plan" in d for d in report.deletions)
    with Briefing.open(theirs, user="ben") as b:
        merge_into(b, file)
    assert content(file) == content(theirs)


def test_plan_delete_on_the_command_line_confirms_what_goes_and_writes_tombstones(
    file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import json

    from briefbook.cli.main import main

    assert main(["plan", "list", "--db", str(file), "--json"]) == 0
    plans = {p["title"]: p for p in json.loads(capsys.readouterr().out)["plans"]}
    assert plans["Food Plan"]["nodes"] == 7
    # without a terminal and without --yes: refused in one sentence, nothing changed
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))
    assert main(["plan", "delete", "Food Plan", "--db", str(file)]) == 2
    err = capsys.readouterr().err
    assert "needs a confirmation" in err and "--yes" in err and len(err.strip().splitlines()) == 1
    with Briefing.open(file) as b:
        assert len(b.plans()) == 2
    # on a terminal: the question names what goes with it; "no" keeps it
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: (print(prompt), "no")[1])
    assert main(["plan", "delete", "food plan", "--db", str(file)]) == 1
    asked = capsys.readouterr().out
    assert ("7 nodes (4 commitments, 1 with a status set), 1 note, 1 citation of a source and 1 agenda entry "
            "in 1 meeting") in asked and "Nothing was deleted." in asked
    assert main(["plan", "delete", plans["Food Plan"]["id"][:8], "--db", str(file), "--yes", "--json"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert (done["title"], done["nodes"], done["notes"], done["agenda_entries"]) == ("Food Plan", 7, 1, 1)
    assert main(["plan", "delete", "Food Plan", "--db", str(file), "--yes"]) == 2
    assert "holds no plan “Food Plan”" in capsys.readouterr().err
    with Briefing.open(file) as b:
        assert [p.title for p in b.plans()] == ["Other Plan"]
