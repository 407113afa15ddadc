"""How search compares text with what a person typed: folding, the words of a query,
and where those words are in a text (for snippets and highlights).

Pure functions over strings, shared by the search index (`db.search`) and the
window's highlighting, so both agree on what a match is: accents removed (so
`citta` finds `città`), case folded, and every Japanese/Chinese character a
word of its own, so 高市 finds 高市早苗.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Han, Hiragana, Katakana (incl. halfwidth), Hangul: scripts written without spaces.
_CJK = (
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\uac00-\ud7af"
    "\U00020000-\U0002fa1f"
)


@functools.cache
def _pattern(name: str) -> re.Pattern[str]:
    """The module's regular expressions, compiled on first use: a command that only
    reads a file (an export) never pays for compiling them."""
    return re.compile(_PATTERNS[name])


_PATTERNS = {
    "cjk_char": f"[{_CJK}]",
    "token": r"[^\W_]+",
    # Combining marks of Latin, Greek and Cyrillic letters (the accents a user may
    # leave out). Kana voicing marks are not among them: が stays distinct from か.
    "accents": "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]",
}


class _FoldTable(dict[int, str]):
    """str.translate table that folds a character on first sight and remembers it:
    accents removed (NFKD without combining marks), compatibility forms unified."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code))
        folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def _fold_char(ch: str) -> str:
    return _FOLD[ord(ch)]




def fold(value: str) -> str:
    """The form of a text the index stores and queries are matched against."""
    if value.isascii():
        return value.lower()
    stripped = _pattern("accents").sub("", unicodedata.normalize("NFKD", value))
    folded = unicodedata.normalize("NFC", stripped).casefold()
    return _pattern("cjk_char").sub(r" \g<0> ", folded)


#: At most this many different words of a query are searched for: a person
#: types a handful; thousands (a pasted page) made one search take seconds.
MAX_TERMS = 16


def is_cjk(word: str) -> bool:
    return _pattern("cjk_char").match(word) is not None


def query_words(user_text: str) -> list[str]:
    """The folded words of a query, each once, at most MAX_TERMS of them: a Latin
    word, or a run of CJK characters (searched as a phrase)."""
    words: dict[str, None] = {}
    cjk = ""
    for token in _pattern("token").findall(fold(user_text)):
        if _pattern("cjk_char").fullmatch(token):
            cjk += token
            continue
        if cjk:
            words[cjk] = None
            cjk = ""
        words[token] = None
        if len(words) >= MAX_TERMS:
            break
    if cjk and len(words) < MAX_TERMS:
        words[cjk] = None
    return list(words)


def _folded_with_origin(original: str) -> tuple[str, list[int]]:
    """`original` folded character by character, and for each folded character
    the position of the original character it came from."""
    parts: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(original):
        folded = _fold_char(ch)
        parts.append(folded)
        origin.extend([i] * len(folded))
    return "".join(parts), origin


def highlight_spans(original: str, user_text: str) -> list[tuple[int, int]]:
    """(start, end) positions in `original` of the query's words, as the index
    matches them: a Latin word at the start of a word, a CJK run anywhere."""
    words = query_words(user_text)
    if not words or not original:
        return []
    folded, origin = _folded_with_origin(original)
    spans: list[tuple[int, int]] = []
    for word in words:
        start = folded.find(word)
        while start >= 0:
            at_word_start = start == 0 or not folded[start - 1].isalnum() or is_cjk(word)
            if at_word_start:
                spans.append((origin[start], origin[start + len(word) - 1] + 1))
            start = folded.find(word, start + len(word))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def contains_words(original: str, user_text: str) -> bool:
    """True if `original` holds every word of the query (as the index matches them)."""
    folded, _ = _folded_with_origin(original)
    tokens = _pattern("token").findall(folded)
    flat = "".join(tokens)
    return all(
        (w in flat) if is_cjk(w) else any(t.startswith(w) for t in tokens) for w in query_words(user_text)
    )


def snippet(original: str, user_text: str, width: int = 160) -> str:
    """A short window of `original` around the first word of the query it holds."""
    flat = " ".join(original.split())
    if len(flat) <= width:
        return flat
    folded = flat.lower() if flat.isascii() else flat.translate(_FOLD)
    if len(folded) == len(flat):
        origin: list[int] | None = None  # folding kept every position
    else:
        # Some character folded to several (ß -> ss): map positions back one by one.
        origin = []
        for i, ch in enumerate(flat):
            origin.extend([i] * len(_fold_char(ch)))
    hit = -1
    for word in query_words(user_text):
        hit = folded.find(word)
        if hit >= 0:
            break
    if hit < 0:
        return flat[: width - 1].rstrip() + "…"
    centre = hit if origin is None else origin[hit]
    start = max(0, centre - width // 3)
    end = min(len(flat), start + width)
    start = max(0, end - width)
    if start > 0 and flat[start - 1].isalnum():  # begin at a word, not inside one
        space = flat.find(" ", start, centre)
        start = space + 1 if space >= 0 else start
    out = flat[start:end].strip()
    return ("…" if start > 0 else "") + out + ("…" if end < len(flat) else "")
