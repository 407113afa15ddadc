"""The house style shared by both formats (`exporters.style`), and the layering of the PDF modules:
the same page and colours in the PDF and the Word file, the same fallback for an unknown status,
a Word export that never loads ReportLab, and ReportLab's internals used in one module only."""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from export_helpers import pdf_text, squash, tokyo
from pypdf import PdfReader

from db.briefing.facade import Briefing
from exporters import style
from exporters.book import BookOptions, build_meeting_book
from exporters.book_model import Book, Cover, EntriesPart, Entry
from exporters.docx import render_docx
from exporters.pdf import render_pdf

ROOT = Path(__file__).resolve().parents[1]
MM = 72 / 25.4


def _rgb(colour: str) -> tuple[float, float, float]:
    return (int(colour[1:3], 16) / 255, int(colour[3:5], 16) / 255, int(colour[5:7], 16) / 255)


def _fill_colours(pdf: Path) -> set[tuple[float, float, float]]:
    """Every fill colour (`r g b rg`) the PDF's pages and forms set."""
    out: set[tuple[float, float, float]] = set()
    reader = PdfReader(pdf)
    streams = [page.get_contents().get_data() for page in reader.pages if page.get_contents() is not None]
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        streams += [xobjects[name].get_object().get_data() for name in xobjects]
    for data in streams:
        for r, g, b in re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) rg", data):
            out.add((float(r), float(g), float(b)))
    return out


def _has_colour(colours: set[tuple[float, float, float]], colour: str) -> bool:
    want = _rgb(colour)
    return any(all(abs(a - b) < 1e-4 for a, b in zip(c, want)) for c in colours)


@pytest.fixture
def tokyo_book(seeded: Briefing) -> Book:
    return build_meeting_book(seeded, tokyo(seeded), BookOptions(classification="Restricted", prepared_by="Desk Officer",
                                                                 generated_on="2024-02-01"))


def test_both_formats_lay_out_the_house_page(tokyo_book: Book, tmp_path: Path) -> None:
    pdf, docx = tmp_path / "book.pdf", tmp_path / "book.docx"
    pdf.write_bytes(render_pdf(tokyo_book))
    docx.write_bytes(render_docx(tokyo_book))

    box = PdfReader(pdf).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((style.PAGE_W_MM * MM, style.PAGE_H_MM * MM))
    section = Document(str(docx)).sections[0]
    twip = 25.4 / 1440  # Word stores the page in twentieths of a point
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((style.PAGE_W_MM, style.PAGE_H_MM),
                                                                            abs=twip)
    assert (section.left_margin.mm, section.right_margin.mm, section.top_margin.mm, section.bottom_margin.mm) == \
        pytest.approx((style.MARGIN_L_MM, style.MARGIN_R_MM, style.MARGIN_T_MM, style.MARGIN_B_MM), abs=twip)

    # Headings: navy in both; the Word heading sizes are the house sizes.
    assert _has_colour(_fill_colours(pdf), style.NAVY)
    styles = Document(str(docx)).styles
    for level, role in enumerate(style.HEADINGS, start=1):
        rpr = styles[f"heading {level}"].element.find(qn("w:rPr"))
        colour = rpr.find(qn("w:color")).get(qn("w:val"))
        assert colour == (style.HEADING_4 if level == 4 else style.NAVY).lstrip("#").upper()
        assert int(rpr.find(qn("w:sz")).get(qn("w:val"))) == int(role.size * 2)


def _book_with_counts(counts: tuple[tuple[str, int], ...]) -> Book:
    entry = Entry(anchor="bb1", level=1, in_toc=True, heading="1 An area", ref="1", kind="area", context="", text=(),
                  status=None, lead_office="", counts=counts, children=(), points=(), note_groups=(), citations=())
    cover = Cover(kind_label="Plan briefing book", title="A plan", subtitle="", fields=(), classification="")
    return Book(title="A plan", subject="Plan briefing book: A plan", author="tester", classification="",
                cover=cover, parts=(EntriesPart("bb2", None, (entry,)),), toc_depth=2)


