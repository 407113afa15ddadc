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


ATLANTIC = FIXTURE.parent / "us_uk_atlantic_declaration_action_plan_2023.txt"


def atlantic_paragraphs() -> list[tuple[str, int, str, str]]:
    """(kind "pillar" | "bullet" | "para", bullet level, bold lead-in, text) for the Atlantic fixture."""
    import re

    out = []
    for line in ATLANTIC.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.strip() == "###":
            continue
        body = line.strip()
        if re.match(r"^[1-5]\. [A-Z]", body):
            out.append(("pillar", 0, "", body))
        elif body.startswith("- "):
            level = (len(line) - len(line.lstrip())) // 4
            text = body[2:]
            lead = text.split(". ", 1)[0] + "." if level == 0 and ". " in text else ""
            out.append(("bullet", level, lead, text))
        else:
            out.append(("para", 0, "", body))
    return out


def write_atlantic(fmt: str, path: Path) -> None:
    items = atlantic_paragraphs()
    if fmt == "docx":
        import docx

        d = docx.Document()
        for kind, level, lead, text in items:
            if kind == "pillar":
                d.add_paragraph(text, style="Heading 2")
            elif kind == "bullet":
                p = d.add_paragraph(style="List Bullet" if level == 0 else "List Bullet 2")
                if lead:
                    p.add_run(lead).bold = True
                p.add_run(text[len(lead):])
            else:
                d.add_paragraph(text)
        d.save(str(path))
    elif fmt == "html":
        parts, depth = ["<html><head><title>The Atlantic Declaration | The White House</title></head><body>"], 0
        for kind, level, lead, text in items:
            want = level + 1 if kind == "bullet" else 0
            while depth > want:
                parts.append("</li></ul>")
                depth -= 1
            if kind == "bullet" and depth == want:
                parts.append("</li>")
            while depth < want:
                parts.append("<ul>")
                depth += 1
            if kind == "bullet":
                rest = html.escape(text[len(lead):])
                parts.append(f"<li><strong>{html.escape(lead)}</strong>{rest}" if lead else f"<li>{rest}")
            else:
                parts.append(f"<{'h2' if kind == 'pillar' else 'p'}>{html.escape(text)}</{'h2' if kind == 'pillar' else 'p'}>")
        parts.append("</li></ul>" * depth + "</body></html>")
        path.write_text("".join(parts), encoding="utf-8")
    else:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
        from reportlab.platypus import Paragraph, SimpleDocTemplate

        styles = getSampleStyleSheet()
        sub = ParagraphStyle("sub", parent=styles["Normal"], leftIndent=24)

        def running(canvas, doc) -> None:  # type: ignore[no-untyped-def]
            canvas.setFont("Helvetica", 8)
            canvas.drawString(72, 810, "The Atlantic Declaration - The White House")
            canvas.drawString(280, 30, f"Page {doc.page}")

        story = []
        for kind, level, lead, text in items:
            # a PDF carries no zero-width spaces (ReportLab would draw them as boxes)
            lead, text = lead.replace("\u200b", ""), text.replace("\u200b", "")
            if kind == "pillar":
                story.append(Paragraph(html.escape(text), styles["Heading2"]))
            elif kind == "bullet":
                body = (f"<b>{html.escape(lead)}</b>" if lead else "") + html.escape(text[len(lead):])
                story.append(Paragraph(("- " if level else "• ") + body, sub if level else styles["Normal"]))
            else:
                story.append(Paragraph(html.escape(text), styles["Normal"]))
        SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=running, onLaterPages=running)


@pytest.mark.parametrize("fmt", ["docx", "html", "pdf"])
def test_the_atlantic_declaration_in_every_format(fmt: str, tmp_path: Path) -> None:
    path = tmp_path / f"atlantic.{fmt}"
    write_atlantic(fmt, path)
    draft = load_plan(path).draft
    reference = load_plan(ATLANTIC).draft
    assert kinds_per_level(draft) == [("area", 5), ("commitment", 16), ("subcommitment", 5)]
    assert [(n.ref, n.title) for n in draft.walk()] == [(n.ref, n.title) for n in reference.walk()]
    assert draft.title == reference.title
    assert coverage(ATLANTIC.read_text(encoding="utf-8"), draft) >= 0.98


def test_a_communique_as_a_wrapped_pdf(tmp_path: Path) -> None:
    import random

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from tests.test_plan_import_shapes import communique

    text, sizes = communique(random.Random(21))
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["Normal"], spaceAfter=6)
    story = []
    for para in text.split("\n\n"):
        joined = " ".join(para.split("\n"))
        is_heading = not joined[:1].isdigit() and len(joined.split()) <= 5 and not joined.endswith(".")
        story.append(Paragraph(html.escape(joined), styles["Heading3"] if is_heading else body))
    path = tmp_path / "communique.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    draft = load_plan(path).draft
    assert draft.title == "Leaders' Communiqué"
    assert kinds_per_level(draft) == [("area", 21), ("commitment", 66)]
    assert [len(a.children) for a in draft.areas] == sizes
    assert [int(c.ref.split(".")[-1]) for a in draft.areas for c in a.children] == list(range(1, 67))
    assert coverage(text, draft) >= 0.98


def test_a_national_action_plan_as_a_pdf(tmp_path: Path) -> None:
    import random

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from tests.test_plan_import_shapes import national_action_plan

    text, sizes = national_action_plan(random.Random(5))
    styles = getSampleStyleSheet()
    indented = ParagraphStyle("indented", parent=styles["Normal"], leftIndent=18, spaceAfter=4)
    story = []
    for para in text.split("\n\n"):
        for line in para.split("\n"):
            body = line.strip()
            if body.startswith("THEME") or body.startswith("National Action Plan"):
                story.append(Paragraph(html.escape(body), styles["Heading2"]))
            elif body.startswith("• "):
                story.append(Paragraph(html.escape(body), styles["Normal"]))
            else:
                story.append(Paragraph(html.escape(body), indented if line.startswith(" ") else styles["Normal"]))
    path = tmp_path / "nap.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    draft = load_plan(path).draft
    assert draft.title == "National Action Plan for Open Government"
    assert kinds_per_level(draft) == [("area", 5), ("commitment", 36), ("subcommitment", 3)]
    assert [len(a.children) for a in draft.areas] == sizes
    assert coverage(text, draft) >= 0.98
