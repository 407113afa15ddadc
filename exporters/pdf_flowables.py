"""The PDF's own flowables: the only layout module that leans on ReportLab's internals.

ReportLab's public flowables are too slow for a 1,000-page book or cannot do
what the book needs, so these reach past the public API (which is why
`pyproject.toml` pins ReportLab's major version):

- `BookParagraph` skips the markup parser for plain text (`ParaParser`,
  `ParaFrag`, `textTransformFrags`), reuses its last wrap (`_wrapWidths`,
  `blPara`), and keeps with what follows by asking the frame (`_height`);
- `Contents` reads ReportLab's own entries (`_entries`, `_lastEntries`) and
  the text cursor (`_curr_tx_info`) to put dot leaders and page-number forms
  at the end of each line.

`Line`, `StatusLine` and `StatusChart` are drawn directly on the canvas
through its public API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.paragraph import textTransformFrags
from reportlab.platypus.paraparser import ParaFrag, ParaParser
from reportlab.platypus.tableofcontents import TableOfContents

from exporters import fonts
from exporters.book_model import StatusInfo, SummaryPart
from exporters.fonts import SANS
from exporters.pdf_styles import GREY

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas


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

# style id -> (the style, the fragment ReportLab's parser makes of plain text in it)
_PLAIN_FRAGS: dict[int, tuple[ParagraphStyle, ParaFrag | None]] = {}


def forget_plain_frags() -> None:
    """Drop the fragments kept for styles (pieces of long paragraphs are made for one book)."""
    _PLAIN_FRAGS.clear()


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
        known = _PLAIN_FRAGS[id(style)] = (style, parsed[0] if ok else None)
    template = known[1]
    if template is None:
        return None
    frag = template.clone(text=text, link=[], us_lines=[])
    frags = [frag]
    textTransformFrags(frags, style)
    return frags


class BookParagraph(_Keep, Paragraph):
    """A Paragraph that remembers its last wrap, keeps with what follows it (`_Keep`)
    and marks a heading's position when drawn.

    A paragraph's lines depend only on the width it is given, and a heading is
    measured for the keep test and again when placed. Plain text (most of a
    book: escaped user text with no fallback font runs) skips ReportLab's markup
    parser, which costs more than laying the paragraph out.
    """

    def _setup(self, text: str, style: ParagraphStyle, bulletText: str | None, frags: list[ParaFrag] | None,
               cleaner: Callable[[str], str]) -> None:
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
        parts = super().split(availWidth, availHeight)
        if parts:
            # The place a link or a contents line points to is the top of the first part: without
            # this a note whose first paragraph runs over a page end is a link to nowhere.
            for name in ("bb_anchor", "bb_heading"):
                value = self.__dict__.get(name)
                if value is not None:
                    setattr(parts[0], name, value)
        return parts

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        heading = self.__dict__.get("bb_heading")
        if heading is not None:
            # The link target of the contents line and the bookmark: the heading's top.
            canvas.bookmarkHorizontal(heading[2], x, y + self.height + 4)
        anchor = self.__dict__.get("bb_anchor")
        if anchor is not None:
            canvas.bookmarkHorizontal(anchor, x, y + self.height + 4)
        super().drawOn(canvas, x, y, _sW)


class Line(_Keep, Flowable):
    """One line of small text drawn directly (labels, bylines, where an entry sits).

    A Paragraph costs a markup parse, a line-breaking pass and a text object;
    these lines never wrap (too long a line ends in an ellipsis), so they are
    drawn as strings: a big book has tens of thousands of them.
    """

    def __init__(self, text: str, family: str, size: float, colour: colors.Color, bold: bool = False,
                 before: float = 0, after: float = 0, leading: float | None = None, indent: float = 0,
                 href: str | None = None, page_of: str | None = None, anchor_link: str | None = None) -> None:
        super().__init__()
        self.page_of = page_of  # an anchor: its page number follows the text (a form, known at the end)
        self.anchor_link = anchor_link  # an anchor the line links to
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
        anchor = self.__dict__.get("bb_anchor")
        if anchor is not None:
            c.bookmarkHorizontal(anchor, 0, self.height + 4)
        c.setFillColor(self.colour)
        base = self.height - self.size
        room = self.width - self.indent - (28 if self.page_of else 0)
        w = fonts.draw_string(c, self.indent, base, self.text, self.family, self.size, bold=self.bold, width=room)
        box = (self.indent, base - 2, self.indent + w, base + self.size)
        if self.href:
            c.linkURL(self.href, box, relative=1)
        if self.anchor_link:
            c.linkRect("", self.anchor_link, (self.indent, base - 2, self.width, base + self.size), relative=1)
        if self.page_of:
            c.saveState()
            c.translate(self.width, base)
            c.doForm(page_form(self.page_of))
            c.restoreState()


class StatusLine(_Keep, Flowable):
    """The status as a coloured badge, then when and by whom it was last set (drawn, not a paragraph)."""

    def __init__(self, status: StatusInfo, after: str) -> None:
        super().__init__()
        self.status = status
        self.after = after
        self.height = 13
        self.spaceAfter = 3

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        if self.bb_keep is not None and self._needs_next_page(availWidth, availHeight, self.height):
            return availWidth, availHeight + 1
        return (availWidth, self.height)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []

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


def keep(first: Flowable, followers: list[Flowable] | None = None, lines: float = 2.5,
          leading: float = 14.2) -> Flowable:
    """`first`, moved to the next page unless `followers` and `lines` lines after them fit with it."""
    first.bb_keep = (followers or [], lines * leading)
    return first


def heading(text: str, style: ParagraphStyle, level: int, anchor: str, toc: bool) -> BookParagraph:
    """A heading that becomes a contents line and a PDF bookmark."""
    text = text if len(text) <= 1000 else text[:1000] + "…"
    # No <a name> in the markup: a paragraph of one plain run lays out several times faster.
    p = BookParagraph(fonts.markup(text, SANS, bold=True), style)
    p.bb_heading = (fonts.drawable(text, SANS), level, anchor, toc)
    return p



class BookTable(Table):
    """A table that never leaves a row it must keep with the next alone at a page foot (a contents
    heading line), nor carries its total row over alone (`total_row`)."""

    def __init__(self, *args: Any, keep_rows: frozenset[int] = frozenset(), total_row: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keep_rows = keep_rows
        self.total_row = total_row

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        rows = len(self._cellvalues)
        for _ in range(rows):  # move the split up a row while it ends badly
            if len(parts) != 2:
                return parts
            n = len(parts[0]._cellvalues)  # rows that stay on this page (with any repeated head rows)
            kept = n - 1 in self.keep_rows
            lone_total = self.total_row and n == rows - 1
            if not (kept or lone_total) or n - 1 <= self.repeatRows:
                return parts
            height = sum(self._rowHeights[: n - 1]) + 0.01
            parts = super().split(availWidth, height)
        return parts


class Contents(TableOfContents):
    """The contents, seeded with its lines, with page numbers filled in after layout.

    The lines are known before layout (`Book.toc`), so the first multiBuild
    pass already reserves exactly the room they take; their page numbers, and
    the "of Y" of every footer, are PDF form XObjects that are drawn at the
    end of the pass (`pdf_document.PageNumbers`). The contents is then satisfied after one pass:
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

    def laid_out(self) -> list[tuple[int, str, int, str]]:
        """(level, text, page, key) of every line, as the last pass laid them out."""
        return list(self._entries)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        entries = self._lastEntries or [(0, "", 0, None)]
        levels = {key: level for level, _t, _p, key in entries}

        def line_end(canvas: Canvas, kind: str, label: str) -> None:
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
            canvas.doForm(page_form(label))
            canvas.restoreState()

        self.canv.setNamedCB("bbContentsLineEnd", line_end)
        rows: list[list[Flowable]] = []
        keep: set[int] = set()
        for level, text, _page, key in entries:
            style = self.getLevelStyle(level)
            if key:
                text = f'<a href="#{key}">{text}</a><onDraw name="bbContentsLineEnd" label="{key}"/>'
            para = Paragraph(text, style)
            if style.spaceBefore:
                keep.add(len(rows))
                rows.append([Spacer(1, style.spaceBefore)])
            if level == 0:  # a part's line stays with the first line under it
                keep.add(len(rows))
            rows.append([para])
        self._table = BookTable(rows, colWidths=(availWidth,), style=self.tableStyle, keep_rows=frozenset(keep))
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return (self.width, self.height)


