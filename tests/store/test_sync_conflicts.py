"""The merge issue's collisions, through the team store: the same rules as the
file merge (db.sharing.three_way.merge_row), reported in words, nothing lost, and
every file converging after one more sync."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sync_helpers import same_content, sync

from db.briefing.facade import Briefing
from db.model.errors import NotFound
from db.model.values import NodeInfo


def _commitment(briefing: Briefing, n: int) -> NodeInfo:
    return [x for x in briefing.nodes() if x.kind == "commitment"][n]


@pytest.fixture
def pair(store: str, seeded_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Ana's seeded file in the store, and Ben's laptop made from the store."""
    a = tmp_path / "ana.sqlite"
    shutil.copyfile(seeded_path, a)
    sync(a, store, "ana")
    b = tmp_path / "ben.sqlite"
    sync(b, store, "ben")
    return a, b


def _converge(store: str, a: Path, b: Path) -> None:
    """After each syncs once more (whoever synced last), both files are the same."""
    sync(b, store, "ben")
    sync(a, store, "ana")
    assert same_content(a, b)
    assert not sync(b, store, "ben").changed and not sync(a, store, "ana").changed


@pytest.mark.parametrize("deleter_first", [True, False])
def test_edit_against_delete_keeps_the_edit_and_says_so(
    store: str, pair: tuple[Path, Path], deleter_first: bool
) -> None:
    a, b = pair
    with Briefing.open(a, user="ana") as ba:
        note = ba.notes_since("2000")[0]  # a shipped note both files have
        meeting = ba.meetings()[0]
        source = ba.sources()[0]
        ba.edit_note(note.id, body="Ana rewrote this note.")
        ba.edit_meeting(meeting.id, place="Ana's place")
        ba.edit_source(source.id, url="https://example.org/ana")
    with Briefing.open(b, user="ben") as bb:
        bb.delete_note(note.id)
        bb.delete_meeting(meeting.id)
        bb.delete_source(source.id)
    first, second = ((b, "ben"), (a, "ana")) if deleter_first else ((a, "ana"), (b, "ben"))
    sync(first[0], store, first[1])
    report = sync(second[0], store, second[1])
    kept = [line for line in report.conflicts if "Kept ana's edit of" in line and "which ben had deleted" in line]
    assert len(kept) == 3, report.conflicts
    _converge(store, a, b)
    with Briefing.open(b) as bb:
        assert bb.note(note.id).body == "Ana rewrote this note."  # live again
        assert bb.meeting(meeting.id).place == "Ana's place"
        assert bb.source(source.id).url == "https://example.org/ana"


def test_different_fields_of_one_row_all_survive_without_a_conflict(store: str, pair: tuple[Path, Path]) -> None:
    a, b = pair
    with Briefing.open(a, user="ana") as ba:
        meeting, source = ba.meetings()[0], ba.sources()[0]
        commitment = ba.node_by_ref("1.1.1")
        note = ba.add_note(commitment.id, "background", "A note both will change.")
    sync(a, store, "ana")
    sync(b, store, "ben")
    with Briefing.open(a, user="ana") as ba:
        ba.edit_meeting(meeting.id, place="Osaka")
        ba.edit_source(source.id, url="https://example.org/new")
        ba.set_lead_office(commitment.id, "Europe Division")
        ba.edit_note(note.id, kind="risk")
    with Briefing.open(b, user="ben") as bb:
        bb.edit_meeting(meeting.id, purpose="Review the plan")
        bb.edit_source(source.id, excerpt="Ben's excerpt")
        bb.set_status(commitment.id, "achieved")
        bb.edit_note(note.id, body="Ben's body.")
    sync(a, store, "ana")
    report = sync(b, store, "ben")
    assert report.conflicts == []
    _converge(store, a, b)
    with Briefing.open(a) as ba:
        m, s, c, n = ba.meeting(meeting.id), ba.source(source.id), ba.node(commitment.id), ba.note(note.id)
        assert (m.place, m.purpose) == ("Osaka", "Review the plan")
        assert (s.url, s.excerpt) == ("https://example.org/new", "Ben's excerpt")
        assert (c.lead_office, c.status) == ("Europe Division", "achieved")
        assert (n.kind, n.body) == ("risk", "Ben's body.")


