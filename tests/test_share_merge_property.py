"""Merge property: random edits on two copies of one file, merged both ways.

Every note either side wrote is in both results (its last text, also where the
other side deleted that note without having seen the text), and the two results
have equal content. tests/test_share_after_merge_property.py goes on from here:
restores, dismissals, combinations, undo and redo, on two and three copies.
Two rounds, so the second merge runs on files that already merged once.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from share_helpers import content, make_small

from db.briefing.facade import Briefing
from db.model.errors import NotFound
from db.model.values import NOTE_KINDS, STATUSES, STATUSES_NEEDING_COMMENT
from db.sharing.merge import merge_into

REFS = [f"{a}.{i}.{c}" for a in (1, 2) for i in (1, 2) for c in (1, 2, 3)]

op = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(REFS), st.sampled_from(NOTE_KINDS)),
    st.tuples(st.just("edit"), st.integers(0, 3), st.none()),
    st.tuples(st.just("kind"), st.integers(0, 3), st.sampled_from(NOTE_KINDS)),
    st.tuples(st.just("delete"), st.integers(0, 3), st.none()),
    st.tuples(st.just("status"), st.sampled_from(REFS), st.sampled_from(STATUSES)),
)
script = st.lists(st.tuples(st.sampled_from("AB"), op), max_size=10)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_small(tmp_path_factory.mktemp("prop") / "base.sqlite")


def _note_ids(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM note ORDER BY created_at, id")]
    finally:
        conn.close()


def _run(
    steps, files: dict[str, Path], written: dict[str, dict[str, str]], deleted: dict[str, set[str]], round_no: int
) -> None:
    opened = {side: Briefing.open(path, user=f"user{side}") for side, path in files.items()}
    known = {side: _note_ids(path) for side, path in files.items()}
    counter = 0
    try:
        for side, (kind, arg, extra) in steps:
            b = opened[side]
            counter += 1
            text = f"{side} wrote text {counter} in round {round_no}"
            try:
                if kind == "add":
                    note = b.add_note(b.node_by_ref(arg).id, extra, text)
                    known[side].append(note.id)
                    written[side][note.id] = text
                elif kind in ("edit", "kind", "delete") and known[side]:
                    nid = known[side][arg % len(known[side])]
                    if kind == "edit":
                        b.edit_note(nid, body=text)
                        written[side][nid] = text
                    elif kind == "kind":
                        b.edit_note(nid, kind=extra)
                    else:
                        b.delete_note(nid)
                        deleted[side].add(nid)
                        written[side].pop(nid, None)
                elif kind == "status":
                    comment = "needed" if extra in STATUSES_NEEDING_COMMENT else ""
                    b.set_status(b.node_by_ref(arg).id, extra, comment)
            except NotFound:
                pass  # the note was deleted on this side earlier in the script
    finally:
        for b in opened.values():
            b.close()


def _merge_both_ways(a: Path, b: Path) -> None:
    a0, b0 = a.with_name("a0.sqlite"), b.with_name("b0.sqlite")
    shutil.copyfile(a, a0)
    shutil.copyfile(b, b0)
    with Briefing.open(a, user="merger") as f:
        merge_into(f, b0)
    with Briefing.open(b, user="merger") as f:
        merge_into(f, a0)
    for p in [*list(a.parent.glob("*.bak")), a0, b0]:
        p.unlink()


def _live_bodies(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT body FROM note WHERE deleted_at IS NULL")}
    finally:
        conn.close()


@settings(max_examples=int(os.environ.get("BRIEFBOOK_PROPERTY_EXAMPLES", "30")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=script, second=script)
def test_random_edits_merged_both_ways_keep_every_note_and_agree(
    base: Path, tmp_path_factory: pytest.TempPathFactory, first, second
) -> None:
    work = tmp_path_factory.mktemp("example")
    files = {"A": work / "a.sqlite", "B": work / "b.sqlite"}
    for path in files.values():
        shutil.copyfile(base, path)
    for round_no, steps in enumerate((first, second)):
        written: dict[str, dict[str, str]] = {"A": {}, "B": {}}
        deleted: dict[str, set[str]] = {"A": set(), "B": set()}
        _run(steps, files, written, deleted, round_no)
        ids_before = set(_note_ids(files["A"])) | set(_note_ids(files["B"]))
        _merge_both_ways(files["A"], files["B"])
        assert content(files["A"]) == content(files["B"])
        assert ids_before <= set(_note_ids(files["A"]))
        bodies = _live_bodies(files["A"])
        for side in ("A", "B"):
            # Also where the other side deleted the note: it had never seen this text, so the
            # edit beats the deletion (the note stays, or the text is its conflicting copy).
            for text in written[side].values():
                assert text in bodies, f"{side}'s text {text!r} was lost"
