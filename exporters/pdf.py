"""The briefing book as PDF (ReportLab platypus).

Layout: an A4 cover, the contents (clickable, with page numbers, built by
`multiBuild`), then the book's parts. Every page carries the classification
marking and the book's title in the header and "Page X of Y" in the footer;
every heading is a PDF bookmark. User text reaches Paragraph markup only
through `fonts.markup`, which escapes it, so nothing in a note is obeyed.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable
from reportlab.platypus.tableofcontents import TableOfContents
from reportlab.platypus.xpreformatted import XPreformatted  # noqa: F401  (kept for code blocks later)

from exporters import fonts
from exporters.book import (
    Book,
    BookNote,
    Cancelled,
    ChangesPart,
    Entry,
    EntriesPart,
    ExportCancelled,
    Progress,
    SourcesPart,
    StatusInfo,
    SummaryPart,
    TextPart,
)
from exporters.fonts import SANS, SERIF
from exporters.markdown import Block, BulletList, Para, Span

PAGE_W, PAGE_H = A4
MARGIN_L = MARGIN_R = 22 * mm
MARGIN_T = 24 * mm
MARGIN_B = 22 * mm
TEXT_W = PAGE_W - MARGIN_L - MARGIN_R

NAVY = colors.HexColor("#1b2f4e")
ACCENT = colors.HexColor("#7a1f2b")  # the classification marking
GREY = colors.HexColor("#5b6573")
RULE = colors.HexColor("#c8ced6")
TINT = colors.HexColor("#eef3f9")  # talking points
LINK = "#1f4e9a"

# Long user paragraphs are cut into pieces of about this many characters:
# ReportLab re-wraps the rest of a paragraph at every page it splits, so one
# 100,000-character note would otherwise cost minutes.
_PIECE = 3000


# -- styles -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    entry_text: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    h4: ParagraphStyle
    context: ParagraphStyle
    meta: ParagraphStyle
    label: ParagraphStyle
    note: ParagraphStyle
    talking: ParagraphStyle
    bullet: ParagraphStyle
    talking_bullet: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    cell_num: ParagraphStyle
    cover_kind: ParagraphStyle
    cover_title: ParagraphStyle
    cover_sub: ParagraphStyle
    cover_label: ParagraphStyle
    cover_value: ParagraphStyle
    toc: tuple[ParagraphStyle, ...]
    source: ParagraphStyle


@lru_cache(maxsize=1)
def styles() -> _Styles:
    serif = fonts.face(SERIF)
    serif_b = fonts.face(SERIF, bold=True)
    sans = fonts.face(SANS)
    sans_b = fonts.face(SANS, bold=True)
    body = ParagraphStyle("body", fontName=serif, fontSize=10.5, leading=14.2, spaceAfter=4, textColor=colors.black)
    heading = ParagraphStyle("heading", fontName=sans_b, textColor=NAVY, keepWithNext=1)
    return _Styles(
        body=body,
        entry_text=ParagraphStyle(
            "entry_text", parent=body, leftIndent=10, borderPadding=(2, 0, 2, 8), spaceBefore=3, spaceAfter=6,
            textColor=colors.HexColor("#222222"),
        ),
        h1=ParagraphStyle("h1", parent=heading, fontSize=17, leading=21, spaceBefore=6, spaceAfter=10),
        h2=ParagraphStyle("h2", parent=heading, fontSize=13, leading=16.5, spaceBefore=14, spaceAfter=3),
        h3=ParagraphStyle("h3", parent=heading, fontSize=11.5, leading=14.5, spaceBefore=10, spaceAfter=2),
        h4=ParagraphStyle("h4", parent=heading, fontName=sans_b, fontSize=10.5, leading=13.5, spaceBefore=8,
                          spaceAfter=2, textColor=colors.HexColor("#2d3f5c")),
        context=ParagraphStyle("context", fontName=sans, fontSize=8.5, leading=11, textColor=GREY, spaceAfter=3,
                               keepWithNext=1),
        meta=ParagraphStyle("meta", fontName=sans, fontSize=8.5, leading=11.5, textColor=GREY, spaceAfter=4),
        label=ParagraphStyle("label", fontName=sans_b, fontSize=8.5, leading=11, textColor=NAVY, spaceBefore=7,
                             spaceAfter=2, keepWithNext=1),
        note=ParagraphStyle("note", parent=body, spaceAfter=3),
        talking=ParagraphStyle("talking", parent=body, backColor=TINT, borderPadding=(3, 5, 3, 5), leftIndent=5,
                               rightIndent=5, spaceBefore=2, spaceAfter=6),
        bullet=ParagraphStyle("bullet", parent=body, leftIndent=14, bulletIndent=3, spaceAfter=2),
        talking_bullet=ParagraphStyle("talking_bullet", parent=body, leftIndent=19, bulletIndent=8, spaceAfter=2,
                                      backColor=TINT, borderPadding=(2, 5, 2, 5), rightIndent=5),
        small=ParagraphStyle("small", fontName=sans, fontSize=8.5, leading=11, textColor=GREY),
        cell=ParagraphStyle("cell", fontName=sans, fontSize=8.5, leading=10.5),
        cell_head=ParagraphStyle("cell_head", fontName=sans_b, fontSize=8, leading=9.5, textColor=colors.white),
        cell_num=ParagraphStyle("cell_num", fontName=sans, fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
        cover_kind=ParagraphStyle("cover_kind", fontName=sans_b, fontSize=11, leading=14, textColor=ACCENT,
                                  spaceAfter=10),
        cover_title=ParagraphStyle("cover_title", fontName=sans_b, fontSize=25, leading=30, textColor=NAVY,
                                   spaceAfter=8),
        cover_sub=ParagraphStyle("cover_sub", fontName=sans, fontSize=12, leading=15.5, textColor=GREY,
                                 spaceAfter=20),
        cover_label=ParagraphStyle("cover_label", fontName=sans_b, fontSize=8, leading=10, textColor=GREY,
                                   spaceBefore=9),
        cover_value=ParagraphStyle("cover_value", fontName=serif, fontSize=11.5, leading=15),
        toc=(
            ParagraphStyle("toc1", fontName=sans_b, fontSize=10.5, leading=13, spaceBefore=7, leftIndent=0,
                           rightIndent=28, textColor=NAVY),
            ParagraphStyle("toc2", fontName=serif, fontSize=10, leading=12.5, spaceBefore=1.5, leftIndent=16,
                           rightIndent=28, firstLineIndent=0),
            ParagraphStyle("toc3", fontName=serif, fontSize=9.5, leading=12, leftIndent=30, rightIndent=28),
        ),
        source=ParagraphStyle("source", parent=body, leftIndent=22, firstLineIndent=-22, spaceBefore=6, spaceAfter=2),
    )


_HEADING_LEVELS = {1: "h1", 2: "h2", 3: "h3", 4: "h4"}


# -- markup ----------------------------------------------------------------------------------


def _text(text: str, family: str = SERIF) -> str:
    return fonts.markup(text, family)


def _spans(spans: Iterable[Span], family: str = SERIF) -> str:
    out: list[str] = []
    for s in spans:
        if s.text == "\n":
            out.append("<br/>")
            continue
        piece = "<br/>".join(fonts.markup(line, SANS if s.code else family) for line in s.text.split("\n"))
        if s.code:
            piece = f'<font name="{fonts.face(SANS)}" size="9">{piece}</font>'
        if s.bold:
            piece = f"<b>{piece}</b>"
        if s.italic:
            piece = f"<i>{piece}</i>"
        if s.href:
            piece = f'<a href="{escape(s.href, {chr(34): "&quot;"})}" color="{LINK}"><u>{piece}</u></a>'
        out.append(piece)
    return "".join(out)


def _pieces(spans: tuple[Span, ...]) -> list[tuple[Span, ...]]:
    """A very long paragraph as consecutive pieces (cut at spaces) that lay out quickly."""
    if sum(len(s.text) for s in spans) <= _PIECE:
        return [spans]
    out: list[tuple[Span, ...]] = []
    current: list[Span] = []
    size = 0
    for s in spans:
        text = s.text
        while size + len(text) > _PIECE:
            room = _PIECE - size
            cut = text.rfind(" ", 0, room) + 1 or room
            if cut <= 0:
                cut = max(room, 1)
            current.append(Span(text[:cut], s.bold, s.italic, s.code, s.href))
            out.append(tuple(current))
            current, size, text = [], 0, text[cut:]
        if text:
            current.append(Span(text, s.bold, s.italic, s.code, s.href))
            size += len(text)
    if current:
        out.append(tuple(current))
    return out


def _paragraphs(spans: tuple[Span, ...], style: ParagraphStyle, bullet: str | None = None) -> list[Flowable]:
    pieces = _pieces(spans)
    out: list[Flowable] = []
    for i, piece in enumerate(pieces):
        st = style
        if len(pieces) > 1:
            # Pieces of one paragraph sit flush against each other.
            st = ParagraphStyle(
                f"{style.name}-piece", parent=style,
                spaceBefore=style.spaceBefore if i == 0 else 0,
                spaceAfter=style.spaceAfter if i == len(pieces) - 1 else 0,
            )
        out.append(Paragraph(_spans(piece), st, bulletText=bullet if i == 0 else None))
    return out


def _blocks(blocks: tuple[Block, ...], style: ParagraphStyle, bullet_style: ParagraphStyle,
            depth: int = 0) -> list[Flowable]:
    out: list[Flowable] = []
    for b in blocks:
        if isinstance(b, Para):
            st = style if depth == 0 else _indented(bullet_style, depth)
            out.extend(_paragraphs(b.spans, st))
        elif isinstance(b, BulletList):
            st = _indented(bullet_style, depth)
            for n, item in enumerate(b.items, start=b.start):
                mark = f"{n}." if b.ordered else ("•" if depth % 2 == 0 else "–")
                first = True
                for inner in item:
                    if isinstance(inner, Para) and first:
                        out.extend(_paragraphs(inner.spans, st, bullet=mark))
                        first = False
                    else:
                        out.extend(_blocks((inner,), st, bullet_style, depth + 1))
    return out


@lru_cache(maxsize=64)
def _indented(style: ParagraphStyle, depth: int) -> ParagraphStyle:
    if depth == 0:
        return style
    return ParagraphStyle(
        f"{style.name}-{depth}", parent=style,
        leftIndent=style.leftIndent + 14 * depth, bulletIndent=style.bulletIndent + 14 * depth,
    )


def _status_badge(status: StatusInfo) -> str:
    return (
        f'<font name="{fonts.face(SANS, bold=True)}" size="8.5" color="white" backColor="{status.colour}">'
        f"&nbsp;{escape(status.label.upper())}&nbsp;</font>"
    )


# -- flowables ----------------------------------------------------------------------------------


class _Heading(Paragraph):
    """A heading that becomes a contents line and a PDF bookmark."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, anchor: str, toc: bool) -> None:
        super().__init__(f'<a name="{anchor}"/>{_text(text, SANS)}', style)
        self.plain = fonts.drawable(text, SANS)
        self.level = level
        self.anchor = anchor
        self.toc = toc


