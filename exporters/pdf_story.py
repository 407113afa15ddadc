"""The book (`exporters.book_model`) as a story of flowables, in reading order.

User text reaches Paragraph markup only through `fonts.markup`, which
escapes it, so nothing in a note is obeyed. Bulk paragraphs hold one plain
run each (no tags): ReportLab lays those out several times faster than
mixed ones, which matters for a 1,000-page book.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from db.model.values import NOTE_KIND_LABELS
from exporters import fonts
from exporters.book_model import (
    AgendaPart,
    AnnexPart,
    Book,
    BookNote,
    BriefPart,
    ChangesPart,
    EntriesPart,
    Entry,
    KeyLine,
    SourcesPart,
    SummaryPart,
    TextPart,
)
from exporters.fonts import SANS, SERIF
from exporters.markdown import TASK_MARKS, Block, BulletList, Para, Span
from exporters.markdown import Table as MdTable
from exporters.measure import column_widths
from exporters.pdf_flowables import BookParagraph as _P  # short: nearly every line below makes one
from exporters.pdf_flowables import (
    BookTable,
    Contents,
    Line,
    PageRef,
    StatusChart,
    StatusLine,
    anchored,
    heading,
    keep,
)
from exporters.pdf_styles import GREY, LINK, MARGIN_B, MARGIN_T, NAVY, PAGE_H, RULE, TEXT_W, Styles, styles
from exporters.style import (
    CELL,
    LABEL,
    SHORT_STATUS_LABELS,
    SOURCE_INDENT,
    SOURCE_MORE,
    TOTAL_ROW,
    status_colour,
    status_column_widths_mm,
    status_label,
)
from exporters.text import escape, shorten, status_since

# Long user paragraphs are cut into pieces of about this many characters:
# ReportLab re-wraps the rest of a paragraph at every page it splits, so one
# 100,000-character note would otherwise cost minutes.
_PIECE = 3000


def _text(text: str, family: str = SERIF) -> str:
    return fonts.markup(text, family)


def _spans(spans: Iterable[Span], family: str = SERIF) -> str:
    out: list[str] = []
    for s in spans:
        if s.text == "\n":
            out.append("<br/>")
            continue
        piece = "<br/>".join(fonts.markup(line, SANS if s.code else family, s.bold, s.italic)
                             for line in s.text.split("\n"))
        if s.code:
            piece = f'<font name="{fonts.face(SANS)}" size="9">{piece}</font>'
        if s.strike:
            piece = f"<strike>{piece}</strike>"
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
            current.append(Span(text[:cut], s.bold, s.italic, s.code, s.href, s.strike))
            out.append(tuple(current))
            current, size, text = [], 0, text[cut:]
        if text:
            current.append(Span(text, s.bold, s.italic, s.code, s.href, s.strike))
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
    heads: list[int] = []  # a note's own headings ("## Costs"): each kept with what follows it
    for b in blocks:
        if isinstance(b, Para):
            st = style if depth == 0 else _indented(bullet_style, depth)
            if b.heading:
                heads.append(len(out))
            out.extend(_paragraphs(b.spans, st))
        elif isinstance(b, MdTable):
            out.append(_md_table(b, style.leftIndent))
        elif isinstance(b, BulletList):
            st = _indented(bullet_style, depth)
            for index, item in enumerate(b.items):
                n = b.start + index
                task = b.task(index)
                mark = f"{n}." if b.ordered else ("•" if depth % 2 == 0 else "–")
                first = True
                for inner in item:
                    if isinstance(inner, Para) and first:
                        spans = inner.spans
                        if task is not None:  # the box in the text: the bullet's face has no glyph for it
                            spans = (Span(TASK_MARKS[task] + " "), *spans)
                        out.extend(_paragraphs(spans, st, bullet=mark))
                        first = False
                    else:
                        out.extend(_blocks((inner,), st, bullet_style, depth + 1))
    for i in heads:
        keep(out[i], out[i + 1:i + 2], lines=1)
    return out


def _md_table(t: MdTable, indent: float) -> Flowable:
    """A note's Markdown table as a table: a shaded header row, hairlines, columns sized to their
    content and aligned as typed (the same widths as the Word file's: `measure.column_widths`)."""
    st = styles()
    cols = max(len(t.header), 1)
    align = [*t.align, *["left"] * cols][:cols]
    texts = [["".join(s.text for s in cell) for cell in row] for row in (t.header, *t.rows)]
    widths = column_widths(texts, TEXT_W - indent, CELL.size, 6 + 2)  # the cell padding, and a little slack
    rows = [[_P(_spans(cell, SANS) or " ", _aligned(st.md_cell_head, align[c])) for c, cell in enumerate(t.header)]]
    rows += [[_P(_spans(cell, SANS) or " ", _aligned(st.md_cell, align[c])) for c, cell in enumerate(row)]
             for row in t.rows]
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    ts = TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.face(SANS)),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(TOTAL_ROW)),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.6, NAVY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ])
    table.setStyle(ts)
    table.spaceBefore, table.spaceAfter = 2, 5
    return table


