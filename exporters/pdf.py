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

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
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
from reportlab.platypus.paragraph import textTransformFrags
from reportlab.platypus.paraparser import ParaFrag, ParaParser
from reportlab.platypus.tableofcontents import TableOfContents

from exporters import fonts
from exporters.book import (
    Book,
    BookNote,
    Cancelled,
    ChangesPart,
    EntriesPart,
    Entry,
    ExportCancelled,
    Progress,
    SourcesPart,
    StatusInfo,
    SummaryPart,
    TextPart,
)
from exporters.fonts import SANS, SERIF
from exporters.gc_pause import gc_paused
from exporters.markdown import Block, BulletList, Para, Span
from exporters.text import escape

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
    source_more: ParagraphStyle
    source_excerpt: ParagraphStyle
    change: ParagraphStyle


@lru_cache(maxsize=1)
def styles() -> _Styles:
    serif = fonts.face(SERIF)
    serif_b = fonts.face(SERIF, bold=True)
    sans = fonts.face(SANS)
    sans_b = fonts.face(SANS, bold=True)
    body = ParagraphStyle("body", fontName=serif, fontSize=10.5, leading=14.2, spaceAfter=4, textColor=colors.black,
                          bulletFontName=serif)  # ReportLab's default bullet face (Helvetica) is not embedded
    heading = ParagraphStyle("heading", fontName=sans_b, textColor=NAVY)
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
        context=ParagraphStyle("context", fontName=sans, fontSize=8.5, leading=11, textColor=GREY, spaceAfter=3),
        meta=ParagraphStyle("meta", fontName=sans, fontSize=8.5, leading=11.5, textColor=GREY, spaceAfter=4),
        label=ParagraphStyle("label", fontName=sans_b, fontSize=8.5, leading=11, textColor=NAVY, spaceBefore=7,
                             spaceAfter=2),
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
        source=ParagraphStyle("source", parent=body, fontName=serif_b, leftIndent=22, firstLineIndent=-22,
                              spaceBefore=7, spaceAfter=1),
        source_more=ParagraphStyle("source_more", fontName=sans, fontSize=8.5, leading=11.5, textColor=GREY,
                                   leftIndent=22, spaceAfter=1),
        source_excerpt=ParagraphStyle("source_excerpt", fontName=fonts.face(SERIF, italic=True), fontSize=9.5,
                                      leading=12.5, textColor=colors.HexColor("#333333"), leftIndent=22, spaceAfter=1),
        change=ParagraphStyle("change", fontName=sans, fontSize=8.5, leading=11.5, spaceBefore=6, spaceAfter=4),
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
            piece = f'<a href="{escape(s.href, quote=True)}" color="{LINK}"><u>{piece}</u></a>'
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


def _paragraphs(spans: tuple[Span, ...], style: ParagraphStyle, bullet: str | None = None,
                tail: str = "") -> list[Flowable]:
    """One paragraph of spans (several if it is very long); `tail` is markup added at its end."""
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
        markup = _spans(piece) + (tail if i == len(pieces) - 1 else "")
        out.append(_P(markup, st, bulletText=bullet if i == 0 else None))
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


class _Keep:
    """Keep-with-next for one flowable: it only goes on a page that also has room for
    `followers` and `extra` points after it.

    ReportLab's keepWithNext wraps the group in a KeepTogether, which copies the
    whole frame each time (thousands of times in a big book); here the first
    flowable simply reports that it does not fit, and the frame moves it (and so
    the group) to the next page.
    """

    bb_keep: tuple[list[Flowable], float] | None = None

    def _needs_next_page(self, availWidth: float, availHeight: float, own: float) -> bool:
        keep = self.bb_keep
        if keep is None:
            return False
        followers, extra = keep
        need = own + extra
        for f in followers:
            need += f.wrap(availWidth, availHeight)[1] + f.getSpaceBefore() + f.getSpaceAfter()
        if need <= availHeight:
            return False
        frame = self._doctemplateAttr("frame")  # type: ignore[attr-defined]
        # A group taller than most of a page stays where it is: moving it gains nothing.
        return frame is not None and need < frame._height * 0.7


