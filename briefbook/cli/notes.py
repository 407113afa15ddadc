"""`briefbook note list|add|edit|key|delete`."""

from __future__ import annotations

import argparse
from typing import Any

from briefbook.cli.common import UsageError, add_db_option, add_json_option, open_briefing, print_json
from db.model.ids import UNDATED
from db.model.values import NOTE_KIND_LABELS, NOTE_KINDS, NoteInfo


def _kind(value: str) -> str:
    """Accept "talking_point", "talking-point" or "Talking point"."""
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    if key not in NOTE_KINDS:
        raise argparse.ArgumentTypeError(f"{value!r} is not a note kind; use one of: {', '.join(NOTE_KINDS)}")
    return key


def register(sub: argparse._SubParsersAction) -> None:
    note = sub.add_parser("note", help="list, add, edit or delete notes")
    ns = note.add_subparsers(dest="note_command", metavar="ACTION", required=True,
                             parser_class=sub._parser_class)

    p = ns.add_parser("list", help="the notes of a commitment")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--plan", metavar="PLAN_ID")
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(func=run_list)

    p = ns.add_parser("add", help="add a note to a commitment")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--kind", type=_kind, required=True, help=f"one of: {', '.join(NOTE_KINDS)}")
    p.add_argument("--text", required=True, help="the note (for --kind if_raised: their ask)")
    p.add_argument("--response", default="", help="--kind if_raised: our response to the ask")
    p.add_argument("--key", action="store_true", help="a key message (the pack's steering page lists it)")
    p.add_argument("--author")
    p.add_argument("--plan", metavar="PLAN_ID")
    add_db_option(p, writes=True)
    add_json_option(p)
    p.set_defaults(func=run_add)

    p = ns.add_parser("edit", help="change a note's text")
    p.add_argument("note_id", metavar="NOTE_ID")
    p.add_argument("--text")
    p.add_argument("--kind", type=_kind)
    p.add_argument("--response", help="an if_raised note: our response to the ask")
    p.add_argument("--author")
    add_db_option(p, writes=True)
    add_json_option(p)
    p.set_defaults(func=run_edit)

    p = ns.add_parser("key", help="mark a note as a key message (the pack's steering page), or not")
    p.add_argument("note_id", metavar="NOTE_ID")
    p.add_argument("--off", action="store_true", help="no longer a key message")
    add_db_option(p, writes=True)
    add_json_option(p)
    p.set_defaults(func=run_key)

    p = ns.add_parser("delete", help="delete a note")
    p.add_argument("note_id", metavar="NOTE_ID")
    add_db_option(p, writes=True)
    p.set_defaults(func=run_delete)


def _note_json(n: NoteInfo) -> dict[str, Any]:
    return {"id": n.id, "kind": n.kind, "text": n.body, "response": n.response, "key": bool(n.is_key),
            "author": n.author, "created_at": n.created_at, "updated_at": n.updated_at}


def run_list(args: argparse.Namespace) -> int:
    with open_briefing(args, read_only=True) as briefing:
        node = briefing.node_by_ref(args.ref, args.plan)
        notes = briefing.notes(node.id)
    if args.json:
        print_json({"ref": node.ref, "notes": [_note_json(n) for n in notes]})
    elif not notes:
        print(f"{node.ref} has no notes yet.")
    else:
        for n in notes:
            key = ", key message" if n.is_key else ""
            when = "undated" if n.updated_at == UNDATED else n.updated_at[:10]  # shipped, its report undated
            print(f"[{NOTE_KIND_LABELS.get(n.kind, n.kind)}{key}] {n.author}, {when} ({n.id})")
            print("    " + n.body.replace("\n", "\n    "))
            if n.response:
                print("    Response: " + n.response.replace("\n", "\n    "))
    return 0


def run_add(args: argparse.Namespace) -> int:
    with open_briefing(args) as briefing:
        node = briefing.node_by_ref(args.ref, args.plan)
        note = briefing.add_note(node.id, args.kind, args.text, author=args.author, response=args.response,
                                 key=args.key)
    if args.json:
        print_json(_note_json(note))
    else:
        print(note.id)
    return 0


def run_edit(args: argparse.Namespace) -> int:
    if args.text is None and args.kind is None and args.author is None and args.response is None:
        raise UsageError("Say what to change: --text, --kind, --response or --author.")
    with open_briefing(args) as briefing:
        note = briefing.edit_note(args.note_id, body=args.text, kind=args.kind, author=args.author,
                                  response=args.response)
    if args.json:
        print_json(_note_json(note))
    else:
        print(f"Note {note.id} updated.")
    return 0


def run_key(args: argparse.Namespace) -> int:
    with open_briefing(args) as briefing:
        note = briefing.set_note_key(args.note_id, not args.off)
    if args.json:
        print_json(_note_json(note))
    else:
        print(f"Note {note.id} is {'no longer ' if args.off else ''}a key message.")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    with open_briefing(args) as briefing:
        briefing.delete_note(args.note_id)
    print(f"Note {args.note_id} deleted.")
    return 0
