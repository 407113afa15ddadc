"""What the search index holds for each row, and how search results are assembled.

`db.search.query` folds text and speaks FTS5; this module knows the tables: which
text of a commitment, note or source is indexed (a source with the quotes of
its links), how rows are re-indexed after a change or a merge, and how the
index's matches become `SearchHit`s with their nodes and snippets.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence

from db.disk.connections import chunks
from db.model import folding
from db.model.values import SearchHit
from db.search import query as search

#: Starts the snippet of a commitment found by one of its status comments.
STATUS_COMMENT_PREFIX = "Status comment: "

#: The tables the search index covers; each entry's `kind` is its table's name.
INDEXED_TABLES = ("node", "note", "source")


#: What the index holds, kept in the file's meta table: files indexed before
#: status comments were part of a commitment's entry are indexed again on open.
INDEX_CONTENT = "2: node entries carry their status comments"
INDEX_CONTENT_KEY = "search_index_content"


def status_comments(conn: sqlite3.Connection, node_ids: Sequence[str]) -> dict[str, list[str]]:
    """The non-empty comments of each node's status changes, oldest first."""
    out: dict[str, list[str]] = defaultdict(list)
    for chunk, marks in chunks(node_ids):
        for nid, comment in conn.execute(
            f"SELECT node_id, comment FROM status_change WHERE node_id IN ({marks}) AND comment != '' "
            "ORDER BY changed_at",
            chunk,
        ):
            out[nid].append(comment)
    return out


def reindex_nodes(conn: sqlite3.Connection, node_ids: Sequence[str]) -> None:
    """Index these nodes again: reference, title, text, lead office and status comments."""
    rows: list[tuple[str, str]] = []
    comments = status_comments(conn, node_ids)
    for chunk, marks in chunks(node_ids):
        for nid, ref, title, body, office in conn.execute(
            f"SELECT id, ref, title, text, lead_office FROM node WHERE id IN ({marks})", chunk
        ):
            parts = (ref, title, body, office, *comments.get(nid, ()))
            rows.append((nid, "\n".join(p for p in parts if p)))
    search.index_rows(conn, "node", rows)


#: What a note is found by: its text and (an "if raised" note) its response.
NOTE_TEXT = "CASE WHEN response = '' THEN body ELSE body || char(10) || char(10) || response END"


def is_current(conn: sqlite3.Connection) -> bool:
    """False if the index was made by an older briefbook (`rebuild` it then)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (INDEX_CONTENT_KEY,)).fetchone()
    return row is not None and row[0] == INDEX_CONTENT


def reindex_notes(conn: sqlite3.Connection, note_ids: Sequence[str]) -> None:
    """Index these notes again: their body."""
    for chunk, marks in chunks(note_ids):
        search.index_rows(conn, "note", list(conn.execute(f"SELECT id, {NOTE_TEXT} FROM note WHERE id IN ({marks})",
                                                          chunk)))


def reindex_sources(conn: sqlite3.Connection, source_ids: Sequence[str]) -> None:
    """Index these live sources again: title, outlet, excerpt and the quotes of their live links."""
    rows: list[tuple[str, str]] = []
    for chunk, marks in chunks(source_ids):
        quotes: dict[str, list[str]] = defaultdict(list)
        for source_id, quote in conn.execute(
            f"SELECT source_id, quote FROM source_link WHERE source_id IN ({marks}) AND deleted_at IS NULL",
            chunk,
        ):
            if quote:
                quotes[source_id].append(quote)
        for source_id, title, outlet, excerpt in conn.execute(
            f"SELECT id, title, outlet, excerpt FROM source WHERE id IN ({marks}) AND deleted_at IS NULL",
            chunk,
        ):
            parts = [title, outlet, excerpt, *quotes.get(source_id, [])]
            rows.append((source_id, "\n".join(p for p in parts if p)))
    search.index_rows(conn, "source", rows)


def rebuild(conn: sqlite3.Connection) -> None:
    """Empty the index and index every live row (inside the caller's transaction)."""
    conn.execute("DELETE FROM search_index")
    reindex_nodes(conn, [r[0] for r in conn.execute("SELECT id FROM node WHERE deleted_at IS NULL")])
    notes = conn.execute(f"SELECT id, {NOTE_TEXT} FROM note WHERE deleted_at IS NULL").fetchall()
    search.index_rows(conn, "note", notes)
    reindex_sources(conn, [r[0] for r in conn.execute("SELECT id FROM source WHERE deleted_at IS NULL")])
    conn.execute("DELETE FROM meta WHERE key = ?", (INDEX_CONTENT_KEY,))
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (INDEX_CONTENT_KEY, INDEX_CONTENT))


def hits(conn: sqlite3.Connection, query: str, limit: int) -> list[SearchHit]:
    """Commitments, notes and sources matching `query`, best first, each with its node(s) and a snippet."""
    matches = search.match(conn, query, limit)
    by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, row_id, _ in matches:
        by_kind[kind].append(row_id)
    node_text: dict[str, tuple[str, str, str]] = {}  # node id, text, what it is
    note_rows: dict[str, tuple[str, str]] = {}
    source_rows: dict[str, tuple[list[str], str]] = {}
    comments = status_comments(conn, by_kind["node"])
    for chunk, marks in chunks(by_kind["node"]):
        for nid, ref, title, body, office in conn.execute(
            f"SELECT id, ref, title, text, lead_office FROM node WHERE id IN ({marks})", chunk
        ):
            own = "\n".join(p for p in (ref, title, body, office) if p)
            said = [c for c in comments.get(nid, ()) if folding.contains_words(c, query)]
            if said and not folding.contains_words(own, query):
                node_text[nid] = (nid, said[-1], STATUS_COMMENT_PREFIX)
            else:
                node_text[nid] = (nid, body or title, "")
    for chunk, marks in chunks(by_kind["note"]):
        for note_id, node_id, body in conn.execute(
            f"SELECT id, node_id, body FROM note WHERE id IN ({marks})", chunk
        ):
            note_rows[note_id] = (node_id, body)
    links: dict[str, list[str]] = defaultdict(list)
    for chunk, marks in chunks(by_kind["source"]):
        for source_id, node_id in conn.execute(
            "SELECT l.source_id, l.node_id FROM source_link l JOIN node n ON n.id = l.node_id "
            f"WHERE l.source_id IN ({marks}) AND l.deleted_at IS NULL AND n.deleted_at IS NULL",
            chunk,
        ):
            links[source_id].append(node_id)
        for source_id, title, excerpt in conn.execute(
            f"SELECT id, title, excerpt FROM source WHERE id IN ({marks})", chunk
        ):
            source_rows[source_id] = (links.get(source_id, []), f"{title}. {excerpt}".strip())
    out: list[SearchHit] = []
    for kind, row_id, rank in matches:
        if kind == "node" and row_id in node_text:
            nid, body, what = node_text[row_id]
            out.append(SearchHit("node", row_id, (nid,), what + folding.snippet(body, query), rank))
        elif kind == "note" and row_id in note_rows:
            nid, body = note_rows[row_id]
            out.append(SearchHit("note", row_id, (nid,), folding.snippet(body, query), rank))
        elif kind == "source" and row_id in source_rows:
            nids, body = source_rows[row_id]
            out.append(SearchHit("source", row_id, tuple(nids), folding.snippet(body, query), rank))
    return out