# style id -> (the style, the fragment ReportLab's parser makes of plain text in it)
_PLAIN_FRAGS: dict[int, tuple[ParagraphStyle, ParaFrag | None]] = {}


def _plain_frags(text: str, style: ParagraphStyle) -> list[ParaFrag] | None:
    """The fragments ReportLab's markup parser would make of `text` (cleaned, with no
    tags or entities), without running the parser: a copy of the one fragment it
    makes of plain text in this style, holding this text. None: use the parser."""
    if not text:
        return None
    known = _PLAIN_FRAGS.get(id(style))
    if known is None or known[0] is not style:
        parsed_style, parsed, bullet = ParaParser().parse("x", style)
        ok = parsed_style is style and parsed is not None and len(parsed) == 1 and not bullet
        known = _PLAIN_FRAGS[id(style)] = (style, parsed[0] if ok else None)  # type: ignore[index]
    template = known[1]
    if template is None:
        return None
    frag = template.clone(text=text, link=[], us_lines=[])
    frags = [frag]
    textTransformFrags(frags, style)
    return frags


class _P(_Keep, Paragraph):
    """A Paragraph that remembers its last wrap, keeps with what follows it (`_Keep`)
    and marks a heading's position when drawn.

    A paragraph's lines depend only on the width it is given, and a heading is
    measured for the keep test and again when placed. Plain text (most of a
    book: escaped user text with no fallback font runs) skips ReportLab's markup
    parser, which costs more than laying the paragraph out.
    """

    def _setup(self, text, style, bulletText, frags, cleaner):  # type: ignore[no-untyped-def]
        if frags is None and "<" not in text and "&" not in text:
            cleaned = cleaner(text)
            frags = _plain_frags(cleaned, style)
            if frags is not None:
                text = cleaned
        super()._setup(text, style, bulletText, frags, cleaner)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        memo = self.__dict__.get("_bb_memo")
        if memo is not None and memo[0] == availWidth:
            _, self.width, self._wrapWidths, self.blPara, self.height = memo
        else:
            super().wrap(availWidth, availHeight)
            self._bb_memo = (availWidth, self.width, self._wrapWidths, self.blPara, self.height)
        if self.bb_keep is not None and self._needs_next_page(availWidth, availHeight, self.height):
            return self.width, availHeight + 1  # "does not fit here": the frame tries the next page
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self.bb_keep is not None:
            own = self.wrap(availWidth, 1e9)[1]
            if self._needs_next_page(availWidth, availHeight, own):
                return []
        return super().split(availWidth, availHeight)

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:  # type: ignore[no-untyped-def]
        heading = self.__dict__.get("bb_heading")
        if heading is not None:
            # The link target of the contents line and the bookmark: the heading's top.
            canvas.bookmarkHorizontal(heading[2], x, y + self.height + 4)
        super().drawOn(canvas, x, y, _sW)


class _Line(_Keep, Flowable):
    """One line of small text drawn directly (labels, bylines, where an entry sits).

    A Paragraph costs a markup parse, a line-breaking pass and a text object;
    these lines never wrap (too long a line ends in an ellipsis), so they are
    drawn as strings: a big book has tens of thousands of them.
    """

    def __init__(self, text: str, family: str, size: float, colour: colors.Color, bold: bool = False,
                 before: float = 0, after: float = 0, leading: float | None = None, indent: float = 0,
                 href: str | None = None) -> None:
        super().__init__()
        self.text = text
        self.family = family
        self.size = size
        self.colour = colour
        self.bold = bold
        self.spaceBefore = before
        self.spaceAfter = after
        self.height = leading or size * 1.3
        self.indent = indent
        self.href = href

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        if self.bb_keep is not None and self._needs_next_page(availWidth, availHeight, self.height):
            return availWidth, availHeight + 1
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        c = self.canv
        c.setFillColor(self.colour)
        base = self.height - self.size
        w = fonts.draw_string(c, self.indent, base, self.text, self.family, self.size, bold=self.bold,
                              width=self.width - self.indent)
        if self.href:
            c.linkURL(self.href, (self.indent, base - 2, self.indent + w, base + self.size), relative=1)