class _PageCounter(Flowable):
    """Makes `multiBuild` run again if the page count printed in the footers was wrong."""

    def __init__(self, doc: _Doc) -> None:
        super().__init__()
        self.doc = doc
        self._printed: int | None = None

    def isIndexing(self) -> int:
        return 1

    def beforeBuild(self) -> None:
        self._printed = self.doc.page_count

    def afterBuild(self) -> None:
        self.doc.page_count = self.doc.page

    def isSatisfied(self) -> bool:
        return self._printed == self.doc.page_count

    def notify(self, kind: str, stuff: object) -> None:
        pass

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        pass


class _StatusChart(Flowable):
    """Stacked bars: how many commitments of each area are in each status (reportlab.graphics)."""

    def __init__(self, part: SummaryPart, width: float) -> None:
        super().__init__()
        bar_h, gap, label_w, legend_h = 11, 5, 34, 26
        rows = part.rows
        height = len(rows) * (bar_h + gap) + legend_h
        d = Drawing(width, height)
        biggest = max((r.total for r in rows), default=0) or 1
        scale = (width - label_w - 30) / biggest
        sans = fonts.face(SANS)
        for i, row in enumerate(rows):
            y = height - legend_h - (i + 1) * (bar_h + gap) + gap
            d.add(String(0, y + 2.5, fonts.drawable(row.ref, SANS)[:8], fontName=sans, fontSize=8, fillColor=GREY))
            x = label_w
            for (status, _label, colour), n in zip(part.statuses, row.counts):
                if n:
                    d.add(Rect(x, y, n * scale, bar_h, fillColor=colors.HexColor(colour), strokeColor=colors.white,
                               strokeWidth=0.5))
                    x += n * scale
            d.add(String(x + 4, y + 2.5, str(row.total), fontName=sans, fontSize=8, fillColor=GREY))
        x = label_w
        for _status, label, colour in part.statuses:
            d.add(Rect(x, height - 12, 8, 8, fillColor=colors.HexColor(colour), strokeColor=None))
            d.add(String(x + 11, height - 11, label, fontName=sans, fontSize=7.5, fillColor=GREY))
            x += 22 + fonts.string_width(label, SANS, 7.5)
        self.drawing = d
        self.width, self.height = width, height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (self.width, self.height)

    def draw(self) -> None:
        self.drawing.drawOn(self.canv, 0, 0)


