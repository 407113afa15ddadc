"""Schema versions: a file made by schema version 1 opens, is migrated after a
backup and keeps everything; a file from a newer briefbook is refused."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from share_helpers import CONTENT_TABLES

from db.briefing.facade import Briefing
from db.disk import file as dbfile
from db.model.errors import NewerFile

FIXTURE = Path(__file__).parent / "fixtures" / "schema1.sqlite"


def _columns(path: Path) -> dict[str, list[str]]:
    """The content tables and their columns as the file at `path` has them."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cols = {table: [r[1] for r in conn.execute(f"PRAGMA table_info({table})")] for table in CONTENT_TABLES}
        return {table: c for table, c in cols.items() if c}
    finally:
        conn.close()


def _rows(path: Path, columns: dict[str, list[str]]) -> dict[str, list[tuple]]:
    """The rows of `columns`' tables: an old file's columns, read in the old and the migrated file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {}
        for table, cols in columns.items():
            out[table] = sorted(conn.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall(), key=repr)
        return out
    finally:
        conn.close()


def _version(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def test_fixture_is_schema_version_1() -> None:
    assert _version(FIXTURE) == 1


def test_schema1_file_opens_migrates_after_backup_and_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURE, path)
    old_columns = _columns(path)
    before = _rows(path, old_columns)

    with Briefing.open(path, user="tester") as b:
        assert b.migration_backup is not None
        backup = b.migration_backup
        counts = b.counts()
        (plan,) = b.plans()
        c = b.node_by_ref("1.1.1", plan.id)
        history = b.status_history(c.id)

    assert _version(path) == dbfile.SCHEMA_VERSION
    assert _rows(path, old_columns) == before
    # The backup is the file as it was, still at version 1.
    assert _version(backup) == 1 and _rows(backup, old_columns) == before
    assert counts["commitments"] == 42 and counts["notes"] == 17 and counts["status_changes"] == 2
    assert [h.to_status for h in history] == ["on_track", "with_challenges"]
    assert c.status == "with_challenges" and c.lead_office == "Europe Division"


def test_migrated_file_records_row_versions(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURE, path)
    with Briefing.open(path, user="tester") as b:
        note = b.notes_since("2000")[0]
        b.edit_note(note.id, body="Rewritten after the migration.")
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT updated_at, body FROM row_version WHERE row_id = ?", (note.id,)).fetchall()
    conn.close()
    assert rows == [(note.updated_at, note.body)]


def test_newer_file_is_refused_naming_its_version_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    shutil.copyfile(FIXTURE, path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {dbfile.SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(NewerFile) as err:
        Briefing.open(path)
    assert f"schema version {dbfile.SCHEMA_VERSION + 5}" in str(err.value)
    assert "newer briefbook" in str(err.value)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newer.sqlite"]
