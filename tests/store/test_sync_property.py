"""Random edits on three laptops, synced in random order: all converge, and no
change a laptop had not yet sent is lost (kept, or kept as a conflicting copy)."""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pgcluster import Cluster
from share_helpers import make_small
from sync_helpers import same_content, sync

from db.briefing.facade import Briefing

LAPTOPS = 3
_db = itertools.count(1)

ops = st.lists(
    st.tuples(
        st.integers(0, LAPTOPS - 1),
        st.sampled_from(["add", "edit", "kind", "delete", "status", "place", "purpose", "sync", "sync", "restore",
                         "dismiss"]),
        st.integers(0, 50),
    ),
    min_size=4,
    max_size=14,
)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=ops)
def test_random_edits_converge_and_nothing_unsent_is_lost(pg: Cluster, steps: list[tuple[int, str, int]]) -> None:
    name = f"prop_{next(_db)}"
    pg.admin(f"CREATE DATABASE {name}")
    url = pg.admin_url(name)
    from db.sharing.store.schema import init_store

    init_store(url)
    tmp = Path(tempfile.mkdtemp(prefix="briefbook-prop-"))
    try:
        origin = make_small(tmp / "origin.sqlite", user="origin")
        with Briefing.open(origin, user="origin") as b:
            meeting = b.create_meeting("Strategic dialogue", place="Rome", purpose="Review")
        sync(origin, url, "origin")
        files = []
        for i in range(LAPTOPS):
            shutil.copyfile(origin, tmp / f"l{i}.sqlite")
            files.append(tmp / f"l{i}.sqlite")
        unsent: list[dict[str, str]] = [{} for _ in range(LAPTOPS)]  # note id -> body not yet sent
        places: list[dict[str, str]] = [{} for _ in range(LAPTOPS)]  # meeting field -> value not yet sent
        for n, (i, op, k) in enumerate(steps):
            user = f"user{i}"
            if op == "sync":
                sync(files[i], url, user)
                unsent[i].clear()
                places[i].clear()
                continue
            with Briefing.open(files[i], user=user) as b:
                notes = b.notes_since("2000")
                nodes = [x for x in b.nodes() if x.kind == "commitment"]
                items = b.set_aside()
                if op in ("restore", "dismiss") and items:
                    # A restore swaps (both texts stay); a dismissal drops the set-aside text, which
                    # this laptop's person has seen: it may go.
                    item = items[k % len(items)]
                    if op == "restore":
                        b.restore_set_aside(item.id)
                    else:
                        b.dismiss_set_aside(item.id)
                        for u in unsent:
                            for nid, body in list(u.items()):
                                if body == item.value:
                                    del u[nid]
                        for p in places:
                            for f, v in list(p.items()):
                                if v == item.value:
                                    del p[f]
                    continue
                if op in ("add", "restore", "dismiss") or not notes:
                    body = f"{user} added {n}."
                    unsent[i][b.add_note(nodes[k % len(nodes)].id, "update", body).id] = body
                elif op == "edit":
                    body = f"{user} rewrote {n}."
                    unsent[i][b.edit_note(notes[k % len(notes)].id, body=body).id] = body
                elif op == "kind":
                    b.edit_note(notes[k % len(notes)].id, kind=["risk", "question"][k % 2])
                elif op == "delete":
                    note = notes[k % len(notes)]
                    b.delete_note(note.id)
                    unsent[i].pop(note.id, None)
                elif op in ("place", "purpose"):
                    value = f"{user}'s {op} {n}"
                    b.edit_meeting(meeting.id, **{op: value})
                    places[i][op] = value
                else:
                    b.set_status(nodes[k % len(nodes)].id, ["on_track", "achieved"][k % 2])
        pending = {body for u in unsent for body in u.values()}
        pending_fields = {(f, v) for p in places for f, v in p.items()}
        for _ in range(2):
            for i, path in enumerate(files):
                sync(path, url, f"user{i}")
        assert same_content(*files)
        with Briefing.open(files[0]) as b:
            live = {x.body for x in b.notes_since("2000")}
            m = b.meeting(meeting.id)
            set_aside = {(c.field, c.value) for c in b.set_aside() if c.kind == "field" and c.table == "meeting"}
        assert pending <= live, pending - live
        kept = {("place", m.place), ("purpose", m.purpose)}
        assert pending_fields <= kept | set_aside, pending_fields - kept - set_aside  # kept, or in Conflicts
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
