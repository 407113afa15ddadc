"""A single newline inside a note is a line break in both packs (and the window,
tests/gui/test_notes_view.py): lines typed one under the other are printed so,
in prose and in Markdown, instead of running together."""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from export_helpers import TOKYO, meeting_id, pdf_text

from db.briefing.facade import Briefing
from exporters.book import build_meeting_book
from exporters.docx import render_docx
from exporters.markdown import Para, note_blocks
from exporters.pdf import render_pdf

PROSE = "高市総理と会談した。\nIncontro con la Presidente Meloni."
MARKDOWN = "**Esito**: accordo raggiunto\n合意に達した\n\nSecond paragraph."


def test_a_single_newline_is_a_line_break_in_prose_and_markdown() -> None:
    [para] = note_blocks(PROSE)
    assert isinstance(para, Para) and "".join(s.text for s in para.spans) == PROSE
    first, second = note_blocks(MARKDOWN)
    assert "".join(s.text for s in first.spans) == "Esito: accordo raggiunto\n合意に達した"  # type: ignore[union-attr]
    assert "".join(s.text for s in second.spans) == "Second paragraph."  # type: ignore[union-attr]
    # Spaces around a line are not kept, nor empty lines inside a paragraph's lines.
    assert note_blocks("  one  \n   two   ")[0].spans[0].text == "one\ntwo"  # type: ignore[union-attr]


def test_lines_typed_apart_are_printed_apart_in_the_pdf_and_the_word_file(seeded: Briefing, tmp_path: Path) -> None:
    node = seeded.agenda(meeting_id(seeded, TOKYO))[0].node_id
    seeded.add_note(node, "talking_point", PROSE, author="tester")
    seeded.add_note(node, "background", MARKDOWN, author="tester")
    book = build_meeting_book(seeded, meeting_id(seeded, TOKYO))

    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(render_pdf(book))
    text = "\n".join(pdf_text(pdf))
    assert re.search(r"会談した。\s*\n\s*Incontro con la Presidente Meloni\.", text), text
    assert re.search(r"accordo raggiunto\s*\n\s*合意に達した", text)
    assert "会談した。 Incontro" not in text and "raggiunto 合意" not in text

    docx = tmp_path / "pack.docx"
    docx.write_bytes(render_docx(book, page_numbers=False))
    paragraphs = [p.text for p in Document(str(docx)).paragraphs]
    # python-docx reads a <w:br/> as "\n": the break is in the paragraph, not a space.
    assert any(p.endswith("高市総理と会談した。\nIncontro con la Presidente Meloni.") for p in paragraphs), paragraphs
    assert any("Esito: accordo raggiunto\n合意に達した" in p for p in paragraphs)
