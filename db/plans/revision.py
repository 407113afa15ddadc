"""Which stored node each node of a revised plan text is: by content as well as by number.

A revision that drops commitment 1.1.1 renumbers every later one; matching by
reference alone would move 1.1.2's notes onto the text that is now 1.1.1. So:

1. a draft node whose words equal a stored node's (same kind) is that node,
   whatever its reference now (it keeps its id, notes, sources, status);
2. otherwise a stored node at the same reference is the same node when the
   texts are alike (a reworded commitment);
3. anything else is a new node. Its id derives from the plan and the
   reference, or, when a matched node already has that id, from the reference
   and the words, so two files that import the same revision from the same
   state still agree id for id.

Stored nodes nothing matched are gone from the text (the import keeps those
that things hang on, marked as removed from the plan).
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from db.model import ids
from db.model.drafts import NodeDraft
from db.model.values import TRACKED_KINDS

#: How alike two texts at one reference must be to count as one reworded node.
ALIKE = 0.5
#: Below this share of draft nodes matching stored ones, the text is another plan.
SAME_PLAN = 0.5


def words(kind: str, title: str, text: str) -> str:
    """A node's identity by content: its kind and its words, normalised."""
    body = unicodedata.normalize("NFKC", f"{title} {text}").casefold()
    return kind + ":" + " ".join(re.findall(r"\w+", body))


def alike(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@dataclass(frozen=True)
class Matching:
    #: draft ref -> the id it gets
    ids: dict[str, str]
    #: draft ref -> the stored ref it was matched to, where the number changed
    renumbered: dict[str, str]
    #: how many draft nodes matched a stored node (by content or by reference)
    matched: int
    total: int

    @property
    def share_matched(self) -> float:
        return self.matched / self.total if self.total else 1.0


def flatten(nodes: Sequence[NodeDraft]) -> Iterator[NodeDraft]:
    for n in nodes:
        yield n
        yield from flatten(n.children)


def match(plan_id: str, areas: Sequence[NodeDraft], stored: Mapping[str, Mapping[str, Any]]) -> Matching:
    """Ids for every node of the draft (see the module doc). `stored`: id -> row (live and not)."""
    drafts = list(flatten(areas))
    live = {rid: r for rid, r in stored.items() if r["deleted_at"] is None}
    by_words: dict[str, list[str]] = {}
    for rid, r in sorted(live.items(), key=lambda kv: kv[1]["ref"]):
        by_words.setdefault(words(r["kind"], r["title"], r["text"]), []).append(rid)
    taken: set[str] = set()
    out: dict[str, str] = {}
    renumbered: dict[str, str] = {}
    # 1. Same words, any reference (a node that kept its number matches itself first).
    for d in drafts:
        candidates = [rid for rid in by_words.get(words(d.kind, d.title, d.text), []) if rid not in taken]
        if candidates:
            same_ref = [rid for rid in candidates if live[rid]["ref"] == d.ref]
            rid = (same_ref or candidates)[0]
            out[d.ref] = rid
            taken.add(rid)
            if live[rid]["ref"] != d.ref:
                renumbered[d.ref] = live[rid]["ref"]
    # 2. Same reference, alike words (reworded).
    for d in drafts:
        if d.ref in out:
            continue
        rid = ids.node_id(plan_id, d.ref)
        row = live.get(rid)
        if row is not None and rid not in taken and row["kind"] == d.kind and alike(
            words(row["kind"], row["title"], row["text"]), words(d.kind, d.title, d.text)
        ) >= ALIKE:
            out[d.ref] = rid
            taken.add(rid)
    tracked = [d for d in drafts if d.kind in TRACKED_KINDS] or drafts  # areas and items share generic titles
    matched = sum(1 for d in tracked if d.ref in out)
    # 3. New nodes.
    for d in drafts:
        if d.ref in out:
            continue
        rid = ids.node_id(plan_id, d.ref)
        if rid in taken or rid in live:
            # That id is another node's (matched elsewhere, or a different text at this number).
            digest = hashlib.sha256(words(d.kind, d.title, d.text).encode("utf-8")).hexdigest()[:16]
            rid = ids.node_id(plan_id, f"{d.ref}#{digest}")
        out[d.ref] = rid
        taken.add(rid)
    return Matching(out, renumbered, matched, len(tracked))
