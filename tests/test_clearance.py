"""Clearance through the command line: each part cleared against its text, the pack approved, and merges."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from test_cli import ROOT, assert_one_sentence_error


def run(*args: str, user: str = "drafter", check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "LOGNAME": user, "USER": user, "LNAME": user, "USERNAME": user}
    proc = subprocess.run([sys.executable, "-m", "briefbook", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def state(db: Path) -> dict:
    return json.loads(run("clearance", "Rome", "--db", str(db), "--json").stdout)


def entry(db: Path, ref: str) -> dict:
    return next(e for e in state(db)["entries"] if e["ref"] == ref)


def meeting_file(tmp_path: Path) -> Path:
    db = tmp_path / "f.bb"
    run("init", str(db))
    run("meeting", "create", "--title", "Rome", "--objectives", "Agree the plan", "--db", str(db))
    run("meeting", "add", "Rome", "1.1.1", "1.2", "--objective", "Get X", "--db", str(db))
    return db


def test_every_part_starts_as_draft_and_a_clearance_is_stored_with_the_hash_of_the_text(tmp_path: Path) -> None:
    db = meeting_file(tmp_path)
    s = state(db)
    assert [(e["ref"], e["state"]) for e in s["entries"]] == [("front matter", "draft"), ("1.1.1", "draft"),
                                                              ("1.2", "draft")]
    assert s["approved"] is False and s["still_to_clear"] == ["front matter", "1.1.1", "1.2"]
    out = run("clear", "Rome", "--item", "1.1.1", "--by", "Alice Lead", "--comment", "fine", "--db", str(db)).stdout
    assert "1.1.1 cleared by Alice Lead" in out and "(fine)" in out
    e = entry(db, "1.1.1")
    assert (e["state"], e["clearer"], e["comment"]) == ("cleared", "Alice Lead", "fine")
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT state, clearer, comment, content_sha256 FROM clearance").fetchall()
    conn.close()
    assert rows == [("cleared", "Alice Lead", "fine", e["content_sha256"])]
    assert len(e["content_sha256"]) == 64
    text = run("clearance", "Rome", "--db", str(db)).stdout
    assert "Still to clear: front matter, 1.2." in text and "not approved" in text


def test_an_edit_after_clearance_returns_the_entry_to_draft_and_names_who_changed_what(tmp_path: Path) -> None:
    db = meeting_file(tmp_path)
    run("clear", "Rome", "--item", "1.1.1", "--by", "Alice", "--db", str(db))
    run("meeting", "item", "Rome", "1.1.1", "--objective", "Get Y", "--db", str(db), user="carol")
    e = entry(db, "1.1.1")
    assert e["state"] == "draft" and e["edited_after_clearance"] is True
    assert e["changes"] == [{"what": "objective", "by": "carol"}]
    assert "edited after clearance" in run("clearance", "Rome", "--db", str(db)).stdout
    # Clearing the new text clears it again.
    run("clear", "Rome", "--item", "1.1.1", "--by", "Alice", "--db", str(db))
    assert entry(db, "1.1.1")["state"] == "cleared"


def test_a_note_added_to_an_entry_after_clearance_is_named(tmp_path: Path) -> None:
    db = meeting_file(tmp_path)
    run("clear", "Rome", "--item", "1.2", "--by", "Alice", "--db", str(db))
    run("note", "add", "1.2", "--kind", "background", "--text", "They will ask about ports", "--db", str(db), user="dave")
    e = entry(db, "1.2")
    assert e["state"] == "draft"
    assert e["changes"] == [{"what": "note “They will ask about ports” (added)", "by": "dave"}]


def test_approval_needs_every_part_cleared_and_an_edit_undoes_it(tmp_path: Path) -> None:
    db = meeting_file(tmp_path)
    err = assert_one_sentence_error(run("approve", "Rome", "--by", "PO", "--db", str(db), check=False))
    assert "3 parts still to clear (front matter, 1.1.1, 1.2)" in err
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM approval").fetchone()[0] == 0
    conn.close()
    for item in ([], ["--item", "1.1.1"], ["--item", "1.2"]):
        run("clear", "Rome", *item, "--by", "Lead", "--db", str(db))
    run("approve", "Rome", "--by", "Private Office", "--db", str(db))
    s = state(db)
    assert s["approved"] is True and s["approver"] == "Private Office" and s["still_to_clear"] == []
    run("meeting", "edit", "Rome", "--press-line", "No comment", "--db", str(db), user="erin")
    s = state(db)
    assert s["approved"] is False and s["approval_stale"] is True
    front = s["entries"][0]
    assert front["state"] == "draft" and front["changes"] == [{"what": "press line", "by": "erin"}]


def test_clear_refuses_an_entry_not_on_the_agenda_and_an_empty_name(tmp_path: Path) -> None:
    db = meeting_file(tmp_path)
    err = assert_one_sentence_error(run("clear", "Rome", "--item", "9.9", "--by", "A", "--db", str(db), check=False))
    assert "9.9 is not on the agenda" in err
    assert_one_sentence_error(run("clear", "Rome", "--by", "  ", "--db", str(db), check=False))
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM clearance").fetchone()[0] == 0
    conn.close()


def test_two_laptops_clearing_different_entries_both_count_after_a_merge(tmp_path: Path) -> None:
    db = meeting_file(tmp_path)
    other = tmp_path / "laptop.bb"
    shutil.copy(db, other)
    run("clear", "Rome", "--item", "1.1.1", "--by", "Alice", "--db", str(db))
    run("clear", "Rome", "--item", "1.2", "--by", "Bob", "--db", str(other))
    run("merge", str(other), "--db", str(db))
    s = state(db)
    assert {e["ref"]: (e["state"], e["clearer"]) for e in s["entries"]} == {
        "front matter": ("draft", ""), "1.1.1": ("cleared", "Alice"), "1.2": ("cleared", "Bob")}


def test_a_clearance_and_an_edit_made_apart_merge_to_edited_after_clearance(tmp_path: Path) -> None:
    db = meeting_file(tmp_path)
    other = tmp_path / "laptop.bb"
    shutil.copy(db, other)
    run("clear", "Rome", "--item", "1.1.1", "--by", "Alice", "--db", str(db))
    run("meeting", "item", "Rome", "1.1.1", "--points", "New point", "--db", str(other), user="frank")
    # Either way round, the entry is not cleared: nobody cleared the text it now holds.
    both = tmp_path / "both.bb"
    shutil.copy(other, both)
    run("merge", str(db), "--db", str(both))
    run("merge", str(other), "--db", str(db))
    for merged in (db, both):
        e = entry(merged, "1.1.1")
        assert e["state"] == "draft" and e["edited_after_clearance"] is True
        assert e["changes"] == [{"what": "meeting points", "by": "frank"}]


def _pdf_pages(path: Path) -> list[str]:
    import pypdf

    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def _docx_headers_of_sections(path: Path) -> list[str]:
    """The XML of the header each section of the document uses (every page is in some section)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        document = z.read("word/document.xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
        targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
        targets |= {k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', rels)}
        sections = re.findall(r"<w:sectPr\b.*?</w:sectPr>", document, re.S)
        assert sections
        out = []
        for sect in sections:
            refs = re.findall(r'<w:headerReference [^>]*r:id="(rId\d+)"', sect)
            assert refs, "a section without a header"
            out.extend(z.read("word/" + targets[r]).decode() for r in refs)
        return out


def test_a_pack_not_approved_is_marked_draft_on_every_page_in_pdf_and_word(tmp_path: Path) -> None:
    db = meeting_file(tmp_path)
    run("note", "add", "1.1.1", "--kind", "talking_point", "--text", "Say yes", "--db", str(db))
    for edition in ("principal", "desk"):
        pdf, docx = tmp_path / f"{edition}.pdf", tmp_path / f"{edition}.docx"
        run("export", "--db", str(db), "--meeting", "Rome", "--edition", edition, "-o", str(pdf), "--quiet")
        run("export", "--db", str(db), "--meeting", "Rome", "--edition", edition, "-o", str(docx),
            "--format", "docx", "--quiet")
        pages = _pdf_pages(pdf)
        assert len(pages) >= 2
        for text in pages:
            assert "DRAFT — not approved" in text
            assert text.replace("DRAFT — not approved", "").count("DRAFT") == 1  # the watermark
        for header in _docx_headers_of_sections(docx):
            assert 'string="DRAFT"' in header and "rotation:" in header
            assert "DRAFT — not approved" in header


def test_an_approved_pack_has_no_draft_marks_and_an_edit_brings_them_back(tmp_path: Path) -> None:
    db = meeting_file(tmp_path)
    for item in ([], ["--item", "1.1.1"], ["--item", "1.2"]):
        run("clear", "Rome", *item, "--by", "Lead", "--db", str(db))
    run("approve", "Rome", "--by", "Private Office", "--db", str(db))
    pdf, docx = tmp_path / "a.pdf", tmp_path / "a.docx"
    run("export", "--db", str(db), "--meeting", "Rome", "-o", str(pdf), "--quiet")
    run("export", "--db", str(db), "--meeting", "Rome", "-o", str(docx), "--format", "docx", "--quiet")
    assert not any("DRAFT" in text for text in _pdf_pages(pdf))
    assert not any("DRAFT" in header for header in _docx_headers_of_sections(docx))
    run("meeting", "item", "Rome", "1.2", "--objective", "Changed", "--db", str(db))
    run("export", "--db", str(db), "--meeting", "Rome", "-o", str(pdf), "--quiet")
    assert all("DRAFT — not approved" in text for text in _pdf_pages(pdf))