# -- the document ----------------------------------------------------------------------------------


class _Doc(BaseDocTemplate):
    def __init__(self, target: io.BytesIO, book: Book, progress: Progress | None, cancelled: Cancelled | None,
                 total: int) -> None:
        super().__init__(
            target,
            pagesize=A4,
            leftMargin=MARGIN_L,
            rightMargin=MARGIN_R,
            topMargin=MARGIN_T,
            bottomMargin=MARGIN_B,
            title=fonts.drawable(book.title, SANS),
            author=book.author,
            subject=book.subject,
            creator="briefbook",
            keywords=["briefing book"] + ([book.classification] if book.classification else []),
            invariant=0,
        )
        self.book = book
        self.page_count: int | None = None
        self.progress = progress
        self.cancelled = cancelled
        self.total = max(total, 1)
        self.passes = 0
        self.done = 0
        self.header_title = fonts.drawable(book.title, SANS)
        self.marking = fonts.drawable(book.classification.upper(), SANS)
        body = Frame(MARGIN_L, MARGIN_B, TEXT_W, PAGE_H - MARGIN_T - MARGIN_B, id="body",
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover = Frame(MARGIN_L, MARGIN_B, TEXT_W, PAGE_H - MARGIN_B - 88 * mm, id="cover",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("cover", [cover], onPage=self._cover_page),
            PageTemplate("body", [body], onPage=self._body_page),
        ])

    # Passes: the first lays out (contents page numbers unknown), the second prints.
    def beforeDocument(self) -> None:
        self.passes += 1
        self.done = 0

    def afterFlowable(self, flowable: Flowable) -> None:
        self.done += 1
        if self.done % 40 == 0:
            if self.cancelled is not None and self.cancelled():
                raise ExportCancelled()
            if self.progress is not None:
                self.progress(min((self.passes - 1) * self.total + self.done, 2 * self.total - 1), 2 * self.total)
        if isinstance(flowable, _Heading):
            self.canv.addOutlineEntry(flowable.plain, flowable.anchor, level=flowable.level - 1, closed=flowable.level > 1)
            if flowable.toc:
                self.notify("TOCEntry", (flowable.level - 1, _text(flowable.plain, SANS), self.page, flowable.anchor))

    # -- page furniture ---------------------------------------------------------------------

    def _furniture(self, canv, show_title: bool) -> None:  # type: ignore[no-untyped-def]
        canv.saveState()
        top = PAGE_H - 13 * mm
        if self.marking:
            fonts.draw_string(canv, PAGE_W / 2, top, self.marking, SANS, 9, bold=True, align="centre")
        if show_title:
            canv.setFillColor(GREY)
            title = fonts.fit(self.header_title, SANS, 8, TEXT_W * 0.62)
            fonts.draw_string(canv, MARGIN_L, top - 11, title, SANS, 8)
            fonts.draw_string(canv, PAGE_W - MARGIN_R, top - 11, self.book.cover.kind_label, SANS, 8, align="right")
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.6)
            canv.line(MARGIN_L, top - 15, PAGE_W - MARGIN_R, top - 15)
        bottom = 11 * mm
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        canv.line(MARGIN_L, bottom + 10, PAGE_W - MARGIN_R, bottom + 10)
        canv.setFillColor(GREY)
        total = self.page_count if self.page_count is not None else self.page
        fonts.draw_string(canv, PAGE_W - MARGIN_R, bottom, f"Page {canv.getPageNumber()} of {total}", SANS, 8,
                          align="right")
        if self.marking:
            canv.setFillColor(colors.black)
            fonts.draw_string(canv, PAGE_W / 2, bottom, self.marking, SANS, 9, bold=True, align="centre")
        canv.restoreState()

    def _cover_page(self, canv, doc) -> None:  # type: ignore[no-untyped-def]
        canv.saveState()
        band_top = PAGE_H - 22 * mm
        canv.setFillColor(NAVY)
        canv.rect(0, band_top - 48 * mm, PAGE_W, 48 * mm, stroke=0, fill=1)
        canv.setFillColor(ACCENT)
        canv.rect(0, band_top - 48 * mm - 2.2 * mm, PAGE_W, 2.2 * mm, stroke=0, fill=1)
        canv.setFillColor(colors.white)
        fonts.draw_string(canv, MARGIN_L, band_top - 20 * mm, self.book.cover.kind_label.upper(), SANS, 20, bold=True)
        sub = self.book.cover.subtitle
        if sub:
            canv.setFillColor(colors.HexColor("#c9d4e5"))
            fonts.draw_string(canv, MARGIN_L, band_top - 30 * mm, fonts.fit(sub, SANS, 11, TEXT_W), SANS, 11)
        canv.restoreState()
        self._furniture(canv, show_title=False)

    def _body_page(self, canv, doc) -> None:  # type: ignore[no-untyped-def]
        self._furniture(canv, show_title=True)