class _StatusLine(Flowable):
    """The status as a coloured badge, then when and by whom it was last set (drawn, not a paragraph)."""

    def __init__(self, status: StatusInfo, after: str) -> None:
        super().__init__()
        self.status = status
        self.after = after
        self.height = 13
        self.spaceAfter = 3

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return (availWidth, self.height)

    def draw(self) -> None:
        c = self.canv
        label = self.status.label.upper()
        bold = fonts.face(SANS, bold=True)
        w = fonts.string_width(label, SANS, 7.5, bold=True) + 8
        c.setFillColor(colors.HexColor(self.status.colour))
        c.roundRect(0, 1, w, 10.5, 1.5, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFont(bold, 7.5)
        c.drawString(4, 3.6, label)
        if self.after:
            c.setFillColor(GREY)
            fonts.draw_string(c, w + 6, 3.4, self.after, SANS, 8.5, width=self.width - w - 6)


def _keep(first: Flowable, followers: list[Flowable] | None = None, lines: float = 2.5,
          leading: float = 14.2) -> Flowable:
    """`first`, moved to the next page unless `followers` and `lines` lines after them fit with it."""
    first.bb_keep = (followers or [], lines * leading)  # type: ignore[attr-defined]
    return first


def _heading(text: str, style: ParagraphStyle, level: int, anchor: str, toc: bool) -> _P:
    """A heading that becomes a contents line and a PDF bookmark."""
    text = text if len(text) <= 400 else text[:400] + "…"
    # No <a name> in the markup: a paragraph of one plain run lays out several times faster.
    p = _P(_text(text, SANS), style)
    p.bb_heading = (fonts.drawable(text, SANS), level, anchor, toc)
    return p


class _Contents(TableOfContents):
    """The contents, seeded with its lines, with page numbers filled in after layout.

    The lines are known before layout (`Book.toc`), so the first multiBuild
    pass already reserves exactly the room they take; their page numbers, and
    the "of Y" of every footer, are PDF form XObjects that are drawn at the
    end of the pass (`_Numbers`). The contents is then satisfied after one pass:
    multiBuild only runs a second one if a heading did not turn up as expected.
    """

    def __init__(self, lines: list[tuple[int, str, str]], styles: list[ParagraphStyle]) -> None:
        table = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                            ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("FONTNAME", (0, 0), (-1, -1), fonts.face(SANS))])
        super().__init__(levelStyles=styles, dotsMinLevel=1, rightColumnWidth=28, tableStyle=table)
        self._seed = [(level, text, key) for level, text, key in lines]
        self.addEntries([(level, text, 0, key) for level, text, key in lines])

    def isSatisfied(self) -> bool:
        return [(level, text, key) for level, text, _page, key in self._entries] == self._seed

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        entries = self._lastEntries or [(0, "", 0, None)]
        levels = {key: level for level, _t, _p, key in entries}

        def line_end(canvas, kind, label) -> None:  # type: ignore[no-untyped-def]
            # Dot leaders to the page-number column, then the number (a form: known only at the end).
            level = levels.get(label, 0)
            style = self.getLevelStyle(level)
            x, y = canvas._curr_tx_info["cur_x"], canvas._curr_tx_info["cur_y"]
            stop = availWidth - self.rightColumnWidth + 4
            if level >= self.dotsMinLevel and stop - x > 6:
                dot = " . "
                dot_w = pdfmetrics.stringWidth(dot, style.fontName, style.fontSize)
                n = int((stop - x - 2) / dot_w)
                canvas.setFont(style.fontName, style.fontSize)
                canvas.setFillColor(GREY)
                canvas.drawRightString(stop, y, dot * n)
            canvas.saveState()
            canvas.translate(availWidth, y)
            canvas.doForm(_page_form(label))
            canvas.restoreState()

        self.canv.setNamedCB("bbContentsLineEnd", line_end)
        rows = []
        for level, text, _page, key in entries:
            style = self.getLevelStyle(level)
            if key:
                text = f'<a href="#{key}">{text}</a><onDraw name="bbContentsLineEnd" label="{key}"/>'
            para = Paragraph(text, style)
            if style.spaceBefore:
                rows.append([Spacer(1, style.spaceBefore)])
            rows.append([para])
        self._table = Table(rows, colWidths=(availWidth,), style=self.tableStyle)
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return (self.width, self.height)


