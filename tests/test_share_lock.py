"""Two people, one file: the lock beside an open file, stale locks, read-only use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from share_helpers import make_small

from briefbook.cli.main import main
from db.briefing.facade import Briefing
from db.disk import lock as dblock
from db.model import ids
from db.model.errors import FileLocked, WriteRefused

ROOT = Path(__file__).parent.parent
HOLDER = """
import sys
from db.briefing.facade import Briefing
b = Briefing.open(sys.argv[1], user="carla")
print("open", flush=True)
sys.stdin.readline()
b.close()
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return make_small(tmp_path / "shared.sqlite")


@pytest.fixture
def held_elsewhere(small: Path):
    """The file open for writing in another briefbook process (user "carla")."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(small)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout.readline().strip() == "open"
    yield small
    proc.stdin.write("\n")
    proc.stdin.flush()
    proc.wait(timeout=30)


def _write_lock(path: Path, **fields: object) -> None:
    record = {"host": "other-pc", "user": "dario", "pid": 4242, "since": ids.now(), "heartbeat": ids.now(),
              "token": "t"}
    record.update(fields)
    dblock.lock_path(path).write_text(json.dumps(record))


def test_an_open_file_has_a_lock_beside_it_until_closed(small: Path) -> None:
    b = Briefing.open(small, user="alice")
    holder = dblock.read_holder(small)
    assert holder["user"] == "alice" and holder["pid"] == os.getpid() and holder["host"] == dblock.this_host()
    b.close()
    assert dblock.read_holder(small) is None
    assert not dblock.lock_path(small).exists()


def test_another_briefbook_is_told_who_has_it_and_can_still_read(held_elsewhere: Path) -> None:
    with pytest.raises(FileLocked) as err:
        Briefing.open(held_elsewhere, user="alice")
    message = str(err.value)
    assert "carla" in message and "this computer" in message and " since " in message
    assert err.value.holder["user"] == "carla"
    with Briefing.open(held_elsewhere, read_only=True) as b:
        assert b.counts()["notes"] == 2
        with pytest.raises(WriteRefused):
            b.add_note(b.node_by_ref("1.1.1").id, "risk", "no")


def test_cli_writes_are_refused_naming_the_holder_and_reads_work(
    held_elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["note", "add", "1.1.1", "--db", str(held_elsewhere), "--kind", "risk", "--text", "x"])
    err = capsys.readouterr().err
    assert code == 1 and "carla" in err and len(err.strip().splitlines()) == 1
    assert "wait until they close it" in err and "reading commands" in err and "read-only" not in err
    assert main(["note", "list", "1.1.1", "--db", str(held_elsewhere), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["notes"]) == 2
    assert main(["check", str(held_elsewhere)]) == 0
    assert "open in briefbook by carla" in capsys.readouterr().out


def test_a_lock_from_a_live_holder_on_another_computer_is_respected(small: Path) -> None:
    _write_lock(small)
    with pytest.raises(FileLocked) as err:
        Briefing.open(small)
    assert "dario on other-pc" in str(err.value)
    assert json.loads(dblock.lock_path(small).read_text())["user"] == "dario"


@pytest.mark.parametrize(
    "fields",
    [
        {"host": None, "pid": 999_999_999},  # this computer, process gone (filled in below)
        {"heartbeat": "2020-01-01T00:00:00.000000Z"},  # another computer, silent for years
        None,  # half-written lock file
    ],
)
def test_a_stale_lock_is_recognised_and_cleared(small: Path, fields: dict | None) -> None:
    if fields is None:
        dblock.lock_path(small).write_text('{"host": "other-pc", "us')
    else:
        if fields.get("host", "") is None:
            fields["host"] = dblock.this_host()
        _write_lock(small, **fields)
    with Briefing.open(small, user="alice") as b:
        assert dblock.read_holder(small)["user"] == "alice"
        b.add_note(b.node_by_ref("1.1.1").id, "risk", "written after clearing a stale lock")
    assert not dblock.lock_path(small).exists()


def test_a_process_that_exits_without_closing_leaves_a_lock_the_next_one_clears(small: Path) -> None:
    code = f"from db.briefing.facade import Briefing\nimport os\nb = Briefing.open({str(small)!r})\nos._exit(0)"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    assert dblock.lock_path(small).exists()  # os._exit skips every clean-up
    with Briefing.open(small, user="alice"):
        assert dblock.read_holder(small)["user"] == "alice"


def test_opening_twice_in_one_process_shares_the_lock(small: Path) -> None:
    first = Briefing.open(small, user="alice")
    second = Briefing.open(small, user="alice")
    second.close()
    assert dblock.lock_path(small).exists()
    first.close()
    assert not dblock.lock_path(small).exists()


WRITER = """
import sys
from db.briefing.facade import Briefing
b = Briefing.open(sys.argv[1], user="carla")
node = b.node_by_ref("1.1.1").id
print(b.add_note(node, "update", "Carla saved this just now.").id, flush=True)
sys.stdin.readline()
print(b.add_note(node, "update", "Carla's next edit.").id, flush=True)
b.close()
"""


def test_copy_onto_a_file_another_briefbook_has_open_is_refused_naming_who(
    small: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 20, item 8: `briefbook copy G F` while F is open in a window (here: another process)."""
    import hashlib

    other = make_small(tmp_path / "other.sqlite")
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(small)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdin is not None and proc.stdout is not None
    saved = proc.stdout.readline().strip()
    before = hashlib.sha256(small.read_bytes()).hexdigest()
    capsys.readouterr()
    assert main(["copy", str(other), str(small)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("briefbook: shared.sqlite is open in briefbook by carla on this computer since ")
    assert err.endswith(": a copy cannot replace it while it is open there. Close it there first, or copy to "
                        "another name.\n")
    assert hashlib.sha256(small.read_bytes()).hexdigest() == before
    proc.stdin.write("\n")
    proc.stdin.flush()
    second = proc.stdout.readline().strip()
    assert proc.wait(timeout=30) == 0  # the holder's next save still works
    with Briefing.open(small) as b:
        assert {saved, second} <= {n.id for n in b.notes(b.node_by_ref("1.1.1").id)}
    # Closed there, the copy goes through (and holds the lock only while it copies).
    assert main(["copy", str(other), str(small)]) == 0
    assert dblock.read_holder(small) is None


def test_copy_onto_a_file_this_briefbook_has_open_is_refused(small: Path, tmp_path: Path) -> None:
    from db.disk.copying import consistent_copy

    other = make_small(tmp_path / "other.sqlite")
    with Briefing.open(small, user="alice"), pytest.raises(FileLocked, match="open in this briefbook"):
        consistent_copy(other, small)