# -- the story --------------------------------------------------------------------------------------


def _cover(book: Book, st: _Styles) -> list[Flowable]:
    c = book.cover
    out: list[Flowable] = [Paragraph(_text(c.title, SANS), st.cover_title)]
    out.append(HRFlowable(width="100%", thickness=0.8, color=RULE, spaceBefore=6, spaceAfter=4))
    for f in c.fields:
        out.append(Paragraph(escape(f.label.upper()), st.cover_label))
        for piece in _pieces((Span(f.value),)):
            out.append(Paragraph(_spans(piece), st.cover_value))
    return out


def _toc(book: Book, st: _Styles) -> tuple[list[Flowable], TableOfContents]:
    toc = TableOfContents(levelStyles=list(st.toc), dotsMinLevel=1, rightColumnWidth=28)
    # Seed it with the lines it will hold, so the first pass already lays the
    # contents out at their final length and the second pass only fills in numbers.
    toc.addEntries([(level - 1, _text(fonts.drawable(text, SANS), SANS), 0, anchor)
                    for level, text, anchor in book.toc() if level <= book.toc_depth])
    return [Paragraph("Contents", st.h1), toc], toc


def _summary(part: SummaryPart, st: _Styles) -> list[Flowable]:
    out: list[Flowable] = [_Heading(part.title, st.h1, 1, part.anchor, True)]
    if part.agenda:
        out.append(Paragraph("Agenda at a glance", st.label))
        rows = [[Paragraph("#", st.cell_head), Paragraph("Ref", st.cell_head), Paragraph("Commitment", st.cell_head),
                 Paragraph("Status", st.cell_head)]]
        for a in part.agenda:
            status = (
                f'<font color="{a.status.colour}">■</font> {escape(a.status.label)}' if a.status else "—"
            )
            rows.append([
                Paragraph(str(a.number), st.cell),
                Paragraph(_text(a.ref, SANS), st.cell),
                Paragraph(f'<a href="#{a.anchor}">{_text(a.title[:300], SANS)}</a>', st.cell),
                Paragraph(status, st.cell),
            ])
        t = Table(rows, colWidths=[9 * mm, 16 * mm, TEXT_W - 9 * mm - 16 * mm - 33 * mm, 33 * mm], repeatRows=1)
        t.setStyle(_table_style())
        out += [t, Spacer(1, 10)]
    if part.rows:
        out.append(Paragraph(f"Commitments by {part.scope_label.lower()} and status", st.label))
        short = {"not_started": "Not started", "on_track": "On track", "ongoing": "Ongoing",
                 "with_challenges": "Challenges", "achieved": "Achieved", "not_pursued": "Not pursued"}
        head = [Paragraph(part.scope_label, st.cell_head)] + [
            Paragraph(escape(short.get(s, label)), st.cell_head) for s, label, _c in part.statuses
        ] + [Paragraph("Total", st.cell_head)]
        rows = [head]
        for r in part.rows:
            rows.append(
                [Paragraph(_text(f"{r.ref} {r.title}"[:200], SANS), st.cell)]
                + [Paragraph(str(n) if n else "·", st.cell_num) for n in r.counts]
                + [Paragraph(f"<b>{r.total}</b>", st.cell_num)]
            )
        rows.append(
            [Paragraph("<b>Total</b>", st.cell)]
            + [Paragraph(f"<b>{n}</b>", st.cell_num) for n in part.totals]
            + [Paragraph(f"<b>{sum(part.totals)}</b>", st.cell_num)]
        )
        num_w = 15.5 * mm
        t = Table(rows, colWidths=[TEXT_W - num_w * 7] + [num_w] * 7, repeatRows=1)
        ts = _table_style()
        ts.add("LINEABOVE", (0, -1), (-1, -1), 0.8, NAVY)
        ts.add("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f3f5f8"))
        t.setStyle(ts)
        out += [t, Spacer(1, 12)]
        out.append(KeepTogether([Paragraph("Chart", st.label), _StatusChart(part, TEXT_W)]))
    return out