def _page_form(key: str) -> str:
    return f"bbPageOf{key}"


def _furniture_form(show_title: bool) -> str:
    return "bbFurnitureBody" if show_title else "bbFurnitureCover"


class _Numbers(Flowable):
    """The last flowable: after the pass it draws the numbers only the end of layout knows."""

    def __init__(self, doc: _Doc, contents: _Contents | None) -> None:
        super().__init__()
        self.doc = doc
        self.contents = contents

    def isIndexing(self) -> int:
        return 1

    def beforeBuild(self) -> None:
        pass

    def afterBuild(self) -> None:
        canv = self.doc.canv
        st = styles()
        if self.contents is not None:
            for level, _text, page, key in self.contents._entries:
                style = st.toc[min(level, len(st.toc) - 1)]
                _define_form(canv, _page_form(key), str(page), style.fontName, style.fontSize, style.textColor,
                             right=True)
        _define_form(canv, "bbPageCount", str(self.doc.page), fonts.face(SANS), 8, GREY, right=False)
        for show_title in sorted(self.doc.furniture_forms):
            canv.beginForm(_furniture_form(show_title))
            self.doc.draw_furniture(canv, show_title)
            canv.endForm()

    def isSatisfied(self) -> bool:
        return True

    def notify(self, kind: str, stuff: object) -> None:
        pass

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        pass


def _define_form(canv, name: str, text: str, font: str, size: float, colour, right: bool) -> None:  # type: ignore[no-untyped-def]
    if right:
        canv.beginForm(name, lowerx=-80, lowery=-4, upperx=0, uppery=size + 4)
    else:
        canv.beginForm(name, lowerx=0, lowery=-4, upperx=80, uppery=size + 4)
    canv.setFont(font, size)
    canv.setFillColor(colour)
    if right:
        canv.drawRightString(0, 0, text)
    else:
        canv.drawString(0, 0, text)
    canv.endForm()


