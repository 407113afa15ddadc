"""The one place a briefing book (`exporters.book_model`) is built from a file.

`build_meeting_book` and `build_plan_book` read the file through the facade's
bulk reads only (`nodes`, `notes_for`, `sources_for`, `status_history_for`,
`status_changes_since`, `agenda`): a 2,000-commitment book
costs a handful of queries, not one per commitment.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from db.briefing.facade import Briefing
from db.model.errors import Cancelled, InvalidInput, NotFound
from db.model.history import without_undone
from db.model.tree import status_counts_of, status_tally, with_descendants
from db.model.values import (
    NOTE_KIND_LABELS,
    NOTE_KINDS,
    RETIRED_MARK,
    STATUS_LABELS,
    STATUSES,
    TRACKED_KINDS,
    LinkedSource,
    NodeInfo,
    NoteInfo,
    StatusChange,
)
from exporters.book_model import (
    CANCELLED,
    AgendaRow,
    AnnexItem,
    AnnexPart,
    Book,
    BookNote,
    CancelCheck,
    ChildLine,
    Citation,
    Cover,
    CoverField,
    EntriesPart,
    Entry,
    KeyLine,
    NoteGroup,
    Part,
    Progress,
    QuoteLine,
    StatusInfo,
    SummaryPart,
    SummaryRow,
    TextPart,
)
from exporters.book_parts import KEY_KINDS, NOTE_ORDER, annex_letter, brief_part, changes_part, sources_part
from exporters.markdown import Block, Para, parse_markdown, plain_blocks, plain_text
from exporters.style import status_colour
from exporters.text import clean, human_date, shorten, today_iso

# -- options -----------------------------------------------------------------------


@dataclass(frozen=True)
class BookOptions:
    since: str | None = None  # ISO date: list status changes and notes added since then
    classification: str | None = None  # overrides the meeting's marking
    default_classification: str = ""  # the marking when neither the meeting nor `classification` gives one
    note_kinds: tuple[str, ...] | None = None  # None: every kind
    include_sources: bool = True
    prepared_by: str | None = None  # default: the file's user
    generated_on: str | None = None  # ISO date; default: today
    long_note_words: int = 300  # a longer note goes to an annex, with a pointer where it belongs

    def __post_init__(self) -> None:
        if self.note_kinds is not None:
            unknown = [k for k in self.note_kinds if k not in NOTE_KINDS]
            if unknown:
                raise InvalidInput(f"{unknown[0]!r} is not a note kind; use one of: {', '.join(NOTE_KINDS)}.")
        if self.since is not None:
            from db.model.ids import partial_date

            try:
                partial_date(self.since)
            except ValueError as exc:
                raise InvalidInput(str(exc)) from None


# -- building ----------------------------------------------------------------------


@dataclass
class _Ctx:
    """What one build has read, and the source numbering it has handed out."""

    briefing: Briefing
    options: BookOptions
    nodes: dict[str, NodeInfo]
    children: dict[str | None, list[NodeInfo]]
    progress: Progress | None
    cancelled: CancelCheck | None
    notes: dict[str, list[NoteInfo]] = field(default_factory=dict)
    sources: dict[str, list[LinkedSource]] = field(default_factory=dict)
    history: dict[str, list[StatusChange]] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)  # source id -> [n]
    cited: dict[str, LinkedSource] = field(default_factory=dict)
    quotes: dict[str, list[QuoteLine]] = field(default_factory=lambda: defaultdict(list))
    anchors: int = 0
    annex: list[AnnexItem] = field(default_factory=list)
    summary_page: bool = False  # a meeting book: its summary page lists the key notes
    key_lines: dict[str, list[KeyLine]] = field(default_factory=lambda: defaultdict(list))  # note kind -> lines

    @functools.cached_property
    def status_counts(self) -> dict[str, dict[str, int]]:
        """Per area/item: the statuses of the commitments below it (counted once per build)."""
        return status_counts_of(list(self.nodes.values()))

    def anchor(self) -> str:
        self.anchors += 1
        return f"bb{self.anchors}"

    def check(self, done: int, total: int) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled(CANCELLED)
        if self.progress is not None:
            self.progress(done, total)


def build_meeting_book(
    briefing: Briefing,
    meeting_id: str,
    options: BookOptions | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> Book:
    """The pack for one meeting: a summary page, its agenda in order, each entry with everything known about it.

    An area or item on the agenda carries its own notes and, under it, every
    commitment below it that has notes, with those notes.
    """
    options = options or BookOptions()
    meeting = briefing.meeting(meeting_id)
    agenda = briefing.agenda(meeting_id)
    ctx = _context(briefing, options, None, progress, cancelled)
    ctx.summary_page = True
    agenda = [a for a in agenda if a.node_id in ctx.nodes]
    scope = _with_descendants(ctx, [a.node_id for a in agenda])
    _read_bulk(ctx, scope)

    entries: list[Entry] = []
    agenda_rows: list[AgendaRow] = []
    groups: list[tuple[str, list[str]]] = []  # digest groups: agenda entry heading, the nodes it covers
    for number, item in enumerate(agenda, start=1):
        ctx.check(number, len(agenda))
        node = ctx.nodes[item.node_id]
        entry = _entry(ctx, node, level=2, in_toc=True, number=number, points=item.points, list_children=True)
        entries.append(entry)
        # At a glance: one or two lines a row (the heading has the whole title).
        agenda_rows.append(AgendaRow(number, node.ref, shorten(full_title(node), 110), entry.status, entry.anchor))
        covered = _with_descendants(ctx, [node.id])
        groups.append((f"Agenda item {number}: {shorten(entry.heading, 90)}", covered))
        for below in covered[1:]:
            child = ctx.nodes[below]
            if child.kind in TRACKED_KINDS and _has_notes(ctx, child.id):
                entries.append(_entry(ctx, child, level=3, in_toc=False, number=None))

    plan_ids = list(dict.fromkeys(ctx.nodes[a.node_id].plan_id for a in agenda))
    plans = [briefing.plan(pid) for pid in plan_ids]
    classification = clean(options.classification if options.classification is not None else meeting.classification)
    classification = classification.strip() or clean(options.default_classification).strip()
    title = clean(meeting.title)
    subtitle = "; ".join(clean(p.title) for p in plans)
    prepared_by = clean(options.prepared_by or briefing.user)
    cover = Cover(
        kind_label="Meeting brief",
        title=title,
        subtitle=subtitle,
        fields=_fields(
            ("Date", human_date(meeting.date, unknown="to be confirmed")),
            ("Place", clean(meeting.place)),
            ("Participants", clean(meeting.participants)),
            ("Purpose", clean(meeting.purpose)),
            ("Prepared by", prepared_by),
            ("Generated on", human_date(options.generated_on or today_iso())),
        ),
        classification=classification,
    )
    warnings: list[str] = []
    if not classification:
        warnings.append("The pack has no classification marking; give one (the meeting's, --classification, "
                        "or a default in the preferences) if it needs one.")
    parts: list[Part] = []
    notices: list[str] = []
    if not agenda:
        notices.append("The agenda of this meeting is empty: put commitments on it to brief them here.")
        warnings.append("The meeting's agenda is empty: the pack holds only its cover and summary page.")
    elif not any(e.note_groups or e.points for e in entries):
        notices.append("No notes or meeting points have been written for this agenda yet.")
        warnings.append("No notes or meeting points have been written for this agenda yet.")
    parts.append(brief_part(ctx.anchor(), clean(meeting.purpose), ctx.key_lines, notices))
    tracked = {nid for nid in scope if ctx.nodes[nid].kind in TRACKED_KINDS}
    summary_nodes = [n for pid in plan_ids for n in ctx.children.get(None, []) if n.plan_id == pid]
    n = len(tracked)
    counted = f"the {n} commitment{'s' if n != 1 else ''} on the agenda, each counted once"
    parts.append(_summary(ctx, summary_nodes, "Area", tuple(agenda_rows), tracked, counted, "Status of the agenda"))
    parts.append(EntriesPart(ctx.anchor(), "Agenda", tuple(entries)))
    _tail_parts(ctx, parts, scope, plan_ids, groups)
    return Book(
        title=title,
        subject=f"Meeting brief: {title}" + (f" ({human_date(meeting.date)})" if meeting.date else ""),
        author=prepared_by,
        classification=classification,
        cover=cover,
        parts=tuple(parts),
        toc_depth=2,
        warnings=tuple(warnings),
    )


def build_plan_book(
    briefing: Briefing,
    plan_id: str,
    area_ref: str | None = None,
    options: BookOptions | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> Book:
    """The book of a whole plan, or of one of its areas: every node in plan order."""
    options = options or BookOptions()
    plan = briefing.plan(plan_id)
    ctx = _context(briefing, options, plan_id, progress, cancelled)
    areas = ctx.children.get(None, [])
    if area_ref is not None:
        wanted = area_ref.strip().rstrip(".")
        areas = [a for a in areas if a.ref == wanted]
        if not areas:
            raise NotFound(f"The plan has no area {area_ref!r}.")
    scope = _with_descendants(ctx, [a.id for a in areas])
    _read_bulk(ctx, scope)

    entries: list[Entry] = []
    total = len(scope)
    for area in areas:
        for node, depth in _walk(ctx, area):
            entries.append(_entry(ctx, node, level=depth + 1, in_toc=depth < 2, number=None))
            if len(entries) % 50 == 0:
                ctx.check(len(entries), total)
    plan_title = clean(plan.title)
    if area_ref is not None:
        area = areas[0]
        title = f"{area.ref} {clean(area.title)}"
        kind_label = "Area briefing"
    else:
        title = plan_title
        kind_label = "Plan briefing book"
    classification = clean(options.classification or "").strip() or clean(options.default_classification).strip()
    prepared_by = clean(options.prepared_by or briefing.user)
    cover = Cover(
        kind_label=kind_label,
        title=title,
        subtitle=plan_title if area_ref is not None else "",
        fields=_fields(
            ("Parties", ", ".join(clean(p) for p in plan.parties)),
            ("Period", clean(plan.period or "")),
            ("Adopted on", human_date(plan.adopted_on)),
            ("Prepared by", prepared_by),
            ("Generated on", human_date(options.generated_on or today_iso())),
        ),
        classification=classification,
    )
    warnings: list[str] = []
    if not classification:
        warnings.append("The book has no classification marking; give one with --classification "
                        "(or a default in the preferences) if it needs one.")
    parts: list[Part] = []
    tracked = {nid for nid in scope if ctx.nodes[nid].kind in TRACKED_KINDS}
    if area_ref is None:
        parts.append(_summary(ctx, areas, "Area", (), tracked, "the whole plan", "Status of the whole plan"))
        if plan.preamble.strip():
            parts.append(TextPart(ctx.anchor(), "Preamble", plain_blocks(clean(plan.preamble))))
    else:
        parts.append(_summary(ctx, ctx.children.get(areas[0].id, []), "Item", (), tracked, f"the whole of area {title}",
                              "Status of the area"))
    if not any(e.note_groups for e in entries):
        what = "plan" if area_ref is None else "area"
        line = f"No notes have been written on this {what} yet: the book holds its text and statuses only."
        parts.append(TextPart(ctx.anchor(), "Notes", plain_blocks(line)))
        warnings.append(line)
    parts.append(EntriesPart(ctx.anchor(), None, tuple(entries)))
    groups = [(f"{a.ref} {shorten(full_title(a), 90)}", _with_descendants(ctx, [a.id])) for a in areas]
    _tail_parts(ctx, parts, scope, [plan_id], groups)
    return Book(
        title=title,
        subject=f"{kind_label}: {title}",
        author=prepared_by,
        classification=classification,
        cover=cover,
        parts=tuple(parts),
        toc_depth=2,
        warnings=tuple(warnings),
    )


# -- pieces ------------------------------------------------------------------------------


def _context(
    briefing: Briefing,
    options: BookOptions,
    plan_id: str | None,
    progress: Progress | None,
    cancelled: CancelCheck | None,
) -> _Ctx:
    nodes = briefing.nodes(plan_id)  # parents before children, siblings in order
    children: dict[str | None, list[NodeInfo]] = defaultdict(list)
    for n in nodes:
        children[n.parent_id].append(n)
    return _Ctx(briefing, options, {n.id: n for n in nodes}, children, progress, cancelled)


def _with_descendants(ctx: _Ctx, roots: Sequence[str]) -> list[str]:
    return with_descendants(ctx.children, roots)


def _walk(ctx: _Ctx, root: NodeInfo) -> Iterable[tuple[NodeInfo, int]]:
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        stack.extend((c, depth + 1) for c in reversed(ctx.children.get(node.id, [])))


def _read_bulk(ctx: _Ctx, scope: list[str]) -> None:
    ctx.check(0, 1)
    ctx.notes = ctx.briefing.notes_for(scope)
    ctx.sources = ctx.briefing.sources_for(scope) if ctx.options.include_sources else {}
    ctx.history = {
        nid: without_undone(changes)
        for nid, changes in ctx.briefing.status_history_for(
            [nid for nid in scope if ctx.nodes[nid].kind in TRACKED_KINDS]
        ).items()
    }


def _has_notes(ctx: _Ctx, node_id: str) -> bool:
    kinds = ctx.options.note_kinds
    return any(kinds is None or n.kind in kinds for n in ctx.notes.get(node_id, ()))


def _status(ctx: _Ctx, node: NodeInfo) -> StatusInfo | None:
    if node.kind not in TRACKED_KINDS or node.status not in STATUSES:
        return None
    history = ctx.history.get(node.id)
    last = history[-1] if history else None
    if last is not None and last.to_status != node.status:
        last = None  # the history does not explain the status (a merged copy): say only what it is
    return StatusInfo(
        status=node.status,
        label=STATUS_LABELS[node.status],
        colour=status_colour(node.status),
        changed_on=human_date(last.changed_at if last else node.status_changed_at),
        changed_by=clean(last.changed_by if last else (node.status_changed_by or "")),
        comment=clean(last.comment) if last else "",
    )


def full_title(node: NodeInfo) -> str:
    """The node's whole title: a title cut short at import ("Explore avenues…") is its text's
    first sentence; a sub-commitment's starts with a capital."""
    title = " ".join(clean(node.title).split())
    text = " ".join(clean(node.text).split())
    if not title or (title.endswith("…") and text.startswith(title[:-1].rstrip(" ,;:"))):
        m = re.match(_SENTENCE, text)
        title = (m.group(1) if m else text).rstrip(" .;:,")
        title = re.sub(r"[;,]? and$", "", title)
    if node.kind == "subcommitment" and title[:1].islower():
        title = title[0].upper() + title[1:]
    title = shorten(title, 1000)  # whole: only an absurd title is cut
    return f"{title} {RETIRED_MARK}" if node.retired_at is not None else title


