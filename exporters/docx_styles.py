"""The house style (`exporters.style`) in Word's terms: faces, colours, the text width and
the document's paragraph styles, defined once with fixed ids that the body refers to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from exporters import style
from exporters.style import BODY, CELL, CELL_HEAD, COVER_LABEL, COVER_VALUE, LABEL, META, SOURCE_MORE, TOC, Role

if TYPE_CHECKING:
    from docx.document import Document

# Word's own faces, metric-compatible with the Liberation faces of the PDF
# (LibreOffice maps one to the other), and the shipped Japanese face (embedded
# in the document when it has Japanese text: `exporters.docx_package`).
SERIF = "Times New Roman"
SANS = "Arial"
EAST_ASIAN = "BIZ UDPGothic"
EAST_ASIAN_ALT = "MS Gothic"  # what Word uses where the embedded face cannot be used


def word_colour(colour: str) -> str:
    """ "#1b2f4e" as Word writes it: "1B2F4E"."""
    return colour.lstrip("#").upper()


NAVY = word_colour(style.NAVY)
ACCENT = word_colour(style.ACCENT)
GREY = word_colour(style.GREY)
TINT = word_colour(style.TINT)
RULE = word_colour(style.RULE)
LINK = word_colour(style.LINK)
WHITE = word_colour(style.WHITE)
BLACK = word_colour(style.BLACK)
TOTAL_ROW = word_colour(style.TOTAL_ROW)

#: The namespace declarations every parsed fragment needs.
W_NS = nsdecls("w", "r")

#: The text block (A4 less its side margins) in twentieths of a point.
TEXT_TWIPS = int(style.TEXT_W_MM / 25.4 * 1440)


def mm_twips(mm: float) -> int:
    """A length in Word's unit (a twentieth of a point)."""
    return round(mm / 25.4 * 1440)


def spacing(before: float = 0, after: float = 0, line: float | None = None) -> str:
    line_xml = f' w:line="{int(line * 20)}" w:lineRule="exact"' if line else ' w:line="264" w:lineRule="auto"'
    return f'<w:spacing w:before="{int(before * 20)}" w:after="{int(after * 20)}"{line_xml}/>'


