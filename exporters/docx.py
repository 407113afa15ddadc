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
from typing import TYPE_CHECKING

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm

from db.errors import Cancelled
from exporters.book_model import (
    CANCELLED,
    Book,
    BookNote,
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
    font_table,
    shading,
    spacing,
)
from exporters.gc_pause import gc_paused
from exporters.markdown import Block, BulletList, Para, Span
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

    def __init__(self, doc: DocxDocument, progress: Progress | None, cancelled: CancelCheck | None, total: int) -> None:
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
                       font=SANS if s.code else None, underline=bool(s.href))
            if s.href:
                run = f'<w:hyperlink r:id="{self.rel(s.href)}" w:history="1">{run}</w:hyperlink>'
            out.append(run)
        return "".join(out)

    def blocks(self, blocks: tuple[Block, ...], style: str, depth: int = 0, shade: str | None = None) -> None:
        ppr = shading(shade) if shade else ""
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
    # Word updates the contents' page numbers (and NUMPAGES) when the file is opened.
    for el in settings.findall(qn("w:updateFields")):
        settings.remove(el)
    settings.insert(0, parse_xml(f'<w:updateFields {W_NS} w:val="true"/>'))


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
    if e.context:
        w.add(_p(_run(e.context), "BbContext"))
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
    if meta:
        w.add(_p(_run("  ·  ").join(meta), "BbMeta"))
    if e.status is not None and e.status.comment:
        w.add(_p(_run("Comment: ", bold=True) + _run(e.status.comment), "BbMeta"))
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
            _note(w, note, group.kind == "talking_point")
    if e.citations:
        w.add(_p(_run("Sources"), "BbLabel"))
        for cite in e.citations:
            quote = _run(f" — “{cite.quote}”") if cite.quote else ""
            w.add(_p(_run(f"[{cite.number}] ", bold=True) + _run(cite.title) + quote, "BbMeta"))


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


def render_docx(book: Book, progress: Progress | None = None, cancelled: CancelCheck | None = None) -> bytes:
    """The book as DOCX bytes."""
    with gc_paused():
        return _render_docx(book, progress, cancelled)


def _render_docx(book: Book, progress: Progress | None, cancelled: CancelCheck | None) -> bytes:
    doc = Document()
    define_styles(doc)
    font_table(doc)
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
    fragment = parse_xml(f"<w:body {W_NS}>{''.join(w.parts)}</w:body>")
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


