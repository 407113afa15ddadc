"""Entry point: parse the arguments, run the sub-command, turn refusals into
one sentence on stderr and a non-zero exit status (never a traceback)."""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from briefbook import __version__
from db.errors import BriefbookError

#: Sub-command modules (briefbook/cli/<name>.py), each with `register(subparsers)`.
COMMAND_MODULES: list[str] = [
    "files",
    "plan",
    "notes",
    "sources",
    "meetings",
    "share",
    "export",
]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse's own format is two lines with the usage; keep it one sentence.
        self.exit(2, f"briefbook: {message} (see 'briefbook --help').\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="briefbook",
        description="Briefing books for bilateral action plans. Without a sub-command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"briefbook {__version__}")
    parser.add_argument("--db", type=Path, metavar="FILE", help="the briefing file to open in the window")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"briefbook.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        gc.enable()  # a long-running window needs the collector (see briefbook.__main__)
        from briefbook.gui.app import run_window

        return run_window(args.db)
    try:
        return int(args.func(args) or 0)
    except BriefbookError as exc:
        print(f"briefbook: {exc}", file=sys.stderr)
        return 2 if type(exc).__name__ == "UsageError" else 1
    except KeyboardInterrupt:
        print("briefbook: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        # A disk or permission problem outside the data layer's own checks.
        print(f"briefbook: {exc.strerror or exc}{f' ({exc.filename})' if exc.filename else ''}.", file=sys.stderr)
        return 1