@lru_cache(maxsize=16)
def _aligned(style: ParagraphStyle, align: str) -> ParagraphStyle:
    """`style` set left, centred or right, as a Markdown table's column says."""
    if align not in ("center", "right"):
        return style
    return ParagraphStyle(f"{style.name}-{align}", parent=style, alignment=TA_CENTER if align == "center" else TA_RIGHT)


@lru_cache(maxsize=64)
def _indented(style: ParagraphStyle, depth: int) -> ParagraphStyle:
    if depth == 0:
        return style
    return ParagraphStyle(
        f"{style.name}-{depth}", parent=style,
        leftIndent=style.leftIndent + 14 * depth, bulletIndent=style.bulletIndent + 14 * depth,
    )



def _cover(book: Book, st: Styles) -> list[Flowable]:
    c = book.cover
    out: list[Flowable] = [_P(_text(c.title, SANS), st.cover_title)]
    out.append(HRFlowable(width="100%", thickness=0.8, color=RULE, spaceBefore=6, spaceAfter=4))
    for f in c.fields:
        out.append(_P(escape(f.label.upper()), st.cover_label))
        for piece in _pieces((Span(f.value),)):
            out.append(_P(_spans(piece), st.cover_value))
    return out


def _brief(part: BriefPart, st: Styles) -> list[Flowable]:
    """The steering page: purpose, objectives, key messages, their asks with our response, the main
    risks and the press line; every line with its reference and the page where it is set out."""
    out: list[Flowable] = [heading(part.title, st.h1, 1, part.anchor, False)]
    if part.purpose:
        purpose = _paragraphs((Span(part.purpose),), st.steer_body)
        out += [_label("Purpose", purpose), *purpose]
    if part.objectives:
        objectives = [_P(_text(o, SANS), st.steer_item, bulletText=f"{i}.") for i, o in enumerate(part.objectives, 1)]
        out += [_label("Objectives", objectives), *objectives]
    for title, lines in (("Key messages", part.key_messages), ("If raised: their asks and our response", part.asks),
                         ("Main risks", part.risks)):
        if lines:
            table = _steering_table(lines, st)
            out += [_label(title, [table]), table]
    if part.press_line:
        press = _paragraphs((Span(part.press_line),), st.steer_body)
        out += [_label("Press line", press), *press]
    for notice in part.notices:
        out.append(_P(_text(notice, SANS), st.meta))
    return out


