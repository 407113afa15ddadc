"""The one place a briefing book (`exporters.book_model`) is built from a file.

`build_meeting_book` and `build_plan_book` read the file through the facade's
bulk reads only (`nodes`, `notes_for`, `sources_for`, `status_history_for`,
`status_changes_since`, `notes_since`, `agenda`): a 2,000-commitment book
costs a handful of queries, not one per commitment.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from db.briefing import Briefing
from db.errors import Cancelled, InvalidInput, NotFound
from db.tree import status_counts_of, status_tally, with_descendants
from db.values import (
    NOTE_KIND_LABELS,
    NOTE_KINDS,
    STATUS_COLOURS,
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
    Book,
    BookNote,
    CancelCheck,
    Change,
    ChangesPart,
    ChildLine,
    Citation,
    Cover,
    CoverField,
    EntriesPart,
    Entry,
    NoteGroup,
    Part,
    Progress,
    QuoteLine,
    SourceEntry,
    SourcesPart,
    StatusInfo,
    SummaryPart,
    SummaryRow,
    TextPart,
)
from exporters.markdown import parse_markdown, plain_blocks, safe_href
from exporters.text import clean, human_date, shorten, today_iso

# -- options -----------------------------------------------------------------------


@dataclass(frozen=True)
class BookOptions:
    since: str | None = None  # ISO date: list status changes and notes added since then
    classification: str | None = None  # overrides the meeting's marking
    note_kinds: tuple[str, ...] | None = None  # None: every kind
    include_sources: bool = True
    prepared_by: str | None = None  # default: the file's user
    generated_on: str | None = None  # ISO date; default: today

    def __post_init__(self) -> None:
        if self.note_kinds is not None:
            unknown = [k for k in self.note_kinds if k not in NOTE_KINDS]
            if unknown:
                raise InvalidInput(f"{unknown[0]!r} is not a note kind; use one of: {', '.join(NOTE_KINDS)}.")
        if self.since is not None:
            from db.ids import partial_date

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
    """The pack for one meeting: its agenda in order, each item with everything known about it."""
    options = options or BookOptions()
    meeting = briefing.meeting(meeting_id)
    agenda = briefing.agenda(meeting_id)
    ctx = _context(briefing, options, None, progress, cancelled)
    agenda = [a for a in agenda if a.node_id in ctx.nodes]
    scope = _with_descendants(ctx, [a.node_id for a in agenda])
    _read_bulk(ctx, scope)

    entries: list[Entry] = []
    agenda_rows: list[AgendaRow] = []
    for number, item in enumerate(agenda, start=1):
        ctx.check(number, len(agenda))
        node = ctx.nodes[item.node_id]
        entry = _entry(ctx, node, level=2, in_toc=True, number=number, points=item.points, list_children=True)
        entries.append(entry)
        agenda_rows.append(AgendaRow(number, node.ref, clean(node.title), entry.status, entry.anchor))

    plan_ids = list(dict.fromkeys(ctx.nodes[a.node_id].plan_id for a in agenda))
    plans = [briefing.plan(pid) for pid in plan_ids]
    classification = clean(options.classification if options.classification is not None else meeting.classification)
    title = clean(meeting.title)
    subtitle = "; ".join(clean(p.title) for p in plans)
    cover = Cover(
        kind_label="Meeting brief",
        title=title,
        subtitle=subtitle,
        fields=_fields(
            ("Date", human_date(meeting.date)),
            ("Place", clean(meeting.place)),
            ("Participants", clean(meeting.participants)),
            ("Purpose", clean(meeting.purpose)),
            ("Prepared by", clean(options.prepared_by or briefing.user)),
            ("Generated on", human_date(options.generated_on or today_iso())),
        ),
        classification=classification,
    )
    parts: list[Part] = []
    summary_nodes = [n for pid in plan_ids for n in ctx.children.get(None, []) if n.plan_id == pid]
    parts.append(_summary(ctx, summary_nodes, "Area", tuple(agenda_rows)))
    parts.append(EntriesPart(ctx.anchor(), "Agenda", tuple(entries)))
    _tail_parts(ctx, parts, scope, plan_ids)
    return Book(
        title=title,
        subject=f"Meeting brief: {title}" + (f" ({human_date(meeting.date)})" if meeting.date else ""),
        author=clean(options.prepared_by or briefing.user),
        classification=classification,
        cover=cover,
        parts=tuple(parts),
        toc_depth=2,
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
    classification = clean(options.classification or "")
    cover = Cover(
        kind_label=kind_label,
        title=title,
        subtitle=plan_title if area_ref is not None else "",
        fields=_fields(
            ("Parties", ", ".join(clean(p) for p in plan.parties)),
            ("Period", clean(plan.period or "")),
            ("Adopted on", human_date(plan.adopted_on)),
            ("Prepared by", clean(options.prepared_by or briefing.user)),
            ("Generated on", human_date(options.generated_on or today_iso())),
        ),
        classification=classification,
    )
    parts: list[Part] = []
    if area_ref is None:
        parts.append(_summary(ctx, areas, "Area", ()))
        if plan.preamble.strip():
            parts.append(TextPart(ctx.anchor(), "Preamble", plain_blocks(clean(plan.preamble))))
    else:
        parts.append(_summary(ctx, ctx.children.get(areas[0].id, []), "Item", ()))
    parts.append(EntriesPart(ctx.anchor(), None, tuple(entries)))
    _tail_parts(ctx, parts, scope, [plan_id])
    return Book(
        title=title,
        subject=f"{kind_label}: {title}",
        author=clean(options.prepared_by or briefing.user),
        classification=classification,
        cover=cover,
        parts=tuple(parts),
        toc_depth=2,
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
    ctx.history = ctx.briefing.status_history_for(
        [nid for nid in scope if ctx.nodes[nid].kind in TRACKED_KINDS]
    )


def _status(ctx: _Ctx, node: NodeInfo) -> StatusInfo | None:
    if node.kind not in TRACKED_KINDS or node.status not in STATUSES:
        return None
    history = ctx.history.get(node.id)
    last = history[-1] if history else None
    return StatusInfo(
        status=node.status,
        label=STATUS_LABELS[node.status],
        colour=STATUS_COLOURS[node.status],
        changed_on=human_date(last.changed_at if last else node.status_changed_at),
        changed_by=clean(last.changed_by if last else (node.status_changed_by or "")),
        comment=clean(last.comment) if last else "",
    )


def _context_line(ctx: _Ctx, node: NodeInfo) -> str:
    names: list[str] = []
    parent = node.parent_id
    while parent is not None and parent in ctx.nodes:
        p = ctx.nodes[parent]
        names.append(f"{p.ref} {shorten(clean(p.title), 70)}")
        parent = p.parent_id
    return " › ".join(reversed(names))


def _notes(ctx: _Ctx, node_id: str) -> tuple[NoteGroup, ...]:
    kinds = ctx.options.note_kinds
    grouped: dict[str, list[BookNote]] = defaultdict(list)
    for n in ctx.notes.get(node_id, []):  # already in briefing order (talking points first)
        if kinds is not None and n.kind not in kinds:
            continue
        blocks = parse_markdown(clean(n.body))
        if blocks:
            grouped[n.kind].append(BookNote(n.kind, blocks, clean(n.author), human_date(n.created_at)))
    order = list(NOTE_KINDS) + sorted(k for k in grouped if k not in NOTE_KINDS)
    return tuple(
        NoteGroup(k, NOTE_KIND_LABELS.get(k, k.replace("_", " ").capitalize()), tuple(grouped[k]))
        for k in order
        if grouped.get(k)
    )


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
    title = clean(node.title) or shorten(clean(node.text), 90)
    heading = f"{node.ref} {title}" if node.ref else title
    if number is not None:
        heading = f"{number}. {heading}"
    text = clean(node.text)
    # Areas and items have no body text; a commitment whose title is its whole
    # text does not need it twice.
    blocks = plain_blocks(text) if text and text.rstrip("…") != title.rstrip("…") else ()
    children: tuple[ChildLine, ...] = ()
    if list_children and node.kind not in TRACKED_KINDS:
        children = tuple(
            ChildLine(ctx.nodes[d].ref, clean(ctx.nodes[d].title), _status(ctx, ctx.nodes[d]))
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
        note_groups=_notes(ctx, node.id),
        citations=_citations(ctx, node),
    )


def _summary(ctx: _Ctx, rows_of: Sequence[NodeInfo], scope_label: str, agenda: tuple[AgendaRow, ...]) -> SummaryPart:
    counts = ctx.status_counts
    rows: list[SummaryRow] = []
    totals = [0] * len(STATUSES)
    for n in rows_of:
        c = counts.get(n.id, dict.fromkeys(STATUSES, 0))
        values = tuple(c.get(s, 0) for s in STATUSES)
        totals = [a + b for a, b in zip(totals, values)]
        rows.append(SummaryRow(n.ref, clean(n.title), values, sum(values)))
    return SummaryPart(
        anchor=ctx.anchor(),
        title="Status summary",
        scope_label=scope_label,
        statuses=tuple((s, STATUS_LABELS[s], STATUS_COLOURS[s]) for s in STATUSES),
        rows=tuple(rows),
        totals=tuple(totals),
        agenda=agenda,
    )


def _tail_parts(ctx: _Ctx, parts: list[Part], scope: list[str], plan_ids: Sequence[str]) -> None:
    since = ctx.options.since
    if since:
        parts.append(_changes(ctx, since, set(scope), plan_ids))
    if ctx.options.include_sources and ctx.cited:
        parts.append(_sources_part(ctx))


def _changes(ctx: _Ctx, since: str, scope: set[str], plan_ids: Sequence[str]) -> ChangesPart:
    changes: list[Change] = []
    plan = plan_ids[0] if len(plan_ids) == 1 else None
    kinds = ctx.options.note_kinds
    for c in ctx.briefing.status_changes_since(since, plan):
        if c.node_id not in scope:
            continue
        node = ctx.nodes[c.node_id]
        before = STATUS_LABELS.get(c.from_status or "", "none")
        what = f"Status: {before} → {STATUS_LABELS.get(c.to_status, c.to_status)}"
        detail = plain_blocks(clean(c.comment)) if c.comment.strip() else ()
        changes.append(Change(
            human_date(c.changed_at), c.changed_at, node.ref, _short_title(node), what, clean(c.changed_by), detail
        ))
    for n in ctx.briefing.notes_since(since, plan):
        if n.node_id not in scope or (kinds is not None and n.kind not in kinds):
            continue
        node = ctx.nodes[n.node_id]
        what = f"{NOTE_KIND_LABELS.get(n.kind, n.kind)} added"
        changes.append(
            Change(
                human_date(n.created_at), n.created_at, node.ref, _short_title(node), what, clean(n.author),
                parse_markdown(clean(n.body)),
            )
        )
    changes.sort(key=lambda c: (c.sort_key, c.ref))
    return ChangesPart(ctx.anchor(), f"Changes since {human_date(since)}", human_date(since), tuple(changes))


def _short_title(node: NodeInfo) -> str:
    return shorten(clean(node.title) or clean(node.text), 90)


def _sources_part(ctx: _Ctx) -> SourcesPart:
    entries: list[SourceEntry] = []
    for sid, number in sorted(ctx.numbers.items(), key=lambda kv: kv[1]):
        link = ctx.cited[sid]
        s = link.source
        url_text = clean(s.url)
        entries.append(
            SourceEntry(
                number=number,
                title=clean(s.title),
                outlet=clean(s.outlet),
                published=human_date(s.published),
                url=safe_href(url_text) if url_text else None,
                url_text=url_text,
                excerpt=clean(s.excerpt),
                quotes=tuple(q for q in ctx.quotes[sid] if q.quote),
                attachments=tuple(clean(a.filename) for a in link.attachments),
            )
        )
    return SourcesPart(ctx.anchor(), "Sources", tuple(entries))


def _fields(*pairs: tuple[str, str]) -> tuple[CoverField, ...]:
    return tuple(CoverField(label, value) for label, value in pairs if value)