# Patterns as text: `re` compiles each on first use (a book that needs none pays nothing at import).
_SENTENCE = r"(.+?[.;:])(?:\s|$)"


def _context_line(ctx: _Ctx, node: NodeInfo) -> str:
    names: list[str] = []
    parent = node.parent_id
    while parent is not None and parent in ctx.nodes:
        p = ctx.nodes[parent]
        if p.kind not in TRACKED_KINDS:  # a sub-commitment's commitment is its lead-in line
            names.append(f"{p.ref} {shorten(clean(p.title), 70)}")
        parent = p.parent_id
    return " › ".join(reversed(names))


def _words(text: str) -> int:
    # Japanese has no spaces: count about two characters a word.
    return len(text.split()) + len(re.findall(_CJK, text)) // 2


_CJK = "[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]"


def _notes(ctx: _Ctx, node: NodeInfo, heading: str) -> tuple[NoteGroup, ...]:
    kinds = ctx.options.note_kinds
    grouped: dict[str, list[BookNote]] = defaultdict(list)
    for n in ctx.notes.get(node.id, []):  # in briefing order within each kind
        if kinds is not None and n.kind not in kinds:
            continue
        body = clean(n.body)
        blocks = parse_markdown(body)
        if not blocks:
            continue
        label = NOTE_KIND_LABELS.get(n.kind, n.kind.replace("_", " ").capitalize())
        # Only a note the summary page points to is a link target (a plan book has thousands of notes).
        listed = ctx.summary_page and n.kind in KEY_KINDS
        anchor = ctx.anchor() if listed else ""
        number = len(grouped[n.kind]) + 1 if n.kind == "talking_point" else 0
        note = BookNote(n.kind, blocks, clean(n.author), human_date(n.created_at), anchor, number)
        if _words(body) > ctx.options.long_note_words:
            letter = annex_letter(len(ctx.annex))
            item = AnnexItem(letter, ctx.anchor(), f"Annex {letter}: {label} on {shorten(heading, 90)}", note)
            ctx.annex.append(item)
            note = BookNote(n.kind, (), note.author, note.written_on, anchor, number, f"Annex {letter}", item.anchor)
        grouped[n.kind].append(note)
        if listed:
            ctx.key_lines[n.kind].append(KeyLine(node.ref, label, shorten(_first_line(blocks), 160), anchor))
    order = list(NOTE_ORDER) + sorted(k for k in grouped if k not in NOTE_ORDER)
    return tuple(
        NoteGroup(k, NOTE_KIND_LABELS.get(k, k.replace("_", " ").capitalize()), tuple(grouped[k]))
        for k in order
        if grouped.get(k)
    )