def _steering_table(lines: tuple[KeyLine, ...], st: Styles) -> Flowable:
    """Key lines as rows: the reference, the sentence (a link to where the note is set out), its page."""
    rows = []
    for k in lines:
        text = [_P(f'<a href="#{k.anchor}">{_text(k.text, SANS)}</a>', st.steer_line)]
        if k.response:
            text.append(_P(f'<b>Response:</b> <a href="#{k.anchor}">{_text(k.response, SANS)}</a>', st.steer_line))
        ref = f"{k.ref}" if k.ref else ""
        rows.append([_P(_text(ref, SANS), st.steer_ref), text, PageRef(k.anchor, st.steer_line.leading, 8.5)])
    ref_w, page_w = 52.0, 28.0
    table = Table(rows, colWidths=[ref_w, TEXT_W - ref_w - page_w, page_w], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.face(SANS)),  # ReportLab's default cell face is not embedded
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (1, 0), (1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return table


def _agenda(part: AgendaPart, st: Styles) -> list[Flowable]:
    """The agenda page: each item with its time, lead office, status and page."""
    out: list[Flowable] = [heading(part.title, st.h1, 1, part.anchor, False)]
    # A column nobody has filled in (no programme yet, no lead office) is left out.
    timed = any(line.time for line in part.lines)
    led = any(line.lead for line in part.lines)
    head = ["#", "Item", *(["Time"] if timed else []), *(["Lead"] if led else []), "Status", "Page"]
    rows: list[list[object]] = [[_P(h, st.cell_head) for h in head]]
    for a in part.lines:
        status = f'<font color="{a.status.colour}">■</font> {escape(a.status.label)}' if a.status else "—"
        title = f'<a href="#{a.anchor}">{_text(a.title, SANS)}</a>' + (f" ({_text(a.ref, SANS)})" if a.ref else "")
        row: list[object] = [_P(str(a.number), st.cell), _P(title, st.cell)]
        if timed:
            row.append(_P(_text(a.time, SANS), st.cell))
        if led:
            row.append(_P(_text(a.lead, SANS) or "—", st.cell))
        row += [_P(status, st.cell), PageRef(a.anchor, 10.5, 8.5)]
        rows.append(row)
    widths = [9 * mm, 0.0, *([16 * mm] if timed else []), *([34 * mm] if led else []), 29 * mm, 11 * mm]
    widths[1] = TEXT_W - sum(widths)
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(_table_style())
    return [*out, table, Spacer(1, 8)]


def _toc(book: Book, st: Styles) -> tuple[list[Flowable], Contents]:
    lines = [(level - 1, _text(fonts.drawable(text, SANS), SANS), anchor)
             for level, text, anchor in book.toc() if level <= book.toc_depth]
    toc = Contents(lines, list(st.toc))
    return [_P("Contents", st.h1), toc], toc


def _summary(part: SummaryPart, st: Styles) -> list[Flowable]:
    out: list[Flowable] = [heading(part.title, st.h1, 1, part.anchor, True)]
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
                _P(f'<a href="#{a.anchor}">{_text(a.title, SANS)}</a>', st.cell),
                _P(status, st.cell),
            ])
        t = Table(rows, colWidths=[9 * mm, 16 * mm, TEXT_W - 9 * mm - 16 * mm - 33 * mm, 33 * mm], repeatRows=1)
        t.setStyle(_table_style())
        out += [t, Spacer(1, 10)]
    if part.rows:
        out.append(_P(f"Commitments by {part.scope_label.lower()} and status", st.label))
        if part.counted:
            out.append(_P(_text(f"Counts {part.counted}.", SANS), st.meta))
        head = [_P(part.scope_label, st.cell_head)] + [
            _P(escape(SHORT_STATUS_LABELS.get(s, label)).replace("\n", "<br/>"), st.cell_head)
            for s, label, _c in part.statuses
        ] + [_P("Total", st.cell_head)]
        rows = [head]
        for r in part.rows:
            rows.append(
                [_P(_text(shorten(f"{r.ref} {r.title}", 200), SANS), st.cell)]
                + [_P(str(n) if n else "·", st.cell_num) for n in r.counts]
                + [_P(f"<b>{r.total}</b>", st.cell_num)]
            )
        rows.append(
            [_P("<b>Total</b>", st.cell)]
            + [_P(f"<b>{n}</b>", st.cell_num) for n in part.totals]
            + [_P(f"<b>{sum(part.totals)}</b>", st.cell_num)]
        )
        num_ws = [w * mm for w in status_column_widths_mm(s for s, _l, _c in part.statuses)]
        t = BookTable(rows, colWidths=[TEXT_W - sum(num_ws), *num_ws], repeatRows=1, total_row=True)
        ts = _table_style()
        ts.add("LINEABOVE", (0, -1), (-1, -1), 0.8, NAVY)
        ts.add("BACKGROUND", (0, -1), (-1, -1), colors.HexColor(TOTAL_ROW))
        t.setStyle(ts)
        out += [t, Spacer(1, 12)]
        out.append(KeepTogether([_P("Chart", st.label), StatusChart(part, TEXT_W)]))
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


