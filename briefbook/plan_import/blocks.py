"""The readers' common output: a document as a list of blocks.

A block is one paragraph, heading or list entry of the source with what the
source said about it (heading level, list level, numbering, bold lead-in,
indentation) and where it came from ("line 12", "page 3"). The recognizer
(`briefbook.plan_import.recognizer`) turns blocks into a plan tree; the
readers never decide what is an area or a commitment.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

__all__ = ["MAX_NESTING", "Block", "Document", "DocumentError", "clean_text", "code_heading", "readable",
           "split_label"]


class DocumentError(Exception):
    """A file that cannot be read as a plan; `str(e)` is one sentence for the user."""


#: Lists nested deeper than this are read as this deep: no plan has more levels, and a hostile page's
#: 100,000 nested lists must not make 100,000 levels (references and work would grow with the square).
MAX_NESTING = 8


@dataclass
class Block:
    text: str  # cleaned, without heading marks, bullet glyphs or the numbering label
    loc: str  # where it came from: "line 12", "page 3", "paragraph 7"
    kind: str = "para"  # "heading" (marked as one by the source) | "bullet" | "para"
    level: int = 0  # heading level (1 = top) or list nesting (0 = top)
    label: str = ""  # numbering as written, without brackets and dots: "1", "1.2", "a", "IV", "①"
    style: str = ""  # the numbering's shape: "N.", "(N)", "N)", "N.N", "a.", "(a)", "I.", "A.", "①" ...
    heading_key: str = ""  # what made it a heading: "h1".."h6", "caps", "bold", "underline", "title"
    lead: str = ""  # a bold lead-in sentence ("Launching X." in "**Launching X.** We will ...")
    indent: int = 0  # indentation in list levels (text: columns // 2)
    glyph: str = ""  # a typed bullet's glyph, by family ("-", "*", "•", "o"...): a different one is another list
    prefix: str = ""  # the label exactly as the source wrote it ("11,", "(a) "), to give back if it is not one


@dataclass
class Document:
    blocks: list[Block]
    source: str  # "text", "markdown", "docx", "pdf", "html"
    meta_title: str = ""  # from the file's properties (PDF/Word) or the web page's <title>
    pages: int = 0
    notes: list[str] = field(default_factory=list)  # what the reader removed (running headers...)
    text: str = ""  # the whole text, for plain-text sources


# -- characters ------------------------------------------------------------------

_INVISIBLE = dict.fromkeys([*map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), *range(0x00, 0x09), *range(0x0e, 0x20),
                            *range(0x7f, 0xa0)], None)  # and control characters, which no reader shows
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u3000\u2002\u2003\u2009\t"), " ")


_CLEAN = {**_INVISIBLE, **_SPACES}


def clean_text(text: str) -> str:
    """One line of text: invisible characters dropped, odd spaces made plain, spaces collapsed."""
    if not (text.isascii() and text.isprintable()):
        text = text.translate(_CLEAN)
    return " ".join(text.split())


_CODE_HEADING = re.compile(r"^(?:[A-Z]{1,6}\.){1,3}[0-9]{1,3}(?:\.[0-9]{1,3})*[a-z]?\s+[-–—:]\s+(?=[A-Z“\"])")


def code_heading(text: str) -> bool:
    """A line opened by a plan's own code ("OB.2.1 - Share the data", "S.O.3.2: ..."), a heading of its
    kind: the code has letters, a dot and a number, and a title follows it."""
    return bool(_CODE_HEADING.match(text)) and len(text.split()) <= 30


def readable(text: str) -> bool:
    """Text a reader would miss if it were dropped: a word or a number, or a symbol or emoji ("✅", "★", "€")
    as opposed to a rule or a lone mark made of ASCII punctuation ("---", "###", "* * *")."""
    for ch in text:
        if ch.isalnum():
            return True
        if not ch.isascii() and unicodedata.category(ch) in ("So", "Sm", "Sc"):
            return True
    return False


# -- numbering labels ------------------------------------------------------------------

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_KATAKANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノ"
_IROHA = "イロハニホヘトチリヌルヲ"
_KANJI = "一二三四五六七八九十"
_ROMAN = re.compile(r"^(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$", re.IGNORECASE)

# (style, pattern); the first match wins. Group 1 is the label.
_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (style, re.compile(pattern))
    for style, pattern in (
        ("N.N", r"^([0-9]{1,2}(?:\.[0-9]{1,2})+)\.?(?:\s+|(?=[A-Z]))"),
        ("(N)", r"^[(（]([0-9０-９]{1,3})[)）]\s*"),
        ("N)", r"^([0-9]{1,3})\)\s*"),
        ("N.", r"^([0-9]{1,3})(?:[.,](?:\s+|(?=[A-Z“\"']))|[．、]\s*)"),
        ("Ｎ．", r"^([０-９]{1,3})[．.、]\s*"),
        ("N", r"^([0-9]{1,2})\s+(?=[A-Z])"),
        ("(a)", r"^\(([a-z])\)\s*"),
        ("(i)", r"^\(([ivx]{1,5})\)\s*"),
        ("(A)", r"^\(([A-Z])\)\s*"),
        ("I.", r"^([IVXLC]{1,6})[.)]\s+"),
        ("A.", r"^([A-Z])[.)]\s+"),
        ("a.", r"^([a-z])[.)]\s+"),
        ("i.", r"^([ivx]{1,5})[.)]\s+"),
        ("①", rf"^([{_CIRCLED}])\s*"),
        ("ア", rf"^([{_KATAKANA}])(?:[\s．.、)）]\s*)"),
        ("(ア)", rf"^[（(]([{_KATAKANA}])[）)]\s*"),
        ("第N", rf"^第([0-9０-９{_KANJI}]{{1,3}})[章節部条項]\s*"),
        ("一、", rf"^([{_KANJI}]{{1,3}})[、．.]\s*"),
        ("(一)", rf"^[（(]([{_KANJI}]{{1,3}})[）)]\s*"),
    )
)


def split_label(text: str) -> tuple[str, str, str, str] | None:
    """(style, label, rest, prefix) when `text` opens with a numbering label, else None.

    The rest must start like a sentence or title (a capital, a quote, a CJK
    character), so "1.5 °C" or "3 countries" stay text.
    """
    for style, regex in _LABELS:
        m = regex.match(text)
        if m is None:
            continue
        label, rest = m.group(1), text[m.end() :]
        if style in ("I.", "i.", "(i)") and not _ROMAN.match(label):
            continue
        if rest and not _starts_like_text(rest):
            continue
        if style == "N.N" and not rest:
            continue
        return style, normalise_label(label), rest.strip(), text[: m.end()]
    return None


def _starts_like_text(rest: str) -> bool:
    ch = rest[0]
    if ch.isupper() or ch in "“\"'‘(「『【":
        return True
    return unicodedata.category(ch) == "Lo"  # Japanese and other scripts without case


def normalise_label(label: str) -> str:
    label = label.translate(_FULLWIDTH_DIGITS)
    if label in _CIRCLED:
        return str(_CIRCLED.index(label) + 1)
    if label and all(ch in _KANJI for ch in label) and _kanji_value(label):
        return str(_kanji_value(label))
    return label


def label_value(style: str, label: str) -> int:
    """The label's position in its sequence (1 for "1", "a", "I", "ア"), 0 if unknown."""
    if style == "N.N":
        return int(label.rsplit(".", 1)[-1])
    if label.isdigit():
        return int(label)
    if style in ("I.", "i.", "(i)"):
        return _roman_value(label)
    if style in ("ア", "(ア)"):
        return _KATAKANA.index(label) + 1 if label in _KATAKANA else _IROHA.index(label) + 1
    if all(ch in _KANJI for ch in label):
        return _kanji_value(label)
    if len(label) == 1 and label.isalpha():
        return ord(label.lower()) - ord("a") + 1
    return 0


def _kanji_value(label: str) -> int:
    """一 -> 1, 十 -> 10, 十二 -> 12, 二十一 -> 21."""
    digits = [_KANJI.index(ch) + 1 for ch in label]
    if 10 not in digits:
        return digits[0] if len(digits) == 1 else 0
    at = digits.index(10)
    tens = digits[at - 1] if at > 0 else 1
    ones = digits[at + 1] if at + 1 < len(digits) else 0
    return tens * 10 + ones


def _roman_value(label: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total, prev = 0, 0
    for ch in reversed(label.lower()):
        v = values[ch]
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total
