"""Full-text search over commitments, notes and sources (SQLite FTS5).

The index holds a folded copy of each text: accents removed (so `citta`
finds `città` on any SQLite build), case folded, and every Japanese/Chinese
character made a token of its own, so a two-character query such as 高市 is a
phrase that finds 高市早苗. The user's query never reaches FTS5 syntax: it is
cut into words, each quoted, so quotes, `AND(`, `*` are just text.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable

from sqlalchemy import Connection, text

# Han, Hiragana, Katakana (incl. halfwidth), Hangul: scripts written without spaces.
_CJK = (
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\uac00-\ud7af"
    "\U00020000-\U0002fa1f"
)
_CJK_CHAR = re.compile(f"[{_CJK}]")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFKD", ch)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def fold(value: str) -> str:
    """The form of a text the index stores and queries are matched against."""
    folded = "".join(_fold_char(ch) for ch in value) if not value.isascii() else value.lower()
    return _CJK_CHAR.sub(lambda m: f" {m.group(0)} ", folded)


def fts_rowid(row_id: str) -> int:
    """A stable integer rowid for a UUID, so one row's entry is found by key."""
    return uuid.UUID(row_id).int >> 68  # 60 bits: positive, fits SQLite's int64


def build_query(user_text: str) -> str | None:
    """An FTS5 MATCH expression for what the user typed (None if nothing to find).

    Latin words become prefix terms ("semicond" finds "semiconductors"); a run
    of CJK characters becomes a phrase of single-character tokens.
    """
    terms: list[str] = []
    cjk_run: list[str] = []

    def flush() -> None:
        if cjk_run:
            terms.append('"' + " ".join(cjk_run) + '"')
            cjk_run.clear()

    for token in _TOKEN.findall(fold(user_text)):
        if _CJK_CHAR.fullmatch(token):
            cjk_run.append(token)
        else:
            flush()
            terms.append(f'"{token}"*')
    flush()
    return " ".join(terms) if terms else None


def query_words(user_text: str) -> list[str]:
    """The folded words of a query, for highlighting and snippets."""
    words: list[str] = []
    cjk = ""
    for token in _TOKEN.findall(fold(user_text)):
        if _CJK_CHAR.fullmatch(token):
            cjk += token
        else:
            if cjk:
                words.append(cjk)
                cjk = ""
            words.append(token)
    if cjk:
        words.append(cjk)
    return words


def snippet(original: str, user_text: str, width: int = 160) -> str:
    """A short window of `original` around the first word of the query it holds."""
    flat = " ".join(original.split())
    if len(flat) <= width:
        return flat
    # Fold character by character, remembering where each folded char came from.
    folded_chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(flat):
        f = _fold_char(ch)
        folded_chars.append(f)
        origin.extend([i] * len(f))
    folded = "".join(folded_chars)
    hit = -1
    for word in query_words(user_text):
        hit = folded.find(word)
        if hit >= 0:
            break
    if hit < 0:
        return flat[: width - 1].rstrip() + "…"
    centre = origin[hit]
    start = max(0, centre - width // 3)
    end = min(len(flat), start + width)
    start = max(0, end - width)
    out = flat[start:end].strip()
    return ("…" if start > 0 else "") + out + ("…" if end < len(flat) else "")


def index_rows(conn: Connection, kind: str, rows: Iterable[tuple[str, str]]) -> None:
    """(Re)index rows of one kind ("node", "note", "source"): (id, text) pairs."""
    rows = list(rows)
    if not rows:
        return
    conn.execute(
        text("DELETE FROM search_index WHERE rowid = :rid"),
        [{"rid": fts_rowid(rid)} for rid, _ in rows],
    )
    conn.execute(
        text("INSERT INTO search_index(rowid, body, kind, row_id) VALUES (:rid, :body, :kind, :row_id)"),
        [{"rid": fts_rowid(rid), "body": fold(body), "kind": kind, "row_id": rid} for rid, body in rows],
    )


def unindex_rows(conn: Connection, row_ids: Iterable[str]) -> None:
    params = [{"rid": fts_rowid(rid)} for rid in row_ids]
    if params:
        conn.execute(text("DELETE FROM search_index WHERE rowid = :rid"), params)


def match(conn: Connection, user_text: str, limit: int) -> list[tuple[str, str, float]]:
    """(kind, row_id, rank) of the best matches, best first."""
    query = build_query(user_text)
    if query is None:
        return []
    rows = conn.execute(
        text(
            "SELECT kind, row_id, rank FROM search_index WHERE search_index MATCH :q "
            "ORDER BY rank LIMIT :limit"
        ),
        {"q": query, "limit": limit},
    ).all()
    return [(r[0], r[1], float(r[2])) for r in rows]