def _entry(e: Entry, st: Styles) -> list[Flowable]:
    level = min(e.level, 4)
    head: list[Flowable] = [heading(e.heading, st.heading(level), level, e.anchor, e.in_toc)]
    if e.running_head:
        head[0].bb_running = e.running_head
    if e.full_title:  # the heading holds the short title: the whole one beneath it
        head.extend(_paragraphs((Span(e.full_title),), st.full_title))
    context = e.context
    if e.agenda_number is not None and not e.running_head:
        context = f"Agenda item {e.agenda_number}" + (f" · {context}" if context else "")
    if context:
        head.append(Line(context, SANS, 8.5, GREY, after=2))
    if e.lead_in:
        # Upright: a sans italic face would be one more font to read and embed, for one line.
        head.extend(_paragraphs((Span("Lead-in ", bold=True), Span(e.lead_in)), st.meta))
    if e.status is not None:
        after = ""
        if e.status.changed_on:
            after = status_since(e.status)
        head.append(StatusLine(e.status, after))
    meta: list[str] = []
    if e.counts:
        meta.append(" &nbsp; ".join(
            f'<font color="{status_colour(s)}">■</font> {n} {escape(status_label(s).lower())}' for s, n in e.counts
        ))
    if e.lead_office:
        meta.append(f"Lead office: {_text(e.lead_office, SANS)}")
    if meta:
        head.append(_P(" &nbsp;·&nbsp; ".join(meta), st.meta))
    if e.status is not None and e.status.comment:
        head.extend(_paragraphs((Span("Comment: ", bold=True), Span(e.status.comment)), st.meta))
    out: list[Flowable] = head
    for b in e.text:
        if isinstance(b, Para):
            out.extend(_paragraphs(b.spans, st.entry_text))
    # The heading and everything under it stay on one page with the first paragraph of its text
    # (which splits only leaving two lines each side), or with a few lines of what follows.
    if len(out) > len(head):
        keep(head[0], out[1:len(head) + 1], 0.5)
    else:
        keep(head[0], head[1:], 3)
    if e.objective:
        objective = _paragraphs((Span("Objective: ", bold=True), Span(e.objective)), st.objective)
        out += objective
    if e.children:
        out.append(_label("Commitments under this heading"))
        for child in e.children:
            mark = f'<font color="{child.status.colour}">■</font> ' if child.status else ""
            line = (f"{mark}<b>{_text(child.ref, SANS)}</b> {_text(child.title, SANS)}"
                    + (f" — {escape(child.status.label)}" if child.status else ""))
            if child.agenda_number is not None:
                line += f' — <a href="#{child.anchor}" color="{LINK}">see item {child.agenda_number}</a>'
            out.append(_P(line, st.meta))
    if e.points:
        points = _blocks(e.points, st.note, st.bullet)
        out += [_label("Points for this meeting", points), *points]
    for group in e.note_groups:
        notes = [_note(note, st) for note in group.notes]
        out.append(_label(group.label, notes[0]))
        for flowables in notes:
            out.extend(flowables)
    if e.background[0]:
        annex, anchor = e.background
        out.append(Line(f"Background: {annex}, page", SANS, 9, colors.black, before=LABEL.before, leading=13,
                        after=2, page_of=anchor, anchor_link=anchor))
    if e.citations:
        cites: list[Flowable] = []
        for cite in e.citations:
            text = f"[{cite.number}] {cite.title}" + (f" — “{cite.quote}”" if cite.quote else "")
            cites.extend(_paragraphs((Span(text),), st.meta))
        out += [_label("Sources", cites), *cites]
    return out


def _label(text: str, what: list[Flowable] | None = None, lines: float = 1) -> Flowable:
    """A small capitals heading inside an entry ("TALKING POINTS"), kept with the start of what it
    introduces (its first two flowables: a first paragraph and, say, the byline kept with it)."""
    return keep(Line(text.upper(), SANS, LABEL.size, NAVY, bold=True, before=LABEL.before, after=LABEL.after,
                     leading=11), (what or [])[:2], lines=lines)


