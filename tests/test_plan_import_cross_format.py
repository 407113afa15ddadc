"""One real plan (the U.S.-Canada roadmap fixture) written by the tests as Word, a web page and a
wrapped multi-page PDF with running heads: every format gives the same tree."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from briefbook.services.plan_import import load_plan
from tests.plan_import_helpers import coverage, kinds_per_level

FIXTURE = Path(__file__).parent / "fixtures" / "plans" / "us_canada_roadmap_renewed_partnership_2021.txt"
AREAS = ["Combating COVID-19", "Building Back Better", "Accelerating Climate Ambitions",
         "Advancing Diversity and Inclusion", "Bolstering Security and Defense", "Building Global Alliances"]


def paragraphs() -> list[tuple[str, str]]:
    """("title" | "heading" | "bullet" | "para", text) for each paragraph of the fixture."""
    out = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if not text:
            continue
        if not out:
            out.append(("title", text))
        elif text.startswith("- "):
            out.append(("bullet", text[2:]))
        elif text in AREAS:
            out.append(("heading", text))
        else:
            out.append(("para", text))
    return out


def write_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    for kind, text in paragraphs():
        if kind == "title":
            d.add_paragraph(text, style="Title")
        elif kind == "heading":
            d.add_paragraph().add_run(text).bold = True
        elif kind == "bullet":
            d.add_paragraph(text, style="List Bullet")
        else:
            d.add_paragraph(text)
    d.save(str(path))


def write_html(path: Path) -> None:
    parts = ["<!DOCTYPE html><html><head><title>Roadmap | The White House</title></head><body>",
             "<nav><a href='/'>Home</a></nav><main>"]
    in_list = False
    for kind, text in paragraphs():
        if kind == "bullet" and not in_list:
            parts.append("<ul>")
            in_list = True
        elif kind != "bullet" and in_list:
            parts.append("</ul>")
            in_list = False
        tag = {"title": "h1", "heading": "h2", "bullet": "li", "para": "p"}[kind]
        parts.append(f"<{tag}>{html.escape(text)}</{tag}>")
    parts.append("</ul></main></body></html>" if in_list else "</main></body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")


def write_pdf(path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()

    def running(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, 810, "Roadmap for a Renewed U.S.-Canada Partnership - The White House")
        canvas.drawString(280, 30, str(doc.page))

    story = []
    for kind, text in paragraphs():
        style = {"title": styles["Title"], "heading": styles["Heading2"], "bullet": styles["Normal"],
                 "para": styles["Normal"]}[kind]
        story.append(Paragraph(("• " if kind == "bullet" else "") + html.escape(text), style))
    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=running, onLaterPages=running)


@pytest.mark.parametrize("fmt", ["docx", "html", "pdf"])
def test_the_same_plan_in_every_format_gives_the_same_tree(fmt: str, tmp_path: Path) -> None:
    path = tmp_path / f"roadmap.{fmt}"
    {"docx": write_docx, "html": write_html, "pdf": write_pdf}[fmt](path)
    draft = load_plan(path).draft
    reference = load_plan(FIXTURE).draft
    assert draft.title == "Roadmap for a Renewed U.S.-Canada Partnership"
    assert kinds_per_level(draft) == [("area", 6), ("commitment", 44)]
    assert [len(a.children) for a in draft.areas] == [9, 8, 11, 3, 7, 6]
    assert [a.title for a in draft.areas] == AREAS
    assert [n.title for n in draft.walk()] == [n.title for n in reference.walk()]
    assert coverage(FIXTURE.read_text(encoding="utf-8"), draft) >= 0.98
