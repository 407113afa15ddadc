"""The briefing book as a Word document (python-docx for the package, WordprocessingML for the body).

The body is written as WordprocessingML text and parsed once: python-docx's
paragraph API looks a style up by name on every call (about 1.4 ms a
paragraph, seconds for a big book), while the styles here are defined once
with fixed ids and referred to by id. User text is XML-escaped and stripped
of the characters XML cannot hold (`text.clean`), so it can never become
markup.

The contents is a real TOC field over the Heading styles, already filled
with its entries (hyperlinks and PAGEREF fields). The document does not ask
Word to update fields on opening (that prompts on every open): the page
numbers are filled in when LibreOffice is there to lay the document out
(`exporters.docx_pages`), and are left blank otherwise.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm

from db.errors import Cancelled
from db.values import NOTE_KIND_LABELS
from exporters.book_model import (
    CANCELLED,
    AnnexPart,
    Book,
    BookNote,
    BriefPart,
    CancelCheck,
    ChangesPart,
    EntriesPart,
    Entry,
    Progress,
    SourcesPart,
    StatusInfo,
    SummaryPart,
    TextPart,
)
from exporters.docx_package import embed_japanese, name_japanese, true_metadata
from exporters.docx_styles import (
    BLACK,
    EAST_ASIAN,
    LINK,
    NAVY,
    RULE,
    SANS,
    TEXT_TWIPS,
    TINT,
    TOTAL_ROW,
    W_NS,
    define_styles,
    shading,
    spacing,
)
from exporters.gc_pause import gc_paused
from exporters.markdown import TASK_MARKS, Block, BulletList, Para, Span
from exporters.markdown import Table as MdTable
from exporters.style import (
    HEADINGS,
    MARGIN_B_MM,
    MARGIN_L_MM,
    MARGIN_R_MM,
    MARGIN_T_MM,
    MARKING_SIZE,
    PAGE_H_MM,
    PAGE_W_MM,
    SHORT_STATUS_LABELS,
    status_colour,
    status_label,
)
from exporters.text import escape

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


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
         font: str | None = None, underline: bool = False, caps: bool = False, char_style: str | None = None,
         strike: bool = False) -> str:
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
    if strike:
        props.append("<w:strike/>")
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
            run = _run(s.text, bold=bold or s.bold, italic=italic or s.italic,
                       colour=LINK if s.href else colour, size=size if not s.code else (size or 10.5) - 1,
                       font=SANS if s.code else None, underline=bool(s.href), strike=s.strike)
            if s.href:
                run = f'<w:hyperlink r:id="{self.rel(s.href)}" w:history="1">{run}</w:hyperlink>'
            out.append(run)
        return "".join(out)

    def blocks(self, blocks: tuple[Block, ...], style: str, depth: int = 0, shade: str | None = None,
               keep_last: bool = False) -> None:
        """Paragraphs, lists and tables; `keep_last`: the last paragraph keeps with what follows (a byline)."""
        ppr = shading(shade) if shade else ""
        start = len(self.parts)
        for b in blocks:
            if isinstance(b, Para):
                self.add(_p(self.spans(b.spans), style if depth == 0 else _list_style(depth), ppr))
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
                                self.add(_p(_run(f"{n}.\t") + self.spans(spans), style,
                                            ppr + f'<w:tabs><w:tab w:val="left" w:pos="{indent}"/></w:tabs>'
                                            f'<w:ind w:left="{indent}" w:hanging="360"/>'))
                            else:
                                self.add(_p(self.spans(spans), _list_style(depth + 1), ppr))
                        else:
                            self.blocks((inner,), style, depth + 1, shade)
        if keep_last and len(self.parts) > start and self.parts[-1].startswith("<w:p><w:pPr>"):
            self.parts[-1] = self.parts[-1].replace("<w:pPr>", "<w:pPr><w:keepNext/>", 1)

    def md_table(self, t: MdTable) -> str:
        cols = max(len(t.header), 1)
        widths = [TEXT_TWIPS // cols] * cols
        right = [a == "right" for a in t.align] + [False] * cols
        rows = [[_cell(self.spans(cell, bold=True), right=right[c]) for c, cell in enumerate(t.header)]]
        rows += [[_cell(self.spans(cell), right=right[c]) for c, cell in enumerate(row)] for row in t.rows]
        return _table(rows, widths, head_fill=TOTAL_ROW)

    def page_ref(self, anchor: str) -> str:
        """A PAGEREF field to `anchor`, showing its page where the layout pass has found it."""
        page = self.pages.get(anchor)
        return _field(f"PAGEREF {_bookmark(anchor)} \\h", str(page) if page else "")

    def next_bookmark(self) -> int:
        self.bookmarks += 1
        return self.bookmarks

    def heading(self, text: str, level: int, anchor: str, page_break: bool = False, outline: bool = True) -> None:
        """A heading (`outline=False`: looks like one, but is not listed in the contents)."""
        bid = self.next_bookmark()
        ppr = "<w:pageBreakBefore/>" if page_break else ""
        if not outline:
            ppr += '<w:outlineLvl w:val="9"/>'
        self.add(_p(
            f'<w:bookmarkStart w:id="{bid}" w:name="{_bookmark(anchor)}"/>{_run(text)}<w:bookmarkEnd w:id="{bid}"/>',
            f"Heading{min(level, 4)}", ppr,
        ))


def _bookmark(anchor: str) -> str:
    # Word lists bookmarks starting "_Toc" as the contents' own (hidden from the user).
    return f"_Toc{anchor}"


def _list_style(depth: int) -> str:
    return {1: "ListBullet", 2: "ListBullet2"}.get(depth, "ListBullet3")


# -- fields, header and footer ----------------------------------------------------------------------


def _field(instr: str, shown: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {escape(instr)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + _run(shown)
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _header_footer(doc: DocxDocument, book: Book) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_L_MM), Mm(MARGIN_R_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_T_MM), Mm(MARGIN_B_MM)
    section.header_distance, section.footer_distance = Mm(10), Mm(9)
    marking = book.classification.upper()

    header = section.header._element
    for p in list(header):
        header.remove(p)
    if marking:
        header.append(parse_xml(f"<w:p {W_NS}><w:pPr><w:pStyle w:val=\"BbHeader\"/><w:jc w:val=\"center\"/></w:pPr>"
                                f"{_run(marking, bold=True, colour=BLACK, size=MARKING_SIZE)}</w:p>"))
    header.append(parse_xml(
        f"<w:p {W_NS}><w:pPr><w:pStyle w:val=\"BbHeader\"/>"
        f'<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="3" w:color="{RULE}"/></w:pBdr></w:pPr>'
        f"{_run(book.title)}{_run(chr(9))}{_run(chr(9) + book.cover.kind_label)}</w:p>"
    ))

    footer = section.footer._element
    for p in list(footer):
        footer.remove(p)
    footer.append(parse_xml(
        f"<w:p {W_NS}><w:pPr><w:pStyle w:val=\"BbHeader\"/>"
        f'<w:pBdr><w:top w:val="single" w:sz="4" w:space="3" w:color="{RULE}"/></w:pBdr></w:pPr>'
        f"{_run(chr(9))}{_run(marking, bold=True, colour=BLACK, size=MARKING_SIZE)}{_run(chr(9) + 'Page ')}"
        f"{_field('PAGE', '1')}{_run(' of ')}{_field('NUMPAGES', '1')}</w:p>"
    ))


def _settings(doc: DocxDocument) -> None:
    settings = doc.settings.element
    # No w:updateFields: Word would ask on every open. PAGE and NUMPAGES update by themselves;
    # the contents' page numbers are filled in at export (`exporters.docx_pages`) where possible.
    for el in settings.findall(qn("w:updateFields")):
        settings.remove(el)


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
    h1 = HEADINGS[0]
    w.add(_p(_run("Contents", bold=True, colour=NAVY, size=h1.size, font=SANS), None,
             "<w:pageBreakBefore/>" + spacing(h1.before, h1.after)))
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
            + w.page_ref(anchor)
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
        for cell, width in zip(row, widths):
            shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{head_fill}"/>' if r == 0 else ""
            if last_bold and r == len(rows) - 1:
                shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{TOTAL_ROW}"/>'
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
        w.add(_table(rows, [500, 900, TEXT_TWIPS - 500 - 900 - 1870, 1870]))
    if part.rows:
        w.add(_p(_run(f"Commitments by {part.scope_label.lower()} and status"), "BbLabel",
                 '<w:spacing w:before="240" w:after="40"/>'))
        if part.counted:
            w.add(_p(_run(f"Counts {part.counted}."), "BbMeta"))
        heads = [SHORT_STATUS_LABELS.get(s, label) for s, label, _c in part.statuses]
        rows = [[_cell(_run(part.scope_label), head=True)]
                + [_cell(_run(head), head=True, right=True) for head in heads]
                + [_cell(_run("Total"), head=True, right=True)]]
        for r in part.rows:
            rows.append([_cell(_run(f"{r.ref} {r.title}"[:200]))]
                        + [_cell(_run(str(n) if n else "·"), right=True) for n in r.counts]
                        + [_cell(_run(str(r.total), bold=True), right=True)])
        rows.append([_cell(_run("Total", bold=True))]
                    + [_cell(_run(str(n), bold=True), right=True) for n in part.totals]
                    + [_cell(_run(str(sum(part.totals)), bold=True), right=True)])
        num = 880
        w.add(_table(rows, [TEXT_TWIPS - num * 7] + [num] * 7, last_bold=True))
        legend = "  ".join(f"{label}: {total}" for (_s, label, _c), total in zip(part.statuses, part.totals))
        w.add(_p(_run(legend), "BbMeta", '<w:spacing w:before="80" w:after="0"/>'))


def _badge(status: StatusInfo) -> str:
    colour = status.colour.lstrip("#")
    return (f'<w:r><w:rPr><w:rFonts w:ascii="{SANS}" w:hAnsi="{SANS}"/><w:b/><w:color w:val="FFFFFF"/>'
            f'<w:sz w:val="16"/><w:shd w:val="clear" w:color="auto" w:fill="{colour}"/></w:rPr>'
            f'<w:t xml:space="preserve"> {escape(status.label.upper())} </w:t></w:r>')


def _entry(w: _Writer, e: Entry, page_break: bool) -> None:
    w.heading(e.heading, e.level, e.anchor, page_break=page_break)
    context = e.context
    if e.agenda_number is not None:
        context = f"Agenda item {e.agenda_number}" + (f" · {context}" if context else "")
    if context:
        w.add(_p(_run(context), "BbContext"))
    if e.lead_in:
        w.add(_p(_run("Lead-in ", bold=True) + _run(e.lead_in, italic=True), "BbMeta", "<w:keepNext/>"))
    meta: list[str] = []
    if e.status is not None:
        line = _badge(e.status)
        if e.status.changed_on:
            by = f" ({e.status.changed_by})" if e.status.changed_by else ""
            line += _run(f"  since {e.status.changed_on}{by}")
        meta.append(line)
    if e.counts:
        meta.append(_run("   ").join(
            _run("■ ", colour=status_colour(s).lstrip("#")) + _run(f"{n} {status_label(s).lower()}")
            for s, n in e.counts
        ))
    if e.lead_office:
        meta.append(_run(f"Lead office: {e.lead_office}"))
    # What sits under a heading keeps with what follows it, so the heading never ends a page alone.
    if meta:
        w.add(_p(_run("  ·  ").join(meta), "BbMeta", "<w:keepNext/>"))
    if e.status is not None and e.status.comment:
        w.add(_p(_run("Comment: ", bold=True) + _run(e.status.comment), "BbMeta", "<w:keepNext/>"))
    for b in e.text:
        if isinstance(b, Para):
            w.add(_p(w.spans(b.spans), "BbText"))
    if e.children:
        w.add(_p(_run("Commitments under this heading"), "BbLabel"))
        for child in e.children:
            mark = _run("■ ", colour=child.status.colour.lstrip("#")) if child.status else ""
            w.add(_p(mark + _run(child.ref, bold=True) + _run(" " + child.title[:300])
                     + (_run(f" — {child.status.label}") if child.status else ""), "BbMeta"))
    if e.points:
        w.add(_p(_run("Points for this meeting"), "BbLabel"))
        w.blocks(e.points, "Normal")
    for group in e.note_groups:
        label = group.label if len(group.notes) == 1 else group.label + "s"
        w.add(_p(_run(label), "BbLabel"))
        for note in group.notes:
            _note(w, note)
    if e.citations:
        w.add(_p(_run("Sources"), "BbLabel"))
        for cite in e.citations:
            quote = _run(f" — “{cite.quote}”") if cite.quote else ""
            w.add(_p(_run(f"[{cite.number}] ", bold=True) + _run(cite.title) + quote, "BbMeta"))


def _kind_label(kind: str) -> str:
    return NOTE_KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def _note(w: _Writer, note: BookNote) -> None:
    """A note: its text (a talking point numbered and shaded), then its byline, kept with its last lines."""
    talking = note.kind == "talking_point"
    start = len(w.parts)
    by = " · ".join(p for p in (note.author, note.written_on) if p)
    if note.annex:
        number = f"{note.number}. " if note.number else ""
        w.add(_p(_run(f"{number}{_kind_label(note.kind)}: see ")
                 + f'<w:hyperlink w:anchor="{_bookmark(note.annex_anchor)}" w:history="1">'
                 + _run(note.annex, colour=LINK, underline=True) + "</w:hyperlink>"
                 + _run(", page ") + w.page_ref(note.annex_anchor)
                 + "", "Normal", "<w:keepNext/>" if by else ""))
    elif talking:
        first, rest = (note.blocks[0], note.blocks[1:]) if note.blocks and isinstance(note.blocks[0], Para) else (
            None, note.blocks)
        if first is not None:
            w.add(_p(_run(f"{note.number}.\t", bold=True) + w.spans(first.spans), "BbTalkingNumbered",
                     "<w:keepNext/>" if by and not rest else ""))
        w.blocks(rest, "BbTalkingNumbered", shade=TINT, keep_last=bool(by))
    else:
        w.blocks(note.blocks, "Normal", keep_last=bool(by))
    if len(w.parts) > start:
        bid = w.next_bookmark()
        name = _bookmark(note.anchor)
        w.parts[start] = w.parts[start].replace(
            "</w:pPr>", f'</w:pPr><w:bookmarkStart w:id="{bid}" w:name="{name}"/><w:bookmarkEnd w:id="{bid}"/>', 1
        ) if "</w:pPr>" in w.parts[start] else w.parts[start]
    if by:
        w.add(_p(_run(by), "BbSmall", '<w:ind w:left="440"/>' if talking else ""))


def _brief(w: _Writer, part: BriefPart) -> None:
    """The summary page: purpose, key messages, asks and risks, one line each with its page."""
    w.heading(part.title, 1, part.anchor, page_break=True, outline=False)
    if part.purpose:
        w.add(_p(_run("Purpose"), "BbLabel"))
        w.add(_p(_run(part.purpose)))
    for title, lines in (("Key messages", part.key_messages), ("Asks and questions", part.asks),
                         ("Risks", part.risks)):
        if not lines:
            continue
        w.add(_p(_run(title), "BbLabel"))
        for k in lines:
            text = k.text if len(k.text) <= 95 else k.text[:94].rstrip() + "…"
            w.add(_p(_run(k.ref, bold=True) + _run(f"\t{k.label}: ")
                     + f'<w:hyperlink w:anchor="{_bookmark(k.anchor)}" w:history="1">{_run(text)}</w:hyperlink>'
                     + _run("\t") + w.page_ref(k.anchor), "BbKeyLine"))
    for notice in part.notices:
        w.add(_p(_run(notice), "BbMeta"))


def _changes(w: _Writer, part: ChangesPart) -> None:
    """The digest: one line per change, under the agenda entry (or area) it belongs to."""
    w.heading(part.title, 1, part.anchor, page_break=True)
    if not part.groups:
        w.add(_p(_run(f"No status changes and no notes added or edited since {part.since}.")))
    for group in part.groups:
        w.add(_p(_run(group.title, bold=True, colour=NAVY, font=SANS), "BbMeta",
                 '<w:keepNext/><w:spacing w:before="160" w:after="40"/>'))
        for c in group.changes:
            w.add(_p(
                _run(c.when, bold=True) + _run("   ") + _run(c.ref, bold=True) + _run("   " + c.what)
                + (_run(f" — {c.by}") if c.by else "") + (_run(": ") + _run(c.words, italic=True) if c.words else ""),
                "BbDigest",
            ))


def _annex(w: _Writer, part: AnnexPart) -> None:
    w.heading(part.title, 1, part.anchor, page_break=True)
    for item in part.items:
        w.heading(item.title, 2, item.anchor)
        by = " · ".join(p for p in (item.note.author, item.note.written_on) if p)
        if by:
            w.add(_p(_run(by), "BbSmall"))
        w.blocks(item.note.blocks, "Normal")


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


def render_docx(book: Book, progress: Progress | None = None, cancelled: CancelCheck | None = None,
                page_numbers: bool = True) -> bytes:
    """The book as DOCX bytes. `page_numbers`: lay it out with LibreOffice, where installed, to fill in
    the page numbers of the contents and the summary page (`exporters.docx_pages`)."""
    from exporters.docx_pages import bookmark_pages, libreoffice

    with gc_paused():
        data = _render_docx(book, progress, cancelled, None)
        if page_numbers and libreoffice() is not None:
            pages = bookmark_pages(data, cancelled)
            if pages:
                data = _render_docx(book, None, cancelled, pages)
    return data


def _render_docx(book: Book, progress: Progress | None, cancelled: CancelCheck | None,
                 pages: dict[str, int] | None) -> bytes:
    doc = Document()
    define_styles(doc)
    _header_footer(doc, book)
    _settings(doc)
    true_metadata(doc)
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
    w = _Writer(doc, progress, cancelled, total, pages)
    _cover(w, book)
    for part in book.parts:
        if isinstance(part, BriefPart):  # the summary page comes straight after the cover
            _brief(w, part)
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
                _entry(w, e, page_break=False)
        elif isinstance(part, ChangesPart):
            _changes(w, part)
        elif isinstance(part, AnnexPart):
            _annex(w, part)
        elif isinstance(part, SourcesPart):
            _sources(w, part)

    body = doc.element.body
    sect = body.find(qn("w:sectPr"))
    for el in list(body):
        if el is not sect:
            body.remove(el)
    xml = "".join(w.parts)
    if _CJK.search(xml) is not None or _CJK.search(book.title) is not None:
        embed_japanese(doc, bold=True)
    else:
        name_japanese(doc)
    fragment = parse_xml(f"<w:body {W_NS}>{xml}</w:body>")
    for el in list(fragment):
        sect.addprevious(el)
    buf = io.BytesIO()
    doc.save(buf)
    if progress is not None:
        progress(1, 1)
    return buf.getvalue()


def write_docx(book: Book, path: Path, progress: Progress | None = None, cancelled: CancelCheck | None = None) -> None:
    from exporters.output import atomic_write

    atomic_write(Path(path), render_docx(book, progress, cancelled))


