"""The house style (`exporters.style`) in ReportLab's terms: colours, the page in points,
and the paragraph styles of the PDF."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from exporters import fonts, style
from exporters.fonts import SANS, SERIF

PAGE_W = style.PAGE_W_MM * mm
PAGE_H = style.PAGE_H_MM * mm
MARGIN_L = style.MARGIN_L_MM * mm
MARGIN_R = style.MARGIN_R_MM * mm
MARGIN_T = style.MARGIN_T_MM * mm
MARGIN_B = style.MARGIN_B_MM * mm
TEXT_W = PAGE_W - MARGIN_L - MARGIN_R

NAVY = colors.HexColor(style.NAVY)
ACCENT = colors.HexColor(style.ACCENT)
GREY = colors.HexColor(style.GREY)
RULE = colors.HexColor(style.RULE)
TINT = colors.HexColor(style.TINT)
LINK = style.LINK  # a string: it goes into paragraph markup too


class Styles(NamedTuple):
    # A named tuple, not a frozen dataclass: made once, and a tenth of the cost to define at import.

    body: ParagraphStyle
    entry_text: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    h4: ParagraphStyle
    meta: ParagraphStyle
    label: ParagraphStyle
    note: ParagraphStyle
    talking: ParagraphStyle
    talking_numbered: ParagraphStyle
    bullet: ParagraphStyle
    talking_bullet: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    cell_num: ParagraphStyle
    cover_title: ParagraphStyle
    cover_label: ParagraphStyle
    cover_value: ParagraphStyle
    toc: tuple[ParagraphStyle, ...]
    source: ParagraphStyle
    source_more: ParagraphStyle
    source_excerpt: ParagraphStyle
    change: ParagraphStyle
    md_cell: ParagraphStyle
    md_cell_head: ParagraphStyle
    steer_body: ParagraphStyle  # the steering page: purpose, press line
    steer_item: ParagraphStyle  # an objective (numbered)
    steer_line: ParagraphStyle  # a key message, ask or risk
    steer_ref: ParagraphStyle  # its reference
    full_title: ParagraphStyle  # an agenda item's whole title, under its short one
    objective: ParagraphStyle  # an agenda item's objective
    response: ParagraphStyle  # our response to an ask
    change_rest: ParagraphStyle  # the principal's digest: the items with their changes counted

    def heading(self, level: int) -> ParagraphStyle:
        """The style of a heading of `level` (1 to 4)."""
        return (self.h1, self.h2, self.h3, self.h4)[level - 1]


@lru_cache(maxsize=1)
def styles() -> Styles:
    serif = fonts.face(SERIF)
    serif_b = fonts.face(SERIF, bold=True)
    sans = fonts.face(SANS)
    sans_b = fonts.face(SANS, bold=True)
    # allowWidows=0: no paragraph leaves its last line alone at the top of a page (nor,
    # ReportLab's default, its first alone at the bottom).
    body = ParagraphStyle("body", fontName=serif, fontSize=style.BODY.size, leading=14.2, spaceAfter=style.BODY.after,
                          textColor=colors.black, allowWidows=0, allowOrphans=0,
                          bulletFontName=serif)  # ReportLab's default bullet face (Helvetica) is not embedded
    heading = ParagraphStyle("heading", fontName=sans_b, textColor=NAVY)
    h1, h2, h3, h4 = style.HEADINGS
    toc1, toc2 = style.TOC
    return Styles(
        body=body,
        entry_text=ParagraphStyle(
            "entry_text", parent=body, leftIndent=10, borderPadding=(2, 0, 2, 8),
            spaceBefore=style.ENTRY_TEXT_ROLE.before, spaceAfter=style.ENTRY_TEXT_ROLE.after,
            textColor=colors.HexColor(style.ENTRY_TEXT),
        ),
        h1=ParagraphStyle("h1", parent=heading, fontSize=h1.size, leading=21, spaceBefore=h1.before,
                          spaceAfter=h1.after),
        h2=ParagraphStyle("h2", parent=heading, fontSize=h2.size, leading=16.5, spaceBefore=h2.before,
                          spaceAfter=h2.after),
        h3=ParagraphStyle("h3", parent=heading, fontSize=h3.size, leading=14.5, spaceBefore=h3.before,
                          spaceAfter=h3.after),
        h4=ParagraphStyle("h4", parent=heading, fontName=sans_b, fontSize=h4.size, leading=13.5, spaceBefore=h4.before,
                          spaceAfter=h4.after, textColor=colors.HexColor(style.HEADING_4)),
        meta=ParagraphStyle("meta", fontName=sans, fontSize=style.META.size, leading=11.5, textColor=GREY,
                            spaceAfter=style.META.after),
        label=ParagraphStyle("label", fontName=sans_b, fontSize=style.LABEL.size, leading=11, textColor=NAVY,
                             spaceBefore=style.LABEL.before, spaceAfter=style.LABEL.after),
        note=ParagraphStyle("note", parent=body, spaceAfter=3),
        talking=ParagraphStyle("talking", parent=body, backColor=TINT, borderPadding=(3, 5, 3, 5), leftIndent=5,
                               rightIndent=5, spaceBefore=style.TALKING.before, spaceAfter=style.TALKING.after),
        talking_numbered=ParagraphStyle("talking_numbered", parent=body, backColor=TINT, borderPadding=(3, 5, 3, 5),
                                        leftIndent=22, bulletIndent=6, rightIndent=5, spaceBefore=style.TALKING.before,
                                        spaceAfter=2, bulletFontName=sans_b),
        bullet=ParagraphStyle("bullet", parent=body, leftIndent=14, bulletIndent=3, spaceAfter=2),
        talking_bullet=ParagraphStyle("talking_bullet", parent=body, leftIndent=19, bulletIndent=8, spaceAfter=2,
                                      backColor=TINT, borderPadding=(2, 5, 2, 5), rightIndent=5),
        cell=ParagraphStyle("cell", fontName=sans, fontSize=style.CELL.size, leading=10.5),
        cell_head=ParagraphStyle("cell_head", fontName=sans_b, fontSize=style.CELL_HEAD.size, leading=9.5,
                                 textColor=colors.white),
        cell_num=ParagraphStyle("cell_num", fontName=sans, fontSize=style.CELL.size, leading=10.5, alignment=TA_RIGHT),
        cover_title=ParagraphStyle("cover_title", fontName=sans_b, fontSize=style.COVER_TITLE_SIZE, leading=30,
                                   textColor=NAVY, spaceAfter=8),
        cover_label=ParagraphStyle("cover_label", fontName=sans_b, fontSize=style.COVER_LABEL.size, leading=10,
                                   textColor=GREY, spaceBefore=style.COVER_LABEL.before),
        cover_value=ParagraphStyle("cover_value", fontName=serif, fontSize=style.COVER_VALUE.size, leading=15),
        toc=(
            ParagraphStyle("toc1", fontName=sans_b, fontSize=toc1.size, leading=13, spaceBefore=toc1.before,
                           leftIndent=0, rightIndent=28, textColor=NAVY),
            ParagraphStyle("toc2", fontName=serif, fontSize=toc2.size, leading=12.5, spaceBefore=toc2.before,
                           leftIndent=style.TOC2_INDENT, rightIndent=28, firstLineIndent=0),
            ParagraphStyle("toc3", fontName=serif, fontSize=9.5, leading=12, leftIndent=30, rightIndent=28),
        ),
        source=ParagraphStyle("source", parent=body, fontName=serif_b, leftIndent=style.SOURCE_INDENT,
                              firstLineIndent=-style.SOURCE_INDENT, spaceBefore=7, spaceAfter=1),
        source_more=ParagraphStyle("source_more", fontName=sans, fontSize=style.SOURCE_MORE.size, leading=11.5,
                                   textColor=GREY, leftIndent=style.SOURCE_INDENT, spaceAfter=style.SOURCE_MORE.after),
        source_excerpt=ParagraphStyle("source_excerpt", fontName=fonts.face(SERIF, italic=True), fontSize=9.5,
                                      leading=12.5, textColor=colors.HexColor(style.EXCERPT),
                                      leftIndent=style.SOURCE_INDENT, spaceAfter=1),
        change=ParagraphStyle("change", fontName=sans, fontSize=8.5, leading=11.5, spaceBefore=1, spaceAfter=2,
                              leftIndent=10, firstLineIndent=-10),
        md_cell=ParagraphStyle("md_cell", fontName=sans, fontSize=style.CELL.size, leading=10.5),
        md_cell_head=ParagraphStyle("md_cell_head", fontName=sans_b, fontSize=style.CELL.size, leading=10.5,
                                    textColor=NAVY),
        steer_body=ParagraphStyle("steer_body", parent=body, fontSize=style.STEER_BODY.size, leading=13,
                                  spaceAfter=style.STEER_BODY.after),
        steer_item=ParagraphStyle("steer_item", fontName=sans, fontSize=style.STEER_BODY.size, leading=13,
                                  leftIndent=14, bulletIndent=0, bulletFontName=sans_b, spaceAfter=1),
        steer_line=ParagraphStyle("steer_line", fontName=sans, fontSize=style.STEER_LINE.size,
                                  leading=style.STEER_LINE_LEADING),
        steer_ref=ParagraphStyle("steer_ref", fontName=sans_b, fontSize=8.5, leading=style.STEER_LINE_LEADING,
                                 textColor=NAVY),
        full_title=ParagraphStyle("full_title", parent=body, fontSize=10, leading=13, spaceBefore=0, spaceAfter=4,
                                  textColor=colors.HexColor(style.ENTRY_TEXT)),
        objective=ParagraphStyle("objective", fontName=sans, fontSize=9.5, leading=12.5, spaceBefore=4,
                                 spaceAfter=4, leftIndent=8, borderPadding=(3, 0, 3, 6), borderColor=NAVY,
                                 borderWidth=0, backColor=TINT),
        response=ParagraphStyle("response", parent=body, leftIndent=10, spaceAfter=3),
        change_rest=ParagraphStyle("change_rest", fontName=sans, fontSize=8.5, leading=11.5, spaceBefore=8,
                                   spaceAfter=2),
    )
