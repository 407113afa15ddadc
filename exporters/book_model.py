"""The format-neutral briefing book: what the reader sees, as plain immutable records (NamedTuples).

A `Book` is a cover and the parts in order (a meeting pack: the steering page,
the agenda, the status summary (the desk's edition), each agenda item's section,
changes since a date, annexes, the sources appendix; a plan book: the status
summary, preamble, entries, ...). `exporters.book` builds one from a file; the
PDF and DOCX renderers walk the same book, so the two formats never disagree
on content or order. Nothing here reads a file or knows a format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from exporters.markdown import Block

#: `progress(done, total)`, called along the way by the builders and the renderers.
Progress = Callable[[int, int], None]
#: Polled by the builders and the renderers: True stops the export (raising `db.model.errors.Cancelled`).
CancelCheck = Callable[[], bool]
#: What a cancelled export says.
CANCELLED = "The export was cancelled; no file was written."


class CoverField(NamedTuple):
    label: str
    value: str


class Cover(NamedTuple):
    kind_label: str  # "Meeting brief", "Plan briefing book", "Area briefing"
    title: str
    subtitle: str  # the plan the book is drawn from
    fields: tuple[CoverField, ...]  # date, place, participants, purpose, prepared by, generated on
    classification: str


class StatusInfo(NamedTuple):
    status: str
    label: str
    colour: str  # "#rrggbb"
    changed_on: str  # human date of the last change, "" if never changed
    changed_by: str
    comment: str  # comment of the last change


class BookNote(NamedTuple):
    kind: str
    blocks: tuple[Block, ...]  # empty when the note is set out in an annex
    author: str  # "" in the principal's edition (no bylines)
    written_on: str  # human date
    anchor: str = ""  # where the note is printed (the summary page refers to it)
    number: int = 0  # talking points: 1, 2, ... within their entry
    annex: str = ""  # "Annex A" when the note is too long to print in place
    annex_anchor: str = ""
    response: tuple[Block, ...] = ()  # an "if raised" note: our response (its blocks are their ask)
    note_id: str = ""


class NoteGroup(NamedTuple):
    kind: str
    label: str  # as printed: "Talking points", "Line to take", "Risks and handling"
    notes: tuple[BookNote, ...]


class Citation(NamedTuple):
    number: int  # [n] in the sources appendix
    title: str
    quote: str  # the pinpoint quote of this link ("" if none)


class ChildLine(NamedTuple):
    """A commitment under an area or item on a meeting's agenda (a compact list)."""

    ref: str
    title: str
    status: StatusInfo | None
    agenda_number: int | None = None  # an agenda entry of its own: briefed there ("see item 3")
    anchor: str = ""  # that entry's anchor


class Entry(NamedTuple):
    anchor: str  # unique within the book: link target for the contents and outline
    level: int  # heading level, 1 = top
    in_toc: bool
    heading: str  # "2.2.1 Explore avenues…" (with the agenda number in a meeting book)
    ref: str
    kind: str  # area, item, commitment, subcommitment
    context: str  # where it sits in the plan: "2 Defense and Security › 2.2 Joint Exercises…"
    text: tuple[Block, ...]
    status: StatusInfo | None
    lead_office: str
    counts: tuple[tuple[str, int], ...]  # areas/items: (status, n) for the statuses present
    children: tuple[ChildLine, ...]
    points: tuple[Block, ...]  # meeting-specific points
    note_groups: tuple[NoteGroup, ...]
    citations: tuple[Citation, ...]
    lead_in: str = ""  # a sub-commitment: the lead-in of the commitment it completes
    agenda_number: int | None = None  # a meeting book: the entry's place on the agenda
    full_title: str = ""  # an agenda item whose heading holds a short title: the whole title, beneath it
    objective: str = ""  # an agenda item: what we want from it
    new_page: bool = False  # starts a page (the principal's edition: each agenda item)
    running_head: str = ""  # an agenda item: what the page header says while it runs
    background: tuple[str, str] = ("", "")  # (annex, its anchor): the item's background, annexed


class KeyLine(NamedTuple):
    """One line of the steering page: a note's first sentence (whole, or cut at a word to fit its
    lines), where it belongs and where it is set out."""

    ref: str
    label: str  # "Talking point", "Line to take", ...
    text: str
    anchor: str
    note_id: str = ""
    item: int = 0  # the agenda item it belongs to
    response: str = ""  # an ask ("if raised"): our response's first sentence


class BriefPart(NamedTuple):
    """The steering page after the cover: what a reader who reads nothing else needs."""

    anchor: str
    title: str
    purpose: str
    key_messages: tuple[KeyLine, ...]
    asks: tuple[KeyLine, ...]  # their likely asks ("if raised" notes), each with our response
    risks: tuple[KeyLine, ...]
    notices: tuple[str, ...]  # "The agenda is empty.", "12 more risks are set out in the items."
    objectives: tuple[str, ...] = ()
    press_line: str = ""
    lines: int = 2  # how many lines a key message, ask or risk may take (fitted to one page)


