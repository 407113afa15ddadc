"""The briefing book as a Word document (python-docx for the package, WordprocessingML for the body).

The body is written as WordprocessingML text (`exporters.docx_xml`) and
parsed once: python-docx's paragraph API looks a style up by name on every
call (about 1.4 ms a paragraph, seconds for a big book), while the styles here
are defined once with fixed ids and referred to by id. User text is
XML-escaped and its controls shown as marks (`text.clean`), so it can never
become markup. The package around it (embedded fonts, metadata) is
`exporters.docx_package`.

The contents is a real TOC field over the Heading styles, already filled
with its entries (hyperlinks and PAGEREF fields). The document does not ask
Word to update fields on opening (that prompts on every open): the page
numbers are filled in when LibreOffice is there to lay the document out
(`exporters.docx_pages`), and are left blank otherwise.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm

from db.model.values import NOTE_KIND_LABELS
from exporters.book_model import (
    AgendaPart,
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
    KEY_PAGE_TWIPS,
    KEY_REF_TWIPS,
    LINK,
    NAVY,
    RULE,
    SANS,
    TEXT_TWIPS,
    TINT,
    W_NS,
    define_styles,
    mm_twips,
    spacing,
)
from exporters.docx_xml import CJK, Writer, bookmark, cell, field, para, plain_table, run, table
from exporters.gc_pause import gc_paused
from exporters.markdown import Para, Span
from exporters.style import (
    DRAFT_COLOUR,
    DRAFT_HEADER,
    DRAFT_WATERMARK,
    DRAFT_WATERMARK_GREY,
    HEADINGS,
    MARGIN_B_MM,
    MARGIN_L_MM,
    MARGIN_R_MM,
    MARGIN_T_MM,
    MARKING_SIZE,
    NOT_MARKED,
    PAGE_H_MM,
    PAGE_W_MM,
    SHORT_STATUS_LABELS,
    status_colour,
    status_column_widths_mm,
    status_label,
)
from exporters.text import escape, shorten, status_since

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

# -- header and footer ----------------------------------------------------------------------------


def _marking(book: Book) -> str:
    # A pack without a marking says so where the marking goes, so a forgotten one shows.
    return book.classification.upper() or NOT_MARKED


#: Word's own kind of watermark: a WordArt shape in the header, behind the text, on every page the header heads.
_WATERMARK = (
    '<w:r><w:pict xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
    + "".join(f'<v:f eqn="{e}"/>' for e in (
        "sum #0 0 10800", "prod #0 2 1", "sum 21600 0 @1", "sum 0 0 @2", "sum 21600 0 @3", "if @0 @3 0",
        "if @0 21600 @1", "if @0 0 @2", "if @0 @4 21600", "mid @5 @6", "mid @8 @5", "mid @7 @8", "mid @6 @7",
        "sum @6 0 @5"))
    + '</v:formulas><v:path textpathok="t" o:connecttype="custom"/><v:textpath on="t" fitshape="t"/>'
    '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
    '<v:shape id="bbDraftWatermark" o:spid="_x0000_s2049" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:460pt;height:150pt;rotation:305;'
    'z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
    'mso-position-vertical:center;mso-position-vertical-relative:margin" '
    f'fillcolor="{DRAFT_WATERMARK_GREY}" stroked="f"><v:fill opacity=".6"/>'
    f'<v:textpath style="font-family:&quot;Noto Sans&quot;;font-size:1pt;font-weight:bold" string="{DRAFT_WATERMARK}"/>'
    '</v:shape></w:pict></w:r>'
)


def _header_xml(book: Book, head: str) -> list[str]:
    """The paragraphs of a header: the marking, then `head` (the book's title or the running head).

    A pack not approved adds, in the marking's line, the DRAFT watermark and "DRAFT — not approved"."""
    draft = (f"{_WATERMARK}{run('   ')}{run(DRAFT_HEADER, bold=True, colour=DRAFT_COLOUR.lstrip('#'))}"
             if book.draft else "")
    return [
        f"<w:p {W_NS}><w:pPr><w:pStyle w:val=\"BbHeader\"/><w:jc w:val=\"center\"/></w:pPr>"
        f"{run(_marking(book), bold=True, colour=BLACK, size=MARKING_SIZE)}{draft}</w:p>",
        f"<w:p {W_NS}><w:pPr><w:pStyle w:val=\"BbHeader\"/>"
        f'<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="3" w:color="{RULE}"/></w:pBdr></w:pPr>'
        f"{run(head)}{run(chr(9))}{run(chr(9) + book.cover.kind_label)}</w:p>",
    ]


def _header_footer(doc: DocxDocument, book: Book) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_L_MM), Mm(MARGIN_R_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_T_MM), Mm(MARGIN_B_MM)
    section.header_distance, section.footer_distance = Mm(10), Mm(9)
    marking = _marking(book)

    header = section.header._element
    for p in list(header):
        header.remove(p)
    for xml in _header_xml(book, book.title):
        header.append(parse_xml(xml))

    footer = section.footer._element
    for p in list(footer):
        footer.remove(p)
    footer.append(parse_xml(
        f"<w:p {W_NS}><w:pPr><w:pStyle w:val=\"BbHeader\"/>"
        f'<w:pBdr><w:top w:val="single" w:sz="4" w:space="3" w:color="{RULE}"/></w:pBdr></w:pPr>'
        f"{run(chr(9))}{run(marking, bold=True, colour=BLACK, size=MARKING_SIZE)}{run(chr(9) + 'Page ')}"
        f"{field('PAGE', '1')}{run(' of ')}{field('NUMPAGES', '1')}</w:p>"
    ))


