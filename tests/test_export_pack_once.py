"""What a reader of a meeting pack must be able to trust, read back from the PDF and the Word file:
each piece of content printed once, counts that count what they say, every note of the agenda
briefed, a status dated only by a change that stands, shipped sample data never passed off as the
desk's work, and any text a user can type printed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from export_helpers import FASANO, LONG_BACKGROUND, TAKAICHI, body_text, meeting_id, pdf_text, squash

from db.briefing.facade import Briefing
from exporters.book import BookOptions, build_meeting_book
from exporters.docx import render_docx
from exporters.pdf import render_pdf


def _both(briefing: Briefing, title: str, tmp_path: Path, **options: object) -> tuple[list[str], str]:
    """The PDF's pages and the Word file's text (paragraphs, then table cells) of a meeting's pack
    (the desk's edition unless told: it has every part)."""
    options.setdefault("edition", "desk")
    book = build_meeting_book(briefing, meeting_id(briefing, title), BookOptions(**options))  # type: ignore[arg-type]
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(render_pdf(book))
    docx = tmp_path / "pack.docx"
    docx.write_bytes(render_docx(book, page_numbers=False))
    doc = Document(str(docx))
    word = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    return pdf_text(pdf), word


def test_an_entry_on_the_agenda_under_an_area_on_it_is_printed_once(seeded: Briefing, tmp_path: Path) -> None:
    """Fasano's agenda holds area 2 and its commitment 2.3.1: 2.3.1 is briefed once, as its own
    item, and area 2 points to it."""
    gcap = seeded.node_by_ref("2.3.1").id
    seeded.add_note(gcap, "talking_point", "The GCAP partnership stays on schedule.", author="Maria Rossi")
    seeded.add_note(gcap, "background", LONG_BACKGROUND, author="Luca Bianchi")
    source = seeded.add_source("GCAP report", outlet="Defence News", published="2025")
    seeded.link_source(source.id, gcap, "on schedule")
    pages, word = _both(seeded, FASANO, tmp_path)
    text = "".join(pages)
    assert squash(text).count(squash("The GCAP partnership stays on schedule.")) == 2  # the item, and its summary line
    assert re.findall(r"b\d{4}", text) == re.findall(r"b\d{4}", LONG_BACKGROUND)  # the annex, once
    assert text.count("Cited at 2.3.1: “on schedule”") == 1
    assert "see item 3" in text and "see item 3" in word
    assert word.count("The GCAP partnership stays on schedule.") == 2
    assert len(re.findall(r"b\d{4}", word)) == 3000


def test_the_status_table_counts_every_commitment_on_the_agenda(seeded: Briefing, tmp_path: Path) -> None:
    """Takaichi's agenda holds sub-commitments whose commitment is not on it: all ten are counted."""
    pages, word = _both(seeded, TAKAICHI, tmp_path)
    status = next(p for p in pages if "Counts the 10 commitments" in p)
    assert re.search(r"\nTotal\s*(\d+\s*){6}10\b", status), status
    doc_rows = [line for line in word.split("\n")]
    assert "Counts the 10 commitments on the agenda, each counted once." in doc_rows


def test_an_area_on_the_agenda_briefs_the_notes_of_its_items(seeded: Briefing, tmp_path: Path) -> None:
    seeded.add_note(seeded.node_by_ref("1.3").id, "line_to_take", "Tourism numbers keep rising.", author="Ana")
    seeded.add_note(seeded.node_by_ref("4.7").id, "risk", "Fisheries talks could stall.", author="Ana")
    pages, word = _both(seeded, FASANO, tmp_path, since="2000-01-01")
    body = squash("".join(pages[: next(i for i, p in enumerate(pages) if "Changes since" in p and i > 2)]))
    assert squash("Tourism numbers keep rising.") in body and squash("Fisheries talks could stall.") in body
    assert "Fisheries talks could stall." in word.split("Changes since 1 January 2000")[1]  # after the contents


def test_an_undone_change_does_not_date_the_status_nor_a_name_double_brackets(seeded: Briefing,
                                                                              tmp_path: Path) -> None:
    node = seeded.node_by_ref("2.2.1").id
    undone = seeded.set_status(node, "with_challenges", "Budget delays.")
    seeded.set_status(node, "not_started", "Undo", undo_of=undone.id)
    with Briefing.open(seeded.path, user="Maria Rossi (MAECI)", lock=False) as other:
        other.set_status(seeded.node_by_ref("2.3.1").id, "on_track", "")
    pages, word = _both(seeded, TAKAICHI, tmp_path)
    text = squash("".join(pages))
    start = text.rindex(squash("Item 1 — Explore avenues"))  # the section, not its contents line
    item = text[start:text.index(squash("Item 2 — Maintain"), start)]
    assert "NOTSTARTED" in item and "since" not in item
    assert squash("by Maria Rossi (MAECI)") in text and "((" not in text and "))" not in text
    assert "by Maria Rossi (MAECI)" in word and "((" not in word


def test_shipped_notes_are_sample_data_dated_by_their_report_and_never_changes(seeded: Briefing,
                                                                             tmp_path: Path) -> None:
    pages, word = _both(seeded, TAKAICHI, tmp_path, since="2024-01-01")
    text = "".join(pages)
    assert "shipped data" not in text and "shipped data" not in word
    assert "No status changes and no notes added or edited since 1 January 2024." in text
    assert "No status changes and no notes added or edited since 1 January 2024." in word
    # The Takaichi reports give no date: their notes carry none (never the Fasano summit's).
    assert "14 June 2024" not in text and "Sample data from “Japan, Italy to Cooperate" in text
    assert "Sample data from The Japan News · 6 February 2024" in text
    # A shipped note someone edits is their change.
    note = next(n for n in seeded.notes(seeded.node_by_ref("3.2.1").id) if n.kind == "risk")
    seeded.edit_note(note.id, body="Rare earths: a new line.")
    pages, _word = _both(seeded, TAKAICHI, tmp_path, since="2024-01-01")
    assert "Risk edited — tester: Rare earths: a new line." in "".join(pages)


@pytest.mark.parametrize("word", ["x" * 3000, "https://example.org/" + "abcdef0123" * 300])
def test_a_note_of_one_long_unbroken_word_prints_whole(seeded: Briefing, tmp_path: Path, word: str) -> None:
    node = seeded.node_by_ref("2.2.1").id
    seeded.add_note(node, "talking_point", word, author="tester")
    seeded.add_note(node, "risk", "Before " + word + " after.", author="tester")
    _pages, docx = _both(seeded, TAKAICHI, tmp_path)
    body = body_text(tmp_path / "pack.pdf")  # without the page furniture: a word running on reads as one
    assert body.count(word) >= 2 and squash("Before " + word + " after.") in body
    assert docx.count(word) >= 2


def test_a_long_title_under_an_area_is_cut_at_a_word(seeded: Briefing, tmp_path: Path) -> None:
    """3.2.1's title has 339 characters: in area 3's list it ends at a whole word, with an ellipsis."""
    from exporters.book import full_title

    title = full_title(seeded.node_by_ref("3.2.1"))
    pages, word = _both(seeded, FASANO, tmp_path)
    text = " ".join(" ".join(pages).split())
    listed = re.search(r"3\.2\.1 (Strengthen cooperation[^—]*?)(…)? — Not started", text)
    assert listed is not None and listed.group(2) == "…"
    shown = listed.group(1).rstrip()
    assert title.startswith(shown) and title[len(shown)] == " "  # cut between two words
    line = next(p for p in word.split("\n") if "3.2.1 Strengthen" in p and "—" in p)
    assert line.endswith(f"3.2.1 {shown}… — Not started")
