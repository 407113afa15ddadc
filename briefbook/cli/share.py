"""`briefbook copy|merge|check`: share a file with colleagues and check it."""

from __future__ import annotations

import argparse
from pathlib import Path

from briefbook.cli.common import add_db_option, add_json_option, open_briefing, print_json

# The db modules are imported when their command runs, not to build the parser.


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("copy", help="a consistent copy of a file, also while it is open")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("out", type=Path, metavar="OUT")
    p.add_argument("--force", action="store_true", help="replace OUT even if it is not a briefing file")
    p.set_defaults(func=run_copy)

    p = sub.add_parser("merge", help="bring a colleague's copy of the file in")
    p.add_argument("theirs", type=Path, metavar="THEIRS")
    add_db_option(p, writes=True)
    add_json_option(p)
    p.set_defaults(func=run_merge)

    p = sub.add_parser("check", help="integrity, schema, counts; --repair fixes what is safe to fix")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--repair", action="store_true", help="after a backup copy, fix what can be fixed safely")
    add_json_option(p)
    p.set_defaults(func=run_check)


def run_copy(args: argparse.Namespace) -> int:
    from db.disk.copying import consistent_copy

    consistent_copy(args.file, args.out, force=args.force)
    print(f"Copied {args.file} to {args.out}.")
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from db.sharing.merge import merge_into

    with open_briefing(args) as briefing:
        report = merge_into(briefing, args.theirs)
    if args.json:
        print_json(report.to_json())
    else:
        for line in report.summary():
            print(line)
    return 0


def run_check(args: argparse.Namespace) -> int:
    from db.briefing.checking import DAMAGED, GOOD, REFUSED, check_file, repair_file

    report = check_file(args.file)
    repaired = None
    if args.repair and report.verdict not in (GOOD, DAMAGED, REFUSED):
        repaired = repair_file(args.file)
        report = check_file(args.file)
    if args.json:
        out = report.to_json()
        out["repair"] = repaired.to_json() if repaired else None
        print_json(out)
    else:
        for line in report.lines():
            print(line)
        if repaired:
            print(repaired.sentence())
        elif args.repair and report.verdict == GOOD:
            print("Nothing to repair.")
    return 0 if report.verdict == GOOD else 1