class PageRef(Flowable):
    """The page number of an anchor, right-aligned on one line (a table cell's page column): a form
    drawn once layout knows the page."""

    def __init__(self, anchor: str, leading: float, size: float) -> None:
        super().__init__()
        self.anchor = anchor
        self.leading = leading
        self.size = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.leading

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.translate(self.width, self.leading - self.size)
        c.doForm(page_form(self.anchor))
        c.restoreState()


def page_form(key: str) -> str:
    """The name of the form that holds the page number of the contents line or anchor `key`."""
    return f"bbPageOf{key}"


def anchored(flowable: Flowable, anchor: str) -> Flowable:
    """`flowable`, marked as the place `anchor` names (a link target whose page is numbered)."""
    flowable.bb_anchor = anchor
    return flowable



class StatusChart(Flowable):
    """Stacked bars: how many commitments of each area are in each status (reportlab.graphics)."""

    def __init__(self, part: SummaryPart, width: float) -> None:
        super().__init__()
        bar_h, gap, label_w, legend_h = 11, 5, 150, 26
        rows = part.rows
        height = len(rows) * (bar_h + gap) + legend_h
        d = Drawing(width, height)
        d.initialFontName = fonts.face(SANS)  # the renderer's default (Helvetica) is not embedded
        biggest = max((r.total for r in rows), default=0) or 1
        scale = (width - label_w - 30) / biggest
        sans = fonts.face(SANS)
        for i, row in enumerate(rows):
            y = height - legend_h - (i + 1) * (bar_h + gap) + gap
            name = fonts.fit(fonts.drawable(f"{row.ref} {row.title}", SANS), SANS, 8, label_w - 8)
            d.add(String(0, y + 2.5, name, fontName=sans, fontSize=8, fillColor=GREY))
            x: float = label_w
            for (_status, _label, colour), n in zip(part.statuses, row.counts):
                if n:
                    d.add(Rect(x, y, n * scale, bar_h, fillColor=colors.HexColor(colour), strokeColor=colors.white,
                               strokeWidth=0.5))
                    x += n * scale
            d.add(String(x + 4, y + 2.5, str(row.total), fontName=sans, fontSize=8, fillColor=GREY))
        x = 0
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

