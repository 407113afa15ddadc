"""Syncing files with a real team store: up, down, both, a file made from the
store, a second sync that finds nothing, deletions as tombstones."""

from __future__ import annotations

import shutil
from pathlib import Path

from share_helpers import make_small
from sync_helpers import content, same_content, sync

from db.briefing.facade import Briefing


def test_first_sync_sends_everything_and_a_new_laptop_starts_from_the_store(store: str, tmp_path: Path) -> None:
    a = make_small(tmp_path / "a.sqlite", user="ana")
    report = sync(a, store, "ana")
    assert report.up["notes"].added == 2 and report.up["nodes"].added > 10 and not report.conflicts
    assert report.status_changes_up == 0 and report.store_seq > 0
    b = tmp_path / "b.sqlite"
    made = sync(b, store, "ben")
    assert made.created_file and made.down["notes"].added == 2
    assert same_content(a, b)
    with Briefing.open(b) as briefing:  # the search index was built from what came down
        assert briefing.search("risk everyone")
        assert briefing.meta("store.seq") == str(made.store_seq)
    again = sync(a, store, "ana")
    assert not again.changed and "In step with the team store" in again.summary()[0]


def test_changes_on_both_sides_meet(store: str, tmp_path: Path) -> None:
    a = make_small(tmp_path / "a.sqlite", user="ana")
    sync(a, store, "ana")
    b = tmp_path / "b.sqlite"
    sync(b, store, "ben")
    with Briefing.open(a, user="ana") as ba:
        node = ba.node_by_ref("1.1.2")
        ba.add_note(node.id, "talking_point", "Ana's talking point.")
        ba.set_status(node.id, "on_track")
    with Briefing.open(b, user="ben") as bb:
        note = bb.notes(bb.node_by_ref("1.1.1").id)[0]
        bb.edit_note(note.id, body="Ben rewrote the background.")
        bb.delete_note(bb.notes(bb.node_by_ref("1.1.1").id)[1].id)
    up = sync(a, store, "ana")
    assert up.up["notes"].added == 1 and up.up["nodes"].updated == 1 and up.status_changes_up == 1
    both = sync(b, store, "ben")
    assert both.down["notes"].added == 1 and both.status_changes_down == 1
    assert both.up["notes"].updated == 1 and both.up["notes"].deleted == 1
    last = sync(a, store, "ana")
    assert last.down["notes"].updated == 1 and last.down["notes"].deleted == 1
    assert same_content(a, b)
    with Briefing.open(a) as ba:
        bodies = {n.body for n in ba.notes(ba.node_by_ref("1.1.1").id)}
        assert bodies == {"Ben rewrote the background."}
        assert ba.node_by_ref("1.1.2").status == "on_track"


def test_an_existing_file_meets_a_store_made_from_an_independent_copy(store: str, tmp_path: Path) -> None:
    # Two laptops that made the same file independently (same derived ids, other stamps).
    a = make_small(tmp_path / "a.sqlite", user="ana")
    b = make_small(tmp_path / "b.sqlite", user="ben")
    sync(a, store, "ana")
    sync(b, store, "ben")
    sync(a, store, "ana")
    assert same_content(a, b)
    with Briefing.open(a) as ba:
        assert ba.counts()["plans"] == 1


def test_a_copy_of_a_synced_file_syncs_as_its_own_laptop(store: str, tmp_path: Path) -> None:
    a = make_small(tmp_path / "a.sqlite", user="ana")
    sync(a, store, "ana")
    c = tmp_path / "c.sqlite"
    shutil.copyfile(a, c)  # a colleague takes a copy of the synced file
    with Briefing.open(c, user="carla") as bc:
        bc.add_note(bc.node_by_ref("2.1.1").id, "risk", "Carla's risk.")
    assert sync(c, store, "carla").up["notes"].added == 1
    assert sync(a, store, "ana").down["notes"].added == 1
    assert content(a) == content(c)


def test_a_sync_that_brings_changes_keeps_the_file_as_it_was_beside_it(store: str, tmp_path: Path) -> None:
    from db.disk import file as dbfile

    a = make_small(tmp_path / "a.sqlite", user="ana")
    first = sync(a, store, "ana")
    assert first.backup == "" and dbfile.backups_of(a) == []  # only sent: nothing here changed
    b = tmp_path / "b.sqlite"
    assert sync(b, store, "ben").backup == ""  # made from the store: there was nothing to keep
    with Briefing.open(b, user="ben") as bb:
        bb.add_note(bb.node_by_ref("1.1.2").id, "risk", "Ben's new risk.")
    assert sync(b, store, "ben").backup == ""  # sent up, nothing came down
    before = content(a)
    brought = sync(a, store, "ana")
    assert brought.down["notes"].added == 1
    backup = Path(brought.backup)
    assert dbfile.backups_of(a) == [backup] and backup.name.startswith("a.sync-")
    assert content(backup) == before  # the file as it was, before Ben's note came in
    assert any(backup.name in line for line in brought.summary())
    assert brought.to_json()["backup"] == str(backup)
    assert sync(a, store, "ana").backup == ""  # nothing new: no further copy