def _first_line(blocks: tuple[Block, ...]) -> str:
    """What a note says first, as the summary page quotes it (struck-through words left out)."""
    for b in blocks:
        if isinstance(b, Para):
            return " ".join("".join(s.text for s in b.spans if not s.strike).split())
    return plain_text(blocks).split("\n", 1)[0]


def _citations(ctx: _Ctx, node: NodeInfo) -> tuple[Citation, ...]:
    out: list[Citation] = []
    for link in ctx.sources.get(node.id, []):
        sid = link.source.id
        if sid not in ctx.numbers:
            ctx.numbers[sid] = len(ctx.numbers) + 1
            ctx.cited[sid] = link
        quote = clean(link.quote)
        ctx.quotes[sid].append(QuoteLine(node.ref, quote))
        out.append(Citation(ctx.numbers[sid], clean(link.source.title), quote))
    return tuple(sorted(out, key=lambda c: c.number))


def _counts(ctx: _Ctx, node: NodeInfo) -> tuple[tuple[str, int], ...]:
    if node.kind in TRACKED_KINDS:
        return ()
    return status_tally(ctx.status_counts.get(node.id))


def _entry(
    ctx: _Ctx,
    node: NodeInfo,
    level: int,
    in_toc: bool,
    number: int | None,
    points: str = "",
    list_children: bool = False,
) -> Entry:
    title = full_title(node)
    heading = f"{node.ref} {title}" if node.ref else title
    text = clean(node.text)
    # Areas and items have no body text; a commitment whose title is its whole
    # text does not need it twice.
    same = " ".join(text.split()).rstrip(" .;:,") == title.rstrip(" .;:,") or (
        node.kind == "subcommitment" and " ".join(text.split()).rstrip(" .;:,").lower() == title.rstrip(" .;:,").lower()
    )
    blocks = plain_blocks(text) if text and not same and text.rstrip("…") != title.rstrip("…") else ()
    lead_in = ""
    if node.kind == "subcommitment" and node.parent_id in ctx.nodes:
        parent = ctx.nodes[node.parent_id]
        lead_in = f"{parent.ref}: " + shorten(clean(parent.text) or clean(parent.title), 240)
    children: tuple[ChildLine, ...] = ()
    if list_children and node.kind not in TRACKED_KINDS:
        children = tuple(
            ChildLine(ctx.nodes[d].ref, full_title(ctx.nodes[d]), _status(ctx, ctx.nodes[d]))
            for d in _with_descendants(ctx, [node.id])[1:]
            if ctx.nodes[d].kind in TRACKED_KINDS
        )
    return Entry(
        anchor=ctx.anchor(),
        level=level,
        in_toc=in_toc,
        heading=heading,
        ref=node.ref,
        kind=node.kind,
        context=_context_line(ctx, node),
        text=blocks,
        status=_status(ctx, node),
        lead_office=clean(node.lead_office),
        counts=_counts(ctx, node),
        children=children,
        points=parse_markdown(clean(points)),
        note_groups=_notes(ctx, node, heading),
        citations=_citations(ctx, node),
        lead_in=lead_in,
        agenda_number=number,
    )