class _Sections:
    """Sections of their own for the principal's items, each with a header naming its item.

    A Word section's properties sit at its end: the paragraph closing a section carries
    them (its header), the body's last properties the last section's. Sections start on a
    new page, so each item does.
    """

    def __init__(self, doc: DocxDocument, book: Book) -> None:
        from lxml import etree

        self.doc = doc
        self.book = book
        sect = doc.element.body.find(qn("w:sectPr"))
        assert sect is not None
        header = sect.find(qn("w:headerReference"))
        assert header is not None
        self.default = self.current = str(header.get(qn("r:id")))
        copy = parse_xml(etree.tostring(sect))
        for ref in copy.findall(qn("w:headerReference")):
            copy.remove(ref)
        self.template = etree.tostring(copy, encoding="unicode")

    def close(self, w: Writer) -> None:
        """End the section in progress (its header is the current one)."""
        ref = f'<w:headerReference w:type="default" r:id="{self.current}"/>'
        sect = self.template.replace(">", ">" + ref, 1)
        w.add(f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>{sect}'
              '<w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>')

    def end(self) -> None:
        """The document ends in the section in progress: the body's own properties take its header."""
        sect = self.doc.element.body.find(qn("w:sectPr"))
        assert sect is not None
        ref = sect.find(qn("w:headerReference"))
        assert ref is not None
        ref.set(qn("r:id"), self.current)

    def start(self, w: Writer, head: str | None) -> None:
        """End the section in progress and start one headed `head` (None: the book's own header)."""
        self.close(w)
        if head is None:
            self.current = self.default
            return
        part, rid = self.doc.part.add_header_part()
        element = part.element
        for p in list(element):
            element.remove(p)
        for xml in _header_xml(self.book, head):
            element.append(parse_xml(xml))
        self.current = rid


def _settings(doc: DocxDocument) -> None:
    settings = doc.settings.element
    # No w:updateFields: Word would ask on every open. PAGE and NUMPAGES update by themselves;
    # the contents' page numbers are filled in at export (`exporters.docx_pages`) where possible.
    for el in settings.findall(qn("w:updateFields")):
        settings.remove(el)


# -- the parts ------------------------------------------------------------------------------------------


def _cover(w: Writer, book: Book) -> None:
    c = book.cover
    w.add(para(run(" ")))
    w.add(para(run(" " + c.kind_label), "BbCoverKind", '<w:spacing w:before="400" w:after="0"/>'))
    w.add(para(run(" " + (c.subtitle or " ")), "BbCoverSub"))
    w.add(para(run(c.title), "BbCoverTitle"))
    for f in c.fields:
        w.add(para(run(f.label), "BbCoverLabel"))
        w.add(para(run(f.value), "BbCoverValue"))


