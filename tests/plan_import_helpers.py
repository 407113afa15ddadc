"""Helpers for the plan import tests: recognise a text, count what the plan kept."""

from __future__ import annotations

import re
from collections import Counter

from briefbook.plan_import.blocks import Document
from briefbook.plan_import.recognizer import ImportOptions, Recognition
from briefbook.plan_import.text_reader import blocks_from_text
from briefbook.services.plan_import import recognize_document
from db.model.drafts import NodeDraft, PlanDraft


def recognise_text(text: str, **options: object) -> Recognition:
    doc = Document(blocks_from_text(text), "text", text=text)
    return recognize_document(doc, ImportOptions(**options))  # type: ignore[arg-type]


def plan_of(text: str, **options: object) -> PlanDraft:
    return recognise_text(text, **options).draft


def words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in re.findall(r"[^\W_]+", text))


def plan_text(draft: PlanDraft) -> str:
    parts = [draft.title, draft.preamble]
    parts += [f"{n.ref} {n.title} {n.text}" for n in draft.walk()]  # references carry the numbering
    parts += [u.text for u in draft.unplaced]
    return "\n".join(parts)


def coverage(document_text: str, draft: PlanDraft) -> float:
    """Share of the document's words (with repeats) found in the plan's title, preamble and nodes."""
    doc = words(document_text)
    kept = words(plan_text(draft))
    # a word hyphenated at a line end in the source is one word in the plan: count its pieces as found
    found = sum(min(n, kept[w]) for w, n in doc.items())
    return found / sum(doc.values())


def kinds_per_level(draft: PlanDraft) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    level: list[NodeDraft] = list(draft.areas)
    while level:
        kinds = Counter(n.kind for n in level)
        out.append((kinds.most_common(1)[0][0], len(level)))
        level = [c for n in level for c in n.children]
    return out


def by_ref(draft: PlanDraft) -> dict[str, NodeDraft]:
    return {n.ref: n for n in draft.walk()}