class _StatusChart(Flowable):
    """Stacked bars: how many commitments of each area are in each status (reportlab.graphics)."""

    def __init__(self, part: SummaryPart, width: float) -> None:
        super().__init__()
        bar_h, gap, label_w, legend_h = 11, 5, 34, 26
        rows = part.rows
        height = len(rows) * (bar_h + gap) + legend_h
        d = Drawing(width, height)
        d.initialFontName = fonts.face(SANS)  # the renderer's default (Helvetica) is not embedded
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
            # Every page starts in an embedded face: ReportLab's default (Helvetica) is never embedded.
            initialFontName=styles().body.fontName,
            initialFontSize=10.5,
        )
        self.book = book
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

    def beforeDocument(self) -> None:
        self.passes += 1
        self.furniture_forms: set[bool] = set()
        self.done = 0

    def afterFlowable(self, flowable: Flowable) -> None:
        self.done += 1
        if self.done % 40 == 0:
            if self.cancelled is not None and self.cancelled():
                raise ExportCancelled()
            if self.progress is not None:
                self.progress(min(self.done, self.total - 1), self.total)
        heading = getattr(flowable, "bb_heading", None)
        if heading is not None:
            plain, level, anchor, toc = heading
            self.canv.addOutlineEntry(plain, anchor, level=level - 1, closed=level > 1)
            if toc:
                self.notify("TOCEntry", (level - 1, _text(plain, SANS), self.page, anchor))

    # -- page furniture ---------------------------------------------------------------------

    def _furniture(self, canv, show_title: bool) -> None:  # type: ignore[no-untyped-def]
        """The page's header and footer: the same on every page but for "Page X", so the
        rest is a form drawn once at the end (`_Numbers`) and placed on every page."""
        self.furniture_forms.add(show_title)
        canv.saveState()
        canv.doForm(_furniture_form(show_title))
        # "Page X of Y": Y is a form drawn once the last page is known (`_Numbers`).
        bottom = 11 * mm
        canv.setFillColor(GREY)
        width = fonts.draw_string(canv, MARGIN_L, bottom, f"Page {canv.getPageNumber()} of ", SANS, 8)
        canv.translate(MARGIN_L + width, bottom)
        canv.doForm("bbPageCount")
        canv.restoreState()

    def draw_furniture(self, canv, show_title: bool) -> None:  # type: ignore[no-untyped-def]
        """What `_furniture` puts on every page besides the page number."""
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
        fonts.draw_string(canv, PAGE_W - MARGIN_R, bottom, self.book.cover.kind_label, SANS, 8, align="right")
        if self.marking:
            canv.setFillColor(colors.black)
            fonts.draw_string(canv, PAGE_W / 2, bottom, self.marking, SANS, 9, bold=True, align="centre")

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
    out: list[Flowable] = [_P(_text(c.title, SANS), st.cover_title)]
    out.append(HRFlowable(width="100%", thickness=0.8, color=RULE, spaceBefore=6, spaceAfter=4))
    for f in c.fields:
        out.append(_P(escape(f.label.upper()), st.cover_label))
        for piece in _pieces((Span(f.value),)):
            out.append(_P(_spans(piece), st.cover_value))
    return out


def _toc(book: Book, st: _Styles) -> tuple[list[Flowable], _Contents]:
    lines = [(level - 1, _text(fonts.drawable(text, SANS), SANS), anchor)
             for level, text, anchor in book.toc() if level <= book.toc_depth]
    toc = _Contents(lines, list(st.toc))
    return [_P("Contents", st.h1), toc], toc


def _summary(part: SummaryPart, st: _Styles) -> list[Flowable]:
    out: list[Flowable] = [_heading(part.title, st.h1, 1, part.anchor, True)]
    if part.agenda:
        out.append(_P("Agenda at a glance", st.label))
        rows = [[_P("#", st.cell_head), _P("Ref", st.cell_head), _P("Commitment", st.cell_head),
                 _P("Status", st.cell_head)]]
        for a in part.agenda:
            status = (
                f'<font color="{a.status.colour}">■</font> {escape(a.status.label)}' if a.status else "—"
            )
            rows.append([
                _P(str(a.number), st.cell),
                _P(_text(a.ref, SANS), st.cell),
                _P(f'<a href="#{a.anchor}">{_text(a.title[:300], SANS)}</a>', st.cell),
                _P(status, st.cell),
            ])
        t = Table(rows, colWidths=[9 * mm, 16 * mm, TEXT_W - 9 * mm - 16 * mm - 33 * mm, 33 * mm], repeatRows=1)
        t.setStyle(_table_style())
        out += [t, Spacer(1, 10)]
    if part.rows:
        out.append(_P(f"Commitments by {part.scope_label.lower()} and status", st.label))
        short = {"not_started": "Not started", "on_track": "On track", "ongoing": "Ongoing",
                 "with_challenges": "Challenges", "achieved": "Achieved", "not_pursued": "Not pursued"}
        head = [_P(part.scope_label, st.cell_head)] + [
            _P(escape(short.get(s, label)), st.cell_head) for s, label, _c in part.statuses
        ] + [_P("Total", st.cell_head)]
        rows = [head]
        for r in part.rows:
            rows.append(
                [_P(_text(f"{r.ref} {r.title}"[:200], SANS), st.cell)]
                + [_P(str(n) if n else "·", st.cell_num) for n in r.counts]
                + [_P(f"<b>{r.total}</b>", st.cell_num)]
            )
        rows.append(
            [_P("<b>Total</b>", st.cell)]
            + [_P(f"<b>{n}</b>", st.cell_num) for n in part.totals]
            + [_P(f"<b>{sum(part.totals)}</b>", st.cell_num)]
        )
        num_w = 15.5 * mm
        t = Table(rows, colWidths=[TEXT_W - num_w * 7] + [num_w] * 7, repeatRows=1)
        ts = _table_style()
        ts.add("LINEABOVE", (0, -1), (-1, -1), 0.8, NAVY)
        ts.add("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f3f5f8"))
        t.setStyle(ts)
        out += [t, Spacer(1, 12)]
        out.append(KeepTogether([_P("Chart", st.label), _StatusChart(part, TEXT_W)]))
    return out


