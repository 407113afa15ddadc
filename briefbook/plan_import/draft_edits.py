"""Corrections to a recognised plan before it is stored: the preview's edits, without Qt.

Every function changes a `PlanDraft` in place and returns the node to select
afterwards (or None). Nothing is ever dropped: a node deleted or sent to the
preamble leaves its words in the preamble or in the node before it, and its
children move up a level. References follow the tree: after each edit every
node's reference is its parent's plus its own last part, which it keeps while
it is unique among its siblings (the document's own numbers stay); a clash
takes the next free number.
"""

from __future__ import annotations

import re

from db.model.drafts import NodeDraft, PlanDraft

__all__ = ["KINDS", "EditRefused", "delete", "indent", "move", "outdent", "parent_of", "previous_node", "renumber",
           "set_kind", "set_ref", "set_title", "siblings_of", "to_preamble"]

#: What one node can be.
KINDS = ("area", "item", "commitment", "subcommitment")


class EditRefused(ValueError):
    """An edit that cannot be made; `str(e)` is one sentence for the user."""


def siblings_of(plan: PlanDraft, node: NodeDraft) -> list[NodeDraft]:
    parent = parent_of(plan, node)
    return plan.areas if parent is None else parent.children


def parent_of(plan: PlanDraft, node: NodeDraft) -> NodeDraft | None:
    if any(n is node for n in plan.areas):
        return None
    for candidate in plan.walk():
        if any(c is node for c in candidate.children):
            return candidate
    raise EditRefused("That node is no longer in the plan.")


def _index(nodes: list[NodeDraft], node: NodeDraft) -> int:
    return next(i for i, n in enumerate(nodes) if n is node)


def previous_node(plan: PlanDraft, node: NodeDraft) -> NodeDraft | None:
    """The node shown just above `node` in the tree (its previous sibling's last descendant, or its parent)."""
    order = plan.walk()
    at = next(i for i, n in enumerate(order) if n is node)
    return order[at - 1] if at > 0 else None


def _words_of(node: NodeDraft) -> str:
    """The node's title (unless its text starts with it) and text, and its children's, as paragraphs."""
    own = [node.title] if node.title and not node.text.startswith(node.title.rstrip("…")) else []
    parts = [*own, node.text] + [_words_of(c) for c in node.children]
    return "\n\n".join(p for p in parts if p)


def indent(plan: PlanDraft, node: NodeDraft) -> NodeDraft:
    """Make `node` (with its children) the last child of the sibling before it."""
    siblings = siblings_of(plan, node)
    at = _index(siblings, node)
    if at == 0:
        raise EditRefused("The first node of its level has no node before it to go under.")
    new_parent = siblings[at - 1]
    del siblings[at]
    new_parent.children.append(node)
    _follow_kind(new_parent, node)
    renumber(plan)
    return node


def outdent(plan: PlanDraft, node: NodeDraft) -> NodeDraft:
    """Move `node` up a level: right after its parent; the siblings after it become its children."""
    parent = parent_of(plan, node)
    if parent is None:
        raise EditRefused("A node of the top level cannot go up a level.")
    siblings = parent.children
    at = _index(siblings, node)
    node.children.extend(siblings[at + 1 :])
    del siblings[at:]
    outer = siblings_of(plan, parent)
    outer.insert(_index(outer, parent) + 1, node)
    node.kind = parent.kind  # a sibling of its old parent is of its kind
    renumber(plan)
    return node


def move(plan: PlanDraft, node: NodeDraft, step: int) -> NodeDraft:
    """Move `node` with its children one place up (step -1) or down (+1) among its siblings."""
    siblings = siblings_of(plan, node)
    at = _index(siblings, node)
    to = at + step
    if not 0 <= to < len(siblings):
        raise EditRefused("The node is already the " + ("first" if step < 0 else "last") + " of its level.")
    siblings[at], siblings[to] = siblings[to], siblings[at]
    renumber(plan)
    return node


def delete(plan: PlanDraft, node: NodeDraft, text_to: str) -> NodeDraft | None:
    """Remove `node`; its words go to "preamble" or to the "previous" node; its children move up a level."""
    siblings = siblings_of(plan, node)
    at = _index(siblings, node)
    before = previous_node(plan, node)
    own = "\n\n".join(p for p in (node.title if not node.text.startswith(node.title.rstrip("…")) else "",
                                  node.text) if p)
    if text_to == "previous":
        if before is None:
            raise EditRefused("The first node has no node before it to take its text: send it to the preamble.")
        before.text = "\n\n".join(p for p in (before.text, own) if p)
    else:
        plan.preamble = "\n\n".join(p for p in (plan.preamble, own) if p)
    siblings[at : at + 1] = node.children
    renumber(plan)
    return node.children[0] if node.children else (siblings[at] if at < len(siblings) else before)