def _note(note: BookNote, st: Styles) -> list[Flowable]:
    """A note: its text (a talking point numbered and shaded; an ask with our response), then its
    byline (the desk's edition), kept with its last lines."""
    talking = note.kind == "talking_point"
    by = " · ".join(p for p in (note.author, note.written_on) if p)
    if note.annex:
        label = f"{note.number}. " if note.number else ""
        line = Line(f"{label}{_kind_label(note.kind)}: see {note.annex}, page", SANS, 9, colors.black,
                    leading=13, after=2, page_of=note.annex_anchor, anchor_link=note.annex_anchor)
        out: list[Flowable] = [line]
    elif talking:
        out = _numbered(note.blocks, note.number, st)
    else:
        out = _blocks(note.blocks, st.note, st.bullet)
    if note.response and not note.annex:
        answer = _blocks(note.response, st.response, st.bullet)
        response = Line("Our response", SANS, 8.5, NAVY, bold=True, before=2, leading=11, indent=10)
        keep(response, answer[:1], lines=0)
        out += [response, *answer]
    if by:
        byline = Line(by, SANS, 8, GREY, after=5, leading=10, indent=st.talking_numbered.leftIndent if talking else 0)
        if out:
            keep(out[-1], [byline], lines=0)  # no byline alone at the top of a page
        out.append(byline)
    elif out:
        out.append(Spacer(1, 3))  # the principal's: no byline, a little air between two notes
    if out and note.anchor:
        anchored(out[0], note.anchor)
    return out


def _numbered(blocks: tuple[Block, ...], number: int, st: Styles) -> list[Flowable]:
    """A talking point as its own numbered item: the number hangs beside its first paragraph."""
    if blocks and isinstance(blocks[0], Para):
        return (_paragraphs(blocks[0].spans, st.talking_numbered, bullet=f"{number}.")
                + _blocks(blocks[1:], st.talking_numbered, st.talking_bullet))
    return [_P(f"{number}.", st.talking_numbered), *_blocks(blocks, st.talking_numbered, st.talking_bullet)]


def _kind_label(kind: str) -> str:
    return NOTE_KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def _changes(part: ChangesPart, st: Styles) -> list[Flowable]:
    """The digest: one line per change listed, under the agenda item (or area) it belongs to, and
    what is not listed counted in one line."""
    out: list[Flowable] = [heading(part.title, st.h1, 1, part.anchor, True)]
    if not part.groups and not part.rest:
        out.append(_P(f"No status changes and no notes added or edited since {escape(part.since)}.", st.body))
    for group in part.groups:
        out.append(keep(_P(_text(group.title, SANS), st.h4), lines=2))
        for c in group.changes:
            line = (f"<b>{escape(c.when)}</b> &nbsp; <b>{_text(c.ref, SANS)}</b> &nbsp; {_text(c.what, SANS)}"
                    + (f" — {_text(c.by, SANS)}" if c.by else "")
                    + (f": <i>{fonts.markup(c.words, SANS, italic=True)}</i>" if c.words else ""))
            out.append(_P(line, st.change))
        if group.others:
            out.append(_P(_text(("Also: " if group.changes else "") + group.others + ".", SANS), st.change))
    if part.rest:
        out.append(_P(_text(part.rest, SANS), st.change_rest))
    return out


def _annex(part: AnnexPart, st: Styles) -> list[Flowable]:
    out: list[Flowable] = [heading(part.title, st.h1, 1, part.anchor, True)]
    for i, item in enumerate(part.items):
        if i:
            out.append(CondPageBreak(_THIRD))
        out.append(anchored(heading(item.title, st.h2, 2, item.anchor, True), item.anchor))
        note = item.note
        by = " · ".join(p for p in (note.author, note.written_on) if p)
        if by:
            out.append(Line(by, SANS, 8, GREY, after=6, leading=10))
        out.extend(_blocks(note.blocks, st.note, st.bullet))
        if note.response:  # a long "if raised" note: our response follows their ask here too
            answer = _blocks(note.response, st.response, st.bullet)
            out += [keep(Line("Our response", SANS, 8.5, NAVY, bold=True, before=2, leading=11, indent=10),
                         answer[:1], lines=0), *answer]
    return out


