"""Which nodes a search matches, for filtering the plan tree as the user types.

Unlike `Briefing.search` this makes no snippets and has no limit: the tree
needs every matching node, and a note or source that matches counts for the
node(s) it belongs to. One SQL statement, so a keystroke stays fast on files
with tens of thousands of notes.
"""

from __future__ import annotations

import sqlite3

from db import search

_MATCHING_NODES = """
    WITH m AS (SELECT kind, row_id FROM search_index WHERE search_index MATCH :q)
    SELECT n.id FROM m JOIN node n ON n.id = m.row_id
        WHERE m.kind = 'node' AND n.deleted_at IS NULL
    UNION
    SELECT nt.node_id FROM m JOIN note nt ON nt.id = m.row_id
        WHERE m.kind = 'note' AND nt.deleted_at IS NULL
    UNION
    SELECT l.node_id FROM m JOIN source_link l ON l.source_id = m.row_id
        WHERE m.kind = 'source' AND l.deleted_at IS NULL
"""


def matching_node_ids(conn: sqlite3.Connection, user_text: str) -> set[str]:
    """Ids of the nodes whose own text, notes or linked sources match `user_text`.

    Text that holds no word matches nothing (never an error).
    """
    query = search.build_query(user_text)
    if query is None:
        return set()
    return {row[0] for row in conn.execute(_MATCHING_NODES, {"q": query})}
