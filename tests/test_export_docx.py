"""The Word export read back with python-docx: content and order, cover, header and footer
fields, the contents field, properties, East Asian font, hyperlinks, hostile text."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from export_helpers import HOSTILE_NOTES, LONG_NOTE, LONG_URL, TOKYO, add_hostile, squash, tokyo

from db.briefing.facade import Briefing
from exporters.book import SHORT_TITLE, BookOptions, build_meeting_book, build_plan_book, full_title
from exporters.docx import render_docx
from exporters.text import shorten


def _write(book, tmp_path: Path, name: str = "book.docx") -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(render_docx(book, page_numbers=False))  # LibreOffice's page numbers: test_export_word_reader
    return path


@pytest.fixture
def tokyo_docx(seeded: Briefing, tmp_path: Path) -> Path:
    book = build_meeting_book(seeded, tokyo(seeded), BookOptions(classification="Restricted", prepared_by="Desk Officer",
                                                                 generated_on="2024-02-01", edition="desk"))
    return _write(book, tmp_path)


def _texts(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def test_every_agenda_item_note_and_source_is_there_once_in_order(seeded: Briefing, tokyo_docx: Path) -> None:
    doc = Document(str(tokyo_docx))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("heading") or p.style.style_id.startswith("Heading")]
    agenda = seeded.agenda(tokyo(seeded))
    expected = [f"Item {n} — {shorten(full_title(seeded.node(a.node_id)), SHORT_TITLE)} ({seeded.node(a.node_id).ref})"
                for n, a in enumerate(agenda, start=1)]
    assert headings == ["Summary", "Agenda", "Status of the agenda", "Agenda items", *expected, "Sources"]
    body = squash("\n".join(_texts(tokyo_docx)))
    for a in agenda:
        assert squash(full_title(seeded.node(a.node_id))) in body
    for a in agenda:
        for note in seeded.notes(a.node_id):
            assert squash(note.body) in body
    sources = [p.text for p in doc.paragraphs if p.style.style_id == "BbSource"]
    assert [re.match(r"\[(\d+)\]", s).group(1) for s in sources] == [str(n) for n in range(1, len(sources) + 1)]
    assert len(set(sources)) == len(sources)


def test_cover_header_footer_and_properties(tokyo_docx: Path) -> None:
    doc = Document(str(tokyo_docx))
    texts = _texts(tokyo_docx)
    cover = "\n".join(texts[:20])
    for field in ("Meeting brief", TOKYO, "5 February 2024", "Prime Minister's Office, Tokyo", "Desk Officer",
                  "1 February 2024"):
        assert field in cover, field
    section = doc.sections[0]
    header = "\n".join(p.text for p in section.header.paragraphs)
    assert "RESTRICTED" in header and TOKYO in header
    footer_xml = section.footer._element.xml
    assert "RESTRICTED" in "".join(p.text for p in section.footer.paragraphs)
    assert re.search(r"instrText[^>]*>\s*PAGE\s*<", footer_xml)
    assert re.search(r"instrText[^>]*>\s*NUMPAGES\s*<", footer_xml)
    assert "Page " in footer_xml and " of " in footer_xml
    props = doc.core_properties
    assert props.title == TOKYO
    assert props.author == "Desk Officer"
    assert "Meeting brief" in props.subject


def test_contents_is_a_toc_field_already_filled_and_opens_without_a_prompt(tokyo_docx: Path) -> None:
    doc = Document(str(tokyo_docx))
    body = doc.element.body.xml
    assert re.search(r'TOC \\o "1-2" \\h', body)
    entries = [p for p in doc.paragraphs if p.style.style_id in ("TOC1", "TOC2")]
    headings = [p.text for p in doc.paragraphs if p.style.style_id.startswith("Heading")]
    # The steering and agenda pages come before the contents; without a layout, no page numbers are shown.
    assert [p.text.strip() for p in entries] == headings[2:]
    # Each entry links to its heading's bookmark.
    bookmarks = {b.get(qn("w:name")) for b in doc.element.body.iter(qn("w:bookmarkStart"))}
    anchors = [h.get(qn("w:anchor")) for p in entries for h in p._p.iter(qn("w:hyperlink"))]
    assert len(anchors) == len(entries) and set(anchors) <= bookmarks
    # No "update the fields?" question on every open.
    assert doc.settings.element.find(qn("w:updateFields")) is None


def test_japanese_runs_name_the_east_asian_face(seeded: Briefing, tmp_path: Path) -> None:
    node = seeded.agenda(tokyo(seeded))[0].node_id
    seeded.add_note(node, "talking_point", "Meet 高市早苗 in the città of Cortina d'Ampezzo.", author="tester")
    path = _write(build_meeting_book(seeded, tokyo(seeded)), tmp_path)
    doc = Document(str(path))
    runs = [r for p in doc.paragraphs for r in p.runs if "高市早苗" in r.text]
    assert runs
    fonts = runs[0]._r.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "BIZ UDPGothic"
    text = "\n".join(_texts(path))
    assert "città" in text and "Cortina d'Ampezzo" in text
    styles = zipfile.ZipFile(path).read("word/styles.xml").decode()
    assert 'w:eastAsia="BIZ UDPGothic"' in styles


def test_hostile_text_is_kept_literally_and_links_are_real(seeded: Briefing, tmp_path: Path) -> None:
    ids = add_hostile(seeded)
    path = _write(build_meeting_book(seeded, ids["meeting"]), tmp_path)
    doc = Document(str(path))  # it opens: no control character broke the XML
    text = "\n".join(_texts(path))
    for body in HOSTILE_NOTES:
        assert body.replace("\x00", "␀").replace("\x0b", "␋") in text, body
    assert LONG_NOTE in text
    targets = {rel.target_ref for rel in doc.part.rels.values() if rel.reltype.endswith("/hyperlink")}
    assert LONG_URL in targets and "https://www.mofa.go.jp/" in targets
    bold = [r.text for p in doc.paragraphs for r in p.runs if r.bold]
    assert "Bold" in bold
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as z:
        xml = z.read("word/document.xml").decode()
    assert "\x00" not in xml and "\x0b" not in xml
    assert "&lt;img src=" in xml and "]]&gt;" in xml


def test_plan_book_in_plan_order(seeded: Briefing, tmp_path: Path) -> None:
    plan = seeded.plans()[0]
    path = _write(build_plan_book(seeded, plan.id), tmp_path)
    text = squash("\n".join(_texts(path)))
    last = -1
    for node in seeded.nodes(plan.id):
        where = text.find(squash(f"{node.ref} {full_title(node)}"), last + 1)
        assert where > last, node.ref
        last = where
