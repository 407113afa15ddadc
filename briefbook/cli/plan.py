"""Plan commands: `import-plan`, `plan list|delete`, `tree`, `search`, `status`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefbook.cli.common import UsageError, add_db_option, add_json_option, open_briefing, print_json
from db.model.values import NOTE_KINDS, RETIRED_MARK, STATUS_LABELS, STATUSES, TreeNode

if TYPE_CHECKING:
    from db.briefing.facade import Briefing

#: More hits than anyone reads; also keeps a huge --limit from overflowing SQLite's integers.
MAX_SEARCH_HITS = 10_000


def _count(value: str) -> int:
    """A number of hits: argparse's own `type=int` would answer "invalid int value"."""
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import-plan", help="add a plan from its text, Word, PDF or web page (or update it)")
    p.add_argument("text", type=Path, metavar="FILE", help="the plan: .txt, .md, .docx, .pdf or a saved .html page")
    p.add_argument("--dry-run", action="store_true", help="print the tree it would write, and write nothing")
    p.add_argument("--title", default="", help="the plan's title, when the document has none (or another one)")
    p.add_argument("--levels", default="", metavar="KINDS",
                   help="what each level of the document is, top first, comma-separated: "
                        "area, item, commitment, subcommitment or text (e.g. area,commitment)")
    p.add_argument("--numbered-paragraphs", choices=("commitments", "text"), default=None,
                   help="whether paragraphs numbered straight through are commitments or text")
    p.add_argument("--paragraphs", choices=("commitments", "text"), default=None,
                   help="under headings with no list or numbering: one commitment per paragraph (default), or "
                        "the paragraphs as the heading's text")
    p.add_argument("--replace", action="store_true",
                   help="replace a stored plan of the same title even when the text is mostly another plan")
    add_db_option(p, writes=True)
    add_json_option(p)
    p.set_defaults(func=run_import)

    plan = sub.add_parser("plan", help="list the plans of a file, or delete one")
    ps = plan.add_subparsers(dest="plan_command", metavar="ACTION", required=True, parser_class=sub._parser_class)
    p = ps.add_parser("list", help="the plans the file holds, with their ids")
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(func=run_plan_list)
    p = ps.add_parser("delete", help="remove a plan with its nodes, notes, statuses and agenda entries")
    p.add_argument("plan", metavar="PLAN", help="the plan's id (or the start of it) or its title")
    p.add_argument("--yes", action="store_true", help="do not ask (for scripts): the removal is still told")
    add_db_option(p, writes=True)
    add_json_option(p)
    p.set_defaults(func=run_plan_delete)

    p = sub.add_parser("tree", help="print the plan tree")
    add_filter_options(p)
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(func=run_tree)

    p = sub.add_parser("search", help="commitments, notes and sources that match")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=_count, default=50, help="at most this many hits (default 50)")
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
    add_db_option(p, writes=True)
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
    from briefbook.services.plan_import import load_plan, require_title

    options = _import_options(args)
    result = load_plan(args.text, options)  # read before opening: a bad file touches nothing
    draft = result.draft
    if args.dry_run:
        _print_preview(result, args.text, as_json=args.json, changes=_changes(args, draft))
        return 0
    require_title(draft, args.text)
    with open_briefing(args) as briefing:
        report = briefing.import_plan(draft, replace=args.replace)
    unplaced = [{"line": u.line_no, "text": u.text, "reason": u.reason} for u in report.unplaced]
    if args.json:
        print_json({"plan_id": report.plan_id, "title": draft.title, "added": report.added,
                    "updated": report.updated, "unchanged": report.unchanged, "removed": report.removed,
                    "unplaced": unplaced})
    else:
        kept = f" ({report.kept_removed} kept, marked as removed from the plan)" if report.kept_removed else ""
        moved = f"; {report.renumbered} renumbered, with their notes" if report.renumbered else ""
        print(f"Imported “{draft.title}”: {report.added} added, {report.updated} updated, "
              f"{report.unchanged} unchanged, {report.removed} removed{kept}{moved}.")
    for u in report.unplaced:
        print(f"briefbook: line {u.line_no} was not placed in the tree ({u.reason}): {u.text}", file=sys.stderr)
    return 0


