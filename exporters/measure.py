"""How wide a line of text is, estimated without loading a font (the book builder's fitting).

The steering page must fit one page and each of its lines a known number of
lines, in both formats; the builder decides what it says, so it measures
before any renderer runs. Widths of the sans (Liberation Sans, metric-
compatible with Arial, which Word substitutes) for U+0020-U+024F are in
`exporters.sans_widths` (written by `python -m exporters.measure` from the
shipped fonts; a test compares them); Japanese is one em a character;
anything else the width of an average lower-case letter.
"""

from __future__ import annotations

from exporters.sans_widths import BOLD, FIRST, REGULAR

_AVERAGE = 556
_WIDE = 1000


def _width(ch: str, table: tuple[int, ...]) -> int:
    i = ord(ch) - FIRST
    if 0 <= i < len(table):
        return table[i]
    if "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef" or ch == "\u3000":
        return _WIDE
    return _AVERAGE


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of `text` in points, set in the sans at `size` points."""
    table = BOLD if bold else REGULAR
    return sum(_width(ch, table) for ch in text) * size / 1000


def lines_needed(text: str, size: float, width: float, bold: bool = False) -> int:
    """How many lines `text` wraps to in `width` points (greedy, at spaces; a word wider than a
    line is broken, as both formats break it)."""
    space = text_width(" ", size, bold)
    lines, used = 1, 0.0
    for word in text.split():
        w = text_width(word, size, bold)
        need = w if used == 0 else used + space + w
        if need <= width:
            used = need
            continue
        if used:
            lines += 1
        while w > width:  # a long unbroken word takes whole lines
            lines += 1
            w -= width
        used = w
    return lines


def fit_words(text: str, size: float, width: float, lines: int = 1, bold: bool = False) -> str:
    """`text` whole if it fits in `lines` lines of `width` points, else cut at a word with an
    ellipsis so that it does (never mid-word, unless its first word alone is too long)."""
    text = " ".join(text.split())
    if lines_needed(text, size, width, bold) <= lines:
        return text
    words = text.split(" ")
    lo, hi = 0, len(words)
    while lo < hi:  # the most words that fit with the ellipsis
        mid = (lo + hi + 1) // 2
        if lines_needed(" ".join(words[:mid]).rstrip(" ,;:.") + "…", size, width, bold) <= lines:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:  # one word longer than the room: the most characters of it that fit
        word = words[0]
        n = len(word)
        while n > 1 and lines_needed(word[:n] + "…", size, width, bold) > lines:
            n = n * 3 // 4
        return word[:n] + "…"
    return " ".join(words[:lo]).rstrip(" ,;:.") + "…"


def write_widths() -> None:
    """Measure the shipped sans and write `exporters/sans_widths.py` (after changing the font)."""
    from pathlib import Path

    from exporters import fonts

    rows = []
    for bold in (False, True):
        widths = [round(fonts.string_width(chr(c), fonts.SANS, 1000, bold=bold)) for c in range(0x20, 0x250)]
        lines = [", ".join(str(w) for w in widths[i:i + 20]) for i in range(0, len(widths), 20)]
        rows.append("\n    " + ",\n    ".join(lines) + ",\n")
    target = Path(__file__).with_name("sans_widths.py")
    target.write_text(
        '"""Advance widths (1/1000 em) of the shipped sans from U+0020 (generated: python -m exporters.measure)."""\n\n'
        "FIRST = 0x20\n"
        f"REGULAR: tuple[int, ...] = ({rows[0]})\n"
        f"BOLD: tuple[int, ...] = ({rows[1]})\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    write_widths()


def column_widths(rows: list[list[str]], available: float, size: float, padding: float,
                  bold_first: bool = True) -> list[float]:
    """Widths (points) for a table's columns sized to their content: each column as wide as its widest
    cell where the table fits, else as wide as its longest word at least, the rest shared out in
    proportion to how much each column's text needs. `padding`: a cell's left and right padding."""
    cols = max((len(r) for r in rows), default=0)
    if not cols:
        return []
    natural = [0.0] * cols
    shortest = [0.0] * cols
    for r, row in enumerate(rows):
        bold = bold_first and r == 0
        for c, text in enumerate(row):
            natural[c] = max(natural[c], max((text_width(line, size, bold) for line in text.split("\n")), default=0))
            shortest[c] = max(shortest[c], max((text_width(w, size, bold) for w in text.split()), default=0))
    natural = [n + padding for n in natural]
    shortest = [min(s + padding, available / cols * 1.5) for s in shortest]  # a very long word wraps anyway
    if sum(natural) <= available:
        return natural
    floor = [min(s, n) for s, n in zip(shortest, natural)]
    if sum(floor) >= available:  # not even the words fit: in proportion to them
        return [available * f / sum(floor) for f in floor] if sum(floor) else [available / cols] * cols
    room = available - sum(floor)
    extra = [n - f for n, f in zip(natural, floor)]
    return [f + room * e / sum(extra) if sum(extra) else f for f, e in zip(floor, extra)]
