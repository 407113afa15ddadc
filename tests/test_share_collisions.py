"""When two colleagues' work collides, nothing is lost and the merge says so in words.

Each case starts from one file copied to Ana and Ben, edits both copies, and
merges both ways (Ben's into Ana's, Ana's into Ben's) through the command line.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from share_helpers import content, make_small, small_plan

from briefbook.cli.main import main
from briefbook.services.seeding import init_file
from db.briefing.facade import Briefing
from db.model.drafts import NodeDraft, PlanDraft


@pytest.fixture
def base(tmp_path: Path) -> Path:
    path = make_small(tmp_path / "base.sqlite")
    with Briefing.open(path, user="maker") as b:
        meeting = b.create_meeting("Strategic dialogue", date="2025-03-01", place="Rome", purpose="Review")
        for ref in ("1.1.1", "1.1.2", "2.1.1"):
            b.add_agenda_item(meeting.id, b.node_by_ref(ref).id, f"Points on {ref}")
    return path


@pytest.fixture
def copies(base: Path) -> tuple[Path, Path]:
    ana, ben = base.with_name("ana.sqlite"), base.with_name("ben.sqlite")
    shutil.copyfile(base, ana)
    shutil.copyfile(base, ben)
    return ana, ben


def merge_cli(ours: Path, theirs: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["merge", str(theirs), "--db", str(ours), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def both_ways(ana: Path, ben: Path, capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Ben's copy into Ana's and Ana's into Ben's (each from the copies as they were)."""
    ana0, ben0 = ana.with_name("ana0.sqlite"), ben.with_name("ben0.sqlite")
    shutil.copyfile(ana, ana0)
    shutil.copyfile(ben, ben0)
    into_ana = merge_cli(ana, ben0, capsys)
    into_ben = merge_cli(ben, ana0, capsys)
    assert content(ana) == content(ben)  # both directions end with the same content
    return into_ana, into_ben


def sentences(report: dict[str, Any]) -> list[str]:
    return [c["sentence"] for c in report["collisions"]]


def test_independently_seeded_files_merge_to_one_copy_of_the_shipped_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    init_file(a).close()
    init_file(b).close()
    report = merge_cli(a, b, capsys)
    assert report["changed"] is False
    with Briefing.open(a) as f:
        counts = f.counts()
    assert (counts["sources"], counts["meetings"], counts["notes"], counts["agenda_items"]) == (4, 3, 17, 22)


EDITS = {
    "note": (lambda b, ids: b.edit_note(ids["note"], body="Ana's rewrite of the background."),
             lambda b, ids: b.delete_note(ids["note"]),
             lambda b, ids: b.note(ids["note"]).body, "Ana's rewrite of the background."),
    "source": (lambda b, ids: b.edit_source(ids["source"], excerpt="Ana's excerpt."),
               lambda b, ids: b.delete_source(ids["source"]),
               lambda b, ids: b.source(ids["source"]).excerpt, "Ana's excerpt."),
    "meeting": (lambda b, ids: b.edit_meeting(ids["meeting"], place="Tokyo"),
                lambda b, ids: b.delete_meeting(ids["meeting"]),
                lambda b, ids: b.meeting(ids["meeting"]).place, "Tokyo"),
    "agenda_item": (lambda b, ids: b.set_agenda_points(ids["agenda"], "Ana's points."),
                    lambda b, ids: b.remove_agenda_item(ids["agenda"]),
                    lambda b, ids: b.agenda_item(ids["agenda"]).points, "Ana's points."),
}  # fmt: skip


def _ids(path: Path) -> dict[str, str]:
    with Briefing.open(path) as b:
        node = b.node_by_ref("1.1.1")
        meeting = b.meetings()[0]
        return {
            # The background note (notes are listed in the pack's order, where risks come first).
            "note": next(n.id for n in b.notes(node.id) if n.kind == "background"),
            "source": b.sources()[0].id,
            "meeting": meeting.id,
            "agenda": b.agenda(meeting.id)[0].id,
        }


