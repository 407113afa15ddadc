"""The briefing book as a Word document (python-docx for the package, WordprocessingML for the body).

The body is written as WordprocessingML text and parsed once: python-docx's
paragraph API looks a style up by name on every call (about 1.4 ms a
paragraph, seconds for a big book), while the styles here are defined once
with fixed ids and referred to by id. User text is XML-escaped and stripped
of the characters XML cannot hold (`text.clean`), so it can never become
markup.

The contents is a real TOC field over the Heading styles, already filled
with its entries (hyperlinks and PAGEREF fields), and the document asks Word
to update fields when it is opened (`w:updateFields`), which fills in the
page numbers.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

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
from exporters.gc_pause import gc_paused
from exporters.markdown import Block, BulletList, Para, Span
from exporters.text import escape

# Word's own faces, metric-compatible with the Liberation faces of the PDF
# (LibreOffice maps one to the other), and the shipped Japanese face.
SERIF = "Times New Roman"
SANS = "Arial"
EAST_ASIAN = "IPAexGothic"
EAST_ASIAN_ALT = "MS Gothic"  # what Word uses where IPAexGothic is not installed

NAVY = "1B2F4E"
ACCENT = "7A1F2B"
GREY = "5B6573"
TINT = "EEF3F9"
RULE = "C8CED6"
LINK = "1F4E9A"

_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_W = nsdecls("w", "r")

# A4 with 22 mm side margins: the text block in twentieths of a point.
_TEXT_TWIPS = int((210 - 44) / 25.4 * 1440)


# -- runs and paragraphs ------------------------------------------------------------------------


def _t(text: str) -> str:
    """Run content: text, line breaks and tabs."""
    if "\n" not in text and "\t" not in text:
        return f'<w:t xml:space="preserve">{escape(text)}</w:t>'
    out: list[str] = []
    for i, line in enumerate(text.split("\n")):
        if i:
            out.append("<w:br/>")
        for j, chunk in enumerate(line.split("\t")):
            if j:
                out.append("<w:tab/>")
            if chunk:
                out.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    return "".join(out)


def _run(text: str, bold: bool = False, italic: bool = False, colour: str | None = None, size: float | None = None,
         font: str | None = None, underline: bool = False, caps: bool = False, char_style: str | None = None) -> str:
    if not text:
        return ""
    props: list[str] = []
    if char_style:
        props.append(f'<w:rStyle w:val="{char_style}"/>')
    cjk = _CJK.search(text) is not None
    if font or cjk:
        attrs = f' w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"' if font else ""
        hint = ' w:hint="eastAsia"' if cjk else ""
        props.append(f'<w:rFonts{attrs} w:eastAsia="{EAST_ASIAN}"{hint}/>')
    if bold:
        props.append("<w:b/><w:bCs/>")
    if italic:
        props.append("<w:i/><w:iCs/>")
    if caps:
        props.append("<w:caps/>")
    if colour:
        props.append(f'<w:color w:val="{colour}"/>')
    if size:
        props.append(f'<w:sz w:val="{int(size * 2)}"/><w:szCs w:val="{int(size * 2)}"/>')
    if underline:
        props.append('<w:u w:val="single"/>')
    rpr = f"<w:rPr>{''.join(props)}</w:rPr>" if props else ""
    return f"<w:r>{rpr}{_t(text)}</w:r>"


def _p(content: str, style: str | None = None, ppr: str = "") -> str:
    style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
    props = style_xml + ppr
    return f"<w:p>{'<w:pPr>' + props + '</w:pPr>' if props else ''}{content}</w:p>"


class _Writer:
    """Collects the body XML and the hyperlink relationships of one document."""

    def __init__(self, doc, progress: Progress | None, cancelled: Cancelled | None, total: int) -> None:  # type: ignore[no-untyped-def]
        self.doc = doc
        self.parts: list[str] = []
        self.links: dict[str, str] = {}
        self.bookmarks = 0
        self.progress = progress
        self.cancelled = cancelled
        self.total = max(total, 1)
        self.done = 0

    def add(self, xml: str) -> None:
        self.parts.append(xml)

    def tick(self) -> None:
        self.done += 1
        if self.done % 50 == 0:
            if self.cancelled is not None and self.cancelled():
                raise ExportCancelled()
            if self.progress is not None:
                self.progress(min(self.done, self.total - 1), self.total)

    def rel(self, url: str) -> str:
        """The relationship id of an external link (one per distinct URL)."""
        rid = self.links.get(url)
        if rid is None:
            # Own ids: python-docx's next-free-id search is linear per call.
            rid = f"rIdBbLink{len(self.links) + 1}"
            self.doc.part.rels.add_relationship(RT.HYPERLINK, url, rid, is_external=True)
            self.links[url] = rid
        return rid

    def spans(self, spans: Iterable[Span], bold: bool = False, italic: bool = False, colour: str | None = None,
              size: float | None = None) -> str:
        out: list[str] = []
        for s in spans:
            run = _run(s.text, bold=bold or s.bold, italic=italic or s.italic,
                       colour=LINK if s.href else colour, size=size if not s.code else (size or 10.5) - 1,
                       font=SANS if s.code else None, underline=bool(s.href))
            if s.href:
                run = f'<w:hyperlink r:id="{self.rel(s.href)}" w:history="1">{run}</w:hyperlink>'
            out.append(run)
        return "".join(out)

    def blocks(self, blocks: tuple[Block, ...], style: str, depth: int = 0, shade: str | None = None) -> None:
        ppr = _shade(shade) if shade else ""
        for b in blocks:
            if isinstance(b, Para):
                self.add(_p(self.spans(b.spans), style if depth == 0 else _list_style(depth), ppr))
            elif isinstance(b, BulletList):
                for n, item in enumerate(b.items, start=b.start):
                    first = True
                    for inner in item:
                        if isinstance(inner, Para) and first:
                            first = False
                            if b.ordered:
                                indent = 360 * (depth + 1)
                                self.add(_p(_run(f"{n}.\t") + self.spans(inner.spans), style,
                                            ppr + f'<w:tabs><w:tab w:val="left" w:pos="{indent}"/></w:tabs>'
                                            f'<w:ind w:left="{indent}" w:hanging="360"/>'))
                            else:
                                self.add(_p(self.spans(inner.spans), _list_style(depth + 1), ppr))
                        else:
                            self.blocks((inner,), style, depth + 1, shade)

    def heading(self, text: str, level: int, anchor: str, page_break: bool = False) -> None:
        self.bookmarks += 1
        bid = self.bookmarks
        ppr = "<w:pageBreakBefore/>" if page_break else ""
        self.add(_p(
            f'<w:bookmarkStart w:id="{bid}" w:name="{_bookmark(anchor)}"/>{_run(text)}<w:bookmarkEnd w:id="{bid}"/>',
            f"Heading{min(level, 4)}", ppr,
        ))


def _bookmark(anchor: str) -> str:
    # Word lists bookmarks starting "_Toc" as the contents' own (hidden from the user).
    return f"_Toc{anchor}"


def _list_style(depth: int) -> str:
    return {1: "ListBullet", 2: "ListBullet2"}.get(depth, "ListBullet3")


def _shade(fill: str) -> str:
    return (f'<w:pBdr><w:left w:val="single" w:sz="18" w:space="6" w:color="{NAVY}"/></w:pBdr>'
            f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>')


# -- styles ---------------------------------------------------------------------------------------


def _style(sid: str, name: str, ppr: str = "", rpr: str = "", based: str = "Normal", kind: str = "paragraph",
           next_: str | None = None, extra: str = "") -> str:
    based_xml = f'<w:basedOn w:val="{based}"/>' if based else ""
    next_xml = f'<w:next w:val="{next_}"/>' if next_ else ""
    default = ' w:default="1"' if sid == "Normal" else ""
    return (f'<w:style {_W} w:type="{kind}"{default} w:styleId="{sid}"><w:name w:val="{name}"/>{based_xml}{next_xml}'
            f'{extra}<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>')


def _fonts(face: str) -> str:
    return f'<w:rFonts w:ascii="{face}" w:hAnsi="{face}" w:cs="{face}" w:eastAsia="{EAST_ASIAN}"/>'


def _size(points: float) -> str:
    return f'<w:sz w:val="{int(points * 2)}"/><w:szCs w:val="{int(points * 2)}"/>'


def _spacing(before: float = 0, after: float = 0, line: float | None = None) -> str:
    line_xml = f' w:line="{int(line * 20)}" w:lineRule="exact"' if line else ' w:line="264" w:lineRule="auto"'
    return f'<w:spacing w:before="{int(before * 20)}" w:after="{int(after * 20)}"{line_xml}/>'


def _define_styles(doc) -> None:  # type: ignore[no-untyped-def]
    styles_el = doc.styles.element
    mine = {
        "Normal": _style("Normal", "Normal", _spacing(0, 4), _fonts(SERIF) + _size(10.5), based="", extra=""),
        "Heading1": _style("Heading1", "heading 1", "<w:keepNext/><w:keepLines/>" + _spacing(6, 10)
                           + '<w:outlineLvl w:val="0"/>', _fonts(SANS) + f'<w:b/><w:bCs/><w:color w:val="{NAVY}"/>'
                           + _size(17), next_="Normal"),
        "Heading2": _style("Heading2", "heading 2", "<w:keepNext/><w:keepLines/>" + _spacing(14, 3)
                           + '<w:outlineLvl w:val="1"/>', _fonts(SANS) + f'<w:b/><w:bCs/><w:color w:val="{NAVY}"/>'
                           + _size(13), next_="Normal"),
        "Heading3": _style("Heading3", "heading 3", "<w:keepNext/><w:keepLines/>" + _spacing(10, 2)
                           + '<w:outlineLvl w:val="2"/>', _fonts(SANS) + f'<w:b/><w:bCs/><w:color w:val="{NAVY}"/>'
                           + _size(11.5), next_="Normal"),
        "Heading4": _style("Heading4", "heading 4", "<w:keepNext/><w:keepLines/>" + _spacing(8, 2)
                           + '<w:outlineLvl w:val="3"/>', _fonts(SANS) + '<w:b/><w:bCs/><w:color w:val="2D3F5C"/>'
                           + _size(10.5), next_="Normal"),
        "TOC1": _style("TOC1", "toc 1", _spacing(7, 0) + f'<w:tabs><w:tab w:val="right" w:pos="{_TEXT_TWIPS}"/></w:tabs>',
                       _fonts(SANS) + f'<w:b/><w:color w:val="{NAVY}"/>' + _size(10.5), next_="Normal",
                       extra="<w:uiPriority w:val=\"39\"/>"),
        "TOC2": _style("TOC2", "toc 2", _spacing(1.5, 0) + '<w:ind w:left="320"/>'
                       + f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{_TEXT_TWIPS}"/></w:tabs>',
                       _size(10), next_="Normal", extra="<w:uiPriority w:val=\"39\"/>"),
        "BbContext": _style("BbContext", "Briefing context", "<w:keepNext/>" + _spacing(0, 3),
                            _fonts(SANS) + f'<w:color w:val="{GREY}"/>' + _size(8.5)),
        "BbMeta": _style("BbMeta", "Briefing meta", _spacing(0, 4), _fonts(SANS) + f'<w:color w:val="{GREY}"/>'
                         + _size(8.5)),
        "BbLabel": _style("BbLabel", "Briefing label", "<w:keepNext/>" + _spacing(7, 2),
                          _fonts(SANS) + f'<w:b/><w:caps/><w:color w:val="{NAVY}"/>' + _size(8.5)),
        "BbText": _style("BbText", "Briefing commitment text",
                         f'<w:pBdr><w:left w:val="single" w:sz="12" w:space="8" w:color="{RULE}"/></w:pBdr>'
                         '<w:ind w:left="200"/>' + _spacing(3, 6), '<w:color w:val="222222"/>'),
        "BbTalking": _style("BbTalking", "Briefing talking point", _shade(TINT) + '<w:ind w:left="120" w:right="120"/>'
                            + _spacing(2, 6)),
        "BbSmall": _style("BbSmall", "Briefing byline", _spacing(0, 4), _fonts(SANS) + f'<w:color w:val="{GREY}"/>'
                          + _size(8.5)),
        "BbSource": _style("BbSource", "Briefing source", '<w:ind w:left="440" w:hanging="440"/>' + _spacing(6, 2)),
        "BbSourceMore": _style("BbSourceMore", "Briefing source detail", '<w:ind w:left="440"/>' + _spacing(0, 1),
                               _fonts(SANS) + f'<w:color w:val="{GREY}"/>' + _size(8.5)),
        "BbCoverKind": _style("BbCoverKind", "Briefing cover kind",
                              f'<w:shd w:val="clear" w:color="auto" w:fill="{NAVY}"/>' + _spacing(0, 0)
                              + '<w:ind w:left="0"/>',
                              _fonts(SANS) + '<w:b/><w:caps/><w:color w:val="FFFFFF"/>' + _size(20)),
        "BbCoverSub": _style("BbCoverSub", "Briefing cover plan",
                             f'<w:shd w:val="clear" w:color="auto" w:fill="{NAVY}"/>'
                             f'<w:pBdr><w:bottom w:val="single" w:sz="36" w:space="4" w:color="{ACCENT}"/></w:pBdr>'
                             + _spacing(0, 30), _fonts(SANS) + '<w:color w:val="C9D4E5"/>' + _size(11)),
        "BbCoverTitle": _style("BbCoverTitle", "Briefing cover title",
                               f'<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="6" w:color="{RULE}"/></w:pBdr>'
                               + _spacing(0, 12),
                               _fonts(SANS) + f'<w:b/><w:color w:val="{NAVY}"/>' + _size(25)),
        "BbCoverLabel": _style("BbCoverLabel", "Briefing cover label", "<w:keepNext/>" + _spacing(9, 0),
                               _fonts(SANS) + f'<w:b/><w:caps/><w:color w:val="{GREY}"/>' + _size(8)),
        "BbCoverValue": _style("BbCoverValue", "Briefing cover value", _spacing(0, 0), _size(11.5)),
        "BbCell": _style("BbCell", "Briefing table text", _spacing(0, 0), _fonts(SANS) + _size(8.5)),
        "BbCellHead": _style("BbCellHead", "Briefing table head", "<w:keepNext/>" + _spacing(0, 0),
                             _fonts(SANS) + '<w:b/><w:color w:val="FFFFFF"/>' + _size(8)),
        "BbHeader": _style("BbHeader", "Briefing header",
                           f'<w:tabs><w:tab w:val="center" w:pos="{_TEXT_TWIPS // 2}"/>'
                           f'<w:tab w:val="right" w:pos="{_TEXT_TWIPS}"/></w:tabs>' + _spacing(0, 0),
                           _fonts(SANS) + f'<w:color w:val="{GREY}"/>' + _size(8)),
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
        f'<w:docDefaults {_W}><w:rPrDefault><w:rPr>{_fonts(SERIF)}<w:lang w:val="en-GB" w:eastAsia="ja-JP"/>'
        f'</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>{_spacing(0, 4)}</w:pPr></w:pPrDefault></w:docDefaults>'
    ))


def _font_table(doc) -> None:  # type: ignore[no-untyped-def]
    """Name the Japanese face in the font table, with the face Word should use where it is missing."""
    try:
        part = doc.part.part_related_by(RT.FONT_TABLE)
    except (KeyError, ValueError):
        return
    root = parse_xml(part.blob)
    root.append(parse_xml(
        f'<w:font {_W} w:name="{EAST_ASIAN}"><w:altName w:val="{EAST_ASIAN_ALT}"/>'
        '<w:charset w:val="80"/><w:family w:val="modern"/><w:pitch w:val="variable"/></w:font>'
    ))
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# -- fields, header and footer ----------------------------------------------------------------------


def _field(instr: str, shown: str, **run_props: object) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {escape(instr)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + _run(shown, **run_props)  # type: ignore[arg-type]
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _header_footer(doc, book: Book) -> None:  # type: ignore[no-untyped-def]
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(22)
    section.top_margin, section.bottom_margin = Mm(24), Mm(22)
    section.header_distance, section.footer_distance = Mm(10), Mm(9)
    marking = book.classification.upper()

    header = section.header._element
    for p in list(header):
        header.remove(p)
    if marking:
        header.append(parse_xml(f"<w:p {_W}><w:pPr><w:pStyle w:val=\"BbHeader\"/><w:jc w:val=\"center\"/></w:pPr>"
                                f"{_run(marking, bold=True, colour='000000', size=9)}</w:p>"))
    header.append(parse_xml(
        f"<w:p {_W}><w:pPr><w:pStyle w:val=\"BbHeader\"/>"
        f'<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="3" w:color="{RULE}"/></w:pBdr></w:pPr>'
        f"{_run(book.title)}{_run(chr(9))}{_run(chr(9) + book.cover.kind_label)}</w:p>"
    ))

    footer = section.footer._element
    for p in list(footer):
        footer.remove(p)
    footer.append(parse_xml(
        f"<w:p {_W}><w:pPr><w:pStyle w:val=\"BbHeader\"/>"
        f'<w:pBdr><w:top w:val="single" w:sz="4" w:space="3" w:color="{RULE}"/></w:pBdr></w:pPr>'
        f"{_run(chr(9))}{_run(marking, bold=True, colour='000000', size=9)}{_run(chr(9) + 'Page ')}"
        f"{_field('PAGE', '1')}{_run(' of ')}{_field('NUMPAGES', '1')}</w:p>"
    ))


def _settings(doc) -> None:  # type: ignore[no-untyped-def]
    settings = doc.settings.element
    # Word updates the contents' page numbers (and NUMPAGES) when the file is opened.
    for el in settings.findall(qn("w:updateFields")):
        settings.remove(el)
    settings.insert(0, parse_xml(f'<w:updateFields {_W} w:val="true"/>'))


# -- the parts ------------------------------------------------------------------------------------------


def _cover(w: _Writer, book: Book) -> None:
    c = book.cover
    w.add(_p(_run(" ")))
    w.add(_p(_run(" " + c.kind_label), "BbCoverKind", '<w:spacing w:before="400" w:after="0"/>'))
    w.add(_p(_run(" " + (c.subtitle or " ")), "BbCoverSub"))
    w.add(_p(_run(c.title), "BbCoverTitle"))
    for f in c.fields:
        w.add(_p(_run(f.label), "BbCoverLabel"))
        w.add(_p(_run(f.value), "BbCoverValue"))


def _toc(w: _Writer, book: Book) -> None:
    # Not a Heading style: the contents must not list itself.
    w.add(_p(_run("Contents", bold=True, colour=NAVY, size=17, font=SANS), None,
             "<w:pageBreakBefore/>" + _spacing(6, 10)))
    lines = [(lvl, text, anchor) for lvl, text, anchor in book.toc() if lvl <= book.toc_depth]
    begin = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             f'<w:r><w:instrText xml:space="preserve"> TOC \\o "1-{book.toc_depth}" \\h \\z \\u </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
    if not lines:
        w.add(_p(begin + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'))
        return
    for i, (level, text, anchor) in enumerate(lines):
        name = _bookmark(anchor)
        entry = (
            f'<w:hyperlink w:anchor="{name}" w:history="1">{_run(text)}<w:r><w:tab/></w:r>'
            + _field(f"PAGEREF {name} \\h", "")
            + "</w:hyperlink>"
        )
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if i == len(lines) - 1 else ""
        w.add(_p((begin if i == 0 else "") + entry + end, f"TOC{min(level, 2)}"))


def _table(rows: list[list[str]], widths: list[int], head_fill: str = NAVY, last_bold: bool = False) -> str:
    """A table: header row repeated on every page, no row split across pages."""
    grid = "".join(f'<w:gridCol w:w="{x}"/>' for x in widths)
    out = [
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        f'<w:tblBorders><w:insideH w:val="single" w:sz="4" w:color="{RULE}"/>'
        f'<w:bottom w:val="single" w:sz="4" w:color="{RULE}"/></w:tblBorders>'
        '<w:tblCellMar><w:top w:w="50" w:type="dxa"/><w:left w:w="70" w:type="dxa"/>'
        '<w:bottom w:w="50" w:type="dxa"/><w:right w:w="70" w:type="dxa"/></w:tblCellMar>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
    ]
    for r, row in enumerate(rows):
        trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if r == 0 else "")
        cells = []
        for c, (cell, width) in enumerate(zip(row, widths)):
            shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{head_fill}"/>' if r == 0 else ""
            if last_bold and r == len(rows) - 1:
                shade = '<w:shd w:val="clear" w:color="auto" w:fill="F3F5F8"/>'
            cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>{cell}</w:tc>')
        out.append(f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _cell(content: str, head: bool = False, right: bool = False) -> str:
    ppr = '<w:jc w:val="right"/>' if right else ""
    return _p(content, "BbCellHead" if head else "BbCell", ppr)


def _summary(w: _Writer, part: SummaryPart) -> None:
    w.heading(part.title, 1, part.anchor, page_break=True)
    if part.agenda:
        w.add(_p(_run("Agenda at a glance"), "BbLabel"))
        rows = [[_cell(_run(x), head=True) for x in ("#", "Ref", "Commitment", "Status")]]
        for a in part.agenda:
            title = (f'<w:hyperlink w:anchor="{_bookmark(a.anchor)}" w:history="1">'
                     f"{_run(a.title[:300], colour=LINK)}</w:hyperlink>")
            status = (_run("■ ", colour=a.status.colour.lstrip("#")) + _run(a.status.label)) if a.status else _run("—")
            rows.append([_cell(_run(str(a.number))), _cell(_run(a.ref)), _cell(title), _cell(status)])
        w.add(_table(rows, [500, 900, _TEXT_TWIPS - 500 - 900 - 1870, 1870]))
    if part.rows:
        w.add(_p(_run(f"Commitments by {part.scope_label.lower()} and status"), "BbLabel",
                 '<w:spacing w:before="240" w:after="40"/>'))
        short = {"with_challenges": "Challenges"}
        rows = [[_cell(_run(part.scope_label), head=True)]
                + [_cell(_run(short.get(s, label)), head=True, right=True) for s, label, _c in part.statuses]
                + [_cell(_run("Total"), head=True, right=True)]]
        for r in part.rows:
            rows.append([_cell(_run(f"{r.ref} {r.title}"[:200]))]
                        + [_cell(_run(str(n) if n else "·"), right=True) for n in r.counts]
                        + [_cell(_run(str(r.total), bold=True), right=True)])
        rows.append([_cell(_run("Total", bold=True))]
                    + [_cell(_run(str(n), bold=True), right=True) for n in part.totals]
                    + [_cell(_run(str(sum(part.totals)), bold=True), right=True)])
        num = 880
        w.add(_table(rows, [_TEXT_TWIPS - num * 7] + [num] * 7, last_bold=True))
        legend = "  ".join(f"{label}: {total}" for (_s, label, _c), total in zip(part.statuses, part.totals))
        w.add(_p(_run(legend), "BbMeta", '<w:spacing w:before="80" w:after="0"/>'))


def _badge(status: StatusInfo) -> str:
    colour = status.colour.lstrip("#")
    return (f'<w:r><w:rPr><w:rFonts w:ascii="{SANS}" w:hAnsi="{SANS}"/><w:b/><w:color w:val="FFFFFF"/>'
            f'<w:sz w:val="16"/><w:shd w:val="clear" w:color="auto" w:fill="{colour}"/></w:rPr>'
            f'<w:t xml:space="preserve"> {escape(status.label.upper())} </w:t></w:r>')


def _entry(w: _Writer, e: Entry, page_break: bool) -> None:
    w.heading(e.heading, e.level, e.anchor, page_break=page_break)
    if e.context:
        w.add(_p(_run(e.context), "BbContext"))
    meta: list[str] = []
    if e.status is not None:
        line = _badge(e.status)
        if e.status.changed_on:
            line += _run(f"  since {e.status.changed_on}" + (f" ({e.status.changed_by})" if e.status.changed_by else ""))
        meta.append(line)
    if e.counts:
        from db.values import STATUS_COLOURS, STATUS_LABELS

        meta.append(_run("   ").join(
            _run("■ ", colour=STATUS_COLOURS.get(s, "#888888").lstrip("#")) + _run(f"{n} {STATUS_LABELS.get(s, s).lower()}")
            for s, n in e.counts
        ))
    if e.lead_office:
        meta.append(_run(f"Lead office: {e.lead_office}"))
    if meta:
        w.add(_p(_run("  ·  ").join(meta), "BbMeta"))
    if e.status is not None and e.status.comment:
        w.add(_p(_run("Comment: ", bold=True) + _run(e.status.comment), "BbMeta"))
    for b in e.text:
        if isinstance(b, Para):
            w.add(_p(w.spans(b.spans), "BbText"))
    if e.children:
        w.add(_p(_run("Commitments under this heading"), "BbLabel"))
        for c in e.children:
            mark = _run("■ ", colour=c.status.colour.lstrip("#")) if c.status else ""
            w.add(_p(mark + _run(c.ref, bold=True) + _run(" " + c.title[:300])
                     + (_run(f" — {c.status.label}") if c.status else ""), "BbMeta"))
    if e.points:
        w.add(_p(_run("Points for this meeting"), "BbLabel"))
        w.blocks(e.points, "Normal")
    for group in e.note_groups:
        label = group.label if len(group.notes) == 1 else group.label + "s"
        w.add(_p(_run(label), "BbLabel"))
        for note in group.notes:
            _note(w, note, group.kind == "talking_point")
    if e.citations:
        w.add(_p(_run("Sources"), "BbLabel"))
        for c in e.citations:
            quote = _run(f" — “{c.quote}”") if c.quote else ""
            w.add(_p(_run(f"[{c.number}] ", bold=True) + _run(c.title) + quote, "BbMeta"))


def _note(w: _Writer, note: BookNote, talking: bool) -> None:
    if talking:
        w.blocks(note.blocks, "BbTalking", shade=TINT)
        return
    w.blocks(note.blocks, "Normal")
    by = ", ".join(p for p in (note.author, note.written_on) if p)
    if by:
        w.add(_p(_run(f"— {by}"), "BbSmall"))


def _changes(w: _Writer, part: ChangesPart) -> None:
    w.heading(part.title, 1, part.anchor, page_break=True)
    if not part.changes:
        w.add(_p(_run(f"No status changes and no notes added since {part.since}.")))
    for c in part.changes:
        keep = "<w:keepNext/>" if c.detail else ""
        w.add(_p(
            _run(c.when, bold=True) + _run("   ") + _run(c.ref, bold=True) + _run(" " + c.title)
            + "<w:r><w:br/></w:r>" + _run(c.what + (f" — {c.by}" if c.by else "")),
            "BbMeta", keep + '<w:spacing w:before="120" w:after="40"/>',
        ))
        w.blocks(c.detail, "Normal")


def _sources(w: _Writer, part: SourcesPart) -> None:
    w.heading(part.title, 1, part.anchor, page_break=True)
    for s in part.sources:
        where = ", ".join(x for x in (s.outlet, s.published) if x)
        w.add(_p(_run(f"[{s.number}]\t", bold=True) + _run(s.title, bold=True) + _run(".")
                 + (_run(f" {where}.") if where else ""), "BbSource"))
        if s.url_text:
            w.add(_p(w.spans((Span(s.url_text, href=s.url),)), "BbSourceMore"))
        if s.excerpt:
            w.add(_p(_run(s.excerpt, italic=True), "BbSourceMore"))
        for q in s.quotes:
            w.add(_p(_run(f"Cited at {q.ref}: ", bold=True) + _run(f"“{q.quote}”"), "BbSourceMore"))
        if s.attachments:
            w.add(_p(_run("Attached in the briefing file: " + ", ".join(s.attachments)), "BbSourceMore"))


# -- the document ------------------------------------------------------------------------------------------


def render_docx(book: Book, progress: Progress | None = None, cancelled: Cancelled | None = None) -> bytes:
    """The book as DOCX bytes."""
    with gc_paused():
        return _render_docx(book, progress, cancelled)


def _render_docx(book: Book, progress: Progress | None, cancelled: Cancelled | None) -> bytes:
    doc = Document()
    _define_styles(doc)
    _font_table(doc)
    _header_footer(doc, book)
    _settings(doc)
    props = doc.core_properties
    props.title = book.title[:255]
    props.subject = book.subject[:255]
    props.author = book.author[:255]
    props.last_modified_by = book.author[:255]
    props.keywords = "briefing book" + (f", {book.classification}" if book.classification else "")
    props.category = book.classification[:255]
    props.comments = "Generated by briefbook."
    props.created = props.modified = datetime.now(UTC).replace(tzinfo=None)

    total = sum(1 for _ in book.entries()) + len(book.parts)
    w = _Writer(doc, progress, cancelled, total)
    _cover(w, book)
    _toc(w, book)
    for part in book.parts:
        w.tick()
        if isinstance(part, SummaryPart):
            _summary(w, part)
        elif isinstance(part, TextPart):
            w.heading(part.title, 1, part.anchor, page_break=True)
            w.blocks(part.blocks, "Normal")
        elif isinstance(part, EntriesPart):
            if part.title:
                w.heading(part.title, 1, part.anchor, page_break=True)
            for e in part.entries:
                w.tick()
                _entry(w, e, page_break=e.level == 1 and not part.title)
        elif isinstance(part, ChangesPart):
            _changes(w, part)
        elif isinstance(part, SourcesPart):
            _sources(w, part)

    body = doc.element.body
    sect = body.find(qn("w:sectPr"))
    for el in list(body):
        if el is not sect:
            body.remove(el)
    fragment = parse_xml(f"<w:body {_W}>{''.join(w.parts)}</w:body>")
    for el in list(fragment):
        sect.addprevious(el)
    buf = io.BytesIO()
    doc.save(buf)
    if progress is not None:
        progress(1, 1)
    return buf.getvalue()


def write_docx(book: Book, path: Path, progress: Progress | None = None, cancelled: Cancelled | None = None) -> None:
    from exporters.output import atomic_write

    atomic_write(Path(path), render_docx(book, progress, cancelled))