def _table_style() -> TableStyle:
    return TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ])


def _entry(e: Entry, st: _Styles) -> list[Flowable]:
    level = min(e.level, 4)
    out: list[Flowable] = [_Heading(e.heading, getattr(st, _HEADING_LEVELS[level]), level, e.anchor, e.in_toc)]
    if e.context:
        out.append(Paragraph(_text(e.context, SANS), st.context))
    meta: list[str] = []
    if e.status is not None:
        line = _status_badge(e.status)
        if e.status.changed_on:
            line += f"&nbsp;&nbsp;since {escape(e.status.changed_on)}"
            if e.status.changed_by:
                line += f" ({_text(e.status.changed_by, SANS)})"
        meta.append(line)
    if e.counts:
        meta.append(" &nbsp; ".join(
            f'<font color="{_colour(s)}">■</font> {n} {escape(_label(s).lower())}' for s, n in e.counts
        ))
    if e.lead_office:
        meta.append(f"Lead office: {_text(e.lead_office, SANS)}")
    if meta:
        out.append(Paragraph(" &nbsp;·&nbsp; ".join(meta), st.meta))
    if e.status is not None and e.status.comment:
        out.extend(_paragraphs((Span("Comment: ", bold=True), Span(e.status.comment)), st.meta))
    for b in e.text:
        if isinstance(b, Para):
            out.extend(_paragraphs(b.spans, st.entry_text))
    if e.children:
        out.append(Paragraph("Commitments under this heading", st.label))
        for c in e.children:
            mark = f'<font color="{c.status.colour}">■</font> ' if c.status else ""
            out.append(Paragraph(f"{mark}<b>{_text(c.ref, SANS)}</b> {_text(c.title[:300], SANS)}"
                                 + (f" — {escape(c.status.label)}" if c.status else ""), st.meta))
    if e.points:
        out.append(Paragraph("POINTS FOR THIS MEETING", st.label))
        out.extend(_blocks(e.points, st.note, st.bullet))
    for group in e.note_groups:
        talking = group.kind == "talking_point"
        out.append(Paragraph(escape(_plural(group.label, len(group.notes)).upper()), st.label))
        for note in group.notes:
            out.extend(_note(note, st, talking))
    if e.citations:
        out.append(Paragraph("SOURCES", st.label))
        for c in e.citations:
            quote = f" — “{_text(c.quote)}”" if c.quote else ""
            out.extend([Paragraph(f"<b>[{c.number}]</b> {_text(c.title)}{quote}", st.meta)]
                       if len(c.quote) < _PIECE else
                       _paragraphs((Span(f"[{c.number}] ", bold=True), Span(c.title + " — “" + c.quote + "”")), st.meta))
    return out


