"""The brief a principal reads and the desk's, from one book: the steering page (objectives, key
messages chosen, asks with our response, risks, press line), the agenda page, one section per item
in the meeting's order, and what each edition leaves out. Read back from the PDF and the Word file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from export_helpers import TAKAICHI, add_brief, body_pages, meeting_id, pdf_text, squash
from pypdf import PdfReader

from db.briefing.facade import Briefing
from exporters.book import BookOptions, build_meeting_book
from exporters.book_model import AgendaPart, BriefPart, SummaryPart
from exporters.docx import render_docx
from exporters.pdf import render_pdf


@pytest.fixture
def brief(seeded: Briefing) -> dict[str, str]:
    return add_brief(seeded)


def _render(seeded: Briefing, tmp_path: Path, edition: str, **more: object) -> tuple[Path, Path]:
    book = build_meeting_book(seeded, meeting_id(seeded, TAKAICHI), BookOptions(edition=edition, **more))  # type: ignore[arg-type]
    pdf, docx = tmp_path / f"{edition}.pdf", tmp_path / f"{edition}.docx"
    pdf.write_bytes(render_pdf(book))
    docx.write_bytes(render_docx(book, page_numbers=False))
    return pdf, docx


def _word(path: Path) -> str:
    doc = Document(str(path))
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


def test_the_steering_page_says_what_we_want_and_points_to_each_line(seeded: Briefing, brief: dict[str, str],
                                                                     tmp_path: Path) -> None:
    pdf, docx = _render(seeded, tmp_path, "principal")
    pages = pdf_text(pdf)
    steering = pages[1]
    order = ["PURPOSE", "OBJECTIVES", "KEY MESSAGES", "IF RAISED", "MAIN RISKS", "PRESS LINE"]
    assert [steering.index(label) for label in order] == sorted(steering.index(label) for label in order)
    assert "1. Agree a working group on critical minerals\n2. Launch the space dialogue" in steering
    assert "Japan and Italy deepen their special strategic partnership." in steering
    # Key messages are the notes marked key, each its first sentence, whole, with its page.
    keys = steering[steering.index("KEY MESSAGES"):steering.index("IF RAISED")]
    assert re.findall(r"^(\d+(?:\.\d+)+)\n(.+)\n(\d+)$", keys, flags=re.M) == [
        ("2.3.1", "GCAP stays on schedule for 2035.", _page_of(pages, "GCAP stays on schedule for 2035.", 2)),
        ("3.2.1", "Italy wants supply chains that no single country controls.",
         _page_of(pages, "Italy wants supply chains that no single country controls.", 2)),
    ]
    assert "Welcome the agreement" not in steering  # not marked key: set out in its item only
    asks = steering[steering.index("IF RAISED"):steering.index("MAIN RISKS")]
    assert "Will Italy join a rare-earth stockpile?" in asks
    assert "Response: We are studying it with our EU partners and will decide this year." in asks
    risks = steering[steering.index("MAIN RISKS"):steering.index("PRESS LINE")]
    assert "A delay in the UK's funding would slow the whole programme." in risks
    assert "rely on China" not in risks  # a risk is marked key: the main risks are those
    word = _word(docx)
    for text in ("Agree a working group on critical minerals", "GCAP stays on schedule for 2035.",
                 "Will Italy join a rare-earth stockpile?", "We are studying it with our EU partners"):
        assert text in word


def _page_of(pages: list[str], text: str, after: int) -> str:
    return str(next(i for i, p in enumerate(pages) if i > after and squash(text) in squash(p)) + 1)


def test_the_agenda_page_lists_every_item_with_its_page(seeded: Briefing, brief: dict[str, str],
                                                        tmp_path: Path) -> None:
    pdf, docx = _render(seeded, tmp_path, "principal")
    pages = pdf_text(pdf)
    agenda = pages[2]
    refs = [a.ref for a in seeded.agenda(brief["meeting"])]
    for number, ref in enumerate(refs, start=1):  # each item starts on the page the agenda gives, at its top
        page = re.search(rf"^{number}\n(?:.+\n){{0,2}}?.*\({re.escape(ref)}\)\n■ [^\n]+\n(\d+)$", agenda, flags=re.M)
        assert page is not None, (number, ref)
        top = body_pages(pdf)[int(page.group(1)) - 1]
        assert top.startswith(f"Item {number} —"), (number, page.group(1), top[:60])
    word = Document(str(docx))
    table = next(t for t in word.tables if t.rows[0].cells[0].text == "#")
    assert [r.cells[0].text for r in table.rows[1:]] == [str(n) for n in range(1, 11)]


def test_each_item_has_its_section_in_the_order_a_brief_reads(seeded: Briefing, brief: dict[str, str],
                                                              tmp_path: Path) -> None:
    pdf, docx = _render(seeded, tmp_path, "principal")
    body = body_pages(pdf)
    item = next(p for p in body if p.startswith("Item 6 —"))  # 3.2.1, critical minerals
    labels = ["Objective: A minerals working group by June.", "TALKING POINT", "LINE TO TAKE", "IF RAISED",
              "Our response", "RISK AND HANDLING", "UPDATE"]
    where = [item.index(label) for label in labels]
    assert where == sorted(where)
    gcap = next(p for p in body if p.startswith("Item 2 —"))
    assert "PRESS LINE" in gcap and "Background: Annex A, page" in gcap
    assert "launched in December 2022" not in gcap  # the principal's background is annexed
    annex = next(p for p in body if "Annex A: Background to item 2" in p)
    assert "The programme was launched in December 2022 with the UK." in annex
    # The running head names the item.
    heads = [p.rstrip().split("\n")[-1] for p in pdf_text(pdf)]
    assert any(h.startswith("Item 2 — Maintain close coordination") for h in heads)
    word = _word(docx)
    assert "Objective: A minerals working group by June." in word and "Background: Annex A, page" in word


def test_the_principal_reads_no_bylines_chart_or_inline_quotes_the_desk_reads_everything(
        seeded: Briefing, brief: dict[str, str], tmp_path: Path) -> None:
    principal = build_meeting_book(seeded, meeting_id(seeded, TAKAICHI), BookOptions(edition="principal"))
    desk = build_meeting_book(seeded, meeting_id(seeded, TAKAICHI), BookOptions(edition="desk"))
    assert not any(isinstance(p, SummaryPart) for p in principal.parts) and not principal.contents
    assert any(isinstance(p, SummaryPart) for p in desk.parts) and desk.contents
    for book in (principal, desk):
        assert [type(p) for p in book.parts[:2]] == [BriefPart, AgendaPart]
    pdf_p, docx_p = _render(seeded, tmp_path, "principal")
    pdf_d, docx_d = _render(seeded, tmp_path, "desk")
    p_text, d_text = squash("".join(pdf_text(pdf_p))), squash("".join(pdf_text(pdf_d)))
    for byline in ("Maria Rossi ·", "Luca Bianchi ·"):
        assert squash(byline) not in p_text and squash(byline) in d_text
    assert "Chart" not in "".join(pdf_text(pdf_p)) and "Chart" in "".join(pdf_text(pdf_d))
    quote = squash("— “The leaders voiced serious concern")
    assert quote not in p_text.split("Sources[1]")[0]  # no inline quote before the appendix
    assert "Principal's brief" in pdf_text(pdf_p)[0] and "Desk brief" in pdf_text(pdf_d)[0]
    assert "Maria Rossi ·" not in _word(docx_p) and "Maria Rossi ·" in _word(docx_d)
    assert len(PdfReader(pdf_p).pages) > 10  # one item a page


def test_the_principals_digest_lists_what_changed_in_key_lines_and_counts_the_rest(
        seeded: Briefing, brief: dict[str, str], tmp_path: Path) -> None:
    seeded.set_status(brief["c321"], "on_track", "")
    for i in range(3):
        seeded.add_note(brief["c321"], "update", f"Update number {i}.", author="Ana")
    pdf, docx = _render(seeded, tmp_path, "principal", since="2000-01-01")
    pages = pdf_text(pdf)
    digest = next(p for p in pages if "Changes since 1 January 2000" in p)
    item = digest[digest.index("Item 6 —"):]
    assert "Status Not started → On track" in item
    assert "Line to take added — Maria Rossi: Italy wants supply chains" in item
    assert "Update added" not in item and "Talking point added" not in item
    # The talking point, the ask and three updates: counted, not listed.
    assert "Also: 5 notes added." in item
    assert "Also: 5 notes added." in _word(docx)
    desk_pdf, _ = _render(seeded, tmp_path, "desk", since="2000-01-01")
    desk = "".join(pdf_text(desk_pdf))
    assert "Update added — Ana: Update number 2." in desk and "Also:" not in desk


def test_forty_items_fit_the_steering_page_with_whole_words(seeded: Briefing, tmp_path: Path) -> None:
    meeting = seeded.create_meeting("Forty items", date="2026-05-01")
    nodes = [n for n in seeded.nodes() if n.kind in ("commitment", "subcommitment")][:40]
    for i, node in enumerate(nodes):
        seeded.add_agenda_item(meeting.id, node.id)
        seeded.add_note(node.id, "line_to_take", f"Line {i} says that cooperation on this point goes on and "
                        "deepens in every field the plan names, from defence to culture and beyond.", author="A")
        seeded.add_note(node.id, "risk", f"Risk {i}: the calendar may slip.", author="A")
        seeded.add_note(node.id, "if_raised", f"Ask {i}?", response="Our answer.", author="A")
    book = build_meeting_book(seeded, meeting.id)
    pdf = tmp_path / "forty.pdf"
    pdf.write_bytes(render_pdf(book))
    pages = pdf_text(pdf)
    steering = pages[1]
    assert "KEY MESSAGES" in steering and pages[2].rstrip().endswith("Agenda")  # one page, then the agenda
    shown = re.findall(r"^Line (\d+) (.*)$", steering, flags=re.M)
    assert len(shown) == 40  # one line per item
    for _n, rest in shown:  # cut at a word with an ellipsis where a line is too short
        assert rest.endswith("…") or rest.endswith("beyond.")
        assert not re.search(r"\w…$", rest.rstrip("…") + "x…") or rest.endswith("beyond.") or rest[-2] != " "
    notice = next(line for line in steering.split("\n") if line.startswith("Set out in the items: "))
    said = {noun: int(n) for n, noun in re.findall(r"(\d+) more (ask|risk)", notice)}
    risks = sum(1 for n in nodes for note in seeded.notes(n.id) if note.kind == "risk")  # 40 and a shipped one
    assert steering.count("Risk ") + steering.count("rely on China") + said.get("risk", 0) == risks
    assert steering.count("Ask ") + said.get("ask", 0) == 40
