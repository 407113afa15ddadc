"""Merge property over every synced table: random edits, deletions included, on
two and on three copies of one file, merged until they agree.

Afterwards every copy has the same content, and the last text each side wrote
into any field is still reachable (in its field, as a version set aside, or as
a conflicting note), unless that same side deleted the row itself afterwards.
Statuses: every status any side set is in the status history.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from share_helpers import content, make_small

from db.briefing.facade import Briefing
from db.model import ids
from db.model.errors import BriefbookError
from db.model.values import NOTE_KINDS, STATUSES, STATUSES_NEEDING_COMMENT
from db.sharing.merge import merge_into

REFS = ["1.1.1", "1.1.2", "1.2.1", "2.1.1"]

#: Each op: (what, target index, extra choice). Text values are made unique by the runner.
op = st.one_of(
    st.tuples(st.just("note_add"), st.sampled_from(REFS), st.sampled_from(NOTE_KINDS)),
    st.tuples(st.sampled_from(["note_body", "note_kind", "note_delete", "note_move", "note_response", "note_key"]),
              st.integers(0, 5), st.sampled_from(NOTE_KINDS)),
    st.tuples(st.just("status"), st.sampled_from(REFS), st.sampled_from(STATUSES)),
    st.tuples(st.just("lead_office"), st.sampled_from(REFS), st.none()),
    st.tuples(st.sampled_from(["source_title", "source_url", "source_excerpt", "source_outlet", "source_delete",
                               "link_quote", "link_add", "unlink", "attach"]),
              st.integers(0, 3), st.sampled_from(REFS)),
    st.tuples(st.sampled_from(["meeting_place", "meeting_purpose", "meeting_objectives", "meeting_press_line",
                               "meeting_delete", "agenda_points", "agenda_objective", "agenda_move", "agenda_remove",
                               "agenda_add"]),
              st.integers(0, 3), st.sampled_from(REFS)),
)  # fmt: skip
script = st.lists(st.tuples(st.integers(0, 2), op), max_size=12)

# field name -> how to read it from the file: (table, column)
TEXT_FIELDS = {
    "note_body": ("note", "body"), "lead_office": ("node", "lead_office"), "source_title": ("source", "title"),
    "source_url": ("source", "url"), "source_excerpt": ("source", "excerpt"), "source_outlet": ("source", "outlet"),
    "link_quote": ("source_link", "quote"), "meeting_place": ("meeting", "place"),
    "meeting_purpose": ("meeting", "purpose"), "agenda_points": ("agenda_item", "points"),
    "note_response": ("note", "response"), "meeting_objectives": ("meeting", "objectives"),
    "meeting_press_line": ("meeting", "press_line"), "agenda_objective": ("agenda_item", "objective"),
}  # fmt: skip


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = make_small(tmp_path_factory.mktemp("everything") / "base.sqlite")
    with Briefing.open(path, user="maker") as b:
        for title in ("Dialogue", "Summit"):
            m = b.create_meeting(title, date="2025-05-01", place="Rome", purpose="Review")
            for ref in REFS[:3]:
                b.add_agenda_item(m.id, b.node_by_ref(ref).id, f"Points on {ref}")
        b.add_source("Second report", outlet="Other News", url="https://example.org/2")
    return path


def _rows(path: Path, sql: str) -> list[Any]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


class Written:
    """The last text each side wrote into each (table, row, column), and what each side deleted."""

    def __init__(self) -> None:
        self.values: dict[tuple[int, str, str, str], str] = {}
        self.deleted: set[tuple[int, str, str]] = set()
        self.statuses: set[tuple[str, str]] = set()

    def wrote(self, side: int, table: str, row_id: str, column: str, value: str) -> None:
        self.values[(side, table, row_id, column)] = value
        self.deleted.discard((side, table, row_id))

    def removed(self, side: int, table: str, row_id: str) -> None:
        self.deleted.add((side, table, row_id))


def _run(steps: list[tuple[int, tuple[str, Any, Any]]], files: list[Path], w: Written, round_no: int) -> None:
    for n, (side, (kind, arg, extra)) in enumerate(steps):
        side %= len(files)
        text = f"side {side} wrote {kind} {n} in round {round_no}"
        # The row may be gone on this side, or the change refused: then nothing was written.
        with Briefing.open(files[side], user=f"user{side}") as b, contextlib.suppress(BriefbookError):
            _apply(b, side, kind, arg, extra, text, w)


def _apply(b: Briefing, side: int, kind: str, arg: Any, extra: Any, text: str, w: Written) -> None:
    notes = [n for ref in REFS for n in b.notes(b.node_by_ref(ref).id)]
    sources = b.sources()
    meetings = b.meetings()
    if kind == "note_add":
        note = b.add_note(b.node_by_ref(arg).id, extra, text)
        w.wrote(side, "note", note.id, "body", text)
    elif kind.startswith("note_") and notes:
        note = notes[arg % len(notes)]
        if kind == "note_body":
            b.edit_note(note.id, body=text)
            w.wrote(side, "note", note.id, "body", text)
        elif kind == "note_kind":
            b.edit_note(note.id, kind=extra)
        elif kind == "note_response":
            # An "if raised" note's response (the note becomes one, so the response is allowed).
            b.edit_note(note.id, kind="if_raised", response=text)
            w.wrote(side, "note", note.id, "response", text)
        elif kind == "note_key":
            b.set_note_key(note.id, not note.is_key)
        elif kind == "note_move":
            b.move_note(note.id, 0)
        else:
            b.delete_note(note.id)
            w.removed(side, "note", note.id)
    elif kind == "status":
        node = b.node_by_ref(arg)
        b.set_status(node.id, extra, "needed" if extra in STATUSES_NEEDING_COMMENT else "")
        w.statuses.add((node.id, extra))
    elif kind == "lead_office":
        node = b.node_by_ref(arg)
        b.set_lead_office(node.id, text)
        w.wrote(side, "node", node.id, "lead_office", text)
    elif kind.startswith(("source_", "link_", "unlink", "attach")) and sources:
        source = sources[arg % len(sources)]
        if kind == "source_delete":
            b.delete_source(source.id)
            w.removed(side, "source", source.id)
            for link in _rows(b.path, f"SELECT id FROM source_link WHERE source_id = '{source.id}'"):
                w.removed(side, "source_link", link[0])  # its citations go with it
        elif kind in ("source_title", "source_url", "source_excerpt", "source_outlet"):
            column = kind.removeprefix("source_")
            value = f"https://example.org/{abs(hash(text))}" if column == "url" else text
            b.edit_source(source.id, **{column: value})
            w.wrote(side, "source", source.id, column, value)
        elif kind == "link_add":
            # Linking a source where it is already cited sets that link's quote: this
            # writer's later value, which replaces their own earlier one.
            link_id = b.link_source(source.id, b.node_by_ref(extra).id, text)
            w.wrote(side, "source_link", link_id, "quote", text)
        elif kind == "link_quote":
            links = b.source_nodes(source.id)
            if links:
                link_id = ids.link_id(source.id, links[0][0].id)
                b.set_link_quote(link_id, text)
                w.wrote(side, "source_link", link_id, "quote", text)
        elif kind == "unlink":
            links = b.source_nodes(source.id)
            if links:
                link_id = ids.link_id(source.id, links[0][0].id)
                b.unlink_source(link_id)
                w.removed(side, "source_link", link_id)
        elif kind == "attach":
            b.add_attachment(source.id, f"{side}.txt", text.encode(), "text/plain")
    elif meetings:
        meeting = meetings[arg % len(meetings)]
        agenda = b.agenda(meeting.id)
        if kind == "meeting_delete":
            b.delete_meeting(meeting.id)
            w.removed(side, "meeting", meeting.id)
            for item in agenda:
                w.removed(side, "agenda_item", item.id)  # its agenda goes with it
        elif kind in ("meeting_place", "meeting_purpose", "meeting_objectives", "meeting_press_line"):
            column = kind.removeprefix("meeting_")
            b.edit_meeting(meeting.id, **{column: text})
            w.wrote(side, "meeting", meeting.id, column, text)
        elif kind == "agenda_add":
            b.add_agenda_item(meeting.id, b.node_by_ref(extra).id, text)
        elif agenda:
            item = agenda[arg % len(agenda)]
            if kind == "agenda_points":
                b.set_agenda_points(item.id, text)
                w.wrote(side, "agenda_item", item.id, "points", text)
            elif kind == "agenda_objective":
                b.set_agenda_objective(item.id, text)
                w.wrote(side, "agenda_item", item.id, "objective", text)
            elif kind == "agenda_move":
                b.move_agenda_item(item.id, 0)
            else:
                b.remove_agenda_item(item.id)
                w.removed(side, "agenda_item", item.id)


def _merge(ours: Path, theirs: Path) -> None:
    snapshot = theirs.with_name(theirs.stem + ".snap.sqlite")
    shutil.copyfile(theirs, snapshot)
    with Briefing.open(ours, user="merger") as f:
        merge_into(f, snapshot)
    snapshot.unlink()


def _converge(files: list[Path]) -> None:
    """Merge round the ring, then everything into the first and the first into the others."""
    for i in range(len(files)):
        _merge(files[(i + 1) % len(files)], files[i])
    for other in files[1:]:
        _merge(files[0], other)
    for other in files[1:]:
        _merge(other, files[0])


#: What a row needs to be seen: its parents live too (a note on a deleted node is not reachable).
PARENTS = {"note": [("node", "node_id")], "source_link": [("source", "source_id"), ("node", "node_id")],
           "agenda_item": [("meeting", "meeting_id"), ("node", "node_id")]}


def _reachable(path: Path, table: str, row_id: str, column: str) -> set[str]:
    parents = "".join(
        f" AND EXISTS (SELECT 1 FROM {p} WHERE {p}.id = t.{c} AND {p}.deleted_at IS NULL)"
        for p, c in PARENTS.get(table, [])
    )
    live = _rows(path, f"SELECT {column} FROM {table} t WHERE id = '{row_id}' AND deleted_at IS NULL{parents}")
    set_aside = _rows(path, "SELECT value FROM merge_conflict WHERE deleted_at IS NULL AND row_id = "
                            f"'{row_id}' AND field = '{column}'")
    values = {r[0] for r in live} | {r[0].strip('"') for r in set_aside}
    if table == "note":
        values |= {r[0] for r in _rows(path, f"SELECT body FROM note WHERE conflict_of = '{row_id}' "
                                             "AND deleted_at IS NULL")}
    return values


def _check(files: list[Path], w: Written) -> None:
    first = content(files[0])
    for other in files[1:]:
        assert content(other) == first, "the copies do not agree after merging"
    for (side, table, row_id, column), value in w.values.items():
        if (side, table, row_id) in w.deleted:
            continue  # the writer deleted it afterwards: gone on purpose
        assert value in _reachable(files[0], table, row_id, column), f"{value!r} ({table}.{column}) was lost"
    history = set(_rows(files[0], "SELECT node_id, to_status FROM status_change"))
    assert w.statuses <= history, "a status someone set is missing from the history"


def _example(base: Path, work: Path, copies: int, rounds: list[Any]) -> None:
    files = [work / f"c{i}.sqlite" for i in range(copies)]
    for path in files:
        shutil.copyfile(base, path)
    for round_no, steps in enumerate(rounds):
        written = Written()
        _run(steps, files, written, round_no)
        _converge(files)
        _check(files, written)
        for p in work.glob("*.bak"):
            p.unlink()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=script, second=script)
def test_two_copies_converge_and_lose_nothing(base: Path, tmp_path_factory: pytest.TempPathFactory,
                                              first: Any, second: Any) -> None:
    _example(base, tmp_path_factory.mktemp("two"), 2, [first, second])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=script, second=script)
# Found by the search: one writer sets a link's quote, then links the same source there again.
@example(first=[], second=[(0, ("link_quote", 0, "1.1.1")), (0, ("link_add", 0, "1.1.1"))])
def test_three_copies_converge_and_lose_nothing(base: Path, tmp_path_factory: pytest.TempPathFactory,
                                                first: Any, second: Any) -> None:
    _example(base, tmp_path_factory.mktemp("three"), 3, [first, second])
