"""`briefbook store init URL` and `briefbook sync URL`: a team store on PostgreSQL.

psycopg (and everything of db.sharing.store) is imported only when one of these runs.
A password comes from libpq's own places (PGPASSFILE, a service file) or, at
a terminal, from a prompt; it is never printed or stored.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from briefbook.cli.common import add_db_option, add_json_option, open_briefing, print_json

T = TypeVar("T")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("store", help="set up a team store on PostgreSQL")
    actions = p.add_subparsers(dest="store_command", metavar="ACTION", required=True, parser_class=type(p))
    init = actions.add_parser("init", help="create the team store's tables in an empty database (or update them)")
    init.add_argument("url", metavar="URL", help="postgresql://user@host/database (no password: use PGPASSFILE)")
    init.set_defaults(func=run_store_init)

    p = sub.add_parser("sync", help="sync a file with the team store (FILE is made from the store if it is new)")
    p.add_argument("url", metavar="URL", help="postgresql://user@host/database")
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(func=run_sync)


def _with_password(url: str, run: Callable[[str | None], T]) -> T:
    """Run `run(None)`; if the server wants a password libpq had not, ask once at a terminal."""
    from db.sharing.store.connect import redact
    from db.sharing.store.errors import PasswordNeeded

    try:
        return run(None)
    except PasswordNeeded:
        if not sys.stdin.isatty():
            raise
    import getpass

    return run(getpass.getpass(f"Password for the team store at {redact(url)}: "))


def run_store_init(args: argparse.Namespace) -> int:
    from db.sharing.store.schema import init_store

    result = _with_password(args.url, lambda password: init_store(args.url, password))
    print(result.sentence())
    return 0


def run_sync(args: argparse.Namespace) -> int:
    from db.sharing.store.connect import is_store_address
    from db.sharing.store.errors import StoreError
    from db.sharing.store.sync import sync_file

    if not is_store_address(args.url):
        raise StoreError(f"{args.url!r} is not a PostgreSQL address: write it as postgresql://user@host/database.")
    db_path: Path | None = getattr(args, "db", None)
    created = db_path is not None and not db_path.exists()
    if created:
        from briefbook.services.preferences import author_name
        from db.briefing.facade import Briefing

        assert db_path is not None
        briefing = Briefing.create(db_path, user=author_name())
    else:
        briefing = open_briefing(args)
    try:
        with briefing:
            report = _with_password(
                args.url, lambda password: sync_file(briefing, args.url, password, created_file=created)
            )
    except BaseException:
        if created and db_path is not None:
            db_path.unlink(missing_ok=True)  # no half-made file left behind
        raise
    if args.json:
        print_json(report.to_json())
    else:
        for line in report.summary():
            print(line)
    return 0