def test_an_unknown_status_is_counted_in_grey_under_its_own_name_in_both_formats(tmp_path: Path) -> None:
    # A file written by a newer briefbook may hold a status this version does not know.
    book = _book_with_counts((("on_track", 1), ("mystery", 2)))
    pdf = tmp_path / "book.pdf"
    pdf.write_bytes(render_pdf(book))
    text = squash("".join(pdf_text(pdf)))
    assert "1ontrack" in text and "2mystery" in text
    assert _has_colour(_fill_colours(pdf), style.UNKNOWN_STATUS)

    with zipfile.ZipFile(io.BytesIO(render_docx(book))) as z:
        body = z.read("word/document.xml").decode()
    grey = style.UNKNOWN_STATUS.lstrip("#")
    assert re.search(rf'<w:color w:val="{grey}"/>.*?■.*?2 mystery', body)
    assert re.search(r'<w:color w:val="2e8540"/>.*?■.*?1 on track', body)


def test_a_word_export_never_loads_reportlab(seeded_path: Path, tmp_path: Path) -> None:
    # Start-up of a Word export: ReportLab is the biggest import the PDF needs, and the DOCX needs none of it.
    out = tmp_path / "plan.docx"
    code = (
        "import sys\n"
        "from db.briefing.facade import Briefing\n"
        "from exporters.export import Scope, export\n"
        f"with Briefing.open({str(seeded_path)!r}, read_only=True) as b:\n"
        f"    export(b, Scope(plan_id=b.plans()[0].id), {str(out)!r})\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'reportlab'))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
    assert "Status of the whole plan" in [p.text for p in Document(str(out)).paragraphs]


def _private_uses(path: Path) -> list[str]:
    """ReportLab's private names a module uses: imports from its internal modules, names with a
    leading underscore imported from it, and `x._name` on anything but the module's own objects."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    internal = ("reportlab.platypus.paraparser", "reportlab.platypus.paragraph", "reportlab.platypus.tableofcontents")
    own = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)}
    own |= {t.attr for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets
            if isinstance(t, ast.Attribute)}
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reportlab"):
            if node.module in internal:
                found.append(f"import from {node.module}")
            found += [f"import {a.name}" for a in node.names if a.name.startswith("_")]
        elif (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
              and node.attr not in own):
            found.append(f"._{node.attr.lstrip('_')} (line {node.lineno})")
    return found


def test_only_the_flowables_module_uses_reportlab_internals() -> None:
    modules = sorted((ROOT / "exporters").glob("pdf*.py"))
    assert {m.name for m in modules} >= {"pdf.py", "pdf_document.py", "pdf_flowables.py", "pdf_story.py",
                                         "pdf_styles.py"}
    for module in modules:
        uses = _private_uses(module)
        if module.name == "pdf_flowables.py":
            assert uses  # the check sees them where they are
        else:
            assert uses == [], f"{module.name} uses ReportLab internals: {uses}"


def test_the_builders_widths_are_the_shipped_sans_own() -> None:
    """The steering page is fitted before any renderer runs, with the widths `exporters.sans_widths`
    holds: they are the shipped faces' (regenerate with `python -m exporters.measure`)."""
    from exporters import fonts
    from exporters.measure import fit_words, lines_needed, text_width
    from exporters.sans_widths import BOLD, FIRST, REGULAR

    for bold, table in ((False, REGULAR), (True, BOLD)):
        for i, width in enumerate(table):
            assert width == round(fonts.string_width(chr(FIRST + i), fonts.SANS, 1000, bold=bold)), (chr(FIRST + i), bold)
    line = "Italy wants supply chains that no single country controls."
    assert abs(text_width(line, 9) - fonts.string_width(line, fonts.SANS, 9)) < 0.5
    assert lines_needed(line, 9, text_width(line, 9) + 1) == 1 and lines_needed(line, 9, 100) > 1
    cut = fit_words(line, 9, 100)
    assert cut.endswith("…") and line.startswith(cut[:-1]) and line[len(cut) - 1] == " "  # at a word