def run_plan_list(args: argparse.Namespace) -> int:
    with open_briefing(args, read_only=True) as briefing:
        plans = briefing.plans()
        counts = {p.id: len(briefing.nodes(p.id)) for p in plans}
    if args.json:
        print_json({"plans": [{"id": p.id, "title": p.title, "adopted_on": p.adopted_on, "nodes": counts[p.id]}
                              for p in plans]})
    elif not plans:
        print("This file holds no plan yet: add one with 'briefbook import-plan TEXT --db FILE'.")
    else:
        for p in plans:
            print(f"{p.id}  {p.title} ({counts[p.id]} nodes)")
    return 0


def _find_plan(briefing: Briefing, wanted: str) -> Any:
    """The plan named by its id, a unique start of its id, or its title (any case)."""
    plans = briefing.plans()
    key = " ".join(wanted.split()).casefold()
    for found in ([p for p in plans if p.id == wanted.strip()],
                  [p for p in plans if p.title.casefold() == key],
                  [p for p in plans if len(key) >= 4 and p.id.startswith(key)]):
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise UsageError(f"“{wanted}” names {len(found)} plans; give the plan's id ('briefbook plan list').")
    raise UsageError(f"This file holds no plan “{wanted}” ('briefbook plan list' shows the plans and their ids).")


def run_plan_delete(args: argparse.Namespace) -> int:
    from briefbook.services.plan_removal import goes_with, listed

    with open_briefing(args) as briefing:
        plan = _find_plan(briefing, args.plan)
        contents = briefing.plan_contents(plan.id)
        if not args.yes:
            if not sys.stdin.isatty():
                raise UsageError(f"Deleting the plan “{plan.title}” needs a confirmation: run it on a terminal "
                                 "or add --yes.")
            answer = input(f"Delete the plan “{plan.title}”? {goes_with(contents)} Type yes to delete it: ")
            if answer.strip().lower() not in ("y", "yes"):
                print("Nothing was deleted.")
                return 1
        removal = briefing.remove_plan(plan.id)
    if args.json:
        c = removal.contents
        print_json({"plan_id": removal.plan_id, "title": removal.title, "deleted_at": removal.deleted_at,
                    "nodes": c.nodes, "commitments": c.commitments, "notes": c.notes, "statuses": c.statuses,
                    "citations": c.citations, "agenda_entries": c.agenda_entries, "meetings": c.meetings})
    else:
        print(f"Deleted the plan “{removal.title}” with {listed(removal.contents)}.")
    return 0


def _import_options(args: argparse.Namespace) -> Any:
    from briefbook.plan_import.recognizer import LEVEL_KINDS, ImportOptions

    levels = tuple(k.strip().lower() for k in args.levels.split(",") if k.strip())
    wrong = [k for k in levels if k not in LEVEL_KINDS]
    if wrong:
        raise UsageError(f"--levels takes {', '.join(LEVEL_KINDS)}, not {wrong[0]!r}.")
    return ImportOptions(title=args.title, levels=levels, numbered_paragraphs=args.numbered_paragraphs or "",
                         paragraphs=args.paragraphs or "")


def _draft_node_json(n: Any) -> dict[str, Any]:
    return {"ref": n.ref, "kind": n.kind, "title": n.title, "text": n.text, "guesses": list(n.doubts),
            "children": [_draft_node_json(c) for c in n.children]}


def _changes(args: argparse.Namespace, draft: Any) -> Any:
    """What the import would change in the file (--db, or the default file if there is one)."""
    from briefbook.services.paths import default_file
    from db.briefing.facade import Briefing

    path = getattr(args, "db", None) or default_file()
    if not draft.title or not Path(path).is_file():
        return None
    with Briefing.open(path, read_only=True, lock=False) as briefing:
        return briefing.preview_import(draft)


def _changes_lines(changes: Any) -> list[str]:
    if changes is None:
        return []
    if not changes.plan_exists:
        return ["Changes: a new plan in this file."]
    out = [f"Changes: {len(changes.added)} added, {len(changes.updated)} reworded or moved, "
           f"{len(changes.renumbered)} renumbered, {len(changes.removed)} removed."]
    if changes.renumbered:
        out.append("  renumbered (notes, sources, status and history go with them): "
                   + ", ".join(f"{old} → {new}" for new, old in changes.renumbered.items()))
    if changes.added:
        out.append("  added: " + ", ".join(changes.added))
    if changes.removed:
        kept = set(changes.kept)
        out.append("  removed: " + ", ".join(
            f"{r} (stays, marked as removed: notes, sources or agenda entries hang on it)" if r in kept else r
            for r in changes.removed))
    if changes.would_replace:
        out.append("  This text is mostly another plan than the stored one of the same title: importing it is "
                   "refused unless --replace.")
    return out


