"""Plan commands: `import-plan`, `tree`, `search`, `status`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefbook.cli.common import add_db_option, add_json_option, open_briefing, print_json
from db.values import NOTE_KINDS, STATUS_LABELS, STATUSES, TreeNode

if TYPE_CHECKING:
    from db.briefing import Briefing


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import-plan", help="add a plan from its text (or update it from a revised text)")
    p.add_argument("text", type=Path, metavar="TEXT")
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(func=run_import)

    p = sub.add_parser("tree", help="print the plan tree")
    add_filter_options(p)
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(func=run_tree)

    p = sub.add_parser("search", help="commitments, notes and sources that match")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=int, default=50, help="at most this many hits (default 50)")
    add_filter_options(p)
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(func=run_search)

    p = sub.add_parser("status", help="show or set a commitment's implementation status")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--set", dest="new_status", choices=STATUSES, metavar="STATUS",
                   help=f"one of: {', '.join(STATUSES)}")
    p.add_argument("--comment", default="", help="why (required for with_challenges and not_pursued)")
    p.add_argument("--plan", metavar="PLAN_ID", help="the plan, when the file holds several")
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(func=run_status)


def add_filter_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--status", choices=STATUSES, metavar="S",
                   help=f"only commitments with this status ({', '.join(STATUSES)})")
    p.add_argument("--kind", choices=NOTE_KINDS, metavar="K",
                   help=f"only nodes with a note of this kind ({', '.join(NOTE_KINDS)}); for search, notes of it")


def filtered_node_ids(args: argparse.Namespace, briefing: Briefing) -> set[str] | None:
    """The nodes `--status` and `--kind` keep (None: no filter given)."""
    keep: set[str] | None = None
    if args.status:
        keep = {n.id for n in briefing.nodes() if n.status == args.status}
    if args.kind:
        with_kind = briefing.nodes_with_note_kind(args.kind)
        keep = with_kind if keep is None else keep & with_kind
    return keep


def _prune(roots: list[TreeNode], keep: set[str]) -> list[TreeNode]:
    """The nodes kept, with their ancestors (so each shows where it sits)."""
    out: list[TreeNode] = []
    for t in roots:
        children = _prune(list(t.children), keep)
        if t.node.id in keep or children:
            out.append(TreeNode(t.node, tuple(children)))
    return out


def run_import(args: argparse.Namespace) -> int:
    from briefbook.services.plan_import import parse_plan_file

    draft = parse_plan_file(args.text)  # parse before opening: a bad text touches nothing
    with open_briefing(args) as briefing:
        report = briefing.import_plan(draft)
    unplaced = [{"line": u.line_no, "text": u.text, "reason": u.reason} for u in report.unplaced]
    if args.json:
        print_json({"plan_id": report.plan_id, "title": draft.title, "added": report.added,
                    "updated": report.updated, "unchanged": report.unchanged, "removed": report.removed,
                    "unplaced": unplaced})
    else:
        print(f"Imported “{draft.title}”: {report.added} added, {report.updated} updated, "
              f"{report.unchanged} unchanged, {report.removed} removed.")
    for u in report.unplaced:
        print(f"briefbook: line {u.line_no} was not placed in the tree ({u.reason}): {u.text}", file=sys.stderr)
    return 0


def _node_json(t: TreeNode) -> dict[str, Any]:
    n = t.node
    return {"id": n.id, "ref": n.ref, "kind": n.kind, "title": n.title, "text": n.text,
            "status": n.status, "lead_office": n.lead_office,
            "children": [_node_json(c) for c in t.children]}


def run_tree(args: argparse.Namespace) -> int:
    with open_briefing(args, read_only=True) as briefing:
        plans = [(p, briefing.tree(p.id)) for p in briefing.plans()]
        keep = filtered_node_ids(args, briefing)
    if keep is not None:
        plans = [(p, _prune(roots, keep)) for p, roots in plans]
    if args.json:
        print_json({"plans": [
            {"id": p.id, "title": p.title, "adopted_on": p.adopted_on, "period": p.period,
             "parties": list(p.parties), "nodes": [_node_json(t) for t in roots]}
            for p, roots in plans]})
        return 0
    out: list[str] = []
    for p, roots in plans:
        out.append(f"{p.title}" + (f" (adopted {p.adopted_on})" if p.adopted_on else ""))
        stack = [(t, 1) for t in reversed(roots)]
        while stack:
            t, depth = stack.pop()
            n = t.node
            mark = f" [{STATUS_LABELS.get(n.status or '', n.status)}]" if n.status else ""
            out.append(f"{'  ' * depth}{n.ref} {n.title}{mark}")
            stack.extend((c, depth + 1) for c in reversed(t.children))
    if not plans:
        out.append("This file holds no plan yet: add one with 'briefbook import-plan TEXT --db FILE'.")
    elif keep is not None and not any(roots for _, roots in plans):
        out.append("No node has what --status/--kind ask for.")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def run_search(args: argparse.Namespace) -> int:
    limit = max(1, args.limit)
    with open_briefing(args, read_only=True) as briefing:
        keep = filtered_node_ids(args, briefing)
        # Filtered: look further down the ranking, so the filter still finds `limit` hits.
        hits = briefing.search(args.query, limit=limit if keep is None else limit * 20)
        if keep is not None:
            hits = [h for h in hits if any(n in keep for n in h.node_ids)
                    and (not args.kind or h.kind != "note" or briefing.note(h.row_id).kind == args.kind)][:limit]
        refs = {n.id: n.ref for n in briefing.nodes()}
    rows = []
    for h in hits:
        for nid in h.node_ids or ("",):
            if keep is None or nid in keep:
                rows.append({"ref": refs.get(nid), "kind": h.kind, "snippet": h.snippet, "id": h.row_id})
    if args.json:
        print_json({"query": args.query, "hits": rows})
    elif not rows:
        shown = args.query if len(args.query) <= 60 else args.query[:59] + "…"
        print(f"Nothing matches “{shown}”.")
    else:
        for r in rows:
            print(f"{r['ref'] or '-':10} {r['kind']:7} {r['snippet']}")
    return 0


def run_status(args: argparse.Namespace) -> int:
    read_only = args.new_status is None
    with open_briefing(args, read_only=read_only) as briefing:
        node = briefing.node_by_ref(args.ref, args.plan)
        if args.new_status is not None:
            briefing.set_status(node.id, args.new_status, args.comment)
            node = briefing.node(node.id)
        history = briefing.status_history(node.id)
    if args.json:
        print_json({"ref": node.ref, "status": node.status, "changed_at": node.status_changed_at,
                    "changed_by": node.status_changed_by,
                    "history": [{"from": c.from_status, "to": c.to_status, "comment": c.comment,
                                 "changed_at": c.changed_at, "changed_by": c.changed_by} for c in history]})
        return 0
    label = STATUS_LABELS.get(node.status or "", "no status")
    print(f"{node.ref} {node.title}: {label}")
    for c in history:
        line = f"  {c.changed_at[:16].replace('T', ' ')} {c.changed_by}: {c.from_status or '-'} -> {c.to_status}"
        print(line + (f" ({c.comment})" if c.comment else ""))
    return 0
