"""Merging a colleague's copy: what comes in, what wins, what is kept, and
that both directions end with the same content."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from share_helpers import content, make_small, sha

from briefbook.cli.main import main
from db.briefing.facade import Briefing
from db.disk import file as dbfile
from db.model.errors import CorruptFile, NewerFile, NotABriefingFile
from db.sharing.merge import merge_into


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path]:
    base = make_small(tmp_path / "base.sqlite")
    a, b = tmp_path / "alice.sqlite", tmp_path / "bob.sqlite"
    shutil.copyfile(base, a)
    shutil.copyfile(base, b)
    return a, b


def _merge(ours: Path, theirs: Path, user: str = "merger"):
    with Briefing.open(ours, user=user) as b:
        return merge_into(b, theirs)


def _both_ways(a: Path, b: Path) -> tuple:
    """Merge b into a copy of a, and a into a copy of b; return both reports."""
    a0, b0 = a.with_name("a0.sqlite"), b.with_name("b0.sqlite")
    shutil.copyfile(a, a0)
    shutil.copyfile(b, b0)
    return _merge(a, b0), _merge(b, a0)


def _node(b: Briefing, ref: str):
    return b.node_by_ref(ref)


def test_new_rows_of_every_kind_come_in_and_the_file_is_searchable(copies: tuple[Path, Path]) -> None:
    a, b = copies
    with Briefing.open(b, user="bob") as bob:
        n = _node(bob, "2.1.3")
        bob.add_note(n.id, "question", "Bob asks about hydrogen pilots")
        s = bob.add_source("Bob's source", url="https://example.org/b")
        bob.link_source(s.id, n.id, "pinpoint")
        bob.add_attachment(s.id, "bob.pdf", b"%PDF- bob's bytes")
        m = bob.create_meeting("Vice-ministerial dialogue", date="2025-03")
        bob.add_agenda_item(m.id, n.id, "raise hydrogen")
        bob.set_status(n.id, "on_track")
    report = _merge(a, b)
    kinds = report.to_json()["kinds"]
    assert kinds["notes"]["added"] == 1 and kinds["sources"]["added"] == 1
    assert kinds["source_links"]["added"] == 1 and kinds["attachments"]["added"] == 1
    assert kinds["meetings"]["added"] == 1 and kinds["agenda_items"]["added"] == 1
    assert report.status_changes_added == 1 and report.backup and Path(report.backup).exists()
    json.dumps(report.to_json())  # plain JSON values
    with Briefing.open(a, read_only=True) as alice:
        n = _node(alice, "2.1.3")
        assert [x.body for x in alice.notes(n.id)] == ["Bob asks about hydrogen pilots"]
        (linked,) = alice.node_sources(n.id)
        assert linked.quote == "pinpoint"
        assert alice.attachment_data(linked.attachments[0].id) == b"%PDF- bob's bytes"
        assert alice.node(n.id).status == "on_track"
        assert [h.to_status for h in alice.status_history(n.id)] == ["on_track"]
        assert [h.row_id for h in alice.search("hydrogen pilots")]


def test_a_change_made_on_one_side_only_is_taken(copies: tuple[Path, Path]) -> None:
    a, b = copies
    with Briefing.open(a, user="alice") as alice:
        note = alice.notes(_node(alice, "1.1.1").id)[0]
    # Alice's side is untouched; Bob edits later, then Alice merges Bob's copy...
    with Briefing.open(b, user="bob") as bob:
        bob.edit_note(note.id, body="Bob's better background.")
    _merge(a, b)
    with Briefing.open(a, read_only=True) as alice:
        notes = alice.notes(note.node_id)
    assert "Bob's better background." in [n.body for n in notes] and note.body not in [n.body for n in notes]
    assert all(n.conflict_of is None for n in notes)


def test_an_older_unchanged_copy_does_not_undo_our_edit(copies: tuple[Path, Path]) -> None:
    a, b = copies
    with Briefing.open(a, user="alice") as alice:
        note = alice.notes(_node(alice, "1.1.1").id)[0]
        alice.edit_note(note.id, body="Alice's edit.")
    report = _merge(a, b)  # Bob never touched it: his version is an ancestor of Alice's
    assert report.to_json()["kinds"]["notes"] == {"added": 0, "updated": 0, "conflicts": 0, "deleted": 0}
    with Briefing.open(a, read_only=True) as alice:
        assert alice.note(note.id).body == "Alice's edit."


def test_text_edited_on_both_sides_keeps_both_versions(copies: tuple[Path, Path]) -> None:
    a, b = copies
    with Briefing.open(a, user="alice") as alice:
        note = alice.notes(_node(alice, "1.1.1").id)[0]
        alice.edit_note(note.id, body="Alice's version.")
    time.sleep(0.002)
    with Briefing.open(b, user="bob") as bob:
        bob.edit_note(note.id, body="Bob's version, written later.")
    r1, r2 = _both_ways(a, b)
    assert r1.conflicts == r2.conflicts == 1
    assert content(a) == content(b)
    with Briefing.open(a, read_only=True) as alice:
        notes = {n.body: n for n in alice.notes(note.node_id)}
    assert notes["Bob's version, written later."].id == note.id  # the newer text stays in place
    copy = notes["Alice's version."]
    assert copy.conflict_of == note.id and copy.author == "alice" and copy.id != note.id
    # Merging either original again changes nothing.
    for path, other in ((a, a.with_name("b0.sqlite")), (b, b.with_name("a0.sqlite"))):
        before = content(path)
        assert not _merge(path, other).changed
        assert content(path) == before


def test_kind_changed_on_one_side_and_text_on_the_other_keeps_both_changes(copies: tuple[Path, Path]) -> None:
    a, b = copies
    with Briefing.open(a, user="alice") as alice:
        note = alice.notes(_node(alice, "1.1.1").id)[0]
        alice.edit_note(note.id, body="Alice rewrote the text.")
    time.sleep(0.002)
    with Briefing.open(b, user="bob") as bob:
        bob.edit_note(note.id, kind="talking_point")
    _both_ways(a, b)
    assert content(a) == content(b)
    with Briefing.open(a, read_only=True) as alice:
        merged = alice.note(note.id)
        assert (merged.body, merged.kind) == ("Alice rewrote the text.", "talking_point")
        assert not [n for n in alice.notes(note.node_id) if n.conflict_of]


def test_a_deletion_travels_unless_the_other_side_edited_after_it(copies: tuple[Path, Path]) -> None:
    a, b = copies
    with Briefing.open(a, user="alice") as alice:
        first, second = alice.notes(_node(alice, "1.1.1").id)
        alice.delete_note(first.id)
        alice.delete_note(second.id)
    time.sleep(0.002)
    with Briefing.open(b, user="bob") as bob:
        bob.edit_note(second.id, body="Bob still needs this risk.")
    _r1, r2 = _both_ways(a, b)
    assert content(a) == content(b)
    assert r2.to_json()["kinds"]["notes"]["deleted"] == 1  # Bob's copy lost the untouched note
    with Briefing.open(b, read_only=True) as bob:
        assert [n.body for n in bob.notes(first.node_id)] == ["Bob still needs this risk."]
        assert not bob.search("Background written before")


def test_status_histories_merge_into_one_and_the_latest_change_counts(copies: tuple[Path, Path]) -> None:
    a, b = copies
    with Briefing.open(a, user="alice") as alice:
        node = _node(alice, "1.2.1")
        alice.set_status(node.id, "on_track")
    time.sleep(0.002)
    with Briefing.open(b, user="bob") as bob:
        bob.set_status(node.id, "with_challenges", comment="Funding delayed.")
    time.sleep(0.002)
    with Briefing.open(a, user="alice") as alice:
        alice.set_lead_office(node.id, "Economic Affairs Bureau")  # Alice's node row is now the newer one
    _both_ways(a, b)
    assert content(a) == content(b)
    with Briefing.open(a, read_only=True) as alice:
        merged = alice.node(node.id)
        assert [h.to_status for h in alice.status_history(node.id)] == ["on_track", "with_challenges"]
    assert merged.status == "with_challenges" and merged.status_changed_by == "bob"
    assert merged.lead_office == "Economic Affairs Bureau"


def test_the_same_attachment_bytes_are_stored_once(copies: tuple[Path, Path]) -> None:
    a, b = copies
    for path, user in ((a, "alice"), (b, "bob")):
        with Briefing.open(path, user=user) as f:
            s = f.sources()[0]
            f.add_attachment(s.id, f"{user}.pdf", b"the same PDF both of them saved")
    _merge(a, b)
    conn = sqlite3.connect(a)
    blobs = conn.execute("SELECT count(*) FROM blob").fetchone()[0]
    conn.close()
    assert blobs == 2  # the seed's report and the shared PDF, each once
    with Briefing.open(a, read_only=True) as alice:
        # One attachment too: its id derives from the source and the bytes; the later name wins.
        names = [att.filename for att in alice.attachments(alice.sources()[0].id)]
        assert len(names) == 2 and "bob.pdf" in names


def test_merging_twice_changes_nothing_and_makes_no_backup(copies: tuple[Path, Path]) -> None:
    a, b = copies
    with Briefing.open(b, user="bob") as bob:
        bob.add_note(_node(bob, "1.1.2").id, "update", "Bob's update")
    assert _merge(a, b).changed
    before, digest = content(a), sha(a)
    again = _merge(a, b)
    assert not again.changed and again.backup is None
    assert content(a) == before and sha(a) == digest
    assert again.summary() == ["Nothing new in bob.sqlite: this file already has everything in it."]


@pytest.mark.parametrize(
    "damage, error",
    [
        ("foreign", NotABriefingFile),
        ("newer", NewerFile),
        ("truncated", CorruptFile),
        ("text", NotABriefingFile),
    ],
)
def test_a_bad_copy_is_refused_before_anything_is_touched(
    copies: tuple[Path, Path], tmp_path: Path, damage: str, error: type
) -> None:
    a, b = copies
    bad = tmp_path / "bad.sqlite"
    if damage == "foreign":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE photos (id INTEGER)")
        conn.commit()
        conn.close()
    elif damage == "newer":
        shutil.copyfile(b, bad)
        conn = sqlite3.connect(bad)
        conn.execute(f"PRAGMA user_version = {dbfile.SCHEMA_VERSION + 1}")
        conn.commit()
        conn.close()
    elif damage == "truncated":
        data = b.read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    else:
        bad.write_text("not a database")
    ours, theirs = sha(a), sha(bad)
    with Briefing.open(a) as alice, pytest.raises(error):
        merge_into(alice, bad)
    assert sha(a) == ours and sha(bad) == theirs
    assert not list(tmp_path.glob("*.bak"))


def test_an_older_schema_copy_is_merged_without_changing_it(tmp_path: Path) -> None:
    fixture = Path(__file__).parent / "fixtures" / "schema1.sqlite"
    old = tmp_path / "old.sqlite"
    shutil.copyfile(fixture, old)
    ours = tmp_path / "ours.sqlite"
    shutil.copyfile(fixture, ours)
    with Briefing.open(ours, user="alice") as alice:
        node = alice.node_by_ref("2.1")
        alice.add_note(node.id, "update", "Alice's update after the upgrade")
    digest = sha(old)
    report = _merge(ours, old)
    assert sha(old) == digest
    assert not report.to_json()["kinds"]["notes"]["added"]


def test_cli_merge_prints_a_report_and_json(copies: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    a, b = copies
    with Briefing.open(b, user="bob") as bob:
        bob.add_note(_node(bob, "1.1.2").id, "update", "Bob's update")
    assert main(["merge", str(b), "--db", str(a), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kinds"]["notes"]["added"] == 1 and out["changed"] is True
    assert main(["merge", str(b), "--db", str(a)]) == 0
    assert "Nothing new in bob.sqlite" in capsys.readouterr().out
    assert main(["merge", str(a), "--db", str(a)]) == 1
    assert "this file itself" in capsys.readouterr().err
