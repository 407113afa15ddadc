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
from db.model.errors import BriefbookError

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


DISK_FULL = "briefbook: the disk is full: nothing was changed; free some space and try again."


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
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:  # bytes the terminal's encoding could not decode (kept as surrogates)
            shown = arg.encode("utf-8", "replace").decode("utf-8")[:60]
            print(f"briefbook: the argument {shown!r} is not valid UTF-8 text; set the terminal to UTF-8 "
                  "and type it again.", file=sys.stderr)
            return 2
    parser = build_parser(_command_in(argv))
    args = parser.parse_args(argv)
    if args.command is None:
        gc.enable()  # a long-running window needs the collector (see briefbook.__main__)
        from briefbook.gui.app import run_window

        return run_window(args.db)
    from briefbook.cli.terminal import guard

    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = guard(sys.stdout), guard(sys.stderr)  # file text reaches a terminal as text
    try:
        return _run(args)
    finally:
        sys.stdout, sys.stderr = saved


def _run(args: argparse.Namespace) -> int:
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
        if exc.errno == 28:  # ENOSPC
            print(DISK_FULL, file=sys.stderr)
            return 1
        print(f"briefbook: {exc.strerror or exc}{f' ({exc.filename})' if exc.filename else ''}.", file=sys.stderr)
        return 1
    except Exception as exc:
        # SQLite's own errors the data layer did not turn into a sentence (a full disk, a damaged page):
        # still one sentence. sqlite3 is looked up, not imported, so `--help` stays instant.
        sqlite3 = sys.modules.get("sqlite3")
        if sqlite3 is None or not isinstance(exc, sqlite3.DatabaseError):
            return _unexpected(exc)
        if "full" in str(exc):
            print(DISK_FULL, file=sys.stderr)
        elif isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc)):
            print("briefbook: the file is busy: another program is writing to it. Try again in a moment.",
                  file=sys.stderr)
        else:
            print(f"briefbook: the file could not be read or written ({exc}); 'briefbook check FILE' says more.",
                  file=sys.stderr)
        return 1


def _unexpected(exc: Exception) -> int:
    """A value the file holds that briefbook never writes (a blob where text belongs, a number for a
    date) can still trip a command that trusts its own file: one sentence, not a traceback.
    BRIEFBOOK_DEBUG=1 shows the traceback (for developers)."""
    import os

    if os.environ.get("BRIEFBOOK_DEBUG") or not isinstance(exc, (TypeError, ValueError, KeyError, AttributeError,
                                                                   IndexError, UnicodeError, OverflowError)):
        raise exc
    what = f"{type(exc).__name__}: {str(exc)[:120]}"
    print(f"briefbook: the file holds a value briefbook does not expect ({what}); 'briefbook check FILE' "
          "names the rows briefbook never writes.", file=sys.stderr)
    return 1
