"""Entry point: parse the arguments, run the sub-command, turn refusals into
one sentence on stderr and a non-zero exit status (never a traceback).

A refusal or a failure of the world around the file exits 1 (2: the arguments);
a bug in briefbook exits 70 with the traceback in a crash log
(briefbook.services.failures)."""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefbook import __version__
from db.model.errors import BriefbookError

if TYPE_CHECKING:
    from briefbook.services.failures import FileState

#: Each sub-command and its module (briefbook/cli/<module>.py, with `register(subparsers)`).
#: A command builds only its own module's parser: every module is loaded just
#: for `--help` and for a name that is not a command.
COMMANDS: dict[str, str] = {
    "init": "files",
    "import-plan": "plan",
    "plan": "plan",
    "tree": "plan",
    "search": "plan",
    "status": "plan",
    "note": "notes",
    "source": "sources",
    "meeting": "meetings",
    "clear": "clearance", "approve": "clearance", "clearance": "clearance",
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
        description="Briefing books for bilateral action plans. Without a sub-command, opens the window "
                    "(on a file: briefbook FILE, or --db FILE).",
    )
    parser.add_argument("--version", action="version", version=f"briefbook {__version__}")
    parser.add_argument("--db", type=Path, metavar="FILE", help="the briefing file to open in the window")
    parser.add_argument(
        "--screenshot", type=Path, metavar="PNG",
        help="open the window, save a picture of it once the plan tree is drawn, and exit "
             "(with QT_QPA_PLATFORM=offscreen it needs no screen)",
    )
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


def _file_to_open(argv: list[str]) -> list[str]:
    """`briefbook FILE [options]` is `briefbook --db FILE [options]`: what a file manager
    runs on a double click (the desktop entry's `briefbook %f`, Windows' `briefbook.exe
    "%1"`). Only a first argument that names a file, or reads as a file name, with no
    sub-command after it, is taken so: a mistyped command (`briefbook tre`) still gets
    argparse's answer."""
    if not argv or argv[0].startswith("-") or any(arg in COMMANDS for arg in argv):
        return argv
    first = argv[0]
    looks_like_a_file = "." in Path(first).name or "/" in first or "\\" in first
    return ["--db", *argv] if looks_like_a_file or Path(first).is_file() else argv


def main(argv: Sequence[str] | None = None) -> int:
    argv = _file_to_open(sys.argv[1:] if argv is None else list(argv))
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
        return _window(args)
    from briefbook.cli.terminal import guard

    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = guard(sys.stdout), guard(sys.stderr)  # file text reaches a terminal as text
    try:
        return _run(args)
    finally:
        sys.stdout, sys.stderr = saved


def _window(args: argparse.Namespace) -> int:
    """No sub-command: the window (or its one-shot picture, `--screenshot`)."""
    from briefbook.gui.display import no_display_sentence

    sentence = no_display_sentence()
    if sentence is not None:
        print(f"briefbook: {sentence}", file=sys.stderr)
        return 1
    gc.enable()  # a long-running window needs the collector (see briefbook.__main__)
    if args.screenshot is not None:
        from briefbook.gui.one_shot import run

        try:
            return run(args.db, args.screenshot)
        except BriefbookError as exc:  # the file could not be opened; nobody is there to read a dialog
            print(f"briefbook: {exc}", file=sys.stderr)
            return 1
    from briefbook.gui.app import run_window

    return run_window(args.db)


def _run(args: argparse.Namespace) -> int:
    target = _target(args)
    from briefbook.services.failures import file_state

    before = file_state(target)
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
    except Exception as exc:
        return _failed(exc, args, target, before)


def _target(args: argparse.Namespace) -> Path | None:
    """The file the command works on (writes, if it writes): init's and check's FILE, copy's OUT, else --db."""
    if args.command in ("init", "check"):
        return Path(args.file)
    if args.command == "copy":
        return Path(args.out)
    if args.command == "store":  # `store init URL` works on the team store only
        return None
    db = getattr(args, "db", None)
    if db is not None:
        return Path(db)
    from briefbook.services.paths import default_file

    return default_file()


def _read_files(args: argparse.Namespace, target: Path | None) -> list[Path]:
    """The briefing files the command reads, which a value briefbook never writes may have tripped."""
    files = [Path(f) for f in (getattr(args, "file", None), getattr(args, "theirs", None)) if f is not None]
    if target is not None and args.command not in ("init", "copy"):
        files.insert(0, target)
    return list(dict.fromkeys(files))


def _failed(exc: Exception, args: argparse.Namespace, target: Path | None, before: FileState | None) -> int:
    """An exception no part of briefbook turned into a sentence: the environment's (one sentence,
    exit 1), a file briefbook never wrote (one sentence naming `check`, exit 1), or a bug (exit 70,
    the traceback in a crash log). See briefbook.services.failures. BRIEFBOOK_DEBUG=1 shows the
    traceback instead (for developers)."""
    import os

    from briefbook.services import failures

    if os.environ.get("BRIEFBOOK_DEBUG"):
        raise exc
    sentence = failures.environment_sentence(exc, target)
    if sentence is not None:
        print(f"briefbook: {sentence}", file=sys.stderr)
        return 1
    outcome = failures.file_outcome(exc, target, before)
    damaged = failures.damaged_sentence(_read_files(args, target))
    if damaged is not None:
        print(f"briefbook: {damaged}{f'; {outcome}' if outcome else ''}.", file=sys.stderr)
        return 1
    what = f"briefbook {args.command} ({getattr(args.func, '__name__', '?')})" + (f" on {target}" if target else "")
    report = failures.error_report(type(exc), exc, exc.__traceback__, what, outcome)
    log = failures.write_crash_log(report)
    print(f"briefbook: {failures.internal_error_sentence(log, outcome)}", file=sys.stderr)
    return failures.EX_SOFTWARE
