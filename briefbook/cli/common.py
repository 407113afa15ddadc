"""What every sub-command shares: opening the file named by --db, JSON output."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.model.errors import BriefbookError

if TYPE_CHECKING:  # imported when a command runs, so --help and bad arguments stay instant
    from db.briefing.facade import Briefing


class UsageError(BriefbookError):
    """The command was given arguments that do not fit (exit status 2)."""


def add_db_option(parser: argparse.ArgumentParser, writes: bool = False) -> None:
    # SUPPRESS: a --db given before the sub-command ("briefbook --db F tree") is kept.
    parser.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="FILE",
        help="the briefing file (default: your default file, created on first use)",
    )
    if writes:
        parser.add_argument(
            "--break-lock",
            action="store_true",
            help="take over the file's lock, left by a briefbook that is no longer running (only if you are sure)",
        )


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the answer as JSON for scripts")


def open_briefing(args: argparse.Namespace, read_only: bool = False) -> Briefing:
    """Open --db (or the default file when the command allows none).

    Reads never need the write lock: a file another briefbook holds (the
    window) is read as it is. A writer that finds the file held is told what
    the command line can do: wait, or `--break-lock` a lock left over.
    """
    from briefbook.services.preferences import author_name
    from db.model.errors import FileLocked

    # One name per writer, the same in a note's byline and in every row's updated_by: the
    # command's --author where it has one, else the name the window signs with.
    user = (getattr(args, "author", None) or "").strip() or author_name()
    path: Path | None = getattr(args, "db", None)
    if path is None:
        from briefbook.services.paths import default_file

        if read_only and default_file().exists():
            path = default_file()
    try:
        briefing = _open(path, read_only, user)
    except FileLocked as exc:
        from db.disk import lock as dblock

        if not getattr(args, "break_lock", False) or not exc.holder:
            raise FileLocked(exc.path, _locked_sentence(exc)) from None
        dblock.take_over(exc.path, dict(exc.holder))
        briefing = _open(path, read_only, user)
    if briefing.recovered:  # a half-upgraded file put back from its backup: said once, on stderr
        print(f"briefbook: {briefing.recovered}", file=sys.stderr)
    return briefing


def _open(path: Path | None, read_only: bool, user: str) -> Briefing:
    from db.briefing.facade import Briefing

    if path is None:
        from briefbook.services.seeding import open_default

        return open_default(user=user)
    return Briefing.open(path, read_only=read_only, user=user)


def _locked_sentence(exc: Exception) -> str:
    """What a writer on the command line can do about a file another briefbook holds."""
    from db.disk import lock as dblock
    from db.model.errors import FileLocked

    assert isinstance(exc, FileLocked)
    if not exc.holder:
        return str(exc)  # a lock that is not one (a FIFO): its own sentence says what to do
    holder: dict[str, object] = dict(exc.holder)
    phrase = dblock.holder_phrase(exc.path, holder)
    if dblock.is_suspect(holder):
        return (f"{phrase}. If you are sure briefbook is closed there, run the command again with --break-lock; "
                "otherwise wait until it is closed.")
    return (f"{phrase}; wait until they close it, then run the command again (reading commands such as tree, "
            "search, export and check work meanwhile).")


def print_json(value: Any) -> None:
    # Indented for a person at a terminal; compact for scripts, where the C
    # encoder makes a 10,000-node tree several times faster.
    indent = 2 if sys.stdout.isatty() else None
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=indent))
    sys.stdout.write("\n")


def resolve_node(briefing: Briefing, ref: str, plan: str | None = None) -> str:
    """A node id from a reference ("3.2.1"), optionally within plan id `plan`."""
    return briefing.node_by_ref(ref, plan).id