def test_same_field_on_both_sides_keeps_one_and_reports_the_other(store: str, pair: tuple[Path, Path]) -> None:
    a, b = pair
    with Briefing.open(a, user="ana") as ba:
        commitment = ba.node_by_ref("1.1.1")
        note = ba.add_note(commitment.id, "background", "The original text.")
        meeting = ba.meetings()[0]
    sync(a, store, "ana")
    sync(b, store, "ben")
    with Briefing.open(a, user="ana") as ba:
        ba.edit_note(note.id, body="Ana's text.")
        ba.edit_meeting(meeting.id, purpose="Ana's purpose")
        ba.set_status(commitment.id, "on_track")
    with Briefing.open(b, user="ben") as bb:
        bb.edit_note(note.id, body="Ben's text.")
        bb.edit_meeting(meeting.id, purpose="Ben's purpose")
        bb.set_status(commitment.id, "with_challenges", "Funding is late.")
    sync(a, store, "ana")
    report = sync(b, store, "ben")  # Ben's versions are newer
    text = " ".join(report.conflicts)  # the file merge's own sentences (db.sharing.words)
    assert "ben and ana both rewrote the background note on 1.1.1" in text
    assert "ben's text stays, and ana's text is kept beside it as a conflicting copy" in text
    assert "ben and ana both changed the purpose of the meeting" in text
    assert "ana's “Ana's purpose” is set aside (File > Conflicts in the window, or 'briefbook conflicts')" in text
    assert "both changed the status of 1.1.1: it is With challenges (ben's later change); ana's On track" in text
    _converge(store, a, b)
    with Briefing.open(a) as ba:
        bodies = sorted(n.body for n in ba.notes(commitment.id) if n.body in ("Ana's text.", "Ben's text."))
        assert bodies == ["Ana's text.", "Ben's text."]  # nothing lost: the other text is a note of its own
        history = [h.to_status for h in ba.status_history(commitment.id)]
        assert "on_track" in history and "with_challenges" in history
        assert ba.node(commitment.id).status == "with_challenges"


def test_agenda_order_changed_on_both_sides_keeps_every_item(store: str, pair: tuple[Path, Path]) -> None:
    a, b = pair
    with Briefing.open(a, user="ana") as ba:
        meeting = next(m for m in ba.meetings() if len(ba.agenda(m.id)) >= 3)
        items = [i.id for i in ba.agenda(meeting.id)]
        ba.move_agenda_item(items[0], 2)
    with Briefing.open(b, user="ben") as bb:
        bb.move_agenda_item(items[2], 0)
    sync(a, store, "ana")
    report = sync(b, store, "ben")
    assert any("both reordered the agenda" in line for line in report.conflicts), report.conflicts
    _converge(store, a, b)
    with Briefing.open(a) as ba:
        assert sorted(i.id for i in ba.agenda(meeting.id)) == sorted(items)


def test_a_deletion_of_an_unedited_row_travels(store: str, pair: tuple[Path, Path]) -> None:
    a, b = pair
    with Briefing.open(b, user="ben") as bb:
        note = bb.add_note(_commitment(bb, 2).id, "question", "Ben's question.")
    sync(b, store, "ben")
    sync(a, store, "ana")
    with Briefing.open(a, user="ana") as ba:
        ba.delete_note(note.id)
    assert sync(a, store, "ana").up["notes"].deleted == 1
    report = sync(b, store, "ben")
    assert report.down["notes"].deleted == 1 and report.conflicts == []
    with Briefing.open(b) as bb:
        with pytest.raises(NotFound):
            bb.note(note.id)
        assert not bb.search("Ben's question")
    assert same_content(a, b)  # the tombstone travelled: a deleted row, not a gap


def test_a_file_merge_and_a_sync_agree(store: str, pair: tuple[Path, Path], tmp_path: Path) -> None:
    # Ana passes Ben's unsynced copy around by hand, then both sync: nothing doubles.
    from db.sharing.merge import merge_into

    a, b = pair
    with Briefing.open(b, user="ben") as bb:
        bb.add_note(_commitment(bb, 1).id, "update", "Ben's update, passed by hand.")
    with Briefing.open(a, user="ana") as ba:
        merge_into(ba, b)
    sync(a, store, "ana")
    report = sync(b, store, "ben")
    assert report.conflicts == [] and report.down["notes"].total == 0
    _converge(store, a, b)


def test_a_note_both_rewrote_keeps_each_text_under_its_writer_and_a_restore_travels(
    store: str, pair: tuple[Path, Path]
) -> None:
    """The byline travels with the text through the store, as in a file merge; a restore
    (a swap) on one laptop reaches the other with both texts still there."""
    a, b = pair
    with Briefing.open(a, user="Ana Bianchi") as ba:
        note = ba.add_note(ba.node_by_ref("1.1.1").id, "talking_point", "The first point.")
    sync(a, store, "Ana Bianchi")
    sync(b, store, "Ben Sato")
    with Briefing.open(b, user="Ben Sato") as bb:
        bb.edit_note(note.id, body="Ben's point.", author="Marco Rossi")  # written for Marco, signed so
    with Briefing.open(a, user="Ana Bianchi") as ba:
        ba.edit_note(note.id, body="Ana's point.")
    sync(b, store, "Ben Sato")
    report = sync(a, store, "Ana Bianchi")
    assert any("Ana Bianchi and Marco Rossi both rewrote" in line for line in report.conflicts), report.conflicts
    _converge(store, a, b)
    for path in (a, b):
        with Briefing.open(path) as f:
            texts = {(n.body, n.author) for n in f.notes(f.node_by_ref("1.1.1").id) if n.kind == "talking_point"}
            assert texts == {("Ana's point.", "Ana Bianchi"), ("Ben's point.", "Marco Rossi")}, path
    with Briefing.open(b, user="Ben Sato") as bb:
        [item] = bb.set_aside()
        bb.restore_set_aside(item.id)
    _converge(store, a, b)
    with Briefing.open(a) as f:
        assert (f.note(note.id).body, f.note(note.id).author) == ("Ben's point.", "Marco Rossi")
        assert [(c.value, c.other_by) for c in f.set_aside()] == [("Ana's point.", "Ana Bianchi")]
