"""The data layer's shape: the search index kept in step by the write path itself,
several facade calls as one transaction or one consistent read, and the import
contracts (`lint-imports`) that keep the layers pointing one way."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from share_helpers import make_small

from db.briefing.facade import Briefing
from db.model.errors import NotFound
from db.search import keeping

ROOT = Path(__file__).resolve().parents[1]


def _index(conn: sqlite3.Connection) -> set[tuple[str, str, str]]:
    return {(k, r, b) for k, r, b in conn.execute("SELECT kind, row_id, body FROM search_index")}


def _index_as_rebuilt(path: Path) -> set[tuple[str, str, str]]:
    """What a full rebuild of the index gives for the file as it is (in memory, the file untouched)."""
    source = sqlite3.connect(path)
    memory = sqlite3.connect(":memory:")
    source.backup(memory)
    source.close()
    memory.isolation_level = None
    memory.execute("BEGIN")
    keeping.rebuild(memory)
    out = _index(memory)
    memory.execute("ROLLBACK")
    memory.close()
    return out


def _index_now(path: Path) -> set[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return _index(conn)
    finally:
        conn.close()


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from([
            "add_note", "edit_note", "delete_note", "restore_note", "add_source", "edit_source", "link",
            "unlink", "quote", "delete_source", "restore_source", "status", "lead_office", "merge_copy",
        ]),
        st.integers(0, 5),
        st.sampled_from(["semiconductors", "Città di Roma", "高市早苗", "critical minerals", ""]),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPERATIONS)
def test_the_search_index_follows_every_write_path(tmp_path_factory: pytest.TempPathFactory,
                                                    ops: list[tuple[str, int, str]]) -> None:
    """Whatever the facade, a merge or a restore wrote, the index holds exactly what a rebuild
    would: no caller re-indexes by hand, so none can forget."""
    folder = tmp_path_factory.mktemp("index")
    path = make_small(folder / "ours.sqlite")
    with Briefing.open(path, user="ana") as b:
        nodes = [n for n in b.nodes() if n.kind == "commitment"]
        notes: list[str] = []
        sources: list[str] = []
        links: list[str] = []
        for op, pick, text in ops:
            node = nodes[pick % len(nodes)]
            try:
                if op == "add_note":
                    notes.append(b.add_note(node.id, "talking_point", text or "a point").id)
                elif op == "edit_note" and notes:
                    b.edit_note(notes[pick % len(notes)], body=f"{text} rewritten")
                elif op == "delete_note" and notes:
                    b.delete_note(notes[pick % len(notes)])
                elif op == "restore_note" and notes:
                    b.restore_note(notes[pick % len(notes)])
                elif op == "add_source":
                    sources.append(b.add_source(f"Report on {text or 'nothing'}", outlet="Outlet").id)
                elif op == "edit_source" and sources:
                    b.edit_source(sources[pick % len(sources)], excerpt=f"excerpt {text}")
                elif op == "link" and sources:
                    links.append(b.link_source(sources[pick % len(sources)], node.id, text))
                elif op == "unlink" and links:
                    b.unlink_source(links[pick % len(links)])
                elif op == "quote" and links:
                    b.set_link_quote(links[pick % len(links)], f"quoted {text}")
                elif op == "delete_source" and sources:
                    b.delete_source(sources[pick % len(sources)])
                elif op == "restore_source" and sources:
                    b.restore_source(sources[pick % len(sources)])
                elif op == "status":
                    b.set_status(node.id, "with_challenges", comment=f"held up by {text or 'weather'}")
                elif op == "lead_office":
                    b.set_lead_office(node.id, text or "Office")
                elif op == "merge_copy":
                    from db.sharing.merge import merge_into

                    theirs = folder / f"theirs-{pick}.sqlite"
                    shutil.copyfile(path, theirs)
                    with Briefing.open(theirs, user="ben", lock=False) as other:
                        other.add_note(node.id, "risk", f"Ben's risk about {text or 'it'}")
                        other.set_status(node.id, "on_track")
                    merge_into(b, theirs)
            except NotFound:
                pass  # e.g. editing a note of a deleted source's node: refused, nothing written
    assert _index_now(path) == _index_as_rebuilt(path)


def test_one_transaction_saves_all_or_nothing(seeded: Briefing) -> None:
    node = seeded.node_by_ref("3.2.1")
    before = len(seeded.notes(node.id))
    with pytest.raises(RuntimeError, match="half way"), seeded.one_transaction():
        seeded.add_note(node.id, "talking_point", "First of two")
        seeded.add_note(node.id, "risk", "Second of two")
        raise RuntimeError("stopped half way")
    assert len(seeded.notes(node.id)) == before
    assert not [h for h in seeded.search("First of two") if h.kind == "note"]

    with seeded.one_transaction():
        seeded.add_note(node.id, "talking_point", "First of two")
        seeded.add_note(node.id, "risk", "Second of two")
    assert len(seeded.notes(node.id)) == before + 2
    assert [h for h in seeded.search("Second of two") if h.kind == "note"]  # indexed at the commit


def test_one_read_sees_one_moment_of_the_file(seeded: Briefing, seeded_path: Path) -> None:
    """While an export reads, another program cannot slip a change in between its reads."""
    node = seeded.node_by_ref("3.2.1")
    before = len(seeded.notes(node.id))
    other = sqlite3.connect(seeded_path, timeout=0, isolation_level=None)
    try:
        with seeded.one_read():
            assert len(seeded.notes(node.id)) == before
            other.execute("BEGIN IMMEDIATE")
            other.execute("UPDATE note SET deleted_at = '2026-01-01T00:00:00.000000Z' WHERE node_id = ?", (node.id,))
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("COMMIT")  # the read holds its moment until it ends
            assert len(seeded.notes(node.id)) == before
        other.execute("COMMIT")
    finally:
        other.close()
    assert len(seeded.notes(node.id)) == 0


def test_a_write_inside_one_read_is_refused(seeded: Briefing) -> None:
    node = seeded.node_by_ref("3.2.1")
    with pytest.raises(RuntimeError, match="one_read"), seeded.one_read():
        seeded.add_note(node.id, "risk", "not here")


def test_the_import_contracts_hold() -> None:
    """briefbook -> exporters -> db; no Qt in the core; db's packages one way; the window
    through the facade package, the value types and sharing's entry points."""
    tool = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(tool)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "broken" not in result.stdout.split("Contracts:")[-1].split("\n")[0] or " 0 broken" in result.stdout
