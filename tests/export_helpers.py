"""Shared by the export tests: the seeded Tokyo meeting, hostile notes, reading a PDF back."""

from __future__ import annotations

import re
from pathlib import Path

from db.briefing.facade import Briefing

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
        for furniture in (marking, squash(TOKYO), "Meetingbrief", "DRAFT—notapproved", "DRAFT"):
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


FASANO = "Kishida–Meloni meeting at the G7 Summit, Fasano"
TAKAICHI = "Takaichi–Meloni summit meeting, Tokyo"

#: A 3,000-word background note (numbered words: a lost or doubled piece is noticed).
LONG_BACKGROUND = "Background to the partnership. " + " ".join(f"b{i:04d}" for i in range(3000))

TABLE_NOTE = (
    "Open items ~~before~~ after the summit:\n\n"
    "| Item | Owner | Due |\n|---|---|--:|\n| GCAP | MoD | 2025 |\n| ACSA | MOFA | 2026 |\n\n"
    "- [ ] brief the minister\n- [x] agree the text\n"
)


def meeting_id(briefing: Briefing, title: str) -> str:
    return next(m.id for m in briefing.meetings() if m.title == title)


def add_realistic(briefing: Briefing) -> dict[str, str]:
    """Notes of every kind on Fasano's agenda (two commitments under its first two areas), in
    English, Japanese and Italian, a Markdown table, a 3,000-word background note, and status
    changes (one of them undone, as the window's undo records it)."""
    fasano = meeting_id(briefing, FASANO)
    c111 = briefing.node_by_ref("1.1.1").id
    c221 = briefing.node_by_ref("2.2.1").id
    briefing.add_note(c111, "background", LONG_BACKGROUND, author="Luca Bianchi")
    briefing.add_note(c111, "update", "The second dialogue met in Rome.", author="Luca Bianchi")
    briefing.add_note(c111, "talking_point", "Italy welcomes the yearly strategic dialogue.", author="Maria Rossi")
    briefing.add_note(c111, "risk", "The dialogue may slip to 2026 if the calendar fills.", author="Maria Rossi")
    briefing.add_note(c111, "talking_point", "高市早苗総理との会談を歓迎する。", author="Maria Rossi")
    briefing.add_note(c111, "question", "Will Japan host the next round in Tokyo?", author="Maria Rossi")
    briefing.add_note(c111, "line_to_take", "La città di Roma è pronta a ospitare il dialogo.", author="Maria Rossi")
    briefing.add_note(c221, "talking_point", "Port calls by the Italian Navy are welcome.", author="Maria Rossi")
    briefing.add_note(c221, "risk", TABLE_NOTE, author="Luca Bianchi")
    briefing.add_note(c221, "question", "desserts \u202estressed\u202c reads the same both ways?", author="Luca Bianchi")
    briefing.set_status(c111, "on_track", "Dialogue held in 2024.")
    undone = briefing.set_status(c221, "with_challenges", "Budget delays.")
    briefing.set_status(c221, "not_started", "Undo of the change to “With challenges”.", undo_of=undone.id)
    return {"fasano": fasano, "c111": c111, "c221": c221}


def body_pages(path: Path) -> list[str]:
    """Per page, the text inside the text block only (no header, running head or footer), in the
    order the page draws it."""
    from pypdf import PdfReader

    out = []
    for page in PdfReader(path).pages:
        parts: list[str] = []

        def visit(text, cm, tm, font, size, parts=parts) -> None:  # type: ignore[no-untyped-def]
            y = tm[5] * cm[3] + cm[5]
            watermark = text.strip() == "DRAFT" and (abs(cm[1]) > 0.1 or abs(tm[1]) > 0.1)  # slanted: issue 25
            if 60 < y < 770 and not watermark:  # between the footer rule (22 mm) and the header rule (about 272 mm)
                parts.append(text)

        page.extract_text(visitor_text=visit)
        out.append("".join(parts))
    return out


def body_text(path: Path) -> str:
    """The text block of every page, squashed and joined: text running on to the next page reads as one."""
    return "".join(squash(p) for p in body_pages(path))


def add_brief(briefing: Briefing) -> dict[str, str]:
    """Takaichi's meeting as a desk prepares it: objectives and a press line, an item's objective,
    key messages chosen, asks with our responses, risks, press lines and background."""
    meeting = meeting_id(briefing, TAKAICHI)
    briefing.edit_meeting(meeting, objectives="Agree a working group on critical minerals\n"
                          "Launch the space dialogue before the summer",
                          press_line="Japan and Italy deepen their special strategic partnership.")
    item = next(a for a in briefing.agenda(meeting) if a.ref == "3.2.1")
    briefing.set_agenda_objective(item.id, "A minerals working group by June.")
    c321 = briefing.node_by_ref("3.2.1").id
    c231 = briefing.node_by_ref("2.3.1").id
    key = briefing.add_note(c321, "line_to_take", "Italy wants supply chains that no single country controls. "
                            "We will say so plainly.", author="Maria Rossi", key=True)
    briefing.add_note(c321, "talking_point", "Welcome the agreement on critical minerals.", author="Maria Rossi")
    ask = briefing.add_note(c321, "if_raised", "Will Italy join a rare-earth stockpile?",
                            response="We are studying it with our EU partners and will decide this year.",
                            author="Luca Bianchi")
    briefing.add_note(c231, "press_line", "GCAP stays on schedule for 2035.", author="Luca Bianchi", key=True)
    briefing.add_note(c231, "background", "The programme was launched in December 2022 with the UK.",
                      author="Luca Bianchi")
    briefing.add_note(c231, "risk", "A delay in the UK's funding would slow the whole programme.",
                      author="Luca Bianchi", key=True)
    return {"meeting": meeting, "key": key.id, "ask": ask.id, "c321": c321, "c231": c231}
