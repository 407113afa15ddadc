"""The Word file as a reader's machine shows it, laid out by the real LibreOffice: Japanese on a
machine without Japanese fonts (the embedded face), and a contents list with page numbers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from export_helpers import FASANO, add_realistic, meeting_id, pdf_text, squash
from pypdf import PdfReader

from db.briefing.facade import Briefing
from exporters.book import BookOptions, build_meeting_book
from exporters.docx import render_docx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
ROOT = Path(__file__).resolve().parents[1]


def _no_cjk_fonts(tmp_path: Path) -> dict[str, str]:
    """An environment whose fontconfig knows only non-Japanese fonts (DejaVu, LibreOffice's own)."""
    folders = [d for d in ("/usr/share/fonts/truetype/dejavu", "/usr/lib/libreoffice/share/fonts/truetype")
               if Path(d).is_dir()]
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
        + "".join(f"<dir>{d}</dir>" for d in folders)
        + f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    if shutil.which("fc-list"):  # fontconfig's tool: the machine really has no Japanese font
        listed = subprocess.run(["fc-list", ":lang=ja"], env=env, capture_output=True, text=True, timeout=60)
        assert listed.stdout.strip() == "", listed.stdout
    return env


def _to_pdf(docx: Path, env: dict[str, str], tmp_path: Path) -> Path:
    assert SOFFICE is not None
    out = tmp_path / "lo"
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                   env=env, capture_output=True, timeout=300, check=True)
    return out / (docx.stem + ".pdf")


def _faces(pdf: Path) -> set[str]:
    return {str(f.get_object()["/BaseFont"]).split("+")[-1]
            for page in PdfReader(pdf).pages for f in page["/Resources"].get_object().get("/Font", {}).values()}


def test_japanese_shows_on_a_machine_without_japanese_fonts(seeded: Briefing, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    add_realistic(seeded)
    book = build_meeting_book(seeded, meeting_id(seeded, FASANO), BookOptions(classification="Restricted"))
    docx = tmp_path / "pack.docx"
    docx.write_bytes(render_docx(book, page_numbers=False))
    env = _no_cjk_fonts(tmp_path)
    pdf = _to_pdf(docx, env, tmp_path)
    assert "高市早苗" in "".join(pdf_text(pdf))
    assert any(face.startswith("BIZUDPGothic") for face in _faces(pdf))  # drawn in the embedded face

    # The same document without its embedded fonts shows no Japanese face on this machine.
    from exporters import docx as docx_module
    from exporters.docx_package import name_japanese

    monkeypatch.setattr(docx_module, "embed_japanese", lambda doc, bold, text: name_japanese(doc))
    bare = tmp_path / "bare" / "pack.docx"
    bare.parent.mkdir()
    bare.write_bytes(render_docx(book, page_numbers=False))
    assert not any(face.startswith("BIZUDPGothic") for face in _faces(_to_pdf(bare, env, tmp_path / "bare")))


def test_the_word_contents_has_the_pages_libreoffice_lays_out(seeded: Briefing, tmp_path: Path) -> None:
    add_realistic(seeded)
    book = build_meeting_book(seeded, meeting_id(seeded, FASANO), BookOptions(classification="Restricted",
                                                                              edition="desk"))
    docx = tmp_path / "pack.docx"
    docx.write_bytes(render_docx(book))
    doc = Document(str(docx))
    entries = [p.text for p in doc.paragraphs if p.style.style_id in ("TOC1", "TOC2")]
    numbers = [int(t.rsplit("\t", 1)[-1]) for t in entries]  # every line ends in its page
    assert numbers == sorted(numbers) and numbers[0] >= 3
    # They are the pages the headings are on when the document is laid out.
    pages = pdf_text(_to_pdf(docx, dict(os.environ), tmp_path))
    for text, page in zip(entries, numbers):
        title = text.rsplit("\t", 1)[0]
        assert squash(title)[:40] in squash(pages[page - 1]), (title, page)
    # The steering page's lines end in their pages too (the last column of its tables).
    steering = [(row.cells[1].paragraphs[0].text, row.cells[-1].text) for t in doc.tables
                if t.rows[0].cells[0].paragraphs[0].style.style_id == "BbKeyRef" for row in t.rows]
    assert steering and all(n.isdigit() for _text, n in steering)
    for text, page in steering:  # each points at the page where its note is set out
        # (its first words: a struck-through word prints, and the steering line leaves it out)
        assert squash(" ".join(text.split()[:2])) in squash(pages[int(page) - 1]) and int(page) > 2, (text, page)


def test_the_command_line_numbers_the_word_contents(seeded_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.docx"
    proc = subprocess.run([sys.executable, "-m", "briefbook", "export", "--db", str(seeded_path), "--plan",
                           "-o", str(out), "--classification", "Restricted", "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    entries = [p.text for p in Document(str(out)).paragraphs if p.style.style_id in ("TOC1", "TOC2")]
    assert entries and all(e.rsplit("\t", 1)[-1].isdigit() for e in entries)


def test_the_steering_page_of_forty_items_is_one_page_in_word_too(seeded: Briefing, tmp_path: Path) -> None:
    meeting = seeded.create_meeting("Forty items", date="2026-05-01", purpose="Review the plan.",
                                    objectives="Agree the calendar\nName the leads")
    nodes = [n for n in seeded.nodes() if n.kind in ("commitment", "subcommitment")][:40]
    for i, node in enumerate(nodes):
        seeded.add_agenda_item(meeting.id, node.id)
        seeded.add_note(node.id, "line_to_take", f"Line {i} says that cooperation on this point goes on and "
                        "deepens in every field the plan names, from defence to culture.", author="A")
        seeded.add_note(node.id, "if_raised", f"Ask {i}?", response="Our answer.", author="A")
    docx = tmp_path / "forty.docx"
    docx.write_bytes(render_docx(build_meeting_book(seeded, meeting.id), page_numbers=False))
    pages = pdf_text(_to_pdf(docx, dict(os.environ), tmp_path))
    assert "KEY MESSAGES" in pages[1] and "Line 39 " in pages[1] and "IF RAISED" in pages[1]
    # The next page is the agenda's (after its header lines).
    assert pages[2].split("\n")[2] == "Agenda" and "KEY MESSAGES" not in pages[2]