def _toc(w: Writer, book: Book) -> None:
    # Not a Heading style: the contents must not list itself.
    h1 = HEADINGS[0]
    w.add(para(run("Contents", bold=True, colour=NAVY, size=h1.size, font=SANS), None,
             "<w:pageBreakBefore/>" + spacing(h1.before, h1.after)))
    lines = [(lvl, text, anchor) for lvl, text, anchor in book.toc() if lvl <= book.toc_depth]
    begin = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             f'<w:r><w:instrText xml:space="preserve"> TOC \\o "1-{book.toc_depth}" \\h \\z \\u </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
    if not lines:
        w.add(para(begin + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'))
        return
    for i, (level, text, anchor) in enumerate(lines):
        name = bookmark(anchor)
        entry = (
            f'<w:hyperlink w:anchor="{name}" w:history="1">{run(text)}<w:r><w:tab/></w:r>'
            + w.page_ref(anchor)
            + "</w:hyperlink>"
        )
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if i == len(lines) - 1 else ""
        w.add(para((begin if i == 0 else "") + entry + end, f"TOC{min(level, 2)}"))


def _summary(w: Writer, part: SummaryPart) -> None:
    w.heading(part.title, 1, part.anchor, page_break=True)
    if part.agenda:
        w.add(para(run("Agenda at a glance"), "BbLabel"))
        rows = [[cell(run(x), head=True) for x in ("#", "Ref", "Commitment", "Status")]]
        for a in part.agenda:
            title = (f'<w:hyperlink w:anchor="{bookmark(a.anchor)}" w:history="1">'
                     f"{run(a.title, colour=LINK)}</w:hyperlink>")
            status = (run("■ ", colour=a.status.colour.lstrip("#")) + run(a.status.label)) if a.status else run("—")
            rows.append([cell(run(str(a.number))), cell(run(a.ref)), cell(title), cell(status)])
        w.add(table(rows, [500, 900, TEXT_TWIPS - 500 - 900 - 1870, 1870]))
    if part.rows:
        w.add(para(run(f"Commitments by {part.scope_label.lower()} and status"), "BbLabel",
                 '<w:spacing w:before="240" w:after="40"/>'))
        if part.counted:
            w.add(para(run(f"Counts {part.counted}."), "BbMeta"))
        heads = [SHORT_STATUS_LABELS.get(s, label) for s, label, _c in part.statuses]
        rows = [[cell(run(part.scope_label), head=True)]
                + [cell(run(head), head=True, right=True) for head in heads]
                + [cell(run("Total"), head=True, right=True)]]
        for r in part.rows:
            rows.append([cell(run(shorten(f"{r.ref} {r.title}", 200)))]
                        + [cell(run(str(n) if n else "·"), right=True) for n in r.counts]
                        + [cell(run(str(r.total), bold=True), right=True)])
        rows.append([cell(run("Total", bold=True))]
                    + [cell(run(str(n), bold=True), right=True) for n in part.totals]
                    + [cell(run(str(sum(part.totals)), bold=True), right=True)])
        nums = [mm_twips(w) for w in status_column_widths_mm(s for s, _l, _c in part.statuses)]
        w.add(table(rows, [TEXT_TWIPS - sum(nums), *nums], last_bold=True))
        legend = "  ".join(f"{label}: {total}" for (_s, label, _c), total in zip(part.statuses, part.totals))
        w.add(para(run(legend), "BbMeta", '<w:spacing w:before="80" w:after="0"/>'))


def _badge(status: StatusInfo) -> str:
    colour = status.colour.lstrip("#")
    return (f'<w:r><w:rPr><w:rFonts w:ascii="{SANS}" w:hAnsi="{SANS}"/><w:b/><w:color w:val="FFFFFF"/>'
            f'<w:sz w:val="16"/><w:shd w:val="clear" w:color="auto" w:fill="{colour}"/></w:rPr>'
            f'<w:t xml:space="preserve"> {escape(status.label.upper())} </w:t></w:r>')


def _entry(w: Writer, e: Entry, page_break: bool) -> None:
    w.heading(e.heading, e.level, e.anchor, page_break=page_break)
    if e.full_title:  # the heading holds the short title: the whole one beneath it
        w.add(para(run(e.full_title), "BbFullTitle", "<w:keepNext/>"))
    context = e.context
    if e.agenda_number is not None and not e.running_head:
        context = f"Agenda item {e.agenda_number}" + (f" · {context}" if context else "")
    if context:
        w.add(para(run(context), "BbContext"))
    if e.lead_in:
        w.add(para(run("Lead-in ", bold=True) + run(e.lead_in), "BbMeta", "<w:keepNext/>"))
    meta: list[str] = []
    if e.status is not None:
        line = _badge(e.status)
        if e.status.changed_on:
            line += run("  " + status_since(e.status))
        meta.append(line)
    if e.counts:
        meta.append(run("   ").join(
            run("■ ", colour=status_colour(s).lstrip("#")) + run(f"{n} {status_label(s).lower()}")
            for s, n in e.counts
        ))
    if e.lead_office:
        meta.append(run(f"Lead office: {e.lead_office}"))
    # What sits under a heading keeps with what follows it, so the heading never ends a page alone.
    if meta:
        w.add(para(run("  ·  ").join(meta), "BbMeta", "<w:keepNext/>"))
    if e.status is not None and e.status.comment:
        w.add(para(run("Comment: ", bold=True) + run(e.status.comment), "BbMeta", "<w:keepNext/>"))
    for b in e.text:
        if isinstance(b, Para):
            w.add(para(w.spans(b.spans), "BbText"))
    if e.objective:
        w.add(para(run("Objective: ", bold=True) + run(e.objective), "BbObjective"))
    if e.children:
        w.add(para(run("Commitments under this heading"), "BbLabel"))
        for child in e.children:
            mark = run("■ ", colour=child.status.colour.lstrip("#")) if child.status else ""
            see = ""
            if child.agenda_number is not None:
                see = run(" — ") + (f'<w:hyperlink w:anchor="{bookmark(child.anchor)}" w:history="1">'
                                    f"{run(f'see item {child.agenda_number}', colour=LINK)}</w:hyperlink>")
            w.add(para(mark + run(child.ref, bold=True) + run(" " + child.title)
                     + (run(f" — {child.status.label}") if child.status else "") + see, "BbMeta"))
    if e.points:
        w.add(para(run("Points for this meeting"), "BbLabel"))
        w.blocks(e.points, "Normal")
    for group in e.note_groups:
        w.add(para(run(group.label), "BbLabel"))
        for note in group.notes:
            _note(w, note)
    if e.background[0]:
        annex, anchor = e.background
        w.add(para(run("Background: ") + f'<w:hyperlink w:anchor="{bookmark(anchor)}" w:history="1">'
                   + run(annex, colour=LINK, underline=True) + "</w:hyperlink>" + run(", page ")
                   + w.page_ref(anchor), "Normal", spacing(7, 3)))
    if e.citations:
        w.add(para(run("Sources"), "BbLabel"))
        for cite in e.citations:
            quote = run(f" — “{cite.quote}”") if cite.quote else ""
            w.add(para(run(f"[{cite.number}] ", bold=True) + run(cite.title) + quote, "BbMeta"))


def _kind_label(kind: str) -> str:
    return NOTE_KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def _note(w: Writer, note: BookNote) -> None:
    """A note: its text (a talking point numbered and shaded), then its byline, kept with its last lines."""
    talking = note.kind == "talking_point"
    start = len(w.parts)
    by = " · ".join(p for p in (note.author, note.written_on) if p)
    if note.annex:
        number = f"{note.number}. " if note.number else ""
        w.add(para(run(f"{number}{_kind_label(note.kind)}: see ")
                 + f'<w:hyperlink w:anchor="{bookmark(note.annex_anchor)}" w:history="1">'
                 + run(note.annex, colour=LINK, underline=True) + "</w:hyperlink>"
                 + run(", page ") + w.page_ref(note.annex_anchor)
                 + "", "Normal", "<w:keepNext/>" if by else ""))
    elif talking:
        first, rest = (note.blocks[0], note.blocks[1:]) if note.blocks and isinstance(note.blocks[0], Para) else (
            None, note.blocks)
        if first is not None:
            w.add(para(run(f"{note.number}.\t", bold=True) + w.spans(first.spans), "BbTalkingNumbered",
                     "<w:keepNext/>" if by and not rest else ""))
        w.blocks(rest, "BbTalkingNumbered", shade=TINT, keep_last=bool(by))
    else:
        w.blocks(note.blocks, "Normal", keep_last=bool(by) or bool(note.response))
    if note.response and not note.annex:
        w.add(para(run("Our response", bold=True, colour=NAVY, font=SANS, size=8.5), "BbResponse",
                   "<w:keepNext/>" + spacing(2, 0)))
        w.blocks(note.response, "BbResponse", keep_last=bool(by))
    if note.anchor and len(w.parts) > start:
        bid = w.next_bookmark()
        name = bookmark(note.anchor)
        w.parts[start] = w.parts[start].replace(
            "</w:pPr>", f'</w:pPr><w:bookmarkStart w:id="{bid}" w:name="{name}"/><w:bookmarkEnd w:id="{bid}"/>', 1
        ) if "</w:pPr>" in w.parts[start] else w.parts[start]
    if by:
        w.add(para(run(by), "BbSmall", '<w:ind w:left="440"/>' if talking else ""))


def _brief(w: Writer, part: BriefPart) -> None:
    """The steering page: purpose, objectives, key messages, their asks with our response, the main
    risks and the press line; every line with its reference and the page where it is set out."""
    w.heading(part.title, 1, part.anchor, page_break=True, outline=False)
    if part.purpose:
        w.add(para(run("Purpose"), "BbLabel"))
        w.add(para(run(part.purpose), "BbSteerBody"))
    if part.objectives:
        w.add(para(run("Objectives"), "BbLabel"))
        for i, objective in enumerate(part.objectives, start=1):
            w.add(para(run(f"{i}.\t", bold=True) + run(objective), "BbSteerItem"))
    for title, lines in (("Key messages", part.key_messages), ("If raised: their asks and our response", part.asks),
                         ("Main risks", part.risks)):
        if not lines:
            continue
        w.add(para(run(title), "BbLabel"))
        rows = []
        for k in lines:
            link = f'<w:hyperlink w:anchor="{bookmark(k.anchor)}" w:history="1">'
            text = para(link + run(k.text) + "</w:hyperlink>", "BbKeyLine")
            if k.response:
                text += para(run("Response: ", bold=True) + link + run(k.response) + "</w:hyperlink>", "BbKeyLine")
            rows.append([para(run(k.ref, bold=True, colour=NAVY), "BbKeyRef"), text,
                         para(w.page_ref(k.anchor), "BbKeyLine", '<w:jc w:val="right"/>')])
        w.add(plain_table(rows, [KEY_REF_TWIPS, TEXT_TWIPS - KEY_REF_TWIPS - KEY_PAGE_TWIPS, KEY_PAGE_TWIPS]))
    if part.press_line:
        w.add(para(run("Press line"), "BbLabel"))
        w.add(para(run(part.press_line), "BbSteerBody"))
    for notice in part.notices:
        w.add(para(run(notice), "BbMeta"))


def _agenda(w: Writer, part: AgendaPart) -> None:
    """The agenda page: each item with its time, lead office, status and page."""
    w.heading(part.title, 1, part.anchor, page_break=True, outline=False)
    # A column nobody has filled in (no programme yet, no lead office) is left out.
    timed = any(line.time for line in part.lines)
    led = any(line.lead for line in part.lines)
    heads = ["#", "Item", *(["Time"] if timed else []), *(["Lead"] if led else []), "Status", "Page"]
    rows = [[cell(run(h), head=True, right=h == "Page") for h in heads]]
    for a in part.lines:
        title = (f'<w:hyperlink w:anchor="{bookmark(a.anchor)}" w:history="1">{run(a.title, colour=LINK)}'
                 "</w:hyperlink>" + (run(f" ({a.ref})") if a.ref else ""))
        status = (run("■ ", colour=a.status.colour.lstrip("#")) + run(a.status.label)) if a.status else run("—")
        row = [cell(run(str(a.number))), cell(title)]
        if timed:
            row.append(cell(run(a.time)))
        if led:
            row.append(cell(run(a.lead or "—")))
        row += [cell(status), cell(w.page_ref(a.anchor), right=True)]
        rows.append(row)
    widths = [mm_twips(9), 0, *([mm_twips(16)] if timed else []), *([mm_twips(34)] if led else []), mm_twips(29),
              mm_twips(11)]
    widths[1] = TEXT_TWIPS - sum(widths)
    w.add(table(rows, widths))


def _changes(w: Writer, part: ChangesPart, page_break: bool = True) -> None:
    """The digest: one line per change listed, under the agenda item (or area) it belongs to, and
    what is not listed counted in one line."""
    w.heading(part.title, 1, part.anchor, page_break=page_break)
    if not part.groups and not part.rest:
        w.add(para(run(f"No status changes and no notes added or edited since {part.since}.")))
    for group in part.groups:
        w.add(para(run(group.title, bold=True, colour=NAVY, font=SANS), "BbMeta",
                 '<w:keepNext/><w:spacing w:before="160" w:after="40"/>'))
        for c in group.changes:
            w.add(para(
                run(c.when, bold=True) + run("   ") + run(c.ref, bold=True) + run("   " + c.what)
                + (run(f" — {c.by}") if c.by else "") + (run(": ") + run(c.words, italic=True) if c.words else ""),
                "BbDigest",
            ))
        if group.others:
            w.add(para(run(("Also: " if group.changes else "") + group.others + "."), "BbDigest"))
    if part.rest:
        w.add(para(run(part.rest), "BbDigest", spacing(8, 2)))


def _annex(w: Writer, part: AnnexPart) -> None:
    w.heading(part.title, 1, part.anchor, page_break=True)
    for item in part.items:
        w.heading(item.title, 2, item.anchor)
        by = " · ".join(p for p in (item.note.author, item.note.written_on) if p)
        if by:
            w.add(para(run(by), "BbSmall"))
        w.blocks(item.note.blocks, "Normal")
        if item.note.response:  # a long "if raised" note: our response follows their ask here too
            w.add(para(run("Our response", bold=True, colour=NAVY, font=SANS, size=8.5), "BbResponse",
                       "<w:keepNext/>" + spacing(2, 0)))
            w.blocks(item.note.response, "BbResponse")


def _sources(w: Writer, part: SourcesPart) -> None:
    w.heading(part.title, 1, part.anchor, page_break=True)
    for s in part.sources:
        where = ", ".join(x for x in (s.outlet, s.published) if x)
        w.add(para(run(f"[{s.number}]\t", bold=True) + run(s.title, bold=True) + run(".")
                 + (run(f" {where}.") if where else ""), "BbSource"))
        if s.url_text:
            w.add(para(w.spans((Span(s.url_text, href=s.url),)), "BbSourceMore"))
        if s.excerpt:
            w.add(para(run(s.excerpt, italic=True), "BbSourceMore"))
        for q in s.quotes:
            w.add(para(run(f"Cited at {q.ref}: ", bold=True) + run(f"“{q.quote}”"), "BbSourceMore"))
        if s.attachments:
            w.add(para(run("Attached in the briefing file: " + ", ".join(s.attachments)), "BbSourceMore"))


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
    w = Writer(doc, progress, cancelled, total, pages)
    sections = _Sections(doc, book)
    _cover(w, book)
    after_agenda = False
    for part in book.parts:
        if isinstance(part, BriefPart):  # the steering page comes straight after the cover
            _brief(w, part)
        elif isinstance(part, AgendaPart):  # then the agenda
            _agenda(w, part)
            after_agenda = True
    if book.contents:
        _toc(w, book)
    in_items = False
    for part in book.parts:
        w.tick()
        if isinstance(part, SummaryPart):
            _summary(w, part)
        elif isinstance(part, TextPart):
            w.heading(part.title, 1, part.anchor, page_break=True)
            w.blocks(part.blocks, "Normal")
        elif isinstance(part, EntriesPart):
            if part.title and not any(e.new_page for e in part.entries[:1]):
                w.heading(part.title, 1, part.anchor, page_break=True)
            for e in part.entries:
                w.tick()
                if e.new_page:  # a section of its own: a new page, its header naming the item
                    sections.start(w, e.running_head or e.heading)
                    in_items = True
                _entry(w, e, page_break=False)
        elif isinstance(part, ChangesPart):
            if in_items:
                sections.start(w, None)
                in_items = False
            _changes(w, part, page_break=not after_agenda or bool(book.contents))
        elif isinstance(part, AnnexPart | SourcesPart):
            if in_items:
                sections.start(w, None)
                in_items = False
            if isinstance(part, AnnexPart):
                _annex(w, part)
            else:
                _sources(w, part)
    if in_items:  # the last item's section ends where the body's properties are
        sections.end()

    body = doc.element.body
    sect = body.find(qn("w:sectPr"))
    for el in list(body):
        if el is not sect:
            body.remove(el)
    xml = "".join(w.parts)
    if CJK.search(xml) is not None or CJK.search(book.title) is not None:
        # The glyphs of the body, its headers (the title, the items' running heads) and the marking.
        heads = "".join(e.running_head for e in book.entries())
        embed_japanese(doc, bold=True, text=xml + book.title + heads + book.classification)
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


