"""`briefbook init`: a new briefing file."""

from __future__ import annotations

import argparse
from pathlib import Path

from briefbook.cli.common import add_json_option, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create a new briefing file, seeded with the Japan-Italy plan")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--empty", action="store_true", help="create it without the shipped plan and sources")
    add_json_option(p)
    p.set_defaults(func=run_init)


def run_init(args: argparse.Namespace) -> int:
    from briefbook.services.seeding import init_file

    with init_file(args.file, empty=args.empty) as briefing:
        counts = briefing.counts()
    if args.json:
        print_json({"file": str(args.file), "counts": counts})
    else:
        what = "an empty briefing file" if args.empty else (
            f"a briefing file with {counts['commitments']} commitments, {counts['sources']} sources "
            f"and {counts['meetings']} meetings"
        )
        print(f"Created {args.file}: {what}.")
    return 0