def _note(note: BookNote, st: _Styles, talking: bool) -> list[Flowable]:
    out = _blocks(note.blocks, st.talking if talking else st.note, st.talking_bullet if talking else st.bullet)
    by = ", ".join(p for p in (note.author, note.written_on) if p)
    if by and not talking:
        out.append(Paragraph(f"— {_text(by, SANS)}", st.small))
    return out


def _plural(label: str, n: int) -> str:
    return label if n == 1 else label + "s"


def _colour(status: str) -> str:
    from db.values import STATUS_COLOURS

    return STATUS_COLOURS.get(status, "#888888")


def _label(status: str) -> str:
    from db.values import STATUS_LABELS

    return STATUS_LABELS.get(status, status)


def _changes(part: ChangesPart, st: _Styles) -> list[Flowable]:
    out: list[Flowable] = [_Heading(part.title, st.h1, 1, part.anchor, True)]
    if not part.changes:
        out.append(Paragraph(f"No status changes and no notes added since {escape(part.since)}.", st.body))
    for c in part.changes:
        head = (f"<b>{escape(c.when)}</b> &nbsp; <b>{_text(c.ref, SANS)}</b> {_text(c.title, SANS)}"
                f"<br/>{_text(c.what, SANS)}" + (f" — {_text(c.by, SANS)}" if c.by else ""))
        out.append(Paragraph(head, ParagraphStyle("chg", parent=st.meta, textColor=colors.black, spaceBefore=6,
                                                  keepWithNext=1 if c.detail else 0)))
        out.extend(_blocks(c.detail, st.note, st.bullet))
    return out


