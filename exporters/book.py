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
from collections.abc import Collection, Iterable, Mapping, Sequence
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
    AgendaLine,
    AgendaPart,
    AgendaRow,
    AnnexItem,
    AnnexPart,
    Book,
    BookNote,
    CancelCheck,
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
    StatusInfo,
    SummaryPart,
    SummaryRow,
    TextPart,
)
from exporters.book_parts import NOTE_ORDER, annex_letter, group_label, sources_part
from exporters.digest import changes_part
from exporters.markdown import Block, Para, Span, parse_markdown, plain_blocks, plain_text
from exporters.steering import ASK_KIND, Candidate, first_sentence, steering_part
from exporters.style import status_colour
from exporters.text import byline_author, clean, human_date, shorten, today_iso, written_on

#: Note kinds the steering page may list (key messages, asks, risks): their notes are link targets.
STEERING_KINDS = frozenset({"talking_point", "line_to_take", "press_line", "if_raised", "risk"})
#: The two editions of a meeting pack: the principal's (what they read in the car) and the desk's
#: (everything). A plan book has one, the desk's.
EDITIONS: tuple[str, ...] = ("principal", "desk")
#: An agenda item's heading names it by a short title, cut at a word: "Item 3 — Cooperation on … (2.3)".
SHORT_TITLE = 64

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
    edition: str = "principal"  # a meeting pack: "principal" or "desk" (a plan book is always the desk's)

    def __post_init__(self) -> None:
        if self.edition not in EDITIONS:
            raise InvalidInput(f"{self.edition!r} is not an edition; use principal or desk.")
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
    summary_page: bool = False  # a meeting book: its steering page lists chosen notes
    principal: bool = False  # the principal's edition: no bylines nor inline quotes, background annexed
    candidates: list[Candidate] = field(default_factory=list)  # notes the steering page may list
    item: int = 0  # the agenda item being built
    item_heading: str = ""  # its entry's heading
    background: list[Block] = field(default_factory=list)  # the principal's: the item's background notes
    undone_only: set[str] = field(default_factory=set)  # nodes whose every status change was undone

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
    """The pack for one meeting: the steering page, the agenda page, then one section per
    agenda item in the meeting's order, each with everything known about it.

    An area or item on the agenda carries its own notes and, under it, every
    node below it that has notes, with those notes, less the nodes another
    agenda item briefs (those it points to). The principal's edition drops the
    bylines, the status chart, inline quotes and the desk's full digest, puts
    each item on a page of its own and annexes its background.
    """
    options = options or BookOptions()
    meeting = briefing.meeting(meeting_id)
    agenda = briefing.agenda(meeting_id)
    ctx = _context(briefing, options, None, progress, cancelled)
    ctx.summary_page = True
    ctx.principal = options.edition == "principal"
    agenda = [a for a in agenda if a.node_id in ctx.nodes]
    scope = _with_descendants(ctx, [a.node_id for a in agenda])
    _read_bulk(ctx, scope)

    entries: list[Entry] = []
    agenda_lines: list[AgendaLine] = []
    groups: list[tuple[str, list[str]]] = []  # digest groups: agenda item heading, the nodes it covers
    # Each agenda item's number and anchor, known before any is built: an area's section points to
    # a commitment below it that is an agenda item of its own ("see item 3").
    numbers = {a.node_id: (number, ctx.anchor()) for number, a in enumerate(agenda, start=1)}
    for number, item in enumerate(agenda, start=1):
        ctx.check(number, len(agenda))
        ctx.item = number
        node = ctx.nodes[item.node_id]
        ctx.item_heading = f"{node.ref} {full_title(node)}" if node.ref else full_title(node)
        title = full_title(node)
        short = shorten(title, SHORT_TITLE)
        heading = f"Item {number} — {short}" + (f" ({node.ref})" if node.ref else "")
        entry = _entry(ctx, node, level=2, in_toc=True, number=number, points=item.points, list_children=True,
                       on_agenda=numbers)
        section = [entry._replace(
            heading=heading, full_title=title if short != title else "", objective=clean(item.objective).strip(),
            new_page=ctx.principal, running_head=heading,
        )]
        agenda_lines.append(AgendaLine(number, short, node.ref, "", clean(node.lead_office), entry.status,
                                       entry.anchor))
        # What the item covers: the nodes below it, less those another agenda item briefs.
        covered = _owned(ctx, node.id, numbers)
        groups.append((heading, covered))
        for below in covered[1:]:
            child = ctx.nodes[below]
            if _has_notes(ctx, child.id):
                section.append(_entry(ctx, child, level=3, in_toc=False, number=None))
        if ctx.background:  # the principal's: the item's background, annexed in one piece
            letter = annex_letter(len(ctx.annex))
            annex = AnnexItem(letter, ctx.anchor(), f"Annex {letter}: Background to item {number} — {short}",
                              BookNote("background", tuple(ctx.background), "", ""))
            ctx.annex.append(annex)
            ctx.background = []
            section[0] = section[0]._replace(background=(f"Annex {letter}", annex.anchor))
        entries.extend(section)

    plan_ids = list(dict.fromkeys(ctx.nodes[a.node_id].plan_id for a in agenda))
    plans = [briefing.plan(pid) for pid in plan_ids]
    classification = clean(options.classification if options.classification is not None else meeting.classification)
    classification = classification.strip() or clean(options.default_classification).strip()
    title = clean(meeting.title)
    subtitle = "; ".join(clean(p.title) for p in plans)
    prepared_by = clean(options.prepared_by or briefing.user)
    edition = "Principal's brief" if ctx.principal else "Desk brief"
    cover = Cover(
        kind_label="Meeting brief",
        title=title,
        subtitle=subtitle,
        fields=_fields(
            ("Date", human_date(meeting.date, unknown="to be confirmed")),
            ("Place", clean(meeting.place)),
            ("Participants", clean(meeting.participants)),
            ("Purpose", clean(meeting.purpose)),
            ("Edition", edition),
            ("Prepared by", prepared_by),
            ("Generated on", human_date(options.generated_on or today_iso())),
        ),
        classification=classification,
    )
    warnings: list[str] = []
    if not classification:
        warnings.append("The pack has no classification marking (its pages say NOT MARKED); give one (the "
                        "meeting's, --classification, or a default in the preferences) if it needs one.")
    parts: list[Part] = []
    notices: list[str] = []
    if not agenda:
        notices.append("The agenda of this meeting is empty: put commitments on it to brief them here.")
        warnings.append("The meeting's agenda is empty: the pack holds only its cover and summary page.")
    elif not any(e.note_groups or e.points for e in entries):
        notices.append("No notes or meeting points have been written for this agenda yet.")
        warnings.append("No notes or meeting points have been written for this agenda yet.")
    objectives = [clean(o).strip() for o in meeting.objectives.splitlines() if o.strip()]
    brief = steering_part(ctx.anchor(), clean(meeting.purpose), objectives, clean(meeting.press_line),
                          ctx.candidates, notices)
    parts.append(brief)
    if agenda:
        parts.append(AgendaPart(ctx.anchor(), "Agenda", tuple(agenda_lines)))
    if not ctx.principal:  # the status table and chart are the desk's
        tracked = {nid for nid in scope if ctx.nodes[nid].kind in TRACKED_KINDS}
        summary_nodes = [n for pid in plan_ids for n in ctx.children.get(None, []) if n.plan_id == pid]
        n = len(tracked)
        counted = f"the {n} commitment{'s' if n != 1 else ''} on the agenda, each counted once"
        parts.append(_summary(ctx, summary_nodes, "Area", (), tracked, counted, "Status of the agenda"))
    key_notes = {k.note_id for k in brief.key_messages}
    if ctx.principal and options.since:
        parts.append(_changes(ctx, plan_ids, groups, key_notes))  # right after the agenda: what is new
    parts.append(EntriesPart(ctx.anchor(), "Items" if ctx.principal else "Agenda items", tuple(entries)))
    _tail_parts(ctx, parts, scope, plan_ids, groups, digest=not ctx.principal)
    return Book(
        title=title,
        subject=f"Meeting brief: {title}" + (f" ({human_date(meeting.date)})" if meeting.date else ""),
        author=prepared_by,
        classification=classification,
        cover=cover,
        parts=tuple(parts),
        toc_depth=2,
        warnings=tuple(warnings),
        edition=options.edition,
        contents=not ctx.principal,
        draft=not briefing.is_approved(meeting.id),
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


def _owned(ctx: _Ctx, root: str, on_agenda: Mapping[str, object]) -> list[str]:
    """`root` and the nodes below it, depth first, less every agenda entry below it and what is
    below that entry: each node is briefed by the nearest agenda entry above it (or itself)."""
    out: list[str] = []
    stack = [root]
    while stack:
        nid = stack.pop()
        out.append(nid)
        stack.extend(c.id for c in reversed(ctx.children.get(nid, [])) if c.id not in on_agenda)
    return out


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
    raw = ctx.briefing.status_history_for([nid for nid in scope if ctx.nodes[nid].kind in TRACKED_KINDS])
    ctx.history = {}
    for nid, changes in raw.items():
        kept = without_undone(changes)
        if kept:
            ctx.history[nid] = kept
        else:
            ctx.undone_only.add(nid)  # changed and changed back: as if never changed


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
    if last is None and history is None and node.id not in ctx.undone_only:
        # No history at all (a status set before histories were kept): the node's own stamp.
        changed_on, changed_by = human_date(node.status_changed_at), clean(node.status_changed_by or "")
    elif last is None:
        changed_on, changed_by = "", ""  # every change was undone (or the history does not explain it)
    else:
        changed_on, changed_by = human_date(last.changed_at), clean(last.changed_by)
    return StatusInfo(
        status=node.status,
        label=STATUS_LABELS[node.status],
        colour=status_colour(node.status),
        changed_on=changed_on,
        changed_by=changed_by,
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


#: A child entry's title in an area's or item's list: cut at a word beyond this many characters.
CHILD_TITLE = 300

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
        response = parse_markdown(clean(n.response)) if n.kind == ASK_KIND else ()
        if ctx.principal and n.kind == "background":
            # The principal's section points to its background, annexed with the item's others.
            ctx.background.extend(_under_heading(heading, blocks, ctx.item_heading))
            continue
        label = NOTE_KIND_LABELS.get(n.kind, n.kind.replace("_", " ").capitalize())
        # Only a note the steering page may point to is a link target (a plan book has thousands of notes).
        listed = ctx.summary_page and n.kind in STEERING_KINDS
        anchor = ctx.anchor() if listed else ""
        number = len(grouped[n.kind]) + 1 if n.kind == "talking_point" else 0
        author, written = ("", "") if ctx.principal else (byline_author(n.author), written_on(n.created_at))
        note = BookNote(n.kind, blocks, author, written, anchor, number, response=response, note_id=n.id)
        target = anchor  # where the steering page sends the reader: where the note is printed
        if _words(body) + _words(clean(n.response)) > ctx.options.long_note_words:
            letter = annex_letter(len(ctx.annex))
            item = AnnexItem(letter, ctx.anchor(), f"Annex {letter}: {label} on {shorten(heading, 90)}", note)
            ctx.annex.append(item)
            note = note._replace(blocks=(), response=(), annex=f"Annex {letter}", annex_anchor=item.anchor)
            target = item.anchor
        grouped[n.kind].append(note)
        if listed:
            ctx.candidates.append(Candidate(
                n.kind, bool(n.is_key), ctx.item, node.ref, label, first_sentence(_first_line(blocks)),
                first_sentence(_first_line(response)) if response else "", target, n.id,
            ))
    order = list(NOTE_ORDER) + sorted(k for k in grouped if k not in NOTE_ORDER)
    return tuple(NoteGroup(k, group_label(k, len(grouped[k])), tuple(grouped[k])) for k in order if grouped.get(k))


def _under_heading(heading: str, blocks: tuple[Block, ...], item_heading: str) -> list[Block]:
    """A background note as its item's annex sets it out: under the heading of the entry it
    belongs to, when that is not the item itself."""
    if heading == item_heading:
        return list(blocks)
    return [Para((Span(heading, bold=True),), heading=True), *blocks]


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
        # The principal's edition quotes no source inline (the sources appendix has the quotes).
        out.append(Citation(ctx.numbers[sid], clean(link.source.title), "" if ctx.principal else quote))
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
    on_agenda: Mapping[str, tuple[int, str]] | None = None,
) -> Entry:
    """`on_agenda`: node id -> (agenda number, anchor) of every agenda entry (a meeting book);
    the entry of an agenda entry takes its anchor from there."""
    on_agenda = on_agenda or {}
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
            ChildLine(ctx.nodes[d].ref, shorten(full_title(ctx.nodes[d]), CHILD_TITLE), _status(ctx, ctx.nodes[d]),
                      *on_agenda.get(d, (None, "")))
            for d in _with_descendants(ctx, [node.id])[1:]
            # The principal's: only the pointers to the items of their own (the counts say the rest).
            if ctx.nodes[d].kind in TRACKED_KINDS and (not ctx.principal or d in on_agenda)
        )
    own = on_agenda.get(node.id) if number is not None else None
    return Entry(
        anchor=own[1] if own else ctx.anchor(),
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
    # Count only the commitments in the book's scope (a meeting: those on its agenda), each under
    # every area and item above it, also when the commitment between them is not in the scope.
    counts = status_counts_of(list(ctx.nodes.values()), only=tracked)
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


def _changes(ctx: _Ctx, plan_ids: Sequence[str], groups: Sequence[tuple[str, list[str]]],
             key_notes: Collection[str] = ()) -> ChangesPart:
    assert ctx.options.since is not None
    return changes_part(ctx.anchor(), ctx.options.since, ctx.nodes, ctx.notes, ctx.briefing, plan_ids, groups,
                        ctx.options.note_kinds, principal=ctx.principal, key_notes=key_notes)


def _tail_parts(ctx: _Ctx, parts: list[Part], scope: list[str], plan_ids: Sequence[str],
                groups: Sequence[tuple[str, list[str]]], digest: bool = True) -> None:
    if ctx.options.since and digest:
        parts.append(_changes(ctx, plan_ids, groups))
    if ctx.annex:
        parts.append(AnnexPart(ctx.anchor(), "Annexes", tuple(ctx.annex)))
    if ctx.options.include_sources and ctx.cited:
        parts.append(sources_part(ctx.anchor(), ctx.numbers, ctx.cited, ctx.quotes))


def _fields(*pairs: tuple[str, str]) -> tuple[CoverField, ...]:
    return tuple(CoverField(label, value) for label, value in pairs if value)
