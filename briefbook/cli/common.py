"""What every sub-command shares: opening the file named by --db, JSON output."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.errors import BriefbookError

if TYPE_CHECKING:  # imported when a command runs, so --help and bad arguments stay instant
    from db.briefing import Briefing


class UsageError(BriefbookError):
    """The command was given arguments that do not fit (exit status 2)."""


def add_db_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: a --db given before the sub-command ("briefbook --db F tree") is kept.
    parser.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="FILE",
        help="the briefing file (default: your default file, created on first use)",
    )


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the answer as JSON for scripts")


def open_briefing(args: argparse.Namespace, read_only: bool = False) -> Briefing:
    """Open --db (or the default file when the command allows none)."""
    from briefbook.services.preferences import author_name

    user = author_name()  # the same name the window signs with
    if getattr(args, "db", None) is None:
        from briefbook.services.seeding import open_default

        return open_default(user=user)
    from db.briefing import Briefing

    return Briefing.open(args.db, read_only=read_only, user=user)


def print_json(value: Any) -> None:
    # Indented for a person at a terminal; compact for scripts, where the C
    # encoder makes a 10,000-node tree several times faster.
    indent = 2 if sys.stdout.isatty() else None
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=indent))
    sys.stdout.write("\n")


def resolve_node(briefing: Briefing, ref: str, plan: str | None = None) -> str:
    """A node id from a reference ("3.2.1"), optionally within plan id `plan`."""
    return briefing.node_by_ref(ref, plan).id
