"""A store that goes away mid-sync, cannot be reached, is too new, or holds rows
that are not what they claim: nothing half applied on either side."""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
import pytest
from pgcluster import Cluster
from share_helpers import make_small, sha
from sync_helpers import content, same_content, sync

from db.briefing.facade import Briefing
from db.sharing.store.errors import StoreDataRefused, StoreRefused, StoreUnreachable
from db.sharing.store.sync import sync_file


def _store_rows(url: str) -> dict[str, list[tuple]]:
    with psycopg.connect(url) as conn:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                for t in ("plan", "node", "note", "status_change", "row_version", "merge_conflict")}  # fmt: skip


@pytest.mark.parametrize("when", ["Merging…", "Sending this file's changes…", "Saving in the team store…"])
def test_a_store_that_goes_away_mid_sync_leaves_both_sides_as_they_were(
    pg: Cluster, store: str, tmp_path: Path, when: str
) -> None:
    a = make_small(tmp_path / "a.sqlite", user="ana")
    sync(a, store, "ana")
    b = tmp_path / "b.sqlite"
    shutil.copyfile(a, b)
    with Briefing.open(b, user="ben") as bb:
        bb.add_note(bb.node_by_ref("1.2.1").id, "update", "Ben's new note.")
        bb.edit_note(bb.notes(bb.node_by_ref("1.1.1").id)[0].id, body="Ben's edit.")
    with Briefing.open(a, user="ana") as ba:
        ba.edit_note(ba.notes(ba.node_by_ref("1.1.1").id)[0].id, body="Ana's edit.")
    sync(a, store, "ana")
    before_store, before_file = _store_rows(store), sha(b)

    def cut(label: str) -> None:
        if label == when:  # the server ends this sync's connection, as when a network drops
            pg.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'briefbook'")

    with Briefing.open(b, user="ben") as bb, pytest.raises(StoreUnreachable, match="lost during the sync") as err:
        sync_file(bb, store, progress=cut)
    assert "nothing was changed in this file" in str(err.value) and "\n" not in str(err.value)
    assert sha(b) == before_file and _store_rows(store) == before_store
    report = sync(b, store, "ben")  # and the next try goes through
    assert report.up["notes"].added == 2 and len(report.conflicts) == 1  # the new note, the conflicting copy
    sync(a, store, "ana")
    assert same_content(a, b)


def test_an_unreachable_store_leaves_the_file_untouched(pg: Cluster, tmp_path: Path) -> None:
    a = make_small(tmp_path / "a.sqlite", user="ana")
    before = sha(a)
    with pytest.raises(StoreUnreachable, match=r"could not be reached .*keep working on this file offline"):
        sync(a, f"postgresql://ana@127.0.0.1:{_closed_port()}/desk?connect_timeout=3", "ana")
    assert sha(a) == before


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again at once: nothing listens there


def test_a_too_new_store_is_refused_before_anything_moves(store: str, tmp_path: Path) -> None:
    a = make_small(tmp_path / "a.sqlite", user="ana")
    before = sha(a)
    with psycopg.connect(store, autocommit=True) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 's0042' WHERE version_num = 's0001'")
    with pytest.raises(StoreRefused, match="newer briefbook"):
        sync(a, store, "ana")
    assert sha(a) == before


def test_an_empty_database_is_not_a_store_yet(empty_db: str, tmp_path: Path) -> None:
    a = make_small(tmp_path / "a.sqlite", user="ana")
    with pytest.raises(StoreRefused, match="not a team store yet: set it up with 'briefbook store init"):
        sync(a, empty_db, "ana")


@pytest.mark.parametrize(
    "tamper, says",
    [
        ("UPDATE note SET kind = 'gossip' WHERE id = (SELECT min(id) FROM note)", "kind 'gossip' is not known"),
        ("UPDATE node SET parent_id = id WHERE ref = '1.1'", "loop"),
        ("UPDATE node SET status = 'done' WHERE ref = '1.1.1'", "status 'done' is not known"),
        ("INSERT INTO note (id, node_id, kind, body, author, position, created_at, updated_at, updated_by) "
         "VALUES ('not-a-uuid', (SELECT min(id) FROM node), 'risk', 'x', '', 0, '2025-01-01T00:00:00.000000Z', "
         "'2025-01-01T00:00:00.000000Z', 'x')", "is not a UUID"),
        ("INSERT INTO note (id, node_id, kind, body, author, position, created_at, updated_at, updated_by) "
         "VALUES ('8d3b8a58-9b0e-4ad5-9d8e-7f6e5d4c3b2a', '8d3b8a58-9b0e-4ad5-9d8e-000000000000', 'risk', 'x', '', "
         "0, '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z', 'x')", "names a plan node that does not"),
    ],
)  # fmt: skip
def test_rows_that_are_not_what_they_claim_are_refused_before_they_touch_the_file(
    store: str, tmp_path: Path, tamper: str, says: str
) -> None:
    a = make_small(tmp_path / "a.sqlite", user="ana")
    sync(a, store, "ana")
    b = tmp_path / "b.sqlite"
    sync(b, store, "ben")
    with psycopg.connect(store, autocommit=True) as conn:
        conn.execute("ALTER TABLE note DROP CONSTRAINT IF EXISTS note_node_id_fkey")  # as a hostile store might
        conn.execute(tamper)
    with Briefing.open(b, user="ben") as bb:
        bb.add_note(bb.node_by_ref("2.1.1").id, "update", "Not sent while the store is bad.")
    before_file, before = sha(b), _store_rows(store)
    with pytest.raises(StoreDataRefused, match=says) as err:
        sync(b, store, "ben")
    assert "nothing was changed on either side" in str(err.value)
    assert sha(b) == before_file and _store_rows(store) == before
    assert content(b) != {}


def test_a_row_the_store_will_not_take_stops_the_sync_in_one_sentence(store: str, tmp_path: Path) -> None:
    import sqlite3

    from db.sharing.store.errors import StoreError

    a = make_small(tmp_path / "a.sqlite", user="ana")
    conn = sqlite3.connect(a)
    with conn:  # another program wrote text where a number belongs (SQLite lets it)
        conn.execute("UPDATE note SET position = 'first' WHERE rowid = 1")
    conn.close()
    before = sha(a)
    with pytest.raises(StoreError, match=r"failed .*nothing was changed in this file") as err:
        sync(a, store, "ana")
    assert "\n" not in str(err.value)
    assert sha(a) == before and _store_rows(store)["note"] == []
