"""Which nodes a search matches, for filtering the plan tree as the user types.

Unlike `Briefing.search` this makes no snippets and has no limit: the tree
needs every matching node, and a note or source that matches counts for the
node(s) it belongs to. One SQL statement, so a keystroke stays fast on files
with tens of thousands of notes.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict

from db.disk.connections import chunks
from db.model import folding
from db.model.values import NOTE_KIND_LABELS, MatchReason
from db.search import index as indexing
from db.search import query as search

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


#: Excerpts are cut for at most this many nodes (a search matching more shows the rest
#: without): 150 keeps a keystroke on 10,000 commitments under 100 ms.
EXCERPT_LIMIT = 150

_MATCHING_ROWS = """
    WITH m AS (SELECT kind, row_id FROM search_index WHERE search_index MATCH :q)
    SELECT n.id, 'node', n.id FROM m JOIN node n ON n.id = m.row_id
        WHERE m.kind = 'node' AND n.deleted_at IS NULL
    UNION ALL
    SELECT nt.node_id, 'note', nt.id FROM m JOIN note nt ON nt.id = m.row_id
        WHERE m.kind = 'note' AND nt.deleted_at IS NULL
    UNION ALL
    SELECT l.node_id, 'source', l.source_id FROM m JOIN source_link l ON l.source_id = m.row_id
        WHERE m.kind = 'source' AND l.deleted_at IS NULL
"""


def match_reasons(conn: sqlite3.Connection, user_text: str) -> dict[str, tuple[MatchReason, ...]]:
    """For every node `matching_node_ids` finds, why: its own text first, then
    status comments, notes and linked sources, each with an excerpt."""
    query = search.build_query(user_text)
    if query is None:
        return {}
    rows: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for node_id, kind, row_id in conn.execute(_MATCHING_ROWS, {"q": query}):
        rows[node_id].append((kind, row_id))
    with_excerpts = list(rows)[:EXCERPT_LIMIT]
    texts = _texts(conn, {(k, r) for nid in with_excerpts for k, r in rows[nid]})
    comments = indexing.status_comments(conn, [n for n in with_excerpts if ("node", n) in texts])
    node_aside = indexing.set_aside_texts(conn, "node", [n for n in with_excerpts if ("node", n) in texts])
    source_aside = indexing.set_aside_texts(conn, "source", [r for k, r in texts if k == "source"])
    out: dict[str, tuple[MatchReason, ...]] = {}
    order = {"node": 0, "note": 1, "source": 2}
    for node_id, found in rows.items():
        reasons: list[MatchReason] = []
        for kind, row_id in sorted(found, key=lambda kr: order[kr[0]]):
            what, text = texts.get((kind, row_id), (_WHAT[kind], ""))
            if kind in ("node", "source") and text and not folding.contains_words(text, user_text):
                # Found by a status comment or by a version a merge set aside, not by its own text.
                said = [c for c in comments.get(node_id, ()) if folding.contains_words(c, user_text)] \
                    if kind == "node" else []
                aside = [t for t in (node_aside if kind == "node" else source_aside).get(row_id, ())
                         if folding.contains_words(t, user_text)]
                if said or (kind == "node" and not aside):
                    what, text = "a status comment", said[-1] if said else "\n".join(comments.get(node_id, ()))
                elif aside:
                    what, text = f"{what}, a version set aside by a merge", aside[-1]
            reasons.append(MatchReason(what, folding.snippet(text, user_text, 120) if text else ""))
        out[node_id] = tuple(reasons)
    return out


_WHAT = {"node": "its text", "note": "a note", "source": "a linked source"}


def _texts(conn: sqlite3.Connection, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str]]:
    """(kind, row id) -> (what it is in words, its text) for the rows named."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, row_id in wanted:
        by_kind[kind].append(row_id)
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for chunk, marks in chunks(by_kind["node"]):
        for nid, ref, title, body, office in conn.execute(
            f"SELECT id, ref, title, text, lead_office FROM node WHERE id IN ({marks})", chunk
        ):
            out[("node", nid)] = ("its text", "\n".join(p for p in (ref, title, body, office) if p))
    for chunk, marks in chunks(by_kind["note"]):
        for note_id, kind, body in conn.execute(f"SELECT id, kind, body FROM note WHERE id IN ({marks})", chunk):
            out[("note", note_id)] = (f"a note ({NOTE_KIND_LABELS.get(kind, kind).lower()})", body)
    for chunk, marks in chunks(by_kind["source"]):
        for source_id, title, outlet, excerpt in conn.execute(
            f"SELECT id, title, outlet, excerpt FROM source WHERE id IN ({marks})", chunk
        ):
            out[("source", source_id)] = ("a linked source", "\n".join(p for p in (title, outlet, excerpt) if p))
    return out


def nodes_with_note_kind(conn: sqlite3.Connection, kind: str) -> set[str]:
    """Ids of the nodes holding a live note of this kind."""
    sql = "SELECT DISTINCT node_id FROM note WHERE kind = ? AND deleted_at IS NULL"
    return {r[0] for r in conn.execute(sql, (kind,))}
