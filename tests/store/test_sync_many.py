"""Twenty laptops syncing at once with one store: every change any of them
made is in the store and, after each syncs once more, in every file."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from share_helpers import make_small
from sync_helpers import content, sync

from db.briefing.facade import Briefing

CLIENTS = 20


def test_twenty_concurrent_clients_converge_and_lose_nothing(store: str, tmp_path: Path) -> None:
    origin = make_small(tmp_path / "origin.sqlite", user="origin")
    sync(origin, store, "origin")
    with Briefing.open(origin) as b:
        shared = b.notes(b.node_by_ref("1.1.1").id)[0]
        refs = [n.ref for n in b.nodes() if n.kind == "commitment"]
    files = []
    for i in range(CLIENTS):
        path = tmp_path / f"laptop{i}.sqlite"
        shutil.copyfile(origin, path)
        user = f"user{i}"
        with Briefing.open(path, user=user) as b:
            for j in range(5):
                b.add_note(b.node_by_ref(refs[(i + j) % len(refs)]).id, "update", f"Note {j} of {user}.")
            b.edit_note(shared.id, body=f"{user}'s version of the shared note.")  # everyone edits one note
            b.set_status(b.node_by_ref(refs[i % len(refs)]).id, "on_track")
        files.append((path, user))

    errors: list[BaseException] = []
    start = threading.Barrier(CLIENTS)

    def run(path: Path, user: str) -> None:
        try:
            start.wait()
            sync(path, store, user)
        except BaseException as exc:  # reported below, with the thread's own error
            errors.append(exc)

    threads = [threading.Thread(target=run, args=f) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    for path, user in files:  # each syncs once more
        sync(path, store, user)
    first = content(files[0][0])
    assert all(content(path) == first for path, _ in files[1:])
    with Briefing.open(files[0][0]) as b:
        bodies = {n.body for n in b.notes_since("2000")}
        for i in range(CLIENTS):
            assert {f"Note {j} of user{i}." for j in range(5)} <= bodies
            assert f"user{i}'s version of the shared note." in bodies  # kept, or kept as a conflicting copy
        assert sum(1 for n in b.nodes() if n.status == "on_track") >= min(CLIENTS, len(refs))
        assert len([c for r in refs for c in b.status_history(b.node_by_ref(r).id)]) == CLIENTS
