"""Shared by the export tests: the seeded Tokyo meeting, hostile notes, reading a PDF back."""

from __future__ import annotations

import re
from pathlib import Path

from db.briefing import Briefing

TOKYO = "Kishida–Meloni summit meeting, Tokyo"

LONG_URL = "https://example.org/very/long/" + "a1b2c3d4e5" * 497  # 5,000 characters
assert len(LONG_URL) == 5000

#: A 100,000-character note made of numbered words, so a lost piece is noticed.
LONG_NOTE = " ".join(f"w{i:05d}x" for i in range(12_500))[:100_000]

HOSTILE_NOTES = (
    '<img src="/etc/passwd"> must print, not load',
    "<font name=x>not a font</font> & Tom & Jerry",
    "CDATA end ]]> and an ampersand &amp; entity",
    "null\x00byte and vertical\x0btab",
    "emoji 👍🏽 and 🎌 flags",
    "Japanese 高市早苗 and Italian città, Cortina d'Ampezzo",
)


def tokyo(briefing: Briefing) -> str:
    return next(m.id for m in briefing.meetings() if m.title == TOKYO)


def add_hostile(briefing: Briefing) -> dict[str, str]:
    """Hostile notes and a source with a 5,000-character URL on the Tokyo meeting's first agenda item."""
    meeting = tokyo(briefing)
    node = briefing.agenda(meeting)[0].node_id
    for body in HOSTILE_NOTES:
        briefing.add_note(node, "talking_point", body, author="tester")
    briefing.add_note(node, "background", LONG_NOTE, author="tester")
    briefing.add_note(node, "update", "**Bold** and *italic* with a [link](https://www.mofa.go.jp/) and\n\n- one\n- two",
                      author="tester")
    source = briefing.add_source("A source with a very long address", outlet="Test Outlet", url=LONG_URL,
                                 published="2024-02")
    briefing.link_source(source.id, node, "a pinpoint quote")
    return {"meeting": meeting, "node": node}


def squash(text: str) -> str:
    """Text without any whitespace: line breaks fall anywhere in a laid-out page."""
    return re.sub(r"\s+", "", text)


def pdf_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def pdf_body(path: Path, marking: str = "RESTRICTED") -> str:
    """The whole text squashed, without the page furniture (header, footer), so that text
    running on from one page to the next reads as one."""
    out = []
    for page in pdf_text(path):
        text = squash(page)
        text = re.sub(r"Page\d+of\d+", "", text)
        for furniture in (marking, squash(TOKYO), "Meetingbrief"):
            text = text.replace(furniture, "")
        out.append(text)
    return "".join(out)


def all_uris(path: Path) -> list[str]:
    """Every web link annotation of the PDF, one entry per annotation."""
    from pypdf import PdfReader

    out = []
    for page in PdfReader(path).pages:
        for annot in page.get("/Annots", []):
            action = annot.get_object().get("/A")
            if action is not None and action.get("/S") == "/URI":
                out.append(str(action["/URI"]))
    return out
