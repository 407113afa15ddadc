"""The write transaction that keeps the search index in step with every write.

Every write to a briefing file (the facade's edits, a plan import, a merge, a
sync, a repair) runs inside `write_transaction(conn)`. Temporary triggers,
made once per connection and never stored in the file, note the id of each
node, note and source a statement touched (a link touches its source, a
status change its node); just before the commit the noted rows are indexed
again, or dropped from the index when they are gone. So no caller re-indexes
by hand, and a write path added later cannot forget to.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from db.disk.connections import chunks, transaction
from db.search import index as indexing
from db.search import query as search

#: (table, the column naming the indexed row, the kind it is indexed as)
_WATCHED = (
    ("node", "id", "node"),
    ("note", "id", "note"),
    ("source", "id", "source"),
    ("source_link", "source_id", "source"),  # a source is indexed with its links' quotes
    ("status_change", "node_id", "node"),  # a node with its status comments
)  # and merge_conflict: a set-aside version, with the node or source it belongs to (below)


def _install_sql() -> str:
    out = ["CREATE TEMP TABLE IF NOT EXISTS index_pending (kind TEXT, id TEXT, PRIMARY KEY (kind, id)) WITHOUT ROWID;"]
    for table, column, kind in _WATCHED:
        for event, rows in (("INSERT", ("new",)), ("UPDATE", ("old", "new")), ("DELETE", ("old",))):
            values = ", ".join(f"('{kind}', {r}.{column})" for r in rows)
            out.append(
                f"CREATE TEMP TRIGGER IF NOT EXISTS index_pending_{table}_{event.lower()} "
                f"AFTER {event} ON main.{table} BEGIN "
                f"INSERT OR IGNORE INTO index_pending (kind, id) VALUES {values}; END;"
            )
    # A version set aside (or restored, or dismissed) is indexed with its node, note or source (a
    # citation's, with its source). One line per trigger: the statements are split at line ends.
    for event, rows in (("INSERT", ("new",)), ("UPDATE", ("old", "new")), ("DELETE", ("old",))):
        body = " ".join(
            f"INSERT OR IGNORE INTO index_pending (kind, id) SELECT {r}.table_name, {r}.row_id "
            f"WHERE {r}.table_name IN ('node', 'note', 'source'); "
            f"INSERT OR IGNORE INTO index_pending (kind, id) SELECT 'source', l.source_id FROM main.source_link l "
            f"WHERE l.id = {r}.row_id AND {r}.table_name = 'source_link';"
            for r in rows
        )
        out.append(
            f"CREATE TEMP TRIGGER IF NOT EXISTS index_pending_merge_conflict_{event.lower()} "
            f"AFTER {event} ON main.merge_conflict BEGIN {body} END;"
        )
    return "\n".join(out)


_INSTALL = _install_sql()


def install(conn: sqlite3.Connection) -> None:
    """Make this connection note what its writes touch (once per connection; cheap after)."""
    if conn.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'index_pending'").fetchone() is None:
        # One statement at a time: executescript would COMMIT an open transaction first.
        for statement in _INSTALL.split(";\n"):
            conn.execute(statement.rstrip(";"))


def catch_up(conn: sqlite3.Connection) -> None:
    """Index again every row noted since the last catch-up, then forget them."""
    pending = conn.execute("SELECT kind, id FROM temp.index_pending WHERE id IS NOT NULL").fetchall()
    if not pending:
        return
    by_kind: dict[str, list[str]] = {"node": [], "note": [], "source": []}
    for kind, row_id in pending:
        by_kind[kind].append(row_id)
    gone: list[str] = []
    for table, ids in by_kind.items():
        live: list[str] = []
        found: set[str] = set()
        for chunk, marks in chunks(sorted(ids)):
            for row_id, deleted_at in conn.execute(
                f"SELECT id, deleted_at FROM main.{table} WHERE id IN ({marks})", chunk
            ):
                found.add(row_id)
                (gone if deleted_at is not None else live).append(row_id)
        gone += [i for i in ids if i not in found]
        if table == "node":
            indexing.reindex_nodes(conn, live)
        elif table == "note":
            indexing.reindex_notes(conn, live)
        else:
            indexing.reindex_sources(conn, live)
    search.unindex_rows(conn, gone)
    forget(conn)


def rebuild(conn: sqlite3.Connection) -> None:
    """Index every live row again (a file made from the team store, an index from an older
    briefbook); what was noted so far is covered by it."""
    indexing.rebuild(conn)
    if conn.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'index_pending'").fetchone():
        forget(conn)


def forget(conn: sqlite3.Connection) -> None:
    """Drop what was noted (after a rebuild of the whole index, or a rollback)."""
    conn.execute("DELETE FROM temp.index_pending")


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """`db.disk.connections.transaction`, with the search index brought up to date before the commit."""
    install(conn)
    try:
        with transaction(conn):
            yield conn
            catch_up(conn)
    except BaseException:
        forget(conn)  # the rolled-back writes left nothing to index
        raise