def _sources(part: SourcesPart, st: Styles) -> list[Flowable]:
    out: list[Flowable] = [heading(part.title, st.h1, 1, part.anchor, True)]
    for s in part.sources:
        # One plain paragraph a line (see the module's docstring): title, where, address, excerpt, quotes.
        title = _P(_text(f"[{s.number}]  {s.title}"), st.source)
        more: list[Flowable] = []
        where = ", ".join(x for x in (s.outlet, s.published) if x)
        size, indent = SOURCE_MORE.size, SOURCE_INDENT
        if where:
            more.append(Line(where, SANS, size, GREY, leading=11.5, indent=indent))
        if s.url_text:
            # One line and one link, however long the address: the line shows its start.
            more.append(Line(s.url_text, SANS, size, colors.HexColor(LINK) if s.url else GREY, leading=11.5,
                             indent=indent, href=s.url))
        if s.excerpt:
            more.extend(_paragraphs((Span(s.excerpt),), st.source_excerpt))
        for q in s.quotes:
            more.extend(_paragraphs((Span(f"Cited at {q.ref}: “{q.quote}”"),), st.source_more))
        if s.attachments:
            more.append(_P(_text("Attached in the briefing file: " + ", ".join(s.attachments), SANS), st.source_more))
        out += [keep(title, more, lines=0), *more]  # an entry is not split across pages
    return out


#: An area, the digest of changes and the sources start on a new page only when less than a
#: third of this one is left (a page holding one line of the digest, then white, is a wasted page).
_THIRD = (PAGE_H - MARGIN_T - MARGIN_B) / 3


def build_story(book: Book) -> tuple[list[Flowable], Contents | None]:
    """The book's flowables from the cover to the last part, and the contents among them (None:
    the book has none; the principal's pack has its agenda page)."""
    st = styles()
    story: list[Flowable] = [NextPageTemplate("body")]
    story += _cover(book, st)
    for part in book.parts:
        if isinstance(part, BriefPart):  # the steering page comes straight after the cover
            story.append(PageBreak())
            story += _running(_brief(part, st), part.title)
        elif isinstance(part, AgendaPart):  # then the agenda
            story.append(PageBreak())
            story += _running(_agenda(part, st), part.title)
    contents = None
    if book.contents:
        story.append(PageBreak())
        toc_flowables, contents = _toc(book, st)
        story += _running(toc_flowables, "Contents")
    for part in book.parts:
        if isinstance(part, SummaryPart):
            story.append(PageBreak())
            story += _running(_summary(part, st), part.title)
        elif isinstance(part, TextPart):
            story.append(CondPageBreak(60 * mm))
            story += _running([heading(part.title, st.h1, 1, part.anchor, True)], part.title)
            story += _blocks(part.blocks, st.body, st.bullet)
        elif isinstance(part, EntriesPart):
            if part.title and not any(e.new_page for e in part.entries[:1]):
                story.append(CondPageBreak(_THIRD))  # after the status summary, on its page if it has room
                story += _running([heading(part.title, st.h1, 1, part.anchor, True)], part.title)
            for e in part.entries:
                if e.new_page:
                    story.append(PageBreak())
                elif e.level == 1 and not part.title:
                    story.append(CondPageBreak(_THIRD))
                story += _entry(e, st)
        elif isinstance(part, ChangesPart):
            story.append(CondPageBreak(_THIRD))
            story += _running(_changes(part, st), part.title)
        elif isinstance(part, AnnexPart):
            story.append(PageBreak())
            story += _running(_annex(part, st), part.title)
        elif isinstance(part, SourcesPart):
            story.append(CondPageBreak(_THIRD))
            story += _running(_sources(part, st), part.title)
    return story, contents


def _running(flowables: list[Flowable], head: str) -> list[Flowable]:
    """A part's flowables, its first one naming the part in the running header from there on."""
    if flowables:
        flowables[0].bb_running = head
    return flowables
