"""The PDF export read back with pypdf: content and order, cover, header and footer,
contents, bookmarks, fonts, links, hostile text, and the pages rendered to pixels."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from export_helpers import (
    HOSTILE_NOTES,
    LONG_NOTE,
    LONG_URL,
    TOKYO,
    add_hostile,
    all_uris,
    body_pages,
    pdf_body,
    pdf_text,
    squash,
    tokyo,
)
from pypdf import PdfReader

from db.briefing.facade import Briefing
from exporters.book import SHORT_TITLE, BookOptions, build_meeting_book, build_plan_book, full_title
from exporters.pdf import render_pdf
from exporters.text import shorten


@pytest.fixture
def tokyo_pdf(seeded: Briefing, tmp_path: Path) -> Path:
    book = build_meeting_book(seeded, tokyo(seeded), BookOptions(classification="Restricted", prepared_by="Desk Officer",
                                                                 generated_on="2024-02-01", edition="desk"))
    path = tmp_path / "tokyo.pdf"
    path.write_bytes(render_pdf(book))
    return path


@pytest.fixture
def hostile_pdf(seeded: Briefing, tmp_path: Path) -> Path:
    ids = add_hostile(seeded)
    book = build_meeting_book(seeded, ids["meeting"], BookOptions(classification="RESTRICTED"))
    path = tmp_path / "hostile.pdf"
    path.write_bytes(render_pdf(book))
    return path


def _page_of(pages: list[str], needle: str, start: int = 0) -> int:
    for i in range(start, len(pages)):
        if squash(needle) in squash(pages[i]):
            return i
    raise AssertionError(f"{needle!r} is not in the PDF")


def test_every_agenda_item_note_and_source_is_there_once_in_order(seeded: Briefing, tokyo_pdf: Path) -> None:
    pages = pdf_text(tokyo_pdf)
    # After the cover, steering page, agenda, contents and the status of the agenda (its chart is its end),
    # without the running heads.
    body = "".join(squash(p) for p in body_pages(tokyo_pdf)[4:]).split("CHART", 1)[-1].split("Chart", 1)[-1]
    meeting = tokyo(seeded)
    agenda = seeded.agenda(meeting)
    positions = []
    for number, item in enumerate(agenda, start=1):
        node = seeded.node(item.node_id)
        heading = squash(f"Item {number} — {shorten(full_title(node), SHORT_TITLE)} ({node.ref})")
        assert body.count(heading) == 1, node.ref
        assert squash(full_title(node)) in body
        positions.append(body.index(heading))
        for note in seeded.notes(item.node_id):
            assert squash(note.body) in body
    assert positions == sorted(positions)
    # Sources: each cited one is in the appendix once, numbered in order of first citation
    # (the appendix starts on the last entry's page when a third of it is left).
    everything = squash("".join(pages))
    appendix = everything[everything.rindex("Sources[1]"):]
    titles = []
    for item in agenda:
        for link in seeded.node_sources(item.node_id):
            if link.source.title not in titles:
                titles.append(link.source.title)
    for n, title in enumerate(titles, start=1):
        assert appendix.count(squash(f"[{n}] {title}")) == 1


def test_cover_header_footer_and_properties(tokyo_pdf: Path) -> None:
    reader = PdfReader(tokyo_pdf)
    pages = pdf_text(tokyo_pdf)
    cover = squash(pages[0])
    for field in ("MEETING BRIEF", TOKYO, "5 February 2024", "Prime Minister's Office, Tokyo",
                  "Fumio Kishida, Prime Minister of Japan", "PURPOSE", "Desk Officer", "1 February 2024"):
        assert squash(field) in cover, field
    total = len(reader.pages)
    for number, text in enumerate(pages, start=1):
        assert "RESTRICTED" in text
        assert re.search(rf"Page\s*{number}\s*of\s*{total}\b", text), (number, text[-200:])
    # The header names the part or agenda item the page is in.
    assert pages[1].rstrip().endswith("Summary") and pages[2].rstrip().endswith("Agenda")
    heads = [p.rstrip().split("\n")[-1] for p in pages[3:]]
    assert heads[0] == "Contents" and heads[-1] in ("Sources", "Item 4 — Maintain close coordination to ensure the smooth… (2.3.1)")
    assert all(h in ("Contents", "Status of the agenda", "Sources") or re.match(r"Item \d —", h) for h in heads), heads
    assert any(h.startswith("Item ") for h in heads)
    meta = reader.metadata
    assert meta.title == TOKYO
    assert meta.author == "Desk Officer"
    assert "Meeting brief" in meta.subject and "5 February 2024" in meta.subject


def test_contents_lists_the_headings_with_their_pages_and_links_to_them(tokyo_pdf: Path) -> None:
    reader = PdfReader(tokyo_pdf)
    pages = pdf_text(tokyo_pdf)
    contents = pages[3]
    # The bookmarks (outline) are the headings, with the pages they are on.
    outline: list[tuple[str, int]] = []

    def walk(items: list) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                outline.append((item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline)
    # The steering and agenda pages are bookmarked but are not in the contents they come before.
    assert outline[:2] == [("Summary", 2), ("Agenda", 3)]
    outline = outline[2:]
    titles = [t for t, _ in outline]
    assert titles[0] == "Status of the agenda" and titles[1] == "Agenda items" and titles[-1] == "Sources"
    assert [t.rsplit("(", 1)[-1] for t in titles[2:-1]] == ["1.2.1)", "2.1.1)", "2.2.1)", "2.3.1)"]
    # The contents shows every heading, in order, with the page it is on.
    squashed = squash(contents)
    where = [squashed.index(squash(t)) for t in titles]
    assert where == sorted(where)
    numbers = [int(n) for n in re.findall(r"^\s*(\d+)\s*$", contents, flags=re.M)]
    assert numbers[-len(titles):] == [page for _, page in outline]
    for title, page in outline:
        assert squash(title) in squash(pages[page - 1])
    # Every contents line is a link into the document.
    links = [a.get_object() for a in reader.pages[3].get("/Annots", [])]
    internal = [a for a in links if a.get("/Dest") is not None or (a.get("/A") or {}).get("/S") == "/GoTo"]
    # A contents line that wraps is one link per printed line, all to the same place.
    targets = {(a["/Dest"][0].idnum, float(a["/Dest"][3])) for a in internal}
    assert len(targets) == len(titles)


def test_fonts_are_embedded_truetype(tokyo_pdf: Path) -> None:
    reader = PdfReader(tokyo_pdf)
    seen = 0
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None, font.get("/BaseFont")  # no unembedded standard or CID font
            assert "/FontFile2" in descriptor.get_object(), font.get("/BaseFont")
            seen += 1
    assert seen > 0


def test_japanese_and_italian_are_extractable(seeded: Briefing, tmp_path: Path) -> None:
    node = seeded.agenda(tokyo(seeded))[0].node_id
    seeded.add_note(node, "talking_point", "Meet 高市早苗 in the città of Cortina d'Ampezzo.", author="tester")
    path = tmp_path / "jp.pdf"
    path.write_bytes(render_pdf(build_meeting_book(seeded, tokyo(seeded))))
    text = "".join(pdf_text(path))
    for word in ("高市早苗", "città", "Cortina d'Ampezzo"):
        assert word in text


def test_hostile_text_is_printed_literally(hostile_pdf: Path) -> None:
    text = squash("".join(pdf_text(hostile_pdf)))
    for body in HOSTILE_NOTES:
        assert squash(body.replace("\x00", "␀").replace("\x0b", "␋")) in text, body
    assert "null␀byteandvertical␋tab" in text  # shown as visible marks
    # The 100,000-character note: every one of its words, none lost or doubled.
    words = re.findall(r"w\d{5}x", "".join(pdf_text(hostile_pdf)))
    expected = re.findall(r"w\d{5}x", LONG_NOTE)
    assert words == expected


def test_links_are_live(hostile_pdf: Path) -> None:
    reader = PdfReader(hostile_pdf)
    uris = set()
    for page in reader.pages:
        for annot in page.get("/Annots", []):
            action = annot.get_object().get("/A")
            if action is not None and action.get("/S") == "/URI":
                uris.add(str(action["/URI"]))
    assert LONG_URL in uris
    assert "https://www.mofa.go.jp/" in uris
    # The long address is linked once and shown shortened.
    assert sum(1 for u in all_uris(hostile_pdf) if u == LONG_URL) == 1
    body = pdf_body(hostile_pdf)
    assert squash(LONG_URL[:80]) in body and squash(LONG_URL) not in body


def test_markup_in_notes_is_not_obeyed(seeded: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`<img src>` in a note must not make ReportLab open a file."""
    opened: list[str] = []
    import reportlab.lib.utils as rl_utils

    real = rl_utils.open_for_read
    monkeypatch.setattr(rl_utils, "open_for_read", lambda name, *a, **k: opened.append(str(name)) or real(name, *a, **k))
    node = seeded.agenda(tokyo(seeded))[0].node_id
    seeded.add_note(node, "background", '<img src="/etc/passwd" width="10" height="10"/> <a href="file:///etc/passwd">x</a>')
    path = tmp_path / "img.pdf"
    path.write_bytes(render_pdf(build_meeting_book(seeded, tokyo(seeded))))
    assert not any("passwd" in name for name in opened)
    assert squash('<img src="/etc/passwd"') in squash("".join(pdf_text(path)))


def test_plan_book_has_every_commitment_in_plan_order(seeded: Briefing, tmp_path: Path) -> None:
    plan = seeded.plans()[0]
    path = tmp_path / "plan.pdf"
    path.write_bytes(render_pdf(build_plan_book(seeded, plan.id)))
    text = squash("".join(pdf_text(path)))
    last = -1
    for node in seeded.nodes(plan.id):
        where = text.find(squash(f"{node.ref} {full_title(node)}"), last + 1)
        assert where > last, node.ref
        last = where


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_first_pages_render_and_are_not_blank(tokyo_pdf: Path, tmp_path: Path) -> None:
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "4", "-png", str(tokyo_pdf), str(tmp_path / "p")],
                   check=True)
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == 4
    for image in images:
        grey = Image.open(image).convert("L")
        histogram = grey.histogram()
        dark = sum(histogram[:200]) / sum(histogram)
        assert dark > 0.01, f"{image.name} is blank"
    # The cover has its navy band.
    cover = Image.open(images[0]).convert("RGB")
    assert cover.getpixel((cover.width // 2, int(cover.height * 0.12))) == pytest.approx((27, 47, 78), abs=12)
