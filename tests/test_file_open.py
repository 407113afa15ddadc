"""Opening a briefing file: every refusal with a real bad file, and the file left as it was."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.briefing.facade import Briefing
from db.disk import file as dbfile
from db.model.errors import CorruptFile, FileMissing, NewerFile, NotABriefingFile, ReadOnlyFile, WriteRefused


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(path: Path, error: type[Exception]) -> str:
    before = sorted(p.name for p in path.parent.iterdir())
    content = digest(path) if path.is_file() else None
    with pytest.raises(error) as info:
        Briefing.open(path)
    message = str(info.value)
    assert "\n" not in message and message.endswith(".")
    if content is not None:
        assert digest(path) == content
    assert sorted(p.name for p in path.parent.iterdir()) == before  # no journal, no backup
    return message


def test_missing_path(tmp_path: Path) -> None:
    assert "no file" in refused(tmp_path / "nowhere.sqlite", FileMissing)


def test_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "folder.sqlite"
    folder.mkdir()
    assert "folder" in refused(folder, NotABriefingFile)


def test_an_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    assert "empty" in refused(empty, NotABriefingFile)


def test_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    doc = tmp_path / "minutes.docx"
    doc.write_bytes(b"PK\x03\x04" + os.urandom(4000))
    assert "not an SQLite database" in refused(doc, NotABriefingFile)


def test_an_sqlite_file_of_another_program(tmp_path: Path) -> None:
    other = tmp_path / "places.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE moz_places(id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places(url) VALUES ('https://example.org')")
    conn.commit()
    conn.close()
    assert "another program" in refused(other, NotABriefingFile)


def test_a_file_from_a_newer_briefbook_names_the_version(seeded_path: Path) -> None:
    conn = sqlite3.connect(seeded_path)
    conn.execute(f"PRAGMA user_version = {dbfile.SCHEMA_VERSION + 3}")
    conn.commit()
    conn.close()
    message = refused(seeded_path, NewerFile)
    assert f"schema version {dbfile.SCHEMA_VERSION + 3}" in message and "newer briefbook" in message


def test_a_corrupt_file(seeded_path: Path) -> None:
    # Overwrite the middle of the file (table and index pages) with garbage.
    data = bytearray(seeded_path.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data) - page, 3 * page):
        data[offset + 8 : offset + 600] = os.urandom(592)
    seeded_path.write_bytes(bytes(data))
    assert "damaged" in refused(seeded_path, CorruptFile)


def test_a_truncated_file(seeded_path: Path) -> None:
    data = seeded_path.read_bytes()
    seeded_path.write_bytes(data[: len(data) // 2])
    assert "damaged" in refused(seeded_path, CorruptFile)


@contextlib.contextmanager
def as_unprivileged_user() -> Iterator[None]:
    """Root may write anything: drop to 'nobody' for the duration, as a colleague would be."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def test_a_read_only_file_is_refused_for_writing_and_opens_read_only(seeded_template: Path) -> None:
    # A folder the unprivileged user can reach (pytest's own temp root is private to root).
    folder = Path(tempfile.mkdtemp(prefix="briefbook-ro-"))
    folder.chmod(0o755)
    seeded_path = folder / "shared.sqlite"
    shutil.copyfile(seeded_template, seeded_path)
    content = digest(seeded_path)
    seeded_path.chmod(0o444)
    folder.chmod(0o555)
    try:
        with as_unprivileged_user():
            with pytest.raises(ReadOnlyFile) as info:
                Briefing.open(seeded_path)
            assert "read-only" in str(info.value)
            with Briefing.open(seeded_path, read_only=True) as briefing:
                assert briefing.node_by_ref("3.2.1").title.startswith("Strengthen cooperation")
                with pytest.raises(WriteRefused):
                    briefing.add_note(briefing.node_by_ref("3.2.1").id, "risk", "not saved")
    finally:
        folder.chmod(0o755)
        seeded_path.chmod(0o644)
    assert digest(seeded_path) == content
    assert sorted(p.name for p in folder.iterdir()) == ["shared.sqlite"]
    shutil.rmtree(folder)


def test_an_older_file_is_migrated_after_a_backup(tmp_path: Path) -> None:
    fixture = Path(__file__).parent / "fixtures" / "schema1.sqlite"
    if dbfile.SCHEMA_VERSION == 1:
        pytest.skip("no migration exists yet: schema version 1 is the newest")
    path = tmp_path / "old.sqlite"
    shutil.copyfile(fixture, path)
    with Briefing.open(path) as briefing:
        assert briefing.migration_backup is not None and briefing.migration_backup.exists()
        assert briefing.counts()["commitments"] == 42


def test_a_new_file_is_created_at_the_newest_schema(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    Briefing.create(path).close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == dbfile.APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == dbfile.SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()
    assert revision  # Alembic knows the file's revision
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.sqlite"]
