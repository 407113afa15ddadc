"""Parts of a briefing book made from what the builder (`exporters.book`) has read:
the summary page, the digest of changes since a date and the sources appendix."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from db.briefing.facade import Briefing
from db.model.history import without_undone
from db.model.values import NOTE_KIND_LABELS, STATUS_LABELS, LinkedSource, NodeInfo, NoteInfo
from exporters.book_model import (
    BriefPart,
    Change,
    ChangeGroup,
    ChangesPart,
    KeyLine,
    QuoteLine,
    SourceEntry,
    SourcesPart,
)
from exporters.markdown import Block, Para, parse_markdown, plain_text, safe_href
from exporters.text import clean, human_date, shorten

#: Note kinds the summary page lists: key messages, asks, risks.
KEY_KINDS = frozenset({"talking_point", "line_to_take", "question", "risk"})
#: The summary page is one page: at most this many lines in each list.
MAX_KEY_MESSAGES = 12
MAX_ASKS = 5
MAX_RISKS = 5
#: How much of a comment or note a digest line quotes.
DIGEST_WORDS = 14
#: What a source's address shows at most (the link holds the whole of it).
URL_SHOWN = 90


def annex_letter(index: int) -> str:
    """A, B, ..., Z, AA, AB, ..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def brief_part(anchor: str, purpose: str, lines: Mapping[str, list[KeyLine]], notices: list[str]) -> BriefPart:
    key = list(lines.get("talking_point", [])) + list(lines.get("line_to_take", []))
    asks = list(lines.get("question", []))
    risks = list(lines.get("risk", []))
    out_notices = list(notices)
    for items, limit, noun in ((key, MAX_KEY_MESSAGES, "key message"), (asks, MAX_ASKS, "question"),
                               (risks, MAX_RISKS, "risk")):
        if len(items) > limit:
            more = len(items) - limit
            out_notices.append(f"{more} more {noun}{'s' if more != 1 else ''} set out in the agenda.")
    if not key and not asks and not risks and not notices:
        out_notices.append("No talking points, lines to take, questions or risks have been written for this agenda.")
    return BriefPart(anchor, "Summary", purpose, tuple(key[:MAX_KEY_MESSAGES]), tuple(asks[:MAX_ASKS]),
                     tuple(risks[:MAX_RISKS]), tuple(out_notices))


def first_words(text: str, n: int = DIGEST_WORDS) -> str:
    words = " ".join(text.split()).split(" ")
    if len(words) <= n:
        return shorten(" ".join(words), 120)
    return shorten(" ".join(words[:n]), 120).rstrip("…") + "…"


def changes_part(
    anchor: str,
    since: str,
    nodes: Mapping[str, NodeInfo],
    notes: Mapping[str, list[NoteInfo]],
    briefing: Briefing,
    plan_ids: Sequence[str],
    groups: Sequence[tuple[str, list[str]]],
    kinds: tuple[str, ...] | None,
) -> ChangesPart:
    """One line per change since `since` (status changes, notes added or edited), grouped by
    agenda entry (or area), oldest first; an undone status change and its undo are left out."""
    by_node: dict[str, list[Change]] = defaultdict(list)
    plan = plan_ids[0] if len(plan_ids) == 1 else None
    for c in without_undone(briefing.status_changes_since(since, plan)):
        node = nodes.get(c.node_id)
        if node is None:
            continue
        before = STATUS_LABELS.get(c.from_status or "", "none")
        what = f"Status {before} → {STATUS_LABELS.get(c.to_status, c.to_status)}"
        by_node[c.node_id].append(Change(human_date(c.changed_at), c.changed_at, node.ref, what,
                                         clean(c.changed_by), first_words(clean(c.comment))))
    for node_id, node_notes in notes.items():
        node = nodes.get(node_id)
        if node is None:
            continue
        for n in node_notes:
            if kinds is not None and n.kind not in kinds:
                continue
            label = NOTE_KIND_LABELS.get(n.kind, n.kind)
            if n.created_at >= since:
                what, when = f"{label} added", n.created_at
            elif n.updated_at >= since:
                what, when = f"{label} edited", n.updated_at
            else:
                continue
            by = clean(n.updated_by if what.endswith("edited") else n.author)
            # The note's words as printed (no Markdown marks, table pipes or struck text).
            said = plain_text(_unstruck(parse_markdown(clean(n.body)))).replace("\n", " ")
            by_node[node_id].append(Change(human_date(when), when, node.ref, what, by, first_words(said)))
    out: list[ChangeGroup] = []
    for title, covered in groups:
        changes = sorted((c for nid in covered for c in by_node.get(nid, ())), key=lambda c: (c.sort_key, c.ref))
        if changes:
            out.append(ChangeGroup(title, tuple(changes)))
    return ChangesPart(anchor, f"Changes since {human_date(since)}", human_date(since), tuple(out))


def _unstruck(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    return tuple(Para(tuple(s for s in b.spans if not s.strike)) if isinstance(b, Para) else b for b in blocks)


def shown_url(url: str) -> str:
    """A source's address as printed: whole when short, else its start with an ellipsis."""
    return url if len(url) <= URL_SHOWN else url[: URL_SHOWN - 1] + "…"


def sources_part(anchor: str, numbers: Mapping[str, int], cited: Mapping[str, LinkedSource],
                 quotes: Mapping[str, list[QuoteLine]]) -> SourcesPart:
    entries: list[SourceEntry] = []
    for sid, number in sorted(numbers.items(), key=lambda kv: kv[1]):
        link = cited[sid]
        s = link.source
        url = clean(s.url).strip()
        entries.append(
            SourceEntry(
                number=number,
                title=clean(s.title),
                outlet=clean(s.outlet),
                published=human_date(s.published),
                url=safe_href(url) if url else None,
                url_text=shown_url(url),
                excerpt=clean(s.excerpt),
                quotes=tuple(q for q in quotes.get(sid, ()) if q.quote),
                attachments=tuple(clean(a.filename) for a in link.attachments),
            )
        )
    return SourcesPart(anchor, "Sources", tuple(entries))
