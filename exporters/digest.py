"""The digest of what changed since a date, grouped by agenda item (a meeting) or area (a plan).

The desk's edition lists every change, one line each: status changes and
notes added or edited. The principal's is half a page: the status changes
and the new or changed key messages and lines to take, listed (the first
items' first, up to a number of lines); every other change of an item
counted in one line under it ("3 notes added, 1 edited"), and the items
with nothing listed named in one closing sentence with their counts. Either
way an undone status change and its undo are left out, and so is a shipped
row nobody has changed (sample data is not the desk's work).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence

from db.briefing.facade import Briefing
from db.model.history import without_undone
from db.model.ids import shipped_untouched
from db.model.values import NOTE_KIND_LABELS, STATUS_LABELS, NodeInfo, NoteInfo
from exporters.book_model import Change, ChangeGroup, ChangesPart
from exporters.markdown import Block, Para, parse_markdown, plain_text
from exporters.text import clean, human_date, shorten

#: How much of a comment or note a digest line quotes.
DIGEST_WORDS = 14
#: The principal's digest lists at most this many lines in all (half a page), item headings and
#: count lines included; the rest are counted.
PRINCIPAL_LINES = 20
#: Note kinds whose changes the principal's digest lists (with the notes chosen as key messages).
PRINCIPAL_KINDS = frozenset({"line_to_take"})


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
    principal: bool = False,
    key_notes: Collection[str] = (),
) -> ChangesPart:
    """The digest since `since` (see the module doc); `key_notes`: the ids of the notes the
    steering page lists as key messages (the principal's digest lists their changes)."""
    by_node: dict[str, list[Change]] = defaultdict(list)
    plan = plan_ids[0] if len(plan_ids) == 1 else None
    for c in without_undone(briefing.status_changes_since(since, plan)):
        node = nodes.get(c.node_id)
        if node is None or shipped_untouched(c.changed_by):
            continue
        before = STATUS_LABELS.get(c.from_status or "", "none")
        what = f"Status {before} → {STATUS_LABELS.get(c.to_status, c.to_status)}"
        by_node[c.node_id].append(Change(human_date(c.changed_at), c.changed_at, node.ref, what,
                                         clean(c.changed_by), first_words(clean(c.comment))))
    counted: dict[str, list[Change]] = defaultdict(list)  # the principal's: changes to count, not list
    for node_id, node_notes in notes.items():
        node = nodes.get(node_id)
        if node is None:
            continue
        for n in node_notes:
            if (kinds is not None and n.kind not in kinds) or shipped_untouched(n.updated_by):
                continue  # a shipped note nobody changed is not a change the desk made
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
            change = Change(human_date(when), when, node.ref, what, by, first_words(said), n.id)
            if principal and n.kind not in PRINCIPAL_KINDS and n.id not in key_notes:
                counted[node_id].append(change)
            else:
                by_node[node_id].append(change)
    out: list[ChangeGroup] = []
    rest: list[str] = []
    room = PRINCIPAL_LINES
    for title, covered in groups:
        changes = sorted((c for nid in covered for c in by_node.get(nid, ())), key=lambda c: (c.sort_key, c.ref))
        others = [c for nid in covered for c in counted.get(nid, ())]
        if principal:
            # Half a page: an item's heading and its count line take room too; past it, counted.
            fits = max(0, room - 1 - (1 if others or changes else 0))
            if len(changes) > fits:
                others = changes[: len(changes) - fits] + others
                changes = changes[len(changes) - fits:] if fits else []
            if not changes:
                if others:
                    rest.append(f"{title.split(' — ', 1)[0].lower()} ({_counted(others)})")
                continue
            room -= 1 + len(changes) + (1 if others else 0)
        if changes or others:
            out.append(ChangeGroup(title, tuple(changes), _counted(others)))
    said = ""
    if rest:
        said = ("Also changed: " if out else "Changed: ") + "; ".join(rest) + "."
    return ChangesPart(anchor, f"Changes since {human_date(since)}", human_date(since), tuple(out),
                       said[0].upper() + said[1:] if said else "")


def _counted(changes: Sequence[Change]) -> str:
    """ "3 notes added, 1 edited; 2 status changes": the changes of one item that are not listed."""
    added = sum(1 for c in changes if c.what.endswith(" added"))
    edited = sum(1 for c in changes if c.what.endswith(" edited"))
    status = sum(1 for c in changes if c.what.startswith("Status "))
    parts: list[str] = []
    if added and edited:
        parts.append(f"{added} note{'s' if added != 1 else ''} added, {edited} edited")
    elif added:
        parts.append(f"{added} note{'s' if added != 1 else ''} added")
    elif edited:
        parts.append(f"{edited} note{'s' if edited != 1 else ''} edited")
    if status:
        parts.append(f"{status} more status change{'s' if status != 1 else ''}")
    return "; ".join(parts)


def _unstruck(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    return tuple(Para(tuple(s for s in b.spans if not s.strike)) if isinstance(b, Para) else b for b in blocks)
