"""The facade: each change is in the file once the call returns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefbook.plan_import.plan_parser import parse_plan
from briefbook.services.paths import SEED_DATA, SEED_DIR, SEED_PLAN
from briefbook.services.seeding import init_file
from db.briefing.facade import Briefing
from db.model.errors import InvalidInput


def reopen(b: Briefing) -> Briefing:
    return Briefing.open(b.path, read_only=True)


def test_seeded_file_holds_the_plan_sources_and_meetings(seeded: Briefing) -> None:
    counts = seeded.counts()
    assert (counts["areas"], counts["items"], counts["commitments"], counts["subcommitments"]) == (7, 29, 42, 6)
    (plan,) = seeded.plans()
    assert plan.adopted_on == "2024-06-14" and plan.parties == ("Japan", "Italy") and plan.period == "2024-2027"
    assert plan.preamble.startswith("Since the elevation of the bilateral relationship")

    titles = {ls.source.title for ls in seeded.node_sources(seeded.node_by_ref("2.3.1").id)}
    assert "Japan, Italy Agree on Security Cooperation; Meloni Takes Up G7 Baton From Kishida" in titles
    # Only what the seeds state: the two undated reports have no date and no outlet.
    undated = [s for s in seeded.sources() if s.published is None]
    assert len(undated) == 2 and all(s.outlet == "" for s in undated)
    japan_news = next(s for s in seeded.sources() if s.outlet == "The Japan News")
    assert japan_news.published == "2024-02-06"

    meetings = {m.date: m for m in seeded.meetings()}
    assert set(meetings) == {"2024-02-05", "2024-06-14", None}
    assert "Fasano" in meetings["2024-06-14"].place
    assert [a.ref for a in seeded.agenda(meetings["2024-02-05"].id)] == ["1.2.1", "2.1.1", "2.2.1", "2.3.1"]


def test_every_shipped_quote_is_in_its_report_and_attached() -> None:
    data = json.loads(SEED_DATA.read_text(encoding="utf-8"))
    for source in data["sources"]:
        report = (SEED_DIR / source["file"]).read_text(encoding="utf-8")
        assert source["excerpt"] in report
        for link in source["links"]:
            assert link["quote"] in report, (source["key"], link["ref"])


def test_seeded_sources_carry_the_report_as_attachment(seeded: Briefing) -> None:
    ls = seeded.node_sources(seeded.node_by_ref("3.2.1").id)[0]
    (attachment,) = ls.attachments
    text = seeded.attachment_data(attachment.id).decode("utf-8")
    assert ls.quote in text


def test_same_plan_text_gives_same_ids_in_two_files(tmp_path: Path) -> None:
    a = init_file(tmp_path / "a.sqlite", empty=True)
    b = init_file(tmp_path / "b.sqlite", empty=True)
    draft = parse_plan(SEED_PLAN.read_text(encoding="utf-8"))
    a.import_plan(draft)
    b.import_plan(parse_plan(SEED_PLAN.read_text(encoding="utf-8")))
    assert [(n.id, n.ref) for n in a.nodes()] == [(n.id, n.ref) for n in b.nodes()]
    a.close()
    b.close()


def test_reimport_keeps_a_removed_node_that_carries_notes_visible(seeded: Briefing) -> None:
    node = seeded.node_by_ref("7.3.1")
    note = seeded.add_note(node.id, "risk", "GI list still open")
    seeded.set_status(node.id, "ongoing")
    text = SEED_PLAN.read_text(encoding="utf-8")
    cut = text.index("- (3) Geographical Indications")
    revised = text[:cut] + "\n14th June 2024\n"
    report = seeded.import_plan(parse_plan(revised))
    assert report.removed == 2 and report.added == 0 and report.kept_removed == 2
    # The commitment (and its item above it) stay, marked as removed from the plan, with the note.
    kept = seeded.node_by_ref("7.3.1")
    assert kept.retired and seeded.node_by_ref("7.3").retired
    assert [n.body for n in seeded.notes(kept.id)] == ["GI list still open"]
    # Restored by importing the full text again: same id, note and status kept.
    report = seeded.import_plan(parse_plan(text))
    assert report.updated == 2
    again = seeded.node_by_ref("7.3.1")
    assert again.id == node.id and again.status == "ongoing"
    assert [n.id for n in seeded.notes(node.id)] == [note.id]


def test_notes_add_edit_move_delete_restore(seeded: Briefing) -> None:
    node = seeded.node_by_ref("1.1.1").id
    a = seeded.add_note(node, "talking_point", "First", author="Anna")
    b = seeded.add_note(node, "talking_point", "Second")
    c = seeded.add_note(node, "background", "Context")
    assert [n.id for n in seeded.notes(node)] == [a.id, b.id, c.id]
    seeded.move_note(b.id, 0)
    assert [n.id for n in reopen(seeded).notes(node)] == [b.id, a.id, c.id]
    seeded.edit_note(a.id, body="First, revised")
    assert reopen(seeded).note(a.id).body == "First, revised"
    # The byline is the writer of the text: tester rewrote Anna's note, so it is tester's now
    # (an undo passes Anna's name back with her text).
    assert seeded.note(a.id).author == "tester" and seeded.note(b.id).author == "tester"
    seeded.edit_note(a.id, body="First", author="Anna")
    assert seeded.note(a.id).author == "Anna"
    seeded.edit_note(a.id, kind="line_to_take")
    assert seeded.note(a.id).author == "Anna"  # not a new text: the byline stays
    seeded.delete_note(c.id)
    assert c.id not in [n.id for n in reopen(seeded).notes(node)]
    seeded.restore_note(c.id)
    assert c.id in [n.id for n in reopen(seeded).notes(node)]
    with pytest.raises(InvalidInput):
        seeded.add_note(node, "gossip", "x")


def test_status_vocabulary_comment_and_history(seeded: Briefing) -> None:
    node = seeded.node_by_ref("2.3.1").id
    with pytest.raises(InvalidInput, match="comment"):
        seeded.set_status(node, "not_pursued")
    with pytest.raises(InvalidInput):
        seeded.set_status(node, "done")
    with pytest.raises(InvalidInput):
        seeded.set_status(seeded.node_by_ref("2.3").id, "on_track")
    seeded.set_status(node, "on_track")
    seeded.set_status(node, "not_pursued", "Programme cancelled")
    history = reopen(seeded).status_history(node)
    assert [(h.from_status, h.to_status, h.comment, h.changed_by) for h in history] == [
        ("not_started", "on_track", "", "tester"),
        ("on_track", "not_pursued", "Programme cancelled", "tester"),
    ]
    counts = seeded.status_counts(seeded.plans()[0].id)
    area2 = seeded.node_by_ref("2").id
    assert counts[area2]["not_pursued"] == 1 and counts[area2]["not_started"] == 4


def test_sources_links_and_attachments(seeded: Briefing) -> None:
    node = seeded.node_by_ref("4.6.1").id
    src = seeded.add_source("Milano Unica report", outlet="Il Sole", published="2024-07")
    link = seeded.link_source(src.id, node, "textile fair")
    att = seeded.add_attachment(src.id, "/some/dir/report.pdf", b"%PDF-1.4 data")
    assert att.filename == "report.pdf" and att.media_type == "application/pdf"
    other = seeded.add_attachment(src.id, "notes.txt", b"other bytes")
    # The same bytes again on the same source are the same attachment, renamed.
    twin = seeded.add_attachment(src.id, "copy.pdf", b"%PDF-1.4 data")
    assert twin.id == att.id and twin.filename == "copy.pdf"
    linked = reopen(seeded).node_sources(node)
    assert [(ls.source.title, ls.quote) for ls in linked] == [("Milano Unica report", "textile fair")]
    assert sorted(a.filename for a in linked[0].attachments) == ["copy.pdf", "notes.txt"]
    assert other.id != att.id
    assert seeded.attachment_data(att.id) == b"%PDF-1.4 data"
    seeded.edit_source(src.id, title="Milano Unica 2024 report", published="2024")
    assert reopen(seeded).node_sources(node)[0].source.title == "Milano Unica 2024 report"
    with pytest.raises(InvalidInput):
        seeded.edit_source(src.id, published="July")
    seeded.unlink_source(link)
    assert reopen(seeded).node_sources(node) == []
    assert seeded.link_source(src.id, node) == link  # relinking revives the same link


def test_meetings_and_agenda_order(seeded: Briefing) -> None:
    m = seeded.create_meeting("Vice-ministerial dialogue", date="2025-03", place="Rome", classification="RESTRICTED")
    ids = [seeded.add_agenda_item(m.id, seeded.node_by_ref(r).id).id for r in ("1.1.1", "2.3.1", "3.2.1")]
    seeded.move_agenda_item(ids[2], 0)
    assert [a.ref for a in reopen(seeded).agenda(m.id)] == ["3.2.1", "1.1.1", "2.3.1"]
    seeded.remove_agenda_item(ids[0])
    assert [a.ref for a in seeded.agenda(m.id)] == ["3.2.1", "2.3.1"]
    seeded.restore_agenda_item(ids[0], index=1)
    assert [a.ref for a in seeded.agenda(m.id)] == ["3.2.1", "1.1.1", "2.3.1"]
    seeded.set_agenda_points(ids[1], "- Raise the 2035 timeline")
    assert reopen(seeded).agenda_item(ids[1]).points == "- Raise the 2035 timeline"
    seeded.edit_meeting(m.id, place="Palazzo Chigi, Rome")
    assert reopen(seeded).meeting(m.id).place == "Palazzo Chigi, Rome"
    with pytest.raises(InvalidInput):
        seeded.edit_meeting(m.id, date="next week")


def test_user_text_is_stored_exactly(seeded: Briefing) -> None:
    hostile = '<img src="/etc/passwd"> <font name=x> & ]]> \x00\x0b 😀 高市早苗 città'
    node = seeded.node_by_ref("1.1.1").id
    note = seeded.add_note(node, "risk", hostile)
    assert reopen(seeded).note(note.id).body == hostile
