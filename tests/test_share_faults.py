"""Faults: crashes mid-write, damaged and foreign files, two writers at once."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from share_helpers import make_small, sha

from db.briefing.checking import check_file
from db.briefing.facade import Briefing
from db.disk import file as dbfile
from db.model.errors import CorruptFile, FileRefused, NewerFile, NotABriefingFile

HERE = Path(__file__).parent
ROOT = HERE.parent


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}


def _note_ids(path: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT id FROM note")}
    finally:
        conn.close()


# -- crash safety -------------------------------------------------------------------------


def test_killed_writers_never_damage_the_file_or_lose_a_committed_note(tmp_path: Path) -> None:
    path = make_small(tmp_path / "crash.sqlite")
    rng = random.Random(5)
    zygote = subprocess.Popen(
        [sys.executable, str(HERE / "share_writer.py"), str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=_env(), cwd=ROOT,
    )
    committed: set[str] = set()
    journals_recovered = 0
    try:
        for kill in range(50):
            out = tmp_path / f"ids-{kill}.txt"
            zygote.stdin.write(f"go {out} {kill}\n")
            zygote.stdin.flush()
            pid = int(zygote.stdout.readline())
            time.sleep(rng.uniform(0.0, 0.3))
            os.kill(pid, signal.SIGKILL)
            while Path(f"/proc/{pid}").exists():  # gone once the kill has landed
                time.sleep(0.001)
            if out.exists():
                committed |= {line for line in out.read_text().split("\n") if len(line) == 36}
            journals_recovered += dbfile.hot_journal(path).exists()
            dbfile.inspect(path)  # rolls back a journal the killed writer left
            assert dbfile.integrity_problems(path) == []
            missing = committed - _note_ids(path)
            assert not missing, f"after kill {kill}: {len(missing)} committed notes are gone"
    finally:
        zygote.kill()
        zygote.wait()
    assert len(committed) > 100  # the writers did get work done between the kills
    print(f"{len(committed)} notes committed, {journals_recovered} crashes left a journal to roll back")
    # The last writer's lock is recognised as stale: the file opens for writing.
    with Briefing.open(path, user="after") as b:
        assert b.counts()["notes"] >= len(committed)


# -- damaged, foreign and newer files ----------------------------------------------------------


@pytest.fixture(scope="module")
def good_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_small(tmp_path_factory.mktemp("faults") / "good.sqlite")


def _refused(path: Path) -> FileRefused:
    with pytest.raises(FileRefused) as err:
        Briefing.open(path)
    return err.value


def _same_and_alone(path: Path, digest: str) -> None:
    assert sha(path) == digest  # byte for byte unchanged
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no journal, no lock left


@pytest.mark.parametrize("seed", range(12))
def test_a_truncated_file_is_refused_and_left_unchanged(good_file: Path, tmp_path: Path, seed: int) -> None:
    data = good_file.read_bytes()
    cut = random.Random(seed).randrange(1, len(data) - 1)
    if seed == 0:
        cut = 60  # inside the header
    elif seed == 1:
        cut = len(data) - 4096  # one whole page short
    path = tmp_path / "cut.sqlite"
    path.write_bytes(data[:cut])
    digest = sha(path)
    error = _refused(path)
    assert isinstance(error, CorruptFile) and "damaged" in str(error)
    _same_and_alone(path, digest)


# Header bytes a briefing file always has the same way (see db.disk.file.header_problem).
JUDGED_HEADER = [*range(0, 24), *range(44, 48), *range(52, 92)]


@pytest.mark.parametrize("seed", range(24))
def test_a_flipped_byte_in_the_header_is_refused(good_file: Path, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    data = bytearray(good_file.read_bytes())
    data[rng.choice(JUDGED_HEADER)] ^= 1 << rng.randrange(8)
    path = tmp_path / "flipped.sqlite"
    path.write_bytes(bytes(data))
    digest = sha(path)
    error = _refused(path)
    assert isinstance(error, (CorruptFile, NotABriefingFile, NewerFile))
    _same_and_alone(path, digest)


@pytest.mark.parametrize("seed", range(24))
def test_flipped_bytes_anywhere_are_refused_or_harmless(good_file: Path, tmp_path: Path, seed: int) -> None:
    rng = random.Random(1000 + seed)
    data = bytearray(good_file.read_bytes())
    for _ in range(rng.choice((1, 1, 3, 20))):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    path = tmp_path / "flipped.sqlite"
    path.write_bytes(bytes(data))
    digest = sha(path)
    try:
        Briefing.open(path, read_only=True).close()
    except FileRefused:
        _same_and_alone(path, digest)
    else:
        # A flip in unused space or inside a value leaves a structurally sound
        # file; a damaged value that breaks a reference is then for Check file.
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        broken_refs = conn.execute("PRAGMA foreign_key_check").fetchall()
        conn.close()
        if broken_refs:
            assert check_file(path).verdict != "good"
        assert sha(path) == digest


def test_zero_byte_folder_foreign_and_newer_files_each_get_their_own_message(
    good_file: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty" / "empty.sqlite"
    empty.parent.mkdir()
    empty.write_bytes(b"")
    folder = tmp_path / "folder.sqlite"
    folder.mkdir()
    foreign = tmp_path / "foreign" / "photos.sqlite"
    foreign.parent.mkdir()
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE photo (id INTEGER PRIMARY KEY, taken TEXT)")
    conn.execute("INSERT INTO photo VALUES (1, '2024')")
    conn.commit()
    conn.close()
    newer = tmp_path / "newer" / "newer.sqlite"
    newer.parent.mkdir()
    newer.write_bytes(good_file.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {dbfile.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()

    messages = {}
    for name, path, kind, words in (
        ("empty", empty, NotABriefingFile, "is empty"),
        ("folder", folder, NotABriefingFile, "is a folder"),
        ("foreign", foreign, NotABriefingFile, "another program"),
        ("newer", newer, NewerFile, f"schema version {dbfile.SCHEMA_VERSION + 1}"),
    ):
        digest = sha(path) if path.is_file() else None
        error = _refused(path)
        assert isinstance(error, kind) and words in str(error)
        assert "\n" not in str(error) and str(error).endswith(".")
        if digest:
            _same_and_alone(path, digest)
        messages[name] = str(error).replace(str(path), "FILE")
    assert len(set(messages.values())) == 4


# -- two writers at once -----------------------------------------------------------------------

WRITER = """
import sys
from db.briefing.facade import Briefing
from db.briefing.checking import check_file
path, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with Briefing.open(path, user=who, lock=False) as b:  # both share the file on purpose
    nodes = [x.id for x in b.nodes() if x.kind == "commitment"]
    shared = b.notes(nodes[0])[0].id
    for i in range(n):
        note = b.add_note(nodes[i % len(nodes)], "update", f"{who} note {i}")
        print(note.id, flush=True)
        if i % 5 == 0:
            b.edit_note(shared, body=f"{who} edit {i}")
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = make_small(tmp_path / "shared.sqlite")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), who, "60"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=ROOT,
        )
        for who in ("alice", "bob")
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, outputs):
        assert p.returncode == 0, err
        assert "Traceback" not in err
    written = {line for out, _ in outputs for line in out.split()}
    assert len(written) == 120
    assert written <= _note_ids(path)
    assert dbfile.integrity_problems(path) == []
