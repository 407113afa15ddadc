"""Full-text search over commitments, notes and sources (SQLite FTS5).

The index holds a folded copy of each text: accents removed (so `citta`
finds `città` on any SQLite build), case folded, and every Japanese/Chinese
character made a token of its own, so a two-character query such as 高市 is a
phrase that finds 高市早苗. The user's query never reaches FTS5 syntax: it is
cut into words, each quoted, so quotes, `AND(`, `*` are just text.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from db.model.folding import fold, is_cjk, query_words


def fts_rowid(row_id: str) -> int:
    """A stable integer rowid for a UUID, so one row's entry is found by key."""
    return int(row_id.replace("-", "")[:15], 16)  # 60 bits: positive, fits SQLite's int64


def build_query(user_text: str) -> str | None:
    """An FTS5 MATCH expression for what the user typed (None if nothing to find).

    Latin words become prefix terms ("semicond" finds "semiconductors"); a run
    of CJK characters becomes a phrase of single-character tokens.
    """
    terms = ['"' + " ".join(w) + '"' if is_cjk(w) else f'"{w}"*' for w in query_words(user_text)]
    return " ".join(terms) if terms else None


def index_rows(conn: sqlite3.Connection, kind: str, rows: Iterable[tuple[str, str]]) -> None:
    """(Re)index rows of one kind ("node", "note", "source"): (id, text) pairs."""
    rows = list(rows)
    if not rows:
        return
    keyed = [(fts_rowid(rid), rid, body) for rid, body in rows]
    conn.executemany("DELETE FROM search_index WHERE rowid = ?", [(k,) for k, _, _ in keyed])
    conn.executemany(
        "INSERT INTO search_index(rowid, body, kind, row_id) VALUES (?, ?, ?, ?)",
        [(k, fold(body), kind, rid) for k, rid, body in keyed],
    )


def unindex_rows(conn: sqlite3.Connection, row_ids: Iterable[str]) -> None:
    params = [(fts_rowid(rid),) for rid in row_ids]
    if params:
        conn.executemany("DELETE FROM search_index WHERE rowid = ?", params)


def match(conn: sqlite3.Connection, user_text: str, limit: int) -> list[tuple[str, str, float]]:
    """(kind, row_id, rank) of the best matches, best first."""
    query = build_query(user_text)
    if query is None:
        return []
    # Rank on the rowid alone, then fetch the columns of the few best: sorting
    # whole rows would read every match's stored columns first.
    best = conn.execute(
        "SELECT rowid, bm25(search_index) FROM search_index WHERE search_index MATCH ? ORDER BY 2 LIMIT ?",
        (query, limit),
    ).fetchall()
    if not best:
        return []
    rank = {r[0]: float(r[1]) for r in best}
    rows = conn.execute(
        f"SELECT rowid, kind, row_id FROM search_index WHERE rowid IN ({','.join(map(str, rank))})"
    ).fetchall()
    return sorted(((r[1], r[2], rank[r[0]]) for r in rows), key=lambda t: t[2])
