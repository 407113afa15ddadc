"""`briefbook conflicts`: what merges set aside, and restoring or dismissing each."""

from __future__ import annotations

import argparse

from briefbook.cli.common import add_db_option, add_json_option, open_briefing, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("conflicts", help="versions merges set aside; restore or dismiss each")
    p.add_argument("action", nargs="?", choices=("list", "restore", "dismiss"), default="list")
    p.add_argument("conflict_id", nargs="?", metavar="ID", help="the version to restore or dismiss (from the list)")
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(func=run_conflicts)


def run_conflicts(args: argparse.Namespace) -> int:
    from briefbook.cli.common import UsageError

    if args.action != "list" and not args.conflict_id:
        raise UsageError(f"Say which version to {args.action}: briefbook conflicts {args.action} ID.")
    with open_briefing(args) as briefing:
        if args.action == "restore":
            done = briefing.restore_set_aside(args.conflict_id)
            item = done.item
            print(f"Restored {_whose(item.other_by)} version of {item.what}: “{_short(item.value)}” is in place.")
            if done.revived:
                print("The note had been deleted since the merge: it is back, with this text.")
            else:
                whose = _whose(done.replaced_by)
                print(f"{whose[:1].upper()}{whose[1:]} “{_short(done.replaced)}”, which it replaced, is now "
                      f"the set-aside version ('briefbook conflicts restore {item.id}' swaps them back).")
            return 0
        if args.action == "dismiss":
            item = briefing.dismiss_set_aside(args.conflict_id)
            print(f"Dismissed {_whose(item.other_by)} version of {item.what}: “{_short(item.value)}” is no longer "
                  f"kept. The version in place stays{f': “{_short(item.kept)}”' if item.kept else ''}.")
            if item.kind == "note":
                print(f"('briefbook note restore {item.id}' brings the dismissed text back.)")
            return 0
        items = briefing.set_aside()
    if args.json:
        print_json({"conflicts": [
            {"id": c.id, "kind": c.kind, "table": c.table, "row_id": c.row_id, "field": c.field, "what": c.what,
             "ref": c.ref, "value": c.value, "kept": c.kept, "by": c.other_by, "at": c.other_at}
            for c in items
        ]})
    elif not items:
        print("No conflicts: nothing any merge set aside is waiting.")
    else:
        for c in items:
            field = "text" if c.kind == "note" else c.field.replace("_", " ")
            print(f"{c.id}  {c.what}, {field}: {c.other_by}'s “{c.value}” (kept: “{c.kept}”)")
    return 0


def _whose(name: str) -> str:
    return f"{name}'s" if name else "the other"


def _short(text: str, limit: int = 200) -> str:
    """A version as one line: the whole of a short one, the start of a long one."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
