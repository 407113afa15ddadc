"""Print polish, read back from the pages: Japanese italic slanted in the PDF, Markdown table columns
aligned as typed, "NOT MARKED" where no marking goes, no heading alone at a page foot, no page left
mostly blank but before a part that starts a page, no total row alone overleaf."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from export_helpers import FASANO, TAKAICHI, add_brief, add_realistic, meeting_id, pdf_text
from pypdf import PdfReader

from db.briefing.facade import Briefing
from exporters.book import BookOptions, build_meeting_book, build_plan_book
from exporters.docx import render_docx
from exporters.pdf import render_pdf


def _faces(path: Path, page: int) -> set[str]:
    fonts = PdfReader(path).pages[page]["/Resources"]["/Font"]
    return {str(f.get_object()["/BaseFont"]).split("+")[-1] for f in fonts.values()}


def test_japanese_italic_is_slanted_and_upright_japanese_stays_upright(seeded: Briefing, tmp_path: Path) -> None:
    node = seeded.agenda(meeting_id(seeded, TAKAICHI))[0].node_id
    note = seeded.add_note(node, "talking_point", "Upright 高市 and *italic 早苗* and ***bold italic 総理***.",
                           author="A")
    path = tmp_path / "italic.pdf"
    path.write_bytes(render_pdf(build_meeting_book(seeded, meeting_id(seeded, TAKAICHI))))
    page = next(i for i, p in enumerate(pdf_text(path)) if "Upright" in p)
    assert {"BIZUDPGothic-Regular", "BIZUDPGothic-Italic", "BIZUDPGothic-BoldItalic"} <= _faces(path, page)
    assert "Upright 高市 and italic 早苗 and bold italic 総理." in " ".join(pdf_text(path)[page].split())
    reader = PdfReader(path)
    italic = next(f.get_object() for f in reader.pages[page]["/Resources"]["/Font"].values()
                  if str(f.get_object()["/BaseFont"]).endswith("BIZUDPGothic-Italic"))
    descriptor = italic["/DescendantFonts"][0].get_object()["/FontDescriptor"] if "/DescendantFonts" in italic \
        else italic["/FontDescriptor"]
    assert float(descriptor.get_object()["/ItalicAngle"]) < 0
    # The next book, without Japanese italic, makes no slanted face.
    seeded.edit_note(note.id, body="Upright 高市 only.")
    other = tmp_path / "plain.pdf"
    other.write_bytes(render_pdf(build_meeting_book(seeded, meeting_id(seeded, TAKAICHI))))
    assert not any("Italic" in f and "BIZ" in f for i in range(len(PdfReader(other).pages)) for f in _faces(other, i))


def test_a_markdown_tables_right_aligned_column_is_right_aligned(seeded: Briefing, tmp_path: Path) -> None:
    from exporters import fonts

    add_realistic(seeded)  # a risk with a table whose last column ("Due") is right-aligned
    path = tmp_path / "table.pdf"
    path.write_bytes(render_pdf(build_meeting_book(seeded, meeting_id(seeded, FASANO), BookOptions(edition="desk"))))
    edges: dict[str, float] = {}
    for page in PdfReader(path).pages:
        def visit(text, cm, tm, font, size, edges=edges) -> None:  # type: ignore[no-untyped-def]
            if text.strip() in ("Due", "2025", "2026", "Item", "GCAP"):
                bold = "Bold" in str(font.get("/BaseFont") if font else "")
                width = fonts.string_width(text.strip(), fonts.SANS, size * cm[0], bold=bold)
                edges[text.strip()] = (tm[4] * cm[0] + cm[4], tm[4] * cm[0] + cm[4] + width)  # type: ignore[assignment]
        page.extract_text(visitor_text=visit)
    assert abs(edges["Due"][1] - edges["2025"][1]) < 1 and abs(edges["2025"][1] - edges["2026"][1]) < 1  # type: ignore[index]
    assert abs(edges["Item"][0] - edges["GCAP"][0]) < 1  # type: ignore[index]  # a left column stays left
    doc = Document(str(_docx(seeded, tmp_path)))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Item")
    assert [r.cells[2].paragraphs[0].alignment for r in table.rows] == [2, 2, 2]  # WD_ALIGN_PARAGRAPH.RIGHT
    widths = [c.width for c in table.rows[0].cells]
    assert sum(widths) < doc.sections[0].page_width * 0.6  # sized to its content, not the page


def _docx(seeded: Briefing, tmp_path: Path) -> Path:
    path = tmp_path / "pack.docx"
    path.write_bytes(render_docx(build_meeting_book(seeded, meeting_id(seeded, FASANO), BookOptions(edition="desk")),
                                 page_numbers=False))
    return path


def test_a_pack_without_a_marking_says_not_marked_on_every_page(seeded: Briefing, tmp_path: Path) -> None:
    book = build_meeting_book(seeded, meeting_id(seeded, TAKAICHI))
    assert not book.classification and any("NOT MARKED" in w for w in book.warnings)
    path = tmp_path / "pack.pdf"
    path.write_bytes(render_pdf(book))
    assert all(p.count("NOT MARKED") == 2 for p in pdf_text(path))  # header and footer
    docx = tmp_path / "pack.docx"
    docx.write_bytes(render_docx(book, page_numbers=False))
    doc = Document(str(docx))
    assert len(doc.sections) > 5  # the principal's: a section a page for each item, each header marked
    for section in doc.sections:
        assert "NOT MARKED" in "".join(p.text for p in section.header.paragraphs)
        assert "NOT MARKED" in "".join(p.text for p in section.footer.paragraphs)


def _lowest(path: Path) -> list[tuple[float, float, str]]:
    """Per page: the top and the bottom of what the text block holds (points from the foot), and its first text."""
    out = []
    for page in PdfReader(path).pages:
        ys: list[tuple[float, str]] = []

        def visit(text, cm, tm, font, size, ys=ys) -> None:  # type: ignore[no-untyped-def]
            y = tm[5] * cm[3] + cm[5]
            if text.strip() and 60 < y < 770:
                ys.append((y, text.strip()))

        page.extract_text(visitor_text=visit)
        out.append((max(ys)[0], min(ys)[0], max(ys)[1]) if ys else (0.0, 0.0, ""))
    return out


@pytest.mark.parametrize("which", ["principal", "desk", "plan"])
def test_no_page_is_mostly_blank_but_before_a_part_that_starts_a_page(seeded: Briefing, tmp_path: Path,
                                                                      which: str) -> None:
    add_realistic(seeded)
    add_brief(seeded)
    if which == "plan":
        book = build_plan_book(seeded, seeded.plans()[0].id)
    else:
        book = build_meeting_book(seeded, meeting_id(seeded, FASANO), BookOptions(edition=which, since="2000-01-01"))
    path = tmp_path / "pack.pdf"
    path.write_bytes(render_pdf(book))
    pages = _lowest(path)
    starts = ("Summary", "Agenda", "Contents", "Status of", "Annexes", "Item ")  # parts that start a page
    frame = 770 - 62
    for number in range(1, len(pages) - 1):  # the cover and the last page aside
        _top, bottom, _first = pages[number]
        following = pages[number + 1][2]
        if following.startswith(starts) and (which == "principal" or not following.startswith("Item ")):
            continue  # the page before a part that must start a page
        assert (bottom - 62) / frame <= 0.8, (which, number + 1, bottom, following)


def test_a_total_row_is_never_alone_overleaf() -> None:
    from reportlab.platypus import Paragraph

    from exporters.pdf_flowables import BookTable
    from exporters.pdf_styles import styles

    cell = styles().cell
    rows = [[Paragraph(f"row {i}", cell)] for i in range(30)]
    table = BookTable(rows, colWidths=[100], repeatRows=1, total_row=True)
    _w, height = table.wrap(100, 10_000)
    row = height / 30
    # Room for every row but the last: the split leaves two rows for the next page, not the total alone.
    first, second = table.split(100, height - row * 0.5)
    assert len(second._cellvalues) - 1 >= 2 and len(first._cellvalues) == 28
    # Room for fewer rows: split as usual.
    first, second = table.split(100, height / 2)
    assert len(second._cellvalues) > 2
