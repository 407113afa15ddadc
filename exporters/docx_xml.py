"""WordprocessingML as text: runs, paragraphs, fields, tables, and the writer that collects a body.

The body of a book is written as XML text and parsed once (see `exporters.docx`).
User text only ever reaches it through `run` (escaped, and already stripped of
what XML cannot hold by `text.clean`), so it can never become markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from docx.opc.constants import RELATIONSHIP_TYPE as RT

from db.model.errors import Cancelled
from exporters.book_model import CANCELLED, CancelCheck, Progress
from exporters.docx_styles import EAST_ASIAN, LINK, NAVY, RULE, SANS, TEXT_TWIPS, TOTAL_ROW, shading
from exporters.markdown import TASK_MARKS, Block, BulletList, Para, Span
from exporters.markdown import Table as MdTable
from exporters.measure import column_widths
from exporters.style import CELL
from exporters.text import escape

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


# -- runs and paragraphs ------------------------------------------------------------------------


def text_xml(text: str) -> str:
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


def run(text: str, bold: bool = False, italic: bool = False, colour: str | None = None, size: float | None = None,
         font: str | None = None, underline: bool = False, caps: bool = False, char_style: str | None = None,
         strike: bool = False) -> str:
    if not text:
        return ""
    props: list[str] = []
    if char_style:
        props.append(f'<w:rStyle w:val="{char_style}"/>')
    cjk = CJK.search(text) is not None
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
    if strike:
        props.append("<w:strike/>")
    if colour:
        props.append(f'<w:color w:val="{colour}"/>')
    if size:
        props.append(f'<w:sz w:val="{int(size * 2)}"/><w:szCs w:val="{int(size * 2)}"/>')
    if underline:
        props.append('<w:u w:val="single"/>')
    rpr = f"<w:rPr>{''.join(props)}</w:rPr>" if props else ""
    return f"<w:r>{rpr}{text_xml(text)}</w:r>"


def para(content: str, style: str | None = None, ppr: str = "") -> str:
    style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
    props = style_xml + ppr
    return f"<w:p>{'<w:pPr>' + props + '</w:pPr>' if props else ''}{content}</w:p>"


class Writer:
    """Collects the body XML and the hyperlink relationships of one document."""

    def __init__(self, doc: DocxDocument, progress: Progress | None, cancelled: CancelCheck | None, total: int,
                 pages: dict[str, int] | None = None) -> None:
        self.doc = doc
        self.pages = pages or {}  # anchor -> page, where a layout has told (`exporters.docx_pages`)
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
                raise Cancelled(CANCELLED)
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
            xml = run(s.text, bold=bold or s.bold, italic=italic or s.italic,
                      colour=LINK if s.href else colour, size=size if not s.code else (size or 10.5) - 1,
                      font=SANS if s.code else None, underline=bool(s.href), strike=s.strike)
            if s.href:
                xml = f'<w:hyperlink r:id="{self.rel(s.href)}" w:history="1">{xml}</w:hyperlink>'
            out.append(xml)
        return "".join(out)

    def blocks(self, blocks: tuple[Block, ...], style: str, depth: int = 0, shade: str | None = None,
               keep_last: bool = False) -> None:
        """Paragraphs, lists and tables; `keep_last`: the last paragraph keeps with what follows (a byline)."""
        ppr = shading(shade) if shade else ""
        start = len(self.parts)
        for b in blocks:
            if isinstance(b, Para):
                # A note's own heading ("## Costs") keeps with what follows it.
                self.add(para(self.spans(b.spans), style if depth == 0 else list_style(depth),
                              ppr + ("<w:keepNext/>" if b.heading else "")))
            elif isinstance(b, MdTable):
                self.add(self.md_table(b))
            elif isinstance(b, BulletList):
                for index, item in enumerate(b.items):
                    n = b.start + index
                    task = b.task(index)
                    first = True
                    for inner in item:
                        if isinstance(inner, Para) and first:
                            first = False
                            spans = inner.spans if task is None else (Span(TASK_MARKS[task] + " "), *inner.spans)
                            if b.ordered:
                                indent = 360 * (depth + 1)
                                self.add(para(run(f"{n}.\t") + self.spans(spans), style,
                                            ppr + f'<w:tabs><w:tab w:val="left" w:pos="{indent}"/></w:tabs>'
                                            f'<w:ind w:left="{indent}" w:hanging="360"/>'))
                            else:
                                self.add(para(self.spans(spans), list_style(depth + 1), ppr))
                        else:
                            self.blocks((inner,), style, depth + 1, shade)
        if keep_last and len(self.parts) > start and self.parts[-1].startswith("<w:p><w:pPr>"):
            self.parts[-1] = self.parts[-1].replace("<w:pPr>", "<w:pPr><w:keepNext/>", 1)

    def md_table(self, t: MdTable) -> str:
        """A note's Markdown table: columns sized to their content and aligned as typed (the PDF's widths)."""
        cols = max(len(t.header), 1)
        align = [*t.align, *["left"] * cols][:cols]
        texts = [["".join(s.text for s in c) for c in row] for row in (t.header, *t.rows)]
        widths = [int(w * 20) for w in column_widths(texts, TEXT_TWIPS / 20, CELL.size, 7 + 2)]  # padding, slack
        rows = [[cell(self.spans(spans, bold=True), align=align[c]) for c, spans in enumerate(t.header)]]
        rows += [[cell(self.spans(spans), align=align[c]) for c, spans in enumerate(row)] for row in t.rows]
        return table(rows, widths, head_fill=TOTAL_ROW)

    def page_ref(self, anchor: str) -> str:
        """A PAGEREF field to `anchor`, showing its page where the layout pass has found it."""
        page = self.pages.get(anchor)
        return field(f"PAGEREF {bookmark(anchor)} \\h", str(page) if page else "")

    def next_bookmark(self) -> int:
        self.bookmarks += 1
        return self.bookmarks

    def heading(self, text: str, level: int, anchor: str, page_break: bool = False, outline: bool = True) -> None:
        """A heading (`outline=False`: looks like one, but is not listed in the contents)."""
        bid = self.next_bookmark()
        ppr = "<w:pageBreakBefore/>" if page_break else ""
        if not outline:
            ppr += '<w:outlineLvl w:val="9"/>'
        self.add(para(
            f'<w:bookmarkStart w:id="{bid}" w:name="{bookmark(anchor)}"/>{run(text)}<w:bookmarkEnd w:id="{bid}"/>',
            f"Heading{min(level, 4)}", ppr,
        ))


def bookmark(anchor: str) -> str:
    # Word lists bookmarks starting "_Toc" as the contents' own (hidden from the user).
    return f"_Toc{anchor}"


def list_style(depth: int) -> str:
    return {1: "ListBullet", 2: "ListBullet2"}.get(depth, "ListBullet3")


# -- fields ----------------------------------------------------------------------------------------


def field(instr: str, shown: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {escape(instr)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + run(shown)
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )



def table(rows: list[list[str]], widths: list[int], head_fill: str = NAVY, last_bold: bool = False) -> str:
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
        if last_bold and r == len(rows) - 2:  # the total row never goes overleaf alone
            row = [c.replace("<w:pPr>", "<w:pPr><w:keepNext/>", 1) for c in row]
        for content, width in zip(row, widths):
            shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{head_fill}"/>' if r == 0 else ""
            if last_bold and r == len(rows) - 1:
                shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{TOTAL_ROW}"/>'
            cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>{content}</w:tc>')
        out.append(f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def plain_table(rows: list[list[str]], widths: list[int]) -> str:
    """A table without lines or shading (columns of the steering page): rows never split."""
    grid = "".join(f'<w:gridCol w:w="{x}"/>' for x in widths)
    out = [
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
        '<w:bottom w:w="20" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
    ]
    for row in rows:
        cells = "".join(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{content}</w:tc>'
                        for content, width in zip(row, widths))
        out.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def cell(content: str, head: bool = False, right: bool = False, align: str = "left") -> str:
    align = "right" if right else align
    ppr = f'<w:jc w:val="{align}"/>' if align in ("center", "right") else ""
    return para(content, "BbCellHead" if head else "BbCell", ppr)
