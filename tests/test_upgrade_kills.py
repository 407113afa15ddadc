"""An upgrade of an older file killed at any moment (issue 20, item 9).

tests/upgrade_killer.py upgrades a copy of tests/fixtures/schema1.sqlite and SIGKILLs
itself as its K-th SQL statement starts, for every K. Then the command line is used on
the file as a person would: it must work, with everything the file held.

- As briefbook upgrades now (on a copy that replaces the file only when whole), every
  kill leaves the old file or the upgraded one.
- As briefbook upgraded before (Alembic's steps on the file itself, each committed on its
  own), some kills leave the file half-upgraded: new tables, old version number, refused
  by every command. Such a file is recognised, put back from the backup made just before
  the upgrade, and upgraded again, and the command says so in one sentence.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefbook.cli.main import main
from db.briefing.facade import Briefing
from db.disk import file as dbfile
from db.model.errors import HalfUpgraded

ROOT = Path(__file__).parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "schema1.sqlite"


@pytest.fixture(scope="module")
def killer() -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).parent / "upgrade_killer.py"), str(FIXTURE)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    yield proc
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(timeout=60)


def upgrade(killer: subprocess.Popen[str], mode: str, kill_at: int, path: Path) -> str:
    assert killer.stdin is not None and killer.stdout is not None
    killer.stdin.write(f"{mode} {kill_at} {path}\n")
    killer.stdin.flush()
    return killer.stdout.readline().strip()


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    """What the fixture holds once upgraded without a kill."""
    path = tmp_path_factory.mktemp("clean") / "old.sqlite"
    shutil.copyfile(FIXTURE, path)
    with Briefing.open(path) as b:
        return b.counts()


def fresh(folder: Path) -> Path:
    for leftover in folder.iterdir():
        leftover.unlink()
    path = folder / "old.sqlite"
    shutil.copyfile(FIXTURE, path)
    return path


def note_added_by_the_command_line(path: Path, k: int, capsys: pytest.CaptureFixture[str]) -> str:
    """`briefbook note add` on the file: it works; returns what it said on stderr."""
    capsys.readouterr()
    code = main(["note", "add", "1.1.1", "--db", str(path), "--kind", "risk", "--text", f"Written after kill {k}.",
                 "--json"])
    out = capsys.readouterr()
    assert code == 0, (k, out.err)
    assert json.loads(out.out)["text"] == f"Written after kill {k}."
    return out.err


def holds_everything(path: Path, expected: dict[str, int], k: int) -> None:
    assert dbfile.inspect(path).schema_version == dbfile.SCHEMA_VERSION
    with Briefing.open(path, read_only=True) as b:
        counts = b.counts()
        assert [n.body for n in b.notes_since("2000") if n.body.startswith("Written after kill")] == [
            f"Written after kill {k}."]
    assert counts == {**expected, "notes": expected["notes"] + 1}, k


def test_an_upgrade_killed_at_any_statement_leaves_a_file_that_works(
    killer: subprocess.Popen[str], tmp_path: Path, expected: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    said = upgrade(killer, "open", 0, fresh(tmp_path))
    assert said.startswith("done "), said
    statements = int(said.split()[1])
    assert statements > 20  # the backup, the copy and every migration step
    outcomes = set()
    for k in range(1, statements + 1):
        path = fresh(tmp_path)
        assert upgrade(killer, "open", k, path) == "killed"
        version = dbfile.inspect(path).schema_version  # never refused: the old file, or the upgraded one
        assert version in (1, dbfile.SCHEMA_VERSION), (k, version)
        outcomes.add(version)
        assert note_added_by_the_command_line(path, k, capsys) == ""  # nothing to recover, nothing said
        holds_everything(path, expected, k)
        # What a killed upgrade left beside the file is gone once it was upgraded: only backups stay.
        assert {p.name for p in tmp_path.iterdir() if not p.name.endswith(".bak")} == {"old.sqlite"}, k
    assert outcomes == {1}  # the rename is the last step: every kill before it left the old file


def test_a_file_an_older_briefbook_left_half_upgraded_is_put_back_from_its_backup(
    killer: subprocess.Popen[str], tmp_path: Path, expected: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    said = upgrade(killer, "in-place", 0, fresh(tmp_path))
    statements = int(said.split()[1])
    half = []
    for k in range(1, statements + 1):
        path = fresh(tmp_path)
        assert upgrade(killer, "in-place", k, path) == "killed"
        try:
            dbfile.inspect(path)
        except HalfUpgraded as exc:  # what every command met before: "changed by another program"
            half.append(k)
            backup = exc.backup
            assert backup is not None and backup.name.startswith("old.schema1-")
            # A reading command reads the backup and says so; the file is not touched.
            before = path.read_bytes()
            capsys.readouterr()
            assert main(["note", "list", "1.1.1", "--db", str(path)]) == 0
            err = capsys.readouterr().err
            assert err == (f"briefbook: old.sqlite was left half-upgraded by a briefbook that stopped during its "
                           f"upgrade; it is shown from its backup {backup.name} (a command that changes it puts it "
                           "back).\n")
            assert path.read_bytes() == before
            # `check` names it.
            assert main(["check", str(path)]) == 1
            assert f"open it for writing (any command that changes it) to put it back from its backup {backup.name}" \
                in capsys.readouterr().out
            err = note_added_by_the_command_line(path, k, capsys)
            assert err == (f"briefbook: old.sqlite had been left half-upgraded by a briefbook that stopped during "
                           f"its upgrade: it was put back from its backup {backup.name}, made just before, and "
                           "upgraded again.\n")
        else:
            assert note_added_by_the_command_line(path, k, capsys) == ""
        holds_everything(path, expected, k)
    assert half, "no kill left the file half-upgraded: the reproduction no longer reproduces"


def test_a_half_upgraded_file_without_its_backup_is_refused_in_one_sentence(
    killer: subprocess.Popen[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for k in range(1, 200):
        path = fresh(tmp_path)
        upgrade(killer, "in-place", k, path)
        try:
            dbfile.inspect(path)
        except HalfUpgraded:
            break
    else:
        pytest.fail("no kill left the file half-upgraded")
    for backup in tmp_path.glob("*.bak"):
        backup.unlink()
    before = path.read_bytes()
    capsys.readouterr()
    assert main(["note", "add", "1.1.1", "--db", str(path), "--kind", "risk", "--text", "x"]) == 1
    err = capsys.readouterr().err
    assert err == (f"briefbook: {path} was left half-upgraded by a briefbook that stopped during its upgrade, and "
                   "the backup copy made before it is not beside it: open a copy of the file made before, or ask a "
                   "colleague for theirs.\n")
    assert path.read_bytes() == before
