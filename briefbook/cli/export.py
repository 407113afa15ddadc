"""`briefbook export`: a meeting's pack, a plan or one area as PDF or Word."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from briefbook.cli.common import UsageError, add_db_option, add_json_option, open_briefing, print_json
from db.model.errors import InvalidInput, NotFound
from db.model.values import NOTE_KINDS

if TYPE_CHECKING:
    from db.briefing.facade import Briefing
    from db.model.values import MeetingInfo, PlanInfo


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="write a briefing book as PDF or Word",
        description="Write a meeting's briefing pack, a whole plan or one area of it as PDF or Word. "
        "MEETING and PLAN are ids from 'meeting list --json' and 'tree --json' (a meeting's or plan's "
        "title works too; --plan alone takes the file's only plan).",
    )
    add_db_option(p)
    what = p.add_argument_group("what to export (one of)")
    what.add_argument("--meeting", metavar="MEETING", help="a meeting's id or title: its agenda, in order")
    what.add_argument("--plan", metavar="PLAN", nargs="?", const="", help="a plan's id or title: the whole plan")
    p.add_argument("--area", metavar="N", help="with --plan: only this area (its reference, e.g. 3)")
    p.add_argument("--format", choices=("pdf", "docx"), help="default: from OUT's suffix")
    p.add_argument("-o", "--output", dest="output", type=Path, required=True, metavar="OUT", help="the file to write")
    p.add_argument("--edition", choices=("principal", "desk"),
                   help="a meeting's pack: the principal's brief (the default: steering page, one item a page, "
                        "background annexed, no bylines) or the desk's (everything)")
    p.add_argument("--since", metavar="DATE", help="add the status changes and notes since DATE (YYYY-MM-DD)")
    p.add_argument("--classification", metavar="TEXT",
                   help="the marking on every page (default: the meeting's, else the one in your preferences)")
    p.add_argument("--kinds", metavar="K1,K2", help=f"only these note kinds: {','.join(NOTE_KINDS)}")
    p.add_argument("--no-sources", action="store_true", help="leave out source citations and the appendix")
    p.add_argument("--prepared-by", metavar="NAME",
                   help="the name on the cover (default: your name from the preferences, else your login name)")
    p.add_argument("--no-page-numbers", action="store_true",
                   help="Word: do not lay the document out with LibreOffice to number the contents (faster)")
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
    add_json_option(p)
    p.set_defaults(func=run_export)


def _kinds(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    kinds = tuple(k.strip().lower().replace(" ", "_").replace("-", "_") for k in text.split(",") if k.strip())
    for k in kinds:
        if k not in NOTE_KINDS:
            raise UsageError(f"{k!r} is not a note kind; use some of: {','.join(NOTE_KINDS)}.")
    return kinds


def find_meeting(briefing: Briefing, key: str) -> MeetingInfo:
    """A meeting by id, by exact title, or by a piece of its title that names only one meeting."""
    return _by_id_or_title(briefing.meetings(), key, "meeting", "meetings", "briefbook meeting list")


def find_plan(briefing: Briefing, key: str) -> PlanInfo:
    """A plan by id or title; an empty key means the file's only plan."""
    plans = briefing.plans()
    if not key.strip():
        if len(plans) == 1:
            return plans[0]
        if not plans:
            raise NotFound("This file holds no plan yet; add one with 'briefbook import-plan'.")
        raise UsageError(
            f"This file holds {len(plans)} plans; name one with --plan (ids from 'briefbook tree --json')."
        )
    return _by_id_or_title(plans, key, "plan", "plans", "briefbook tree --json")


class _Named(Protocol):
    # Read-only, as the frozen values' fields are.
    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...


_N = TypeVar("_N", bound=_Named)


def _by_id_or_title(items: list[_N], key: str, noun: str, nouns: str, listing: str) -> _N:
    """The one item whose id is `key`, else whose title is `key`, else whose title holds `key`."""
    wanted = key.strip().casefold()
    for test in (lambda i: i.id == key.strip(), lambda i: i.title.casefold() == wanted,
                 lambda i: wanted in i.title.casefold()):
        found = [i for i in items if test(i)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise InvalidInput(f"{len(found)} {nouns} match {key!r}; give the {noun}'s id (see '{listing}').")
    raise NotFound(f"There is no {noun} {key!r} in this file (see '{listing}').")


def run_export(args: argparse.Namespace) -> int:
    from briefbook.services import preferences
    from exporters.book import BookOptions
    from exporters.export import Scope, export, format_for

    if args.meeting is not None and (args.plan is not None or args.area is not None):
        raise UsageError("Give either --meeting or --plan (with --area), not both.")
    if args.meeting is None and args.plan is None and args.area is None:
        raise UsageError("Say what to export: --meeting MEETING or --plan PLAN (see 'briefbook export --help').")
    if args.plan is not None and args.edition == "principal":
        raise UsageError("A plan book has one edition, the desk's; --edition principal is for a meeting's pack.")
    fmt = format_for(args.output, args.format)
    prefs = preferences.load()
    options = BookOptions(
        since=args.since,
        classification=args.classification,
        default_classification=prefs.default_classification,
        note_kinds=_kinds(args.kinds),
        include_sources=not args.no_sources,
        prepared_by=args.prepared_by or prefs.author.strip() or None,  # None: the file's user (the login name)
        long_note_words=prefs.long_note_words,
        edition=args.edition or "principal",
    )
    with open_briefing(args, read_only=True) as briefing:
        if args.meeting is not None:
            scope = Scope(meeting_id=find_meeting(briefing, args.meeting).id)
        else:
            scope = Scope(plan_id=find_plan(briefing, args.plan or "").id, area_ref=args.area)
        out = export(briefing, scope, args.output, fmt, options,
                     warn=lambda sentence: print(f"Warning: {sentence}", file=sys.stderr),
                     page_numbers=not args.no_page_numbers)
    if args.json:
        print_json({"path": str(out.resolve()), "format": fmt})
    elif not args.quiet:
        print(f"Wrote {out}", file=sys.stdout)
    return 0