def _table_style() -> TableStyle:
    return TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.face(SANS)),  # ReportLab's default cell face is not embedded
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ])


def _entry(e: Entry, st: _Styles) -> list[Flowable]:
    # Bulk paragraphs hold one plain run each (no tags): ReportLab lays those out
    # several times faster than mixed ones, which matters for a 1,000-page book.
    level = min(e.level, 4)
    head: list[Flowable] = [_heading(e.heading, getattr(st, _HEADING_LEVELS[level]), level, e.anchor, e.in_toc)]
    if e.context:
        head.append(_Line(e.context, SANS, 8.5, GREY, after=2))
    if e.status is not None:
        after = ""
        if e.status.changed_on:
            after = f"since {e.status.changed_on}" + (f" ({e.status.changed_by})" if e.status.changed_by else "")
        head.append(_StatusLine(e.status, after))
    meta: list[str] = []
    if e.counts:
        meta.append(" &nbsp; ".join(
            f'<font color="{_colour(s)}">■</font> {n} {escape(_status_label(s).lower())}' for s, n in e.counts
        ))
    if e.lead_office:
        meta.append(f"Lead office: {_text(e.lead_office, SANS)}")
    if meta:
        head.append(_P(" &nbsp;·&nbsp; ".join(meta), st.meta))
    if e.status is not None and e.status.comment:
        head.extend(_paragraphs((Span("Comment: ", bold=True), Span(e.status.comment)), st.meta))
    _keep(head[0], head[1:], 3)
    out: list[Flowable] = head
    for b in e.text:
        if isinstance(b, Para):
            out.extend(_paragraphs(b.spans, st.entry_text))
    if e.children:
        out.append(_label("Commitments under this heading"))
        for c in e.children:
            mark = f'<font color="{c.status.colour}">■</font> ' if c.status else ""
            out.append(_P(f"{mark}<b>{_text(c.ref, SANS)}</b> {_text(c.title[:300], SANS)}"
                          + (f" — {escape(c.status.label)}" if c.status else ""), st.meta))
    if e.points:
        out.append(_label("Points for this meeting"))
        out.extend(_blocks(e.points, st.note, st.bullet))
    for group in e.note_groups:
        talking = group.kind == "talking_point"
        out.append(_label(_plural(group.label, len(group.notes))))
        for note in group.notes:
            out.extend(_note(note, st, talking))
    if e.citations:
        out.append(_label("Sources", 1.5))
        for c in e.citations:
            out.extend(_paragraphs((Span(f"[{c.number}] {c.title}" + (f" — “{c.quote}”" if c.quote else "")),),
                                   st.meta))
    return out


def _label(text: str, lines: float = 2.5) -> Flowable:
    """A small capitals heading inside an entry ("TALKING POINTS"), kept with what it introduces."""
    return _keep(_Line(text.upper(), SANS, 8.5, NAVY, bold=True, before=7, after=2, leading=11), lines=lines)