def _print_preview(result: Any, path: Path, as_json: bool, changes: Any = None) -> None:
    """The tree `import-plan` would write, the levels it guessed and the lines it could not place."""
    draft = result.draft
    levels = [{"level": i, "kind": g.kind, "count": g.count, "example": g.example, "name": g.name}
              for i, g in enumerate(result.levels, start=1)]
    unplaced = [{"line": u.line_no, "text": u.text, "reason": u.reason} for u in draft.unplaced]
    guesses = [{"ref": ref, "what": what} for ref, what in draft.guesses()]
    if as_json:
        print_json({"dry_run": True, "title": draft.title, "adopted_on": draft.adopted_on, "period": draft.period,
                    "parties": draft.parties, "preamble": draft.preamble, "level_names": draft.level_names,
                    "levels": levels, "nodes": [_draft_node_json(n) for n in draft.areas], "unplaced": unplaced,
                    "guesses": guesses,
                    "changes": None if changes is None else {
                        "plan_exists": changes.plan_exists, "added": list(changes.added),
                        "updated": list(changes.updated), "renumbered": changes.renumbered,
                        "removed": list(changes.removed), "kept": list(changes.kept),
                        "would_replace": changes.would_replace}})
        return
    missing = next((d for d in draft.doubts if d.startswith("no title line: ")), "no title line")
    out = [f"Title: {draft.title}" if draft.title else
           f"Title: (none found in {path.name}: {missing}; give one with --title)"]
    if draft.adopted_on:
        out.append(f"Adopted: {draft.adopted_on}")
    for lv in levels:
        name = f" (“{lv['name']}”)" if lv["name"] else ""
        out.append(f"Level {lv['level']}: {lv['kind']}{name}, {lv['count']} — e.g. {lv['example']}")
    if draft.preamble:
        out.append(f"Preamble: {len(draft.preamble.split())} words")
    stack = [(n, 1) for n in reversed(draft.areas)]
    while stack:
        n, depth = stack.pop()
        check = f"   ← check: {'; '.join(n.doubts)}" if n.doubts else ""
        out.append(f"{'  ' * depth}{n.ref} [{n.kind}] {n.title}{check}")
        stack.extend((c, depth + 1) for c in reversed(n.children))
    for u in unplaced:
        out.append(f"Not placed (line {u['line']}, {u['reason']}): {u['text']}")
    if guesses:
        out.append(f"Guessed ({len(guesses)}; look at these first):")
        out.extend(f"  {g['ref'] or 'plan'}: {g['what']}" for g in guesses)
    out.extend(_changes_lines(changes))
    out.append("Nothing was written (dry run).")
    sys.stdout.write("\n".join(out) + "\n")


def _node_json(t: TreeNode) -> dict[str, Any]:
    n = t.node
    return {"id": n.id, "ref": n.ref, "kind": n.kind, "title": n.title, "text": n.text,
            "status": n.status, "lead_office": n.lead_office, "removed_from_plan": n.retired,
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
             "parties": list(p.parties), "preamble": p.preamble, "nodes": [_node_json(t) for t in roots]}
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
            removed = f" {RETIRED_MARK}" if n.retired else ""
            out.append(f"{'  ' * depth}{n.ref} {n.title}{removed}{mark}")
            stack.extend((c, depth + 1) for c in reversed(t.children))
    if not plans:
        out.append("This file holds no plan yet: add one with 'briefbook import-plan TEXT --db FILE'.")
    elif keep is not None and not any(roots for _, roots in plans):
        out.append("No node has what --status/--kind ask for.")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def run_search(args: argparse.Namespace) -> int:
    limit = max(1, min(args.limit, MAX_SEARCH_HITS))
    with open_briefing(args, read_only=True) as briefing:
        keep = filtered_node_ids(args, briefing)
        # Filtered: look further down the ranking, so the filter still finds `limit` hits.
        hits = briefing.search(args.query, limit=limit if keep is None else min(limit * 20, MAX_SEARCH_HITS))
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
    removed = f" {RETIRED_MARK}" if node.retired else ""
    print(f"{node.ref} {node.title}{removed}: {label}")
    for c in history:
        line = f"  {c.changed_at[:16].replace('T', ' ')} {c.changed_by}: {c.from_status or '-'} -> {c.to_status}"
        print(line + (f" ({c.comment})" if c.comment else ""))
    return 0
