"""`briefbook meeting list|create|edit|add|item|combine`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from briefbook.cli.common import UsageError, add_db_option, add_json_option, open_briefing, print_json
from db.model.errors import InvalidInput, NotFound
from db.model.rules import MEETING_FIELDS

if TYPE_CHECKING:
    from db.briefing.facade import Briefing
    from db.model.values import MeetingInfo


def register(sub: argparse._SubParsersAction) -> None:
    meeting = sub.add_parser("meeting", help="meetings and their agendas")
    ms = meeting.add_subparsers(dest="meeting_command", metavar="ACTION", required=True,
                                parser_class=sub._parser_class)

    p = ms.add_parser("list", help="the meetings with their agendas")
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(func=run_list)

    p = ms.add_parser("create", help="a new meeting")
    p.add_argument("--title", required=True)
    p.add_argument("--date", help="YYYY-MM-DD (or YYYY-MM, YYYY)")
    p.add_argument("--place", default="")
    p.add_argument("--participants", default="")
    p.add_argument("--classification", default="", help="the marking printed on every page")
    p.add_argument("--purpose", default="")
    p.add_argument("--objectives", default="", help="what we want from the meeting, one a line")
    p.add_argument("--press-line", default="", help="what may be said to the press")
    add_db_option(p, writes=True)
    add_json_option(p)
    p.set_defaults(func=run_create)

    p = ms.add_parser("edit", help="change a meeting's details (only the ones given)")
    p.add_argument("meeting", metavar="MEETING", help="the meeting's id (or its exact title)")
    p.add_argument("--title")
    p.add_argument("--date", help="YYYY-MM-DD (or YYYY-MM, YYYY); an empty text: not fixed")
    p.add_argument("--place")
    p.add_argument("--participants")
    p.add_argument("--classification", help="the marking printed on every page")
    p.add_argument("--purpose")
    p.add_argument("--objectives", help="what we want from the meeting, one a line (the pack's steering page)")
    p.add_argument("--press-line", help="what may be said to the press (the pack's steering page)")
    add_db_option(p, writes=True)
    add_json_option(p)
    p.set_defaults(func=run_edit)

    p = ms.add_parser("add", help="put commitments on a meeting's agenda")
    p.add_argument("meeting", metavar="MEETING", help="the meeting's id (or its exact title)")
    p.add_argument("refs", metavar="REF", nargs="+")
    p.add_argument("--points", default="", help="meeting-specific points (Markdown)")
    p.add_argument("--objective", default="", help="what we want from this item (one line)")
    p.add_argument("--plan", metavar="PLAN_ID")
    add_db_option(p, writes=True)
    add_json_option(p)
    p.set_defaults(func=run_add)

    p = ms.add_parser("item", help="change an agenda entry's objective or meeting points")
    p.add_argument("meeting", metavar="MEETING", help="the meeting's id (or its exact title)")
    p.add_argument("ref", metavar="REF", help="the agenda entry's reference")
    p.add_argument("--objective", help="what we want from this item (one line)")
    p.add_argument("--points", help="meeting-specific points (Markdown)")
    add_db_option(p, writes=True)
    add_json_option(p)
    p.set_defaults(func=run_item)

    p = ms.add_parser("combine", help="make two records of one meeting one (a merge found both copies created it)")
    p.add_argument("keep", metavar="KEEP", help="the meeting to keep (id or title)")
    p.add_argument("other", metavar="OTHER", help="the meeting whose agenda moves to KEEP (id or title)")
    add_db_option(p, writes=True)
    add_json_option(p)
    p.set_defaults(func=run_combine)


def find_meeting(briefing: Briefing, key: str) -> MeetingInfo:
    meetings = briefing.meetings()
    for m in meetings:
        if m.id == key:
            return m
    titled = [m for m in meetings if m.title.casefold() == key.strip().casefold()]
    if len(titled) == 1:
        return titled[0]
    if len(titled) > 1:
        raise InvalidInput(f"{len(titled)} meetings are called {key!r}; give the meeting's id instead.")
    raise NotFound(f"There is no meeting {key!r} in this file (see 'briefbook meeting list').")


def _meeting_json(briefing: Briefing, m: MeetingInfo) -> dict[str, Any]:
    agenda = briefing.agenda(m.id)
    return {"id": m.id, "title": m.title, "date": m.date, "place": m.place,
            "participants": m.participants, "classification": m.classification, "purpose": m.purpose,
            "objectives": m.objectives, "press_line": m.press_line,
            "agenda": [a.ref for a in agenda],
            "items": [{"ref": a.ref, "objective": a.objective, "points": a.points} for a in agenda]}


def run_list(args: argparse.Namespace) -> int:
    with open_briefing(args, read_only=True) as briefing:
        rows = [_meeting_json(briefing, m) for m in briefing.meetings()]
    if args.json:
        print_json({"meetings": rows})
    elif not rows:
        print("No meetings yet: create one with 'briefbook meeting create --title T'.")
    else:
        for r in rows:
            print(f"{r['date'] or 'date unknown':12} {r['title']} — {r['place'] or 'place unknown'} ({r['id']})")
            if r["agenda"]:
                print(f"{'':12} agenda: {', '.join(r['agenda'])}")
    return 0


def run_create(args: argparse.Namespace) -> int:
    with open_briefing(args) as briefing:
        m = briefing.create_meeting(args.title, date=args.date, place=args.place,
                                    participants=args.participants, classification=args.classification,
                                    purpose=args.purpose, objectives=args.objectives, press_line=args.press_line)
        row = _meeting_json(briefing, m)
    if args.json:
        print_json(row)
    else:
        print(m.id)
    return 0


def run_add(args: argparse.Namespace) -> int:
    with open_briefing(args) as briefing:
        m = find_meeting(briefing, args.meeting)
        nodes = [briefing.node_by_ref(ref, args.plan) for ref in args.refs]  # all refs valid first
        on_agenda = {a.node_id for a in briefing.agenda(m.id)}
        for n in nodes:  # and none twice, so nothing is written when one is refused
            if n.id in on_agenda:
                raise InvalidInput(f"{n.ref} is already on the agenda of “{m.title}”.")
            on_agenda.add(n.id)
        for n in nodes:
            briefing.add_agenda_item(m.id, n.id, args.points, objective=args.objective)
        row = _meeting_json(briefing, m)
    if args.json:
        print_json(row)
    else:
        print(f"{m.title}: agenda {', '.join(row['agenda'])}.")
    return 0


def run_edit(args: argparse.Namespace) -> int:
    fields = {name: getattr(args, name) for name in MEETING_FIELDS if getattr(args, name, None) is not None}
    if not fields:
        raise UsageError("Say what to change: --title, --date, --place, --participants, --classification, "
                         "--purpose, --objectives or --press-line.")
    with open_briefing(args) as briefing:
        m = briefing.edit_meeting(find_meeting(briefing, args.meeting).id, **fields)
        row = _meeting_json(briefing, m)
    if args.json:
        print_json(row)
    else:
        print(f"Meeting “{m.title}” updated.")
    return 0


def run_item(args: argparse.Namespace) -> int:
    if args.objective is None and args.points is None:
        raise UsageError("Say what to change: --objective or --points.")
    with open_briefing(args) as briefing:
        m = find_meeting(briefing, args.meeting)
        wanted = args.ref.strip().rstrip(".")
        item = next((a for a in briefing.agenda(m.id) if a.ref == wanted), None)
        if item is None:
            raise NotFound(f"{wanted} is not on the agenda of “{m.title}”.")
        if args.objective is not None:
            item = briefing.set_agenda_objective(item.id, args.objective)
        if args.points is not None:
            item = briefing.set_agenda_points(item.id, args.points)
    if args.json:
        print_json({"ref": item.ref, "objective": item.objective, "points": item.points})
    else:
        print(f"{m.title}: {item.ref} updated.")
    return 0


def run_combine(args: argparse.Namespace) -> int:
    with open_briefing(args) as briefing:
        keep, other = find_meeting(briefing, args.keep), find_meeting(briefing, args.other)
        kept = briefing.combine_meetings(keep.id, other.id).kept
        entries = len(briefing.agenda(kept.id))
        if args.json:
            print_json(_meeting_json(briefing, kept) | {"combined": other.id})
            return 0
    print(f"Combined “{other.title}” into “{kept.title}”: {entries} agenda entr{'y' if entries == 1 else 'ies'}, "
          "with the points of both.")
    return 0