def _summary(ctx: _Ctx, rows_of: Sequence[NodeInfo], scope_label: str, agenda: tuple[AgendaRow, ...],
             tracked: set[str], counted: str, title: str) -> SummaryPart:
    # Count only the commitments in the book's scope (a meeting: those on its agenda).
    counts = status_counts_of([n for n in ctx.nodes.values() if n.kind not in TRACKED_KINDS or n.id in tracked])
    rows: list[SummaryRow] = []
    totals = [0] * len(STATUSES)
    for n in rows_of:
        c = counts.get(n.id)
        if c is None:
            if agenda:
                continue  # an area with nothing on the agenda is not a row of the agenda's table
            c = dict.fromkeys(STATUSES, 0)
        values = tuple(c.get(s, 0) for s in STATUSES)
        totals = [a + b for a, b in zip(totals, values)]
        rows.append(SummaryRow(n.ref, clean(n.title), values, sum(values)))
    return SummaryPart(
        anchor=ctx.anchor(),
        title=title,
        scope_label=scope_label,
        statuses=tuple((s, STATUS_LABELS[s], status_colour(s)) for s in STATUSES),
        rows=tuple(rows),
        totals=tuple(totals),
        agenda=agenda,
        counted=counted,
    )


def _tail_parts(ctx: _Ctx, parts: list[Part], scope: list[str], plan_ids: Sequence[str],
                groups: Sequence[tuple[str, list[str]]]) -> None:
    since = ctx.options.since
    if since:
        parts.append(changes_part(ctx.anchor(), since, ctx.nodes, ctx.notes, ctx.briefing, plan_ids, groups,
                                  ctx.options.note_kinds))
    if ctx.annex:
        parts.append(AnnexPart(ctx.anchor(), "Annexes", tuple(ctx.annex)))
    if ctx.options.include_sources and ctx.cited:
        parts.append(sources_part(ctx.anchor(), ctx.numbers, ctx.cited, ctx.quotes))


def _fields(*pairs: tuple[str, str]) -> tuple[CoverField, ...]:
    return tuple(CoverField(label, value) for label, value in pairs if value)
