"""Two versions of a text side by side, with the words that differ marked.

Word-level (difflib over words, spaces and punctuation; a Japanese or Chinese
character is a word of its own, since those scripts put no spaces between
words). Both texts are user text from someone's file: every piece is escaped,
and only our own marks are markup.
"""

from __future__ import annotations

import difflib
import re
from html import escape

_TOKENS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]|\w+|\s+|[^\w\s]")
#: Longer texts are compared line by line: word by word would take seconds.
WORDS_UP_TO = 6000

#: How a difference is marked: a background and an underline (the underline for those who cannot tell colours).
MARK = '<span style="background-color:#ffe08a; text-decoration: underline;">'


def tokens(text: str) -> list[str]:
    pieces = _TOKENS.findall(text)
    if len(pieces) > WORDS_UP_TO:
        return text.splitlines(keepends=True)
    return pieces


def marked(first: str, second: str) -> tuple[str, str]:
    """HTML of `first` and of `second`, each with what the other lacks marked."""
    a, b = tokens(first), tokens(second)
    if (len(a) > WORDS_UP_TO) != (len(b) > WORDS_UP_TO):  # one long, one short: both by lines
        a, b = first.splitlines(keepends=True), second.splitlines(keepends=True)
    out_a: list[str] = []
    out_b: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        left, right = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            out_a.append(escape(left))
            out_b.append(escape(right))
            continue
        out_a.append(_mark(left))
        out_b.append(_mark(right))
    return _page("".join(out_a)), _page("".join(out_b))


def changed_words(first: str, second: str) -> tuple[list[str], list[str]]:
    """The pieces of each text that `marked` marks (for tests and the accessible description)."""
    a, b = tokens(first), tokens(second)
    only_a: list[str] = []
    only_b: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            only_a.extend(t for t in a[i1:i2] if t.strip())
            only_b.extend(t for t in b[j1:j2] if t.strip())
    return only_a, only_b


def _mark(piece: str) -> str:
    if not piece:
        return ""
    if not piece.strip():  # a changed space or line break: shown where it is, but visible
        return f"{MARK}{escape(piece.replace(chr(10), '↵' + chr(10)) if chr(10) in piece else '·')}</span>"
    return f"{MARK}{escape(piece)}</span>"


def _page(body: str) -> str:
    # pre-wrap: the lines and spaces the writer typed, wrapped at the pane's width.
    return f'<div style="white-space: pre-wrap;">{body}</div>'
