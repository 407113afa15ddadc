"""Walks over a plan's nodes and the counts of statuses below each area and item.

Plain functions over `NodeInfo` values (no file access), so the facade, the
exporters and the window count statuses the one same way: a tracked node
(commitment, sub-commitment) with a known status counts for every untracked
ancestor (item, area) above it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence

from db.model.values import STATUSES, TRACKED_KINDS, NodeInfo, TreeNode

#: Statuses with how many nodes have each, in STATUSES order, only those above zero.
StatusTally = tuple[tuple[str, int], ...]


def children_of(nodes: Iterable[NodeInfo]) -> dict[str | None, list[NodeInfo]]:
    """Each parent id (None: the plan's top) with its children, in the order given."""
    children: dict[str | None, list[NodeInfo]] = defaultdict(list)
    for n in nodes:
        children[n.parent_id].append(n)
    return children


def depth_first(nodes: Iterable[NodeInfo]) -> list[NodeInfo]:
    """Parents before children, siblings by position (then reference)."""
    children = children_of(nodes)
    for siblings in children.values():
        siblings.sort(key=lambda n: (n.position, n.ref))
    out: list[NodeInfo] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(reversed(children.get(n.id, [])))
    return out


def build_tree(nodes: Sequence[NodeInfo]) -> list[TreeNode]:
    """The top nodes with their descendants, keeping the order of `nodes`."""
    children = children_of(nodes)

    def build(n: NodeInfo) -> TreeNode:
        return TreeNode(n, tuple(build(c) for c in children.get(n.id, ())))

    return [build(n) for n in children.get(None, ())]


def with_descendants(children: Mapping[str | None, Sequence[NodeInfo]], roots: Sequence[str]) -> list[str]:
    """The ids of `roots` and of everything below them, depth first, each once."""
    out: dict[str, None] = {}
    stack = list(reversed(roots))
    while stack:
        nid = stack.pop()
        if nid in out:
            continue
        out[nid] = None
        stack.extend(reversed([c.id for c in children.get(nid, [])]))
    return list(out)


def status_counts_of(nodes: Sequence[NodeInfo], only: Collection[str] | None = None) -> dict[str, dict[str, int]]:
    """Per area/item id: counts of the statuses of the tracked nodes below it (`only`: of those
    tracked nodes only, each still counted under every area and item above it).

    Areas and items with nothing tracked below them are left out.
    """
    by_id = {n.id: n for n in nodes}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUSES, 0))
    for n in nodes:
        if n.kind in TRACKED_KINDS and n.status in STATUSES and (only is None or n.id in only):
            parent = n.parent_id
            while parent is not None and parent in by_id:
                p = by_id[parent]
                if p.kind not in TRACKED_KINDS:
                    counts[p.id][n.status] += 1
                parent = p.parent_id
    return dict(counts)


def status_tally(counts: Mapping[str, int] | None) -> StatusTally:
    """One node's entry of `status_counts_of` as (status, count) pairs, STATUSES order, zeros left out."""
    if not counts:
        return ()
    return tuple((s, counts[s]) for s in STATUSES if counts.get(s))
