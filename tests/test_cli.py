"""The command line end to end, in a subprocess on a temporary file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def bb(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "briefbook", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"briefbook {' '.join(args)} failed ({proc.returncode}): {proc.stderr}")
    return proc


def assert_one_sentence_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode != 0
    err = proc.stderr.strip()
    assert "Traceback" not in proc.stderr
    assert len(err.splitlines()) == 1, err
    assert err.startswith("briefbook: ")
    return err


@pytest.fixture
def db(seeded_path: Path) -> str:
    return str(seeded_path)


def test_init_creates_the_seeded_plan(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    out = bb("init", str(path), "--json")
    counts = json.loads(out.stdout)["counts"]
    assert (counts["areas"], counts["items"], counts["commitments"], counts["subcommitments"]) == (7, 29, 42, 6)
    assert counts["sources"] == 4 and counts["meetings"] == 3
    # No journal or temporary file left beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.sqlite"]


def test_init_refuses_an_existing_file_and_leaves_it(tmp_path: Path) -> None:
    path = tmp_path / "exists.sqlite"
    path.write_bytes(b"precious")
    err = assert_one_sentence_error(bb("init", str(path), check=False))
    assert "already exists" in err
    assert path.read_bytes() == b"precious"


def test_tree_json_has_the_documented_shape(db: str) -> None:
    data = json.loads(bb("tree", "--db", db, "--json").stdout)
    (plan,) = data["plans"]
    assert plan["title"] == "Japan-Italy Action Plan (2024-2027)"
    assert plan["adopted_on"] == "2024-06-14"
    assert [n["ref"] for n in plan["nodes"]] == ["1", "2", "3", "4", "5", "6", "7"]
    area3 = plan["nodes"][2]
    assert set(area3) >= {"id", "ref", "kind", "title", "text", "status", "children"}
    assert area3["title"] == "Economic Resilience and Economic Security"
    lead_in = area3["children"][0]["children"][0]
    assert lead_in["ref"] == "3.1.1" and lead_in["kind"] == "commitment"
    assert [c["ref"] for c in lead_in["children"]] == [f"3.1.1.{i}" for i in range(1, 7)]
    assert lead_in["status"] == "not_started"


def test_tree_text_lists_references_and_titles(db: str) -> None:
    out = bb("tree", "--db", db).stdout
    assert "3.2 Cooperation on Critical Minerals" in out
    assert "3.1.1.6 enhancing security and resilience" in out


def test_note_add_list_edit_delete(db: str) -> None:
    note_id = bb("note", "add", "3.2.1", "--db", db, "--kind", "talking-point",
                 "--text", "Welcome **progress** on 高市早苗's visit", "--author", "A. Rossi").stdout.strip()
    notes = json.loads(bb("note", "list", "3.2.1", "--db", db, "--json").stdout)["notes"]
    mine = [n for n in notes if n["id"] == note_id]
    assert mine and set(mine[0]) >= {"id", "kind", "text", "author", "updated_at"}
    assert mine[0]["kind"] == "talking_point" and mine[0]["author"] == "A. Rossi"
    assert notes[0]["id"] == note_id  # talking points come first
    bb("note", "edit", note_id, "--db", db, "--text", "Revised line")
    notes = json.loads(bb("note", "list", "3.2.1", "--db", db, "--json").stdout)["notes"]
    assert [n["text"] for n in notes if n["id"] == note_id] == ["Revised line"]
    bb("note", "delete", note_id, "--db", db)
    notes = json.loads(bb("note", "list", "3.2.1", "--db", db, "--json").stdout)["notes"]
    assert note_id not in [n["id"] for n in notes]


def test_note_add_with_a_bad_kind_or_ref_is_one_sentence(db: str) -> None:
    err = assert_one_sentence_error(bb("note", "add", "3.2.1", "--db", db, "--kind", "gossip", "--text", "x", check=False))
    assert "gossip" in err
    err = assert_one_sentence_error(bb("note", "add", "9.9.9", "--db", db, "--kind", "risk", "--text", "x", check=False))
    assert "9.9.9" in err


def test_status_requires_a_comment_for_challenges_and_keeps_history(db: str) -> None:
    err = assert_one_sentence_error(bb("status", "2.3.1", "--db", db, "--set", "with_challenges", check=False))
    assert "comment" in err
    bb("status", "2.3.1", "--db", db, "--set", "on_track")
    bb("status", "2.3.1", "--db", db, "--set", "with_challenges", "--comment", "Schedule slips")
    data = json.loads(bb("status", "2.3.1", "--db", db, "--json").stdout)
    assert data["status"] == "with_challenges"
    assert [(h["from"], h["to"], h["comment"]) for h in data["history"]] == [
        ("not_started", "on_track", ""),
        ("on_track", "with_challenges", "Schedule slips"),
    ]


def test_search_finds_prefixes_accents_japanese_and_survives_syntax(db: str) -> None:
    bb("note", "add", "5.5.1", "--db", db, "--kind", "background", "--text", "Visita nella città di Cortina")
    bb("note", "add", "3.2.1", "--db", db, "--kind", "background", "--text", "高市早苗 met Meloni")

    def hits(q: str) -> list[dict]:
        return json.loads(bb("search", q, "--db", db, "--json").stdout)["hits"]

    assert any(h["ref"] == "3.3.1" and h["kind"] == "node" for h in hits("semicond"))
    assert any(h["ref"] == "5.5.1" and h["kind"] == "note" for h in hits("citta"))
    assert any(h["ref"] == "3.2.1" and "高市早苗" in h["snippet"] for h in hits("高市"))
    # Sources count too: the Japan News report is linked to 2.1.1.
    assert any(h["kind"] == "source" and h["ref"] == "2.1.1" for h in hits("baton"))
    for q in ['"', 'AND(', "*", "NEAR(a b", "'; DROP TABLE note; --", "", "   "]:
        proc = bb("search", q, "--db", db, "--json")
        assert isinstance(json.loads(proc.stdout)["hits"], list)


def test_source_add_and_meetings(db: str, tmp_path: Path) -> None:
    attachment = tmp_path / "report.txt"
    attachment.write_bytes(b"the report")
    bb("source", "add", "3.2.1", "--db", db, "--title", "Minerals brief", "--published", "2025-03",
       "--quote", "supply chains", "--attach", str(attachment))
    listed = json.loads(bb("source", "list", "3.2.1", "--db", db, "--json").stdout)["sources"]
    mine = [s for s in listed if s["title"] == "Minerals brief"]
    assert mine and mine[0]["published"] == "2025-03" and mine[0]["attachments"] == ["report.txt"]
    err = assert_one_sentence_error(bb("source", "add", "3.2.1", "--db", db, "--title", "X", "--published", "June", check=False))
    assert "date" in err

    meetings = json.loads(bb("meeting", "list", "--db", db, "--json").stdout)["meetings"]
    assert {m["title"] for m in meetings} >= {"Kishida–Meloni summit meeting, Tokyo"}
    tokyo = next(m for m in meetings if m["date"] == "2024-02-05")
    assert set(tokyo) >= {"id", "title", "date", "place", "agenda"} and "2.3.1" in tokyo["agenda"]
    created = json.loads(bb("meeting", "create", "--db", db, "--title", "Strategic Dialogue",
                            "--date", "2025-05-20", "--place", "Rome", "--json").stdout)
    bb("meeting", "add", created["id"], "1.1.1", "3.2.1", "--db", db)
    meetings = json.loads(bb("meeting", "list", "--db", db, "--json").stdout)["meetings"]
    assert next(m for m in meetings if m["id"] == created["id"])["agenda"] == ["1.1.1", "3.2.1"]


def test_import_plan_revised_text_keeps_notes(db: str, tmp_path: Path) -> None:
    from briefbook.services.paths import SEED_PLAN

    note_id = bb("note", "add", "4.6.1", "--db", db, "--kind", "risk", "--text", "Keep me").stdout.strip()
    revised = SEED_PLAN.read_text(encoding="utf-8").replace(
        "through exhibitions such as Milano Unica.", "through exhibitions such as Milano Unica and Pitti Uomo.")
    text = tmp_path / "revised.txt"
    text.write_text(revised, encoding="utf-8")
    out = json.loads(bb("import-plan", str(text), "--db", db, "--json").stdout)
    assert (out["added"], out["updated"], out["removed"]) == (0, 1, 0)
    notes = json.loads(bb("note", "list", "4.6.1", "--db", db, "--json").stdout)["notes"]
    assert [n["id"] for n in notes] == [note_id]
    tree = json.loads(bb("tree", "--db", db, "--json").stdout)
    assert "Pitti Uomo" in json.dumps(tree, ensure_ascii=False)


def test_import_plan_refuses_a_text_that_does_not_parse(db: str, tmp_path: Path) -> None:
    before = Path(db).read_bytes()
    bad = tmp_path / "notes.txt"
    bad.write_text("Just some meeting notes.\nNothing numbered here.\n")
    assert_one_sentence_error(bb("import-plan", str(bad), "--db", db, check=False))
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(bytes(range(256)) * 4)
    assert_one_sentence_error(bb("import-plan", str(binary), "--db", db, check=False))
    assert Path(db).read_bytes() == before


def test_refused_files_are_left_byte_for_byte(tmp_path: Path) -> None:
    foreign = tmp_path / "other.sqlite"
    import sqlite3

    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    for path, words in [(foreign, "another program"), (text, "not an SQLite"), (tmp_path, "folder"),
                        (tmp_path / "missing.sqlite", "no file")]:
        before = path.read_bytes() if path.is_file() else None
        err = assert_one_sentence_error(bb("tree", "--db", str(path), check=False))
        assert words in err
        if before is not None:
            assert path.read_bytes() == before
    assert not (tmp_path / "missing.sqlite").exists()


def test_unknown_command_and_missing_argument_are_one_line(db: str) -> None:
    proc = bb("frobnicate", check=False)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    proc = bb("note", "add", "3.2.1", "--db", db, check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_python_dash_m_and_the_script_agree(db: str) -> None:
    script = shutil.which("briefbook", path=str(Path(sys.executable).parent))
    assert script, "the briefbook script is installed beside the interpreter"
    proc = subprocess.run([script, "tree", "--db", db, "--json"], capture_output=True, text=True, cwd=ROOT)
    assert json.loads(proc.stdout) == json.loads(bb("tree", "--db", db, "--json").stdout)


def test_every_command_is_built_by_the_module_the_table_names() -> None:
    import argparse
    import importlib

    from briefbook.cli.main import COMMAND_MODULES, COMMANDS

    for module in COMMAND_MODULES:
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(f"briefbook.cli.{module}").register(sub)
        assert set(sub.choices) == {c for c, m in COMMANDS.items() if m == module}, module


def test_top_level_help_lists_every_command_and_a_command_help_its_options(db: str) -> None:
    from briefbook.cli.main import COMMANDS

    top = bb("--help").stdout
    assert all(name in top for name in COMMANDS)
    assert "--classification" in bb("export", "--help").stdout
    # Options before the command do not hide it.
    assert json.loads(bb("--db", db, "tree", "--json").stdout)["plans"]
