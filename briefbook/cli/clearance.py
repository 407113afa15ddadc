"""`briefbook clear|approve|clearance`: clearing a meeting's brief part by part, and approving its pack."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from briefbook.cli.common import add_db_option, add_json_option, open_briefing, print_json
from briefbook.cli.meetings import find_meeting
from db.model.errors import NotFound

if TYPE_CHECKING:
    from db.briefing.clearance import EntryClearance, PackClearance
    from db.briefing.facade import Briefing


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("clear", help="record that a named person cleared an agenda entry (or the front matter)")
    p.add_argument("meeting", metavar="MEETING", help="the meeting's id (or its exact title)")
    p.add_argument("--item", metavar="REF", help="the agenda entry's reference; without it, the front matter "
                                                 "(objectives, key messages, press line)")
    p.add_argument("--by", metavar="NAME", required=True, help="who cleared it")
    p.add_argument("--comment", metavar="C", default="")
    add_db_option(p, writes=True)
    add_json_option(p)
    p.set_defaults(func=run_clear)

    p = sub.add_parser("approve", help="approve a meeting's pack (every part must be cleared)")
    p.add_argument("meeting", metavar="MEETING", help="the meeting's id (or its exact title)")
    p.add_argument("--by", metavar="NAME", required=True, help="who approves it")
    add_db_option(p, writes=True)
    add_json_option(p)
    p.set_defaults(func=run_approve)

    p = sub.add_parser("clearance", help="the clearance state of every part of a meeting's brief")
    p.add_argument("meeting", metavar="MEETING", help="the meeting's id (or its exact title)")
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(func=run_clearance)


def _item_id(briefing: Briefing, meeting_id: str, title: str, ref: str | None) -> str | None:
    if ref is None:
        return None
    wanted = ref.strip().rstrip(".")
    item = next((a for a in briefing.agenda(meeting_id) if a.ref == wanted), None)
    if item is None:
        raise NotFound(f"{wanted} is not on the agenda of “{title}”.")
    return item.id


def _entry_json(e: EntryClearance) -> dict[str, Any]:
    return {"ref": e.ref, "title": e.title, "state": e.state, "clearer": e.clearer, "when": e.made_at,
            "comment": e.comment, "content_sha256": e.content_sha256,
            "edited_after_clearance": e.edited_after == "cleared",
            "changes": [{"what": c.what, "by": c.by} for c in e.changes], "text": e.describe()}


def _pack_json(title: str, pack: PackClearance) -> dict[str, Any]:
    return {"meeting": pack.meeting_id, "title": title, "approved": pack.approved,
            "approver": pack.approver if pack.approved else "",
            "approved_at": pack.approved_at if pack.approved else "",
            "approval_stale": pack.approval_stale,
            "entries": [_entry_json(e) for e in pack.entries],
            "still_to_clear": [e.ref for e in pack.still_to_clear]}


def run_clear(args: argparse.Namespace) -> int:
    with open_briefing(args) as briefing:
        m = find_meeting(briefing, args.meeting)
        entry = briefing.clear_entry(m.id, _item_id(briefing, m.id, m.title, args.item), args.by, args.comment)
    if args.json:
        print_json(_entry_json(entry))
    else:
        print(f"{m.title}: {entry.ref} {entry.describe()}.")
    return 0


def run_approve(args: argparse.Namespace) -> int:
    with open_briefing(args) as briefing:
        m = find_meeting(briefing, args.meeting)
        pack = briefing.approve_pack(m.id, args.by)
    if args.json:
        print_json(_pack_json(m.title, pack))
    else:
        print(f"{m.title}: pack approved by {pack.approver}.")
    return 0


def run_clearance(args: argparse.Namespace) -> int:
    with open_briefing(args, read_only=True) as briefing:
        m = find_meeting(briefing, args.meeting)
        pack = briefing.clearance(m.id)
    if args.json:
        print_json(_pack_json(m.title, pack))
        return 0
    if pack.approved:
        head = f"approved by {pack.approver} on {pack.approved_at[:16].replace('T', ' ')}"
    elif pack.approval_stale:
        head = f"not approved (approved by {pack.approver}, but the text changed since)"
    else:
        head = "not approved"
    print(f"{m.title}: {head}")
    width = max(len(e.ref) for e in pack.entries)
    for e in pack.entries:
        print(f"  {e.ref:{width}}  {e.describe()}")
    left = pack.still_to_clear
    print(f"Still to clear: {', '.join(e.ref for e in left)}." if left else "Every part is cleared.")
    return 0