def to_preamble(plan: PlanDraft, node: NodeDraft) -> NodeDraft | None:
    """Send `node` with everything under it to the end of the preamble (a list restating the themes...)."""
    siblings = siblings_of(plan, node)
    at = _index(siblings, node)
    before = previous_node(plan, node)
    plan.preamble = "\n\n".join(p for p in (plan.preamble, _words_of(node)) if p)
    del siblings[at]
    renumber(plan)
    return siblings[at] if at < len(siblings) else before


def set_kind(plan: PlanDraft, node: NodeDraft, kind: str) -> NodeDraft:
    if kind not in KINDS:
        raise EditRefused(f"A node is an area, an item, a commitment or a sub-commitment, not {kind!r}.")
    node.kind = kind
    return node


def set_title(plan: PlanDraft, node: NodeDraft, title: str) -> NodeDraft:
    title = " ".join(title.split())
    if not title:
        raise EditRefused("A node needs a title.")
    node.title = title
    return node


def set_ref(plan: PlanDraft, node: NodeDraft, ref: str) -> NodeDraft:
    """Give `node` its own reference ("3b", "II.A"): its last part must be unique among its siblings."""
    ref = ref.strip().rstrip(".")
    if not ref or re.search(r"\s", ref):
        raise EditRefused("A reference is one word such as 3.2 or II.A, without spaces.")
    parent = parent_of(plan, node)
    own = ref[len(parent.ref) + 1 :] if parent is not None and ref.startswith(parent.ref + ".") else ref
    if parent is not None and "." in own and not ref.startswith(parent.ref + "."):
        own = own.rsplit(".", 1)[-1]
    taken = {_last(n.ref, parent) for n in siblings_of(plan, node) if n is not node}
    if own in taken:
        raise EditRefused(f"Another node at this level already has the reference {own}.")
    node.ref = own if parent is None else f"{parent.ref}.{own}"
    renumber(plan)
    return node


def _last(ref: str, parent: NodeDraft | None) -> str:
    if parent is not None and ref.startswith(parent.ref + "."):
        return ref[len(parent.ref) + 1 :]
    return ref.rsplit(".", 1)[-1] if parent is not None else ref


def renumber(plan: PlanDraft) -> None:
    """Every reference is its parent's plus its own last part, unique in the plan (a clash, or a
    node without one, takes the next free number)."""
    assigned: set[str] = set()  # whole references given so far: a node moved up keeps "1.2" as its
    # own number, which the node now at 1.2 may hold

    def visit(nodes: list[NodeDraft], parent: NodeDraft | None, old_parent_ref: str | None) -> None:
        used: set[str] = set()
        wanted = []
        for n in nodes:
            own = n.ref
            if old_parent_ref is not None and own.startswith(old_parent_ref + ".") \
                    and "." not in own[len(old_parent_ref) + 1 :]:
                own = own[len(old_parent_ref) + 1 :]
            elif parent is not None and "." in own:
                own = own.rsplit(".", 1)[-1]  # a node that moved here keeps the last part of its number
            wanted.append(own)
        counts = {w: wanted.count(w) for w in wanted}
        def whole(own: str) -> str:
            return own if parent is None else f"{parent.ref}.{own}"

        for n, own in zip(nodes, wanted):
            if not own or (counts[own] > 1 and own in used) or whole(own) in assigned:
                number = 1
                while str(number) in used or str(number) in counts or whole(str(number)) in assigned:
                    number += 1
                own = str(number)
            used.add(own)
            old = n.ref
            n.ref = whole(own)
            assigned.add(n.ref)
            visit(n.children, n, old)

    visit(plan.areas, None, None)


def _follow_kind(parent: NodeDraft, child: NodeDraft) -> None:
    """A node put under another of the same kind goes one kind down (a commitment under a commitment is
    its sub-commitment)."""
    if child.kind == parent.kind or KINDS.index(child.kind) < KINDS.index(parent.kind):
        child.kind = KINDS[min(KINDS.index(parent.kind) + 1, len(KINDS) - 1)]
