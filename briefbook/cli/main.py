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

#: Each sub-command and its module (briefbook/cli/<module>.py, with `register(subparsers)`).
#: A command builds only its own module's parser: every module is loaded just
#: for `--help` and for a name that is not a command.
COMMANDS: dict[str, str] = {
    "init": "files",
    "import-plan": "plan",
    "tree": "plan",
    "search": "plan",
    "status": "plan",
    "note": "notes",
    "source": "sources",
    "meeting": "meetings",
    "copy": "share",
    "merge": "share",
    "check": "share",
    "conflicts": "conflicts",
    "export": "export",
    "store": "store", "sync": "store",
}
COMMAND_MODULES: list[str] = list(dict.fromkeys(COMMANDS.values()))


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse's own format is two lines with the usage; keep it one sentence.
        self.exit(2, f"briefbook: {message} (see 'briefbook --help').\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every sub-command, or only of `command`'s module."""
    parser = _Parser(
        prog="briefbook",
        description="Briefing books for bilateral action plans. Without a sub-command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"briefbook {__version__}")
    parser.add_argument("--db", type=Path, metavar="FILE", help="the briefing file to open in the window")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in [COMMANDS[command]] if command in COMMANDS else COMMAND_MODULES:
        importlib.import_module(f"briefbook.cli.{name}").register(sub)
    return parser


def _command_in(argv: Sequence[str]) -> str | None:
    """The sub-command named in `argv`, if there is one (a file named like one after --db is not)."""
    previous = ""
    for arg in argv:
        if arg in ("-h", "--help"):
            return None  # help before any command is the top-level help, which lists them all
        if arg in COMMANDS and previous != "--db":
            return arg
        previous = arg
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_in(argv))
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