class AgendaLine(NamedTuple):
    """One row of the agenda page."""

    number: int
    title: str  # the item's short title
    ref: str
    time: str  # "" until the meeting has a programme
    lead: str  # the lead office
    status: StatusInfo | None
    anchor: str  # the item's section (its page)


class AgendaPart(NamedTuple):
    """The agenda page: each item with its time, lead and page, in the order of the meeting."""

    anchor: str
    title: str
    lines: tuple[AgendaLine, ...]


class SummaryRow(NamedTuple):
    ref: str
    title: str
    counts: tuple[int, ...]  # in STATUSES order
    total: int


class AgendaRow(NamedTuple):
    number: int
    ref: str
    title: str
    status: StatusInfo | None
    anchor: str


class SummaryPart(NamedTuple):
    anchor: str
    title: str
    scope_label: str  # "Area" or "Item": what each row counts
    statuses: tuple[tuple[str, str, str], ...]  # (status, label, colour)
    rows: tuple[SummaryRow, ...]
    totals: tuple[int, ...]
    agenda: tuple[AgendaRow, ...]  # meeting books: the agenda at a glance
    counted: str = ""  # what the table counts: "the 12 commitments on the agenda", "the whole plan"


class TextPart(NamedTuple):
    anchor: str
    title: str
    blocks: tuple[Block, ...]


class EntriesPart(NamedTuple):
    anchor: str
    title: str | None  # None: the entries carry their own top-level headings (plan books)
    entries: tuple[Entry, ...]


class Change(NamedTuple):
    """One line of the digest of changes."""

    when: str  # human date
    sort_key: str  # ISO timestamp
    ref: str
    what: str  # "Status: Not started → On track" / "Talking point added"
    by: str
    words: str  # the first words of the comment or the note ("" if none)
    note_id: str = ""  # a note's change: which note


class ChangeGroup(NamedTuple):
    """The changes under one agenda entry (a meeting book) or one area (a plan book)."""

    title: str
    changes: tuple[Change, ...]
    others: str = ""  # the principal's digest: the changes not listed, counted ("3 notes added, 1 edited")


class ChangesPart(NamedTuple):
    anchor: str
    title: str
    since: str  # human date
    groups: tuple[ChangeGroup, ...]
    rest: str = ""  # the principal's: the items with nothing listed, each with its changes counted

    @property
    def changes(self) -> tuple[Change, ...]:
        return tuple(c for g in self.groups for c in g.changes)


class AnnexItem(NamedTuple):
    letter: str  # "A"
    anchor: str
    title: str  # "Annex A: Background on 2.2.1 Explore avenues…"
    note: BookNote  # with its blocks


class AnnexPart(NamedTuple):
    anchor: str
    title: str
    items: tuple[AnnexItem, ...]


class QuoteLine(NamedTuple):
    ref: str
    quote: str


class SourceEntry(NamedTuple):
    number: int
    title: str
    outlet: str
    published: str  # human date, "" if unknown
    url: str | None  # only web or mail addresses become links
    url_text: str  # the address as stored
    excerpt: str
    quotes: tuple[QuoteLine, ...]
    attachments: tuple[str, ...]


class SourcesPart(NamedTuple):
    anchor: str
    title: str
    sources: tuple[SourceEntry, ...]


Part = BriefPart | AgendaPart | SummaryPart | TextPart | EntriesPart | ChangesPart | AnnexPart | SourcesPart


class Book(NamedTuple):
    title: str  # document title (properties, header)
    subject: str
    author: str
    classification: str
    cover: Cover
    parts: tuple[Part, ...]
    toc_depth: int  # heading levels listed in the contents
    language: str = "en-GB"
    warnings: tuple[str, ...] = ()  # what the front ends say before writing (no marking, empty agenda)
    edition: str = "desk"  # a meeting pack: "principal" or "desk"
    contents: bool = True  # a contents page (the principal's pack has the agenda page instead)
    draft: bool = False  # a meeting pack not approved: a DRAFT watermark on every page, and said in the header

    def entries(self) -> Iterable[Entry]:
        for part in self.parts:
            if isinstance(part, EntriesPart):
                yield from part.entries

    def toc(self) -> list[tuple[int, str, str]]:
        """(level, text, anchor) of every contents line, in order."""
        out: list[tuple[int, str, str]] = []
        for part in self.parts:
            if isinstance(part, BriefPart | AgendaPart):
                continue  # they come before the contents
            if isinstance(part, AnnexPart):
                out.append((1, part.title, part.anchor))
                out.extend((2, item.title, item.anchor) for item in part.items)
            elif isinstance(part, EntriesPart):
                if part.title:
                    out.append((1, part.title, part.anchor))
                out.extend((e.level, e.heading, e.anchor) for e in part.entries if e.in_toc)
            else:
                out.append((1, part.title, part.anchor))
        return out
