"""Fuzz: a valid file with some of its rows mutated (types, encodings, ids, parents, kinds) goes
through `check`, `tree`, `merge` and `export` in a child process: no traceback, no hang, and
nothing changed but what a command may write (issue 11, "How it is shown")."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from share_helpers import make_small
from untrusted_helpers import HERE, ROOT, tree_bytes

from db.disk.file import SCHEMA_VERSION
from db.schema.expected import EXPECTED

TABLES = {name: [c[0] for c in cols] for name, cols in EXPECTED[SCHEMA_VERSION]["tables"].items()
          if name in ("plan", "node", "note", "source", "source_link", "attachment", "meeting", "agenda_item",
                      "status_change", "blob")}

HOSTILE_TEXT = ["memo", "done", "/home/user/.ssh", "..", "", "<img src=/dev/zero>", "9999-99-99",
                "javascript:alert(1)", "2024-13-45T99:99:99.000000Z", "x" * 5000, "\x00\x0b\x0c", "高市\u202e"]

values = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1).map(lambda v: ("value", v)),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda v: ("value", v)),
    st.text(max_size=20).map(lambda v: ("value", v)),
    st.binary(max_size=12).map(lambda v: ("blob", v)),
    st.binary(min_size=1, max_size=12).map(lambda v: ("bad text", b"\xff" + v)),
    st.none().map(lambda v: ("value", v)),
    st.sampled_from(HOSTILE_TEXT).map(lambda v: ("value", v)),
    st.just(("own id", None)),
    st.just(("another row's id", None)),
)
mutation = st.tuples(st.sampled_from(sorted(TABLES)), st.integers(0, 40), st.integers(0, 40), values)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = make_small(tmp_path_factory.mktemp("fuzz") / "small.sqlite")
    with sqlite3.connect(path) as conn:  # a status history and a meeting, so every table has rows
        node = conn.execute("SELECT id FROM node WHERE kind = 'commitment' LIMIT 1").fetchone()[0]
    from db.briefing.facade import Briefing

    with Briefing.open(path, user="maker") as b:
        b.set_status(node, "on_track")
        meeting = b.create_meeting("Fuzz meeting", date="2025")
        b.add_agenda_item(meeting.id, node, "points")
    return path


def _mutate(path: Path, mutations: list[tuple[str, int, int, tuple[str, Any]]]) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        for table, column_index, row_index, (kind, value) in mutations:
            column = TABLES[table][column_index % len(TABLES[table])]
            rowids = [r[0] for r in conn.execute(f"SELECT rowid FROM {table} ORDER BY rowid")]
            if not rowids:
                continue
            rowid = rowids[row_index % len(rowids)]
            sql, params = f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (value, rowid)
            if kind == "bad text":
                sql = f"UPDATE {table} SET {column} = CAST(? AS TEXT) WHERE rowid = ?"
            elif kind == "own id":  # e.g. a node that is its own parent
                key = "id" if "id" in TABLES[table] else TABLES[table][0]
                sql, params = f"UPDATE {table} SET {column} = {key} WHERE rowid = ?", (rowid,)
            elif kind == "another row's id":
                sql, params = (f"UPDATE {table} SET {column} = (SELECT id FROM node ORDER BY rowid DESC LIMIT 1) "
                               "WHERE rowid = ?", (rowid,))
            with contextlib.suppress(sqlite3.DatabaseError):  # a constraint refused it: not in this file then
                conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


@settings(max_examples=12, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutations=st.lists(mutation, min_size=1, max_size=3))
def test_mutated_files_never_crash_hang_or_change_what_they_must_not(template: Path, mutations: list) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        theirs, ours, out = folder / "theirs.sqlite", folder / "ours.sqlite", folder / "out"
        shutil.copyfile(template, theirs)
        shutil.copyfile(template, ours)
        out.mkdir()
        _mutate(theirs, mutations)
        before = tree_bytes(folder)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}
        done = subprocess.run([sys.executable, str(HERE / "fuzz_driver.py"), str(theirs), str(ours), str(out)],
                              capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
        assert "Traceback" not in done.stderr, (mutations, done.stderr)
        assert done.returncode == 0, (mutations, done.stderr)
        status = dict(line.split() for line in done.stdout.splitlines())
        assert set(status) == {"check", "tree", "merge", "export"} and set(status.values()) <= {"0", "1"}, status
        after = tree_bytes(folder)
        assert after[str(theirs)] == before[str(theirs)]  # only ever read
        if status["merge"] != "0":  # refused: our file as it was, and no backup
            assert after[str(ours)] == before[str(ours)]
            assert not [p for p in after if p.endswith(".bak")]
        if status["check"] == "0":  # a file check calls good merges
            assert status["merge"] == "0", (mutations, done.stderr)