def shading(fill: str) -> str:
    """Paragraph properties of a shaded paragraph with a navy bar on its left (talking points)."""
    return (f'<w:pBdr><w:left w:val="single" w:sz="18" w:space="6" w:color="{NAVY}"/></w:pBdr>'
            f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>')


def _style(sid: str, name: str, ppr: str = "", rpr: str = "", based: str = "Normal", kind: str = "paragraph",
           next_: str | None = None, extra: str = "") -> str:
    based_xml = f'<w:basedOn w:val="{based}"/>' if based else ""
    next_xml = f'<w:next w:val="{next_}"/>' if next_ else ""
    default = ' w:default="1"' if sid == "Normal" else ""
    return (f'<w:style {W_NS} w:type="{kind}"{default} w:styleId="{sid}"><w:name w:val="{name}"/>{based_xml}'
            f'{next_xml}{extra}<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>')


def _fonts(face: str) -> str:
    return f'<w:rFonts w:ascii="{face}" w:hAnsi="{face}" w:cs="{face}" w:eastAsia="{EAST_ASIAN}"/>'


def _size(points: float) -> str:
    return f'<w:sz w:val="{int(points * 2)}"/><w:szCs w:val="{int(points * 2)}"/>'


def _space(role: Role) -> str:
    return spacing(role.before, role.after)


def _colour(colour: str) -> str:
    return f'<w:color w:val="{colour}"/>'


def define_styles(doc: Document) -> None:
    """Replace the template's styles of the same ids with the book's, and name the East Asian face."""
    styles_el = doc.styles.element
    toc1, toc2 = TOC
    mine = {"Normal": _style("Normal", "Normal", _space(BODY), _fonts(SERIF) + _size(BODY.size), based="", extra="")}
    for level, role in enumerate(style.HEADINGS, start=1):
        colour = word_colour(style.HEADING_4) if level == 4 else NAVY
        mine[f"Heading{level}"] = _style(
            f"Heading{level}", f"heading {level}",
            "<w:keepNext/><w:keepLines/>" + _space(role) + f'<w:outlineLvl w:val="{level - 1}"/>',
            _fonts(SANS) + "<w:b/><w:bCs/>" + _colour(colour) + _size(role.size), next_="Normal",
        )
    ui_priority = '<w:uiPriority w:val="39"/>'
    mine |= {
        "TOC1": _style("TOC1", "toc 1", "<w:keepNext/>" + _space(toc1)
                       + f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_TWIPS}"/></w:tabs>',
                       _fonts(SANS) + "<w:b/>" + _colour(NAVY) + _size(toc1.size), next_="Normal", extra=ui_priority),
        "TOC2": _style("TOC2", "toc 2", _space(toc2) + f'<w:ind w:left="{style.TOC2_INDENT * 20}"/>'
                       f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_TWIPS}"/></w:tabs>',
                       _size(toc2.size), next_="Normal", extra=ui_priority),
        "BbContext": _style("BbContext", "Briefing context", "<w:keepNext/>" + spacing(0, 3),
                            _fonts(SANS) + _colour(GREY) + _size(8.5)),
        "BbMeta": _style("BbMeta", "Briefing meta", _space(META), _fonts(SANS) + _colour(GREY) + _size(META.size)),
        "BbLabel": _style("BbLabel", "Briefing label", "<w:keepNext/>" + _space(LABEL),
                          _fonts(SANS) + "<w:b/><w:caps/>" + _colour(NAVY) + _size(LABEL.size)),
        "BbText": _style("BbText", "Briefing commitment text",
                         f'<w:pBdr><w:left w:val="single" w:sz="12" w:space="8" w:color="{RULE}"/></w:pBdr>'
                         '<w:ind w:left="200"/>' + _space(style.ENTRY_TEXT_ROLE),
                         _colour(word_colour(style.ENTRY_TEXT))),
        "BbTalking": _style("BbTalking", "Briefing talking point", shading(TINT) + '<w:ind w:left="120" w:right="120"/>'
                            + _space(style.TALKING)),
        "BbSmall": _style("BbSmall", "Briefing byline", spacing(0, 5), _fonts(SANS) + _colour(GREY) + _size(8)),
        "BbTalkingNumbered": _style("BbTalkingNumbered", "Briefing talking point (numbered)",
                                    shading(TINT) + '<w:tabs><w:tab w:val="left" w:pos="440"/></w:tabs>'
                                    '<w:ind w:left="440" w:right="120" w:hanging="320"/>'
                                    + spacing(style.TALKING.before, 2)),
        "BbKeyLine": _style("BbKeyLine", "Briefing steering line", '<w:ind w:right="120"/>'
                            + spacing(0, 0, style.STEER_LINE_LEADING), _fonts(SANS) + _size(style.STEER_LINE.size)),
        "BbKeyRef": _style("BbKeyRef", "Briefing steering reference", spacing(0, 0, style.STEER_LINE_LEADING),
                           _fonts(SANS) + "<w:b/>" + _size(8.5)),
        "BbSteerBody": _style("BbSteerBody", "Briefing steering text",
                              spacing(0, style.STEER_BODY.after, style.STEER_BODY_LEADING),
                              _size(style.STEER_BODY.size)),
        "BbSteerItem": _style("BbSteerItem", "Briefing objective",
                              '<w:tabs><w:tab w:val="left" w:pos="280"/></w:tabs><w:ind w:left="280" w:hanging="280"/>'
                              + spacing(0, 1, style.STEER_BODY_LEADING),
                              _fonts(SANS) + _size(style.STEER_BODY.size)),
        "BbFullTitle": _style("BbFullTitle", "Briefing item title", spacing(0, 4),
                              _colour(word_colour(style.ENTRY_TEXT)) + _size(10)),
        "BbObjective": _style("BbObjective", "Briefing item objective", shading(TINT) + '<w:ind w:left="120"/>'
                              + spacing(4, 4), _fonts(SANS) + _size(9.5)),
        "BbResponse": _style("BbResponse", "Briefing response", '<w:ind w:left="200"/>' + spacing(0, 3)),
        "BbDigest": _style("BbDigest", "Briefing change line", '<w:ind w:left="200" w:hanging="200"/>' + spacing(1, 2),
                           _fonts(SANS) + _size(8.5)),
        "BbSource": _style("BbSource", "Briefing source",
                           f'<w:ind w:left="{style.SOURCE_INDENT * 20}" w:hanging="{style.SOURCE_INDENT * 20}"/>'
                           + spacing(6, 2)),
        "BbSourceMore": _style("BbSourceMore", "Briefing source detail",
                               f'<w:ind w:left="{style.SOURCE_INDENT * 20}"/>' + _space(SOURCE_MORE),
                               _fonts(SANS) + _colour(GREY) + _size(SOURCE_MORE.size)),
        "BbCoverKind": _style("BbCoverKind", "Briefing cover kind",
                              f'<w:shd w:val="clear" w:color="auto" w:fill="{NAVY}"/>' + spacing(0, 0)
                              + '<w:ind w:left="0"/>',
                              _fonts(SANS) + "<w:b/><w:caps/>" + _colour(WHITE) + _size(style.COVER_KIND_SIZE)),
        "BbCoverSub": _style("BbCoverSub", "Briefing cover plan",
                             f'<w:shd w:val="clear" w:color="auto" w:fill="{NAVY}"/>'
                             f'<w:pBdr><w:bottom w:val="single" w:sz="36" w:space="4" w:color="{ACCENT}"/></w:pBdr>'
                             + spacing(0, 30),
                             _fonts(SANS) + _colour(word_colour(style.COVER_SUBTITLE))
                             + _size(style.COVER_SUBTITLE_SIZE)),
        "BbCoverTitle": _style("BbCoverTitle", "Briefing cover title",
                               f'<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="6" w:color="{RULE}"/></w:pBdr>'
                               + spacing(0, 12),
                               _fonts(SANS) + "<w:b/>" + _colour(NAVY) + _size(style.COVER_TITLE_SIZE)),
        "BbCoverLabel": _style("BbCoverLabel", "Briefing cover label", "<w:keepNext/>" + _space(COVER_LABEL),
                               _fonts(SANS) + "<w:b/><w:caps/>" + _colour(GREY) + _size(COVER_LABEL.size)),
        "BbCoverValue": _style("BbCoverValue", "Briefing cover value", _space(COVER_VALUE), _size(COVER_VALUE.size)),
        "BbCell": _style("BbCell", "Briefing table text", _space(CELL), _fonts(SANS) + _size(CELL.size)),
        "BbCellHead": _style("BbCellHead", "Briefing table head", "<w:keepNext/>" + _space(CELL_HEAD),
                             _fonts(SANS) + "<w:b/>" + _colour(WHITE) + _size(CELL_HEAD.size)),
        "BbHeader": _style("BbHeader", "Briefing header",
                           f'<w:tabs><w:tab w:val="center" w:pos="{TEXT_TWIPS // 2}"/>'
                           f'<w:tab w:val="right" w:pos="{TEXT_TWIPS}"/></w:tabs>' + spacing(0, 0),
                           _fonts(SANS) + _colour(GREY) + _size(style.HEADER_SIZE)),
    }
    for el in list(styles_el):
        if el.tag == qn("w:style") and el.get(qn("w:styleId")) in mine:
            styles_el.remove(el)
    for xml in mine.values():
        styles_el.append(parse_xml(xml))
    # Document defaults: every run, whatever its style, has its East Asian face named.
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is not None:
        styles_el.remove(defaults)
    styles_el.insert(0, parse_xml(
        f'<w:docDefaults {W_NS}><w:rPrDefault><w:rPr>{_fonts(SERIF)}<w:lang w:val="en-GB" w:eastAsia="ja-JP"/>'
        f'</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl/>{_space(BODY)}</w:pPr></w:pPrDefault>'
        '</w:docDefaults>'
    ))

#: The steering page's columns (twips): the reference, then the sentence, then the page number.
KEY_REF_TWIPS = 1040
KEY_PAGE_TWIPS = 560