def _note(note: BookNote, st: _Styles, talking: bool) -> list[Flowable]:
    out = _blocks(note.blocks, st.talking if talking else st.note, st.talking_bullet if talking else st.bullet)
    by = ", ".join(p for p in (note.author, note.written_on) if p)
    if by and not talking:
        out.append(_Line(f"— {by}", SANS, 8, GREY, after=4, leading=10))
    return out


def _plural(label: str, n: int) -> str:
    return label if n == 1 else label + "s"


def _colour(status: str) -> str:
    from db.values import STATUS_COLOURS

    return STATUS_COLOURS.get(status, "#888888")


def _status_label(status: str) -> str:
    from db.values import STATUS_LABELS

    return STATUS_LABELS.get(status, status)


def _changes(part: ChangesPart, st: _Styles) -> list[Flowable]:
    out: list[Flowable] = [_heading(part.title, st.h1, 1, part.anchor, True)]
    if not part.changes:
        out.append(_P(f"No status changes and no notes added since {escape(part.since)}.", st.body))
    for c in part.changes:
        head = (f"<b>{escape(c.when)}</b> &nbsp; <b>{_text(c.ref, SANS)}</b> {_text(c.title, SANS)}"
                f"<br/>{_text(c.what, SANS)}" + (f" — {_text(c.by, SANS)}" if c.by else ""))
        para = _P(head, st.change)
        out.append(_keep(para, lines=2) if c.detail else para)
        out.extend(_blocks(c.detail, st.note, st.bullet))
    return out


def _sources(part: SourcesPart, st: _Styles) -> list[Flowable]:
    out: list[Flowable] = [_heading(part.title, st.h1, 1, part.anchor, True)]
    for s in part.sources:
        # One plain paragraph a line (see `_entry`): title, where, address, excerpt, quotes.
        title = _P(_text(f"[{s.number}]  {s.title}"), st.source)
        more: list[Flowable] = []
        where = ", ".join(x for x in (s.outlet, s.published) if x)
        if where:
            more.append(_Line(where, SANS, 8.5, GREY, leading=11.5, indent=22))
        if s.url_text:
            if len(s.url_text) < 90 and fonts.string_width(s.url_text, SANS, 8.5) < TEXT_W - 22:
                more.append(_Line(s.url_text, SANS, 8.5, colors.HexColor(LINK), leading=11.5, indent=22, href=s.url))
            else:
                more.extend(_paragraphs((Span(s.url_text, href=s.url),), st.source_more))
        if s.excerpt:
            more.extend(_paragraphs((Span(s.excerpt),), st.source_excerpt))
        for q in s.quotes:
            more.extend(_paragraphs((Span(f"Cited at {q.ref}: “{q.quote}”"),), st.source_more))
        if s.attachments:
            more.append(_P(_text("Attached in the briefing file: " + ", ".join(s.attachments), SANS), st.source_more))
        out += [_keep(title, lines=2, leading=11.5), *more]
    return out


def _story(book: Book, doc: _Doc) -> tuple[list[Flowable], int]:
    st = styles()
    story: list[Flowable] = [NextPageTemplate("body")]
    story += _cover(book, st)
    story.append(PageBreak())
    toc_flowables, contents = _toc(book, st)
    story += toc_flowables
    for part in book.parts:
        if isinstance(part, SummaryPart):
            story.append(PageBreak())
            story += _summary(part, st)
        elif isinstance(part, TextPart):
            story.append(CondPageBreak(60 * mm))
            story.append(_heading(part.title, st.h1, 1, part.anchor, True))
            story += _blocks(part.blocks, st.body, st.bullet)
        elif isinstance(part, EntriesPart):
            if part.title:
                story.append(PageBreak())
                story.append(_heading(part.title, st.h1, 1, part.anchor, True))
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
    story.append(_Numbers(doc, contents))
    return story, len(story)


def render_pdf(book: Book, progress: Progress | None = None, cancelled: Cancelled | None = None) -> bytes:
    """The book as PDF bytes."""
    buf = io.BytesIO()
    _PLAIN_FRAGS.clear()  # styles made for one book (pieces of long paragraphs) go with it
    with gc_paused():
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
