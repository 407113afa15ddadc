"""The PDF's document: page templates, the header and footer, bookmarks and the contents' numbers.

Every page carries the classification marking and the book's title in the
header and "Page X of Y" in the footer; every heading is a PDF bookmark
(`afterFlowable`). What only the end of layout knows (Y, the contents' page
numbers) and what is the same on every page (the furniture) are PDF forms,
drawn once by `PageNumbers`, the story's last flowable.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from db.model.errors import Cancelled
from exporters import fonts, style
from exporters.book_model import CANCELLED, Book, CancelCheck, EntriesPart, Progress
from exporters.fonts import SANS
from exporters.pdf_flowables import Contents, page_form
from exporters.pdf_styles import (
    ACCENT,
    GREY,
    MARGIN_B,
    MARGIN_L,
    MARGIN_R,
    MARGIN_T,
    NAVY,
    PAGE_H,
    PAGE_W,
    RULE,
    TEXT_W,
    styles,
)
from exporters.style import NOT_MARKED

if TYPE_CHECKING:
    from reportlab.lib.colors import Color
    from reportlab.pdfgen.canvas import Canvas


class BookDocument(BaseDocTemplate):
    """The book's A4 pages: a cover page, then body pages; reports progress and polls for cancelling."""

    def __init__(self, target: io.BytesIO, book: Book, progress: Progress | None, cancelled: CancelCheck | None,
                 total: int) -> None:
        super().__init__(
            target,
            pagesize=(PAGE_W, PAGE_H),
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
            lang=book.language,
            displayDocTitle=1,
            # Every page starts in an embedded face: ReportLab's default (Helvetica) is never embedded.
            initialFontName=styles().body.fontName,
            initialFontSize=style.BODY.size,
        )
        self.book = book
        self.progress = progress
        self.cancelled = cancelled
        self.total = max(total, 1)
        self.passes = 0
        self.done = 0
        self.header_title = fonts.drawable(book.title, SANS)
        # A pack without a marking says so where the marking goes, so a forgotten one shows.
        self.marking = fonts.drawable(book.classification.upper(), SANS) or NOT_MARKED
        # A meeting pack's header names the part or agenda item the page is in (its running head).
        self.running_heads = any(isinstance(p, EntriesPart) and any(e.running_head for e in p.entries)
                                 for p in book.parts)
        self.running = ""  # the running head in force
        self.page_running = ""  # the first one set on this page
        body = Frame(MARGIN_L, MARGIN_B, TEXT_W, PAGE_H - MARGIN_T - MARGIN_B, id="body",
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover = Frame(MARGIN_L, MARGIN_B, TEXT_W, PAGE_H - MARGIN_B - 88 * mm, id="cover",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("cover", [cover], onPage=self._cover_page),
            PageTemplate("body", [body], onPage=self._body_page, onPageEnd=self._body_page_end),
        ])

    def beforeDocument(self) -> None:
        # Open with the bookmarks panel shown, in the book's language.
        self.canv.showOutline()
        self.passes += 1
        self.furniture_forms: set[bool] = set()
        self.anchor_pages: dict[str, int] = {}
        self.done = 0
        self.running = self.page_running = ""

    def afterFlowable(self, flowable: Flowable) -> None:
        self.done += 1
        if self.done % 40 == 0:
            if self.cancelled is not None and self.cancelled():
                raise Cancelled(CANCELLED)
            if self.progress is not None:
                self.progress(min(self.done, self.total - 1), self.total)
        anchor = getattr(flowable, "bb_anchor", None)
        if anchor is not None:
            self.anchor_pages.setdefault(anchor, self.page)
        running = getattr(flowable, "bb_running", None)
        if running is not None:
            self.running = running
            self.page_running = self.page_running or running
        heading = getattr(flowable, "bb_heading", None)
        if heading is not None:
            plain, level, anchor, toc = heading
            self.anchor_pages.setdefault(anchor, self.page)  # the agenda page numbers each item
            self.canv.addOutlineEntry(plain, anchor, level=level - 1, closed=level > 1)
            if toc:
                self.notify("TOCEntry", (level - 1, fonts.markup(plain, SANS), self.page, anchor))

    # -- page furniture ---------------------------------------------------------------------

    def _furniture(self, canv: Canvas, show_title: bool) -> None:
        """The page's header and footer: the same on every page but for "Page X", so the
        rest is a form drawn once at the end (`PageNumbers`) and placed on every page."""
        self.furniture_forms.add(show_title)
        canv.saveState()
        canv.doForm(_furniture_form(show_title))
        # "Page X of Y": Y is a form drawn once the last page is known (`PageNumbers`).
        bottom = 11 * mm
        canv.setFillColor(GREY)
        width = fonts.draw_string(canv, MARGIN_L, bottom, f"Page {canv.getPageNumber()} of ", SANS, style.HEADER_SIZE)
        canv.translate(MARGIN_L + width, bottom)
        canv.doForm("bbPageCount")
        canv.restoreState()

    def draw_furniture(self, canv: Canvas, show_title: bool) -> None:
        """What `_furniture` puts on every page besides the page number."""
        top = PAGE_H - 13 * mm
        if self.book.draft:  # first, so the page's own text is drawn over it
            canv.saveState()
            canv.setFillColor(colors.HexColor(style.DRAFT_WATERMARK_GREY))
            canv.translate(PAGE_W / 2, PAGE_H / 2)
            canv.rotate(55)
            fonts.draw_string(canv, 0, -40, style.DRAFT_WATERMARK, SANS, 130, bold=True, align="centre")
            canv.restoreState()
            canv.setFillColor(colors.HexColor(style.DRAFT_COLOUR))
            fonts.draw_string(canv, PAGE_W - MARGIN_R, top, style.DRAFT_HEADER, SANS, style.HEADER_SIZE, bold=True,
                              align="right")
            canv.setFillColor(colors.black)
        if self.marking:
            fonts.draw_string(canv, PAGE_W / 2, top, self.marking, SANS, style.MARKING_SIZE, bold=True, align="centre")
        if show_title:
            canv.setFillColor(GREY)
            if not self.running_heads:  # else the running head, page by page (`_body_page_end`)
                title = fonts.fit(self.header_title, SANS, style.HEADER_SIZE, TEXT_W * 0.62)
                fonts.draw_string(canv, MARGIN_L, top - 11, title, SANS, style.HEADER_SIZE)
            fonts.draw_string(canv, PAGE_W - MARGIN_R, top - 11, self.book.cover.kind_label, SANS, style.HEADER_SIZE,
                              align="right")
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.6)
            canv.line(MARGIN_L, top - 15, PAGE_W - MARGIN_R, top - 15)
        bottom = 11 * mm
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        canv.line(MARGIN_L, bottom + 10, PAGE_W - MARGIN_R, bottom + 10)
        canv.setFillColor(GREY)
        fonts.draw_string(canv, PAGE_W - MARGIN_R, bottom, self.book.cover.kind_label, SANS, style.HEADER_SIZE,
                          align="right")
        if self.marking:
            canv.setFillColor(colors.black)
            fonts.draw_string(canv, PAGE_W / 2, bottom, self.marking, SANS, style.MARKING_SIZE, bold=True,
                              align="centre")

    def _cover_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        band_top = PAGE_H - 22 * mm
        canv.setFillColor(NAVY)
        canv.rect(0, band_top - 48 * mm, PAGE_W, 48 * mm, stroke=0, fill=1)
        canv.setFillColor(ACCENT)
        canv.rect(0, band_top - 48 * mm - 2.2 * mm, PAGE_W, 2.2 * mm, stroke=0, fill=1)
        canv.setFillColor(colors.white)
        fonts.draw_string(canv, MARGIN_L, band_top - 20 * mm, self.book.cover.kind_label.upper(), SANS,
                          style.COVER_KIND_SIZE, bold=True)
        sub = self.book.cover.subtitle
        if sub:
            canv.setFillColor(colors.HexColor(style.COVER_SUBTITLE))
            size = style.COVER_SUBTITLE_SIZE
            fonts.draw_string(canv, MARGIN_L, band_top - 30 * mm, fonts.fit(sub, SANS, size, TEXT_W), SANS, size)
        canv.restoreState()
        self._furniture(canv, show_title=False)

    def _body_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        self._furniture(canv, show_title=True)
        self.page_running = ""

    def _body_page_end(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """The running head: the first part or item that starts on the page, else the one running on."""
        if not self.running_heads:
            return
        head = self.page_running or self.running or self.header_title
        canv.saveState()
        canv.setFillColor(GREY)
        text = fonts.fit(fonts.drawable(head, SANS), SANS, style.HEADER_SIZE, TEXT_W * 0.75)
        fonts.draw_string(canv, MARGIN_L, PAGE_H - 13 * mm - 11, text, SANS, style.HEADER_SIZE)
        canv.restoreState()


def _furniture_form(show_title: bool) -> str:
    return "bbFurnitureBody" if show_title else "bbFurnitureCover"


class PageNumbers(Flowable):
    """The last flowable: after the pass it draws the numbers only the end of layout knows."""

    def __init__(self, doc: BookDocument, contents: Contents | None) -> None:
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
        done: set[str] = set()
        if self.contents is not None:
            for level, _text, page, key in self.contents.laid_out():
                done.add(key)
                line = st.toc[min(level, len(st.toc) - 1)]
                _define_form(canv, page_form(key), str(page), line.fontName, line.fontSize, line.textColor, right=True)
        sans = fonts.face(SANS)
        for anchor, page in self.doc.anchor_pages.items():  # the summary page's and the annex pointers' numbers
            if anchor not in done:
                _define_form(canv, page_form(anchor), str(page), sans, style.META.size, GREY, right=True)
        _define_form(canv, "bbPageCount", str(self.doc.page), sans, style.HEADER_SIZE, GREY, right=False)
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


def _define_form(canv: Canvas, name: str, text: str, font: str, size: float, colour: Color, right: bool) -> None:
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