@pytest.mark.parametrize("what", list(EDITS))
def test_an_edit_the_deleting_side_never_saw_survives(
    what: str, copies: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ana, ben = copies
    edit, delete, read, expected = EDITS[what]
    ids = _ids(ana)
    with Briefing.open(ana, user="Ana") as a:
        edit(a, ids)
    with Briefing.open(ben, user="Ben") as b:
        delete(b, ids)  # Ben's deletion is the later change: the clocks do not decide
    into_ana, into_ben = both_ways(ana, ben, capsys)
    for path in (ana, ben):
        with Briefing.open(path) as f:
            assert read(f, ids) == expected
    for report in (into_ana, into_ben):
        assert any("Kept Ana's edit of" in s and "which Ben had deleted" in s for s in sentences(report))


def test_different_fields_of_one_row_are_both_kept(copies: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    ana, ben = copies
    ids = _ids(ana)
    with Briefing.open(ana, user="Ana") as a:
        a.edit_meeting(ids["meeting"], place="Tokyo")
        a.edit_source(ids["source"], url="https://example.org/report")
        a.set_lead_office(a.node_by_ref("1.1.1").id, "Europe Division")
        a.edit_note(ids["note"], kind="talking_point")
    with Briefing.open(ben, user="Ben") as b:
        b.edit_meeting(ids["meeting"], purpose="Prepare the summit")
        b.edit_source(ids["source"], excerpt="Ben's excerpt.")
        b.set_status(b.node_by_ref("1.1.1").id, "on_track")
        b.edit_note(ids["note"], body="Ben's rewrite.")
    into_ana, into_ben = both_ways(ana, ben, capsys)
    with Briefing.open(ana) as f:
        meeting, source = f.meeting(ids["meeting"]), f.source(ids["source"])
        node, note = f.node_by_ref("1.1.1"), f.note(ids["note"])
    assert (meeting.place, meeting.purpose) == ("Tokyo", "Prepare the summit")
    assert (source.url, source.excerpt) == ("https://example.org/report", "Ben's excerpt.")
    assert (node.lead_office, node.status) == ("Europe Division", "on_track")
    assert (note.kind, note.body) == ("talking_point", "Ben's rewrite.")
    for report in (into_ana, into_ben):
        assert report["collisions"] == []
        assert all(k["conflicts"] == 0 for k in report["kinds"].values())


def test_the_same_field_changed_on_both_sides_keeps_both_texts(
    copies: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ana, ben = copies
    ids = _ids(ana)
    with Briefing.open(ana, user="Ana") as a:
        a.edit_meeting(ids["meeting"], purpose="Ana's purpose")
        a.edit_note(ids["note"], body="Ana's text of the note.")
        a.set_status(a.node_by_ref("1.1.2").id, "achieved")
        a.move_agenda_item(ids["agenda"], 2)
    with Briefing.open(ben, user="Ben") as b:
        b.edit_meeting(ids["meeting"], purpose="Ben's purpose")
        b.edit_note(ids["note"], body="Ben's text of the note.")
        b.set_status(b.node_by_ref("1.1.2").id, "with_challenges", "Funding is late.")
        b.move_agenda_item(ids["agenda"], 1)
    into_ana, into_ben = both_ways(ana, ben, capsys)
    with Briefing.open(ana) as f:
        purpose = f.meeting(ids["meeting"]).purpose
        node = f.node_by_ref("1.1.1")
        bodies = sorted(n.body for n in f.notes(node.id))
        history = [h.to_status for h in f.status_history(f.node_by_ref("1.1.2").id)]
        agenda = f.agenda(ids["meeting"])
    conn = sqlite3.connect(ana)
    set_aside = conn.execute("SELECT field, value FROM merge_conflict WHERE deleted_at IS NULL").fetchall()
    conn.close()
    # The newer purpose (Ben's, written later) stays; Ana's is set aside where she can restore it.
    assert purpose == "Ben's purpose" and set_aside == [("purpose", json.dumps("Ana's purpose"))]
    # Both texts of the note: the newer in place, the other as a conflicting copy beside it.
    assert "Ana's text of the note." in bodies and "Ben's text of the note." in bodies
    assert sorted(history) == ["achieved", "with_challenges"]  # the history keeps both
    assert len(agenda) == 3  # one order, no entry lost
    for report in (into_ana, into_ben):
        said = " ".join(sentences(report))
        assert "both changed the purpose of the meeting “Strategic dialogue”" in said and "set aside" in said
        assert "both rewrote the background note on 1.1.1" in said and "conflicting copy" in said
        assert "both changed the status of 1.1.2" in said and "status history" in said
        assert "both reordered the agenda" in said


def _without(plan: PlanDraft, ref: str) -> PlanDraft:
    def keep(nodes: tuple[NodeDraft, ...] | list[NodeDraft]) -> list[NodeDraft]:
        return [NodeDraft(n.kind, n.ref, n.title, n.text, keep(n.children)) for n in nodes if n.ref != ref]

    return PlanDraft(plan.title, plan.parties, plan.period, plan.adopted_on, plan.preamble, keep(plan.areas))


def test_a_note_on_a_commitment_the_other_side_removed_stays_visible(
    copies: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ana, ben = copies
    with Briefing.open(ben, user="Ben") as b:
        note = b.add_note(b.node_by_ref("1.1.3").id, "talking_point", "Ben's point on 1.1.3.")
    with Briefing.open(ana, user="Ana") as a:
        report = a.import_plan(_without(small_plan(), "1.1.3"))  # Ana's revised plan drops 1.1.3
        assert report.removed == 1 and report.kept_removed == 0
    into_ana, _into_ben = both_ways(ana, ben, capsys)
    for path in (ana, ben):
        with Briefing.open(path) as f:
            node = f.node_by_ref("1.1.3")
            assert node.retired  # shown, marked as removed from the plan's current text
            assert [n.body for n in f.notes(node.id)] == [note.body]
            assert [h.node_ids for h in f.search("Ben's point")] == [(node.id,)]
    assert any("no longer in one copy's plan text" in s for s in sentences(into_ana))


def test_a_merge_that_only_deletes_says_what_it_deleted(
    copies: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ana, ben = copies
    ids = _ids(ana)
    with Briefing.open(ben, user="Ben") as b:
        b.delete_note(ids["note"])
    capsys.readouterr()
    assert main(["merge", str(ben), "--db", str(ana)]) == 0
    out = capsys.readouterr().out
    assert "Nothing new" not in out
    assert "Deleted, as in ben.sqlite: the background note on 1.1.1 (“Background written before the copies" in out


def test_set_aside_versions_are_listed_and_can_be_restored_or_dismissed(
    copies: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ana, ben = copies
    ids = _ids(ana)
    with Briefing.open(ana, user="Ana") as a:
        a.edit_meeting(ids["meeting"], purpose="Ana's purpose")
        a.edit_note(ids["note"], body="Ana's text.")
    with Briefing.open(ben, user="Ben") as b:
        b.edit_meeting(ids["meeting"], purpose="Ben's purpose")
        b.edit_note(ids["note"], body="Ben's text.")
    merge_cli(ana, ben, capsys)
    assert main(["conflicts", "--db", str(ana), "--json"]) == 0
    listed = {c["field"]: c for c in json.loads(capsys.readouterr().out)["conflicts"]}
    assert (listed["purpose"]["value"], listed["purpose"]["kept"], listed["purpose"]["by"]) == (
        "Ana's purpose", "Ben's purpose", "Ana")
    assert (listed["body"]["value"], listed["body"]["kept"]) == ("Ana's text.", "Ben's text.")
    assert main(["conflicts", "restore", listed["purpose"]["id"], "--db", str(ana)]) == 0
    out = capsys.readouterr().out
    assert "Restored Ana's version of the meeting “Strategic dialogue”: “Ana's purpose” is in place." in out
    assert "Ben's “Ben's purpose”, which it replaced, is now the set-aside version" in out
    assert main(["conflicts", "dismiss", listed["body"]["id"], "--db", str(ana)]) == 0
    assert "“Ana's text.” is no longer kept" in capsys.readouterr().out
    with Briefing.open(ana) as f:
        assert f.meeting(ids["meeting"]).purpose == "Ana's purpose"
        assert [n.body for n in f.notes(f.node_by_ref("1.1.1").id) if n.kind == "background"] == ["Ben's text."]
        # The restore was a swap: Ben's purpose is the set-aside version now.
        assert [(c.field, c.value, c.other_by, c.kept) for c in f.set_aside()] == [
            ("purpose", "Ben's purpose", "Ben", "Ana's purpose")]
    # The restore and the dismissal travel: merged back into Ben's copy, his file agrees.
    merge_cli(ben, ana, capsys)
    with Briefing.open(ben) as f:
        assert f.meeting(ids["meeting"]).purpose == "Ana's purpose"
        assert [(c.field, c.value) for c in f.set_aside()] == [("purpose", "Ben's purpose")]


@pytest.mark.parametrize("parent", ["meeting", "source"])
def test_a_change_under_a_parent_the_other_side_deleted_keeps_the_parent(
    parent: str, copies: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ana, ben = copies
    ids = _ids(ana)
    with Briefing.open(ana, user="Ana") as a:
        if parent == "meeting":
            a.set_agenda_points(ids["agenda"], "Ana's new points.")
        else:
            a.set_link_quote(a_link := ids_link(a, ids["source"]), "Ana's new quote.")
    with Briefing.open(ben, user="Ben") as b:
        (b.delete_meeting if parent == "meeting" else b.delete_source)(ids[parent])
    into_ana, into_ben = both_ways(ana, ben, capsys)
    with Briefing.open(ben) as f:
        if parent == "meeting":
            assert f.agenda_item(ids["agenda"]).points == "Ana's new points."
            assert len(f.agenda(ids["meeting"])) == 3  # the whole agenda is back with its meeting
        else:
            assert f.source(ids["source"]).id == ids["source"]
            assert [q for _, q in f.source_nodes(ids["source"])] == ["Ana's new quote."]
            assert a_link
    for report in (into_ana, into_ben):
        assert any("it stays" in s for s in sentences(report))


def ids_link(b: Briefing, source_id: str) -> str:
    from db.model import ids

    node = b.source_nodes(source_id)[0][0]
    return ids.link_id(source_id, node.id)


def test_the_same_source_or_meeting_added_on_both_sides_is_pointed_out(
    copies: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ana, ben = copies
    for path, user in ((ana, "Ana"), (ben, "Ben")):
        with Briefing.open(path, user=user) as f:
            f.add_source("Leaders agree on a roadmap", outlet="Kyodo", url=f"https://example.org/roadmap?by={user}")
            f.add_source("Another report", outlet="ANSA", url="https://example.org/same/")
            f.create_meeting("Vice-ministerial dialogue", date="2025-09-10")
    into_ana, into_ben = both_ways(ana, ben, capsys)
    for report in (into_ana, into_ben):
        said = [s for s in sentences(report) if "both copies added" in s.lower()]
        assert len(said) == 3, said  # same title and outlet; same address; same meeting title and date
        assert any("“Vice-ministerial dialogue”" in s for s in said)


def test_a_restored_note_version_is_set_aside_again_when_reopened(
    copies: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ana, ben = copies
    ids = _ids(ana)
    with Briefing.open(ana, user="Ana") as a:
        a.edit_note(ids["note"], body="Ana's text.")
    with Briefing.open(ben, user="Ben") as b:
        b.edit_note(ids["note"], body="Ben's text.")
    merge_cli(ana, ben, capsys)
    with Briefing.open(ana, user="Ana") as f:
        [item] = f.set_aside()
        kept = f.note(ids["note"]).body
        f.restore_set_aside(item.id)
        # A swap: the text it replaced is the set-aside version now, under its writer's name.
        assert f.note(ids["note"]).body == item.value
        assert [(c.id, c.value, c.kept) for c in f.set_aside()] == [(item.id, kept, item.value)]
        f.reopen_set_aside(item.id, restored=True)
        assert f.note(ids["note"]).body == kept
        assert [(c.id, c.value, c.kept) for c in f.set_aside()] == [(item.id, item.value, kept)]
        assert {h.row_id for h in f.search(item.value.split()[0].rstrip("'s"))} >= {item.id}


def test_a_source_both_added_is_combined_with_every_citation_quote_and_file(
    copies: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ana, ben = copies
    url = "https://example.org/news/2025/strategic-dialogue"
    with Briefing.open(ana, user="Ana") as a:
        mine = a.add_source("Strategic dialogue held in Rome", outlet="Kyodo", url=url)
        a.link_source(mine.id, a.node_by_ref("1.1.1").id, "Ana's quote on 1.1.1")
        a.link_source(mine.id, a.node_by_ref("1.1.2").id, "Ana's quote on 1.1.2")
    with Briefing.open(ben, user="Ben") as b:
        theirs = b.add_source("Strategic Dialogue held in Rome", url=url + "/", published="2025-03-02",
                              excerpt="Ministers met in Rome.")
        b.link_source(theirs.id, b.node_by_ref("1.1.1").id, "Ben's quote on 1.1.1")
        b.link_source(theirs.id, b.node_by_ref("2.1.1").id, "Ben's quote on 2.1.1")
        attached = b.add_attachment(theirs.id, "readout.txt", b"Readout of the dialogue.")
    report = merge_cli(ana, ben, capsys)
    [told] = [s for s in sentences(report) if "separately" in s]
    assert "combine them (Combine with… in the Sources tab, or briefbook source combine)" in told
    assert main(["source", "combine", mine.id, theirs.id, "--db", str(ana)]) == 0
    assert "cited on 3 nodes" in capsys.readouterr().out
    with Briefing.open(ana) as f:
        listed = {s.id for s in f.sources()}
        assert mine.id in listed and theirs.id not in listed
        kept = f.source(mine.id)
        assert (kept.outlet, kept.url, kept.published, kept.excerpt) == (
            "Kyodo", url, "2025-03-02", "Ministers met in Rome.")  # the other's details fill the gaps
        quotes = {node.ref: quote for node, quote in f.source_nodes(mine.id)}
        assert quotes == {"1.1.1": "Ana's quote on 1.1.1 / Ben's quote on 1.1.1", "1.1.2": "Ana's quote on 1.1.2",
                          "2.1.1": "Ben's quote on 2.1.1"}
        [file] = f.attachments(mine.id)
        assert file.filename == "readout.txt" and f.attachment_data(file.id) == b"Readout of the dialogue."
        assert attached.id != file.id
        assert {h.row_id for h in f.search("Ministers met")} == {mine.id}
    # The combination travels: merged into Ben's copy, his file agrees.
    merge_cli(ben, ana, capsys)
    assert content(ana) == content(ben)


def test_combining_a_source_with_itself_or_a_missing_one_is_one_sentence(
    copies: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ana, _ben = copies
    with Briefing.open(ana, user="Ana") as a:
        source = a.add_source("A report")
    capsys.readouterr()
    assert main(["source", "combine", source.id, source.id, "--db", str(ana)]) != 0
    assert "Choose two different sources to combine." in capsys.readouterr().err
    assert main(["source", "combine", source.id, "0" * 8, "--db", str(ana)]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_meeting_both_created_is_combined_with_every_agenda_entry_and_its_points(
    copies: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ana, ben = copies
    with Briefing.open(ana, user="Ana") as a:
        mine = a.create_meeting("Vice-ministerial talks", date="2025-05-10", place="Tokyo")
        a.add_agenda_item(mine.id, a.node_by_ref("1.1.1").id, "Ana's points on 1.1.1")
        a.add_agenda_item(mine.id, a.node_by_ref("1.1.2").id, "Ana's points on 1.1.2")
    with Briefing.open(ben, user="Ben") as b:
        theirs = b.create_meeting("Vice-Ministerial Talks", date="2025-05-10", participants="Both vice-ministers",
                                  purpose="Prepare the summit")
        b.add_agenda_item(theirs.id, b.node_by_ref("2.1.1").id, "Ben's points on 2.1.1")
        b.add_agenda_item(theirs.id, b.node_by_ref("1.1.1").id, "Ben's points on 1.1.1")
    report = merge_cli(ana, ben, capsys)
    [told] = [s for s in sentences(report) if "separately" in s]
    assert "Combine with Another Meeting…, or briefbook meeting combine" in told
    assert main(["meeting", "combine", mine.id, theirs.id, "--db", str(ana)]) == 0
    assert "3 agenda entries, with the points of both" in capsys.readouterr().out
    with Briefing.open(ana) as f:
        assert theirs.id not in {m.id for m in f.meetings()}
        kept = f.meeting(mine.id)
        assert (kept.place, kept.participants, kept.purpose) == ("Tokyo", "Both vice-ministers", "Prepare the summit")
        assert [(a.ref, a.points) for a in f.agenda(mine.id)] == [
            ("1.1.1", "Ana's points on 1.1.1\n\nBen's points on 1.1.1"),
            ("1.1.2", "Ana's points on 1.1.2"),
            ("2.1.1", "Ben's points on 2.1.1"),
        ]
    merge_cli(ben, ana, capsys)  # the combination travels
    assert content(ana) == content(ben)
    assert main(["meeting", "combine", mine.id, mine.id, "--db", str(ana)]) != 0
    assert "Choose two different meetings to combine." in capsys.readouterr().err
