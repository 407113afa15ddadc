"""`briefbook source add|list|combine`."""

from __future__ import annotations

import argparse
from pathlib import Path

from briefbook.cli.common import add_db_option, add_json_option, open_briefing, print_json


def register(sub: argparse._SubParsersAction) -> None:
    source = sub.add_parser("source", help="cite sources on commitments")
    ss = source.add_subparsers(dest="source_command", metavar="ACTION", required=True,
                               parser_class=sub._parser_class)

    p = ss.add_parser("add", help="create a source and cite it on a commitment")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--title", required=True)
    p.add_argument("--outlet", default="")
    p.add_argument("--url", default="")
    p.add_argument("--published", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD")
    p.add_argument("--excerpt", default="")
    p.add_argument("--quote", default="", help="the pinpoint quote for this commitment")
    p.add_argument("--attach", type=Path, action="append", default=[], metavar="FILE",
                   help="store a file with the source (repeatable)")
    p.add_argument("--plan", metavar="PLAN_ID")
    add_db_option(p, writes=True)
    add_json_option(p)
    p.set_defaults(func=run_add)

    p = ss.add_parser("list", help="the sources cited on a commitment (or all sources)")
    p.add_argument("ref", metavar="REF", nargs="?")
    p.add_argument("--plan", metavar="PLAN_ID")
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(func=run_list)

    p = ss.add_parser("combine", help="make two records of one report one (a merge found both copies added it)")
    p.add_argument("keep", metavar="KEEP_ID", help="the source to keep")
    p.add_argument("other", metavar="OTHER_ID", help="the source whose citations and files move to KEEP_ID")
    add_db_option(p, writes=True)
    add_json_option(p)
    p.set_defaults(func=run_combine)


def run_add(args: argparse.Namespace) -> int:
    from db.disk.reading import read_attachment

    # Every file read (regular files only, within the limit) before anything is changed.
    attachments = [(path.name, read_attachment(path)) for path in args.attach]
    with open_briefing(args) as briefing:
        node = briefing.node_by_ref(args.ref, args.plan)
        source = briefing.add_source(args.title, outlet=args.outlet, url=args.url,
                                     published=args.published, excerpt=args.excerpt)
        briefing.link_source(source.id, node.id, args.quote)
        for name, data in attachments:
            briefing.add_attachment(source.id, name, data)
    if args.json:
        print_json({"id": source.id, "title": source.title, "ref": node.ref})
    else:
        print(source.id)
    return 0


def run_list(args: argparse.Namespace) -> int:
    with open_briefing(args, read_only=True) as briefing:
        if args.ref:
            node = briefing.node_by_ref(args.ref, args.plan)
            rows = [{"id": ls.source.id, "title": ls.source.title, "outlet": ls.source.outlet,
                     "url": ls.source.url, "published": ls.source.published, "quote": ls.quote,
                     "attachments": [a.filename for a in ls.attachments]}
                    for ls in briefing.node_sources(node.id)]
        else:
            rows = [{"id": s.id, "title": s.title, "outlet": s.outlet, "url": s.url,
                     "published": s.published} for s in briefing.sources()]
    if args.json:
        print_json({"sources": rows})
    elif not rows:
        print("No sources.")
    else:
        for r in rows:
            print(f"{r['title']} — {r['outlet'] or 'outlet unknown'}, {r['published'] or 'date unknown'} ({r['id']})")
    return 0


def run_combine(args: argparse.Namespace) -> int:
    with open_briefing(args) as briefing:
        other = briefing.source(args.other)
        kept = briefing.combine_sources(args.keep, args.other).kept
        cited = len(briefing.source_nodes(kept.id))
    if args.json:
        print_json({"id": kept.id, "title": kept.title, "combined": other.id, "cited_on": cited})
    else:
        print(f"Combined “{other.title}” into “{kept.title}”: cited on {cited} node{'s' if cited != 1 else ''}, "
              "with every quote and file of both.")
    return 0