def _sources(part: SourcesPart, st: _Styles) -> list[Flowable]:
    out: list[Flowable] = [_Heading(part.title, st.h1, 1, part.anchor, True)]
    for s in part.sources:
        bits = [f"<b>[{s.number}]</b>&nbsp;&nbsp;<b>{_text(s.title)}</b>."]
        where = ", ".join(x for x in (s.outlet, s.published) if x)
        if where:
            bits.append(_text(where) + ".")
        out.append(Paragraph(" ".join(bits), st.source))
        indent = ParagraphStyle("src_more", parent=st.meta, leftIndent=22, spaceAfter=1)
        if s.url_text:
            span = Span(s.url_text, href=s.url)
            out.extend(_paragraphs((span,), indent))
        if s.excerpt:
            out.extend(_paragraphs((Span(s.excerpt, italic=True),), indent))
        for q in s.quotes:
            out.extend(_paragraphs((Span(f"Cited at {q.ref}: ", bold=True), Span(f"“{q.quote}”")), indent))
        if s.attachments:
            out.append(Paragraph("Attached in the briefing file: " + _text(", ".join(s.attachments), SANS), indent))
    return out


def _story(book: Book, doc: _Doc) -> tuple[list[Flowable], int]:
    st = styles()
    story: list[Flowable] = [NextPageTemplate("body")]
    story += _cover(book, st)
    story.append(PageBreak())
    toc_flowables, _ = _toc(book, st)
    story += toc_flowables
    for part in book.parts:
        if isinstance(part, SummaryPart):
            story.append(PageBreak())
            story += _summary(part, st)
        elif isinstance(part, TextPart):
            story.append(CondPageBreak(60 * mm))
            story.append(_Heading(part.title, st.h1, 1, part.anchor, True))
            story += _blocks(part.blocks, st.body, st.bullet)
        elif isinstance(part, EntriesPart):
            if part.title:
                story.append(PageBreak())
                story.append(_Heading(part.title, st.h1, 1, part.anchor, True))
            for e in part.entries:
                if e.level == 1 and not part.title:
                    story.append(PageBreak())
                story += _entry(e, st)
        elif isinstance(part, ChangesPart):
            story.append(PageBreak())
            story += _changes(part, st)
        elif isinstance(part, SourcesPart):
            story.append(PageBreak())
            story += _sources(part, st)
    story.append(_PageCounter(doc))
    return story, len(story)


def render_pdf(book: Book, progress: Progress | None = None, cancelled: Cancelled | None = None) -> bytes:
    """The book as PDF bytes."""
    buf = io.BytesIO()
    doc = _Doc(buf, book, progress, cancelled, total=0)
    story, n = _story(book, doc)
    doc.total = n
    doc.multiBuild(story, maxPasses=6)
    if progress is not None:
        progress(1, 1)
    return buf.getvalue()


def write_pdf(book: Book, path: Path, progress: Progress | None = None, cancelled: Cancelled | None = None) -> None:
    from exporters.output import atomic_write

    data = render_pdf(book, progress, cancelled)
    atomic_write(Path(path), data)
