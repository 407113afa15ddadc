"""Fonts for the PDF: embedded TrueType faces and text split into runs by glyph coverage.

Every face is a TrueType file shipped under `resources/fonts` (with its
licence), so every machine lays out the same pages and every PDF embeds the
subsets it uses. ReportLab's built-in CID fonts are never used (they are not
embedded and show boxes in other viewers).

A text is set in the Latin face of its style (Liberation Serif or Sans);
characters that face lacks go to the first fallback that has them: DejaVu
Sans (symbols, arrows), IPAexGothic (Japanese), Symbola (emoji). A
character no shipped font has is left out rather than drawn as a box.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from db.errors import BriefbookError

FONT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"

SERIF = "BB-Serif"
SANS = "BB-Sans"
SYMBOLS = "BB-Symbols"
JAPANESE = "BB-Japanese"
EMOJI = "BB-Emoji"

# family -> (regular, bold, italic, bold italic) files; None: use the regular face.
_FAMILIES: dict[str, tuple[str, str | None, str | None, str | None]] = {
    SERIF: (
        "LiberationSerif-Regular.ttf",
        "LiberationSerif-Bold.ttf",
        "LiberationSerif-Italic.ttf",
        "LiberationSerif-BoldItalic.ttf",
    ),
    SANS: (
        "LiberationSans-Regular.ttf",
        "LiberationSans-Bold.ttf",
        "LiberationSans-Italic.ttf",
        "LiberationSans-BoldItalic.ttf",
    ),
    SYMBOLS: ("DejaVuSans.ttf", None, None, None),
    JAPANESE: ("ipaexg.ttf", None, None, None),
    EMOJI: ("Symbola.ttf", None, None, None),
}
_FALLBACKS = (SYMBOLS, JAPANESE, EMOJI)
_SUFFIXES = ("", "-Bold", "-Italic", "-BoldItalic")

# Characters that never need a glyph lookup (spaces are laid out, not drawn).
_ALWAYS = frozenset(" \n\t\u00a0")


class FontMissing(BriefbookError):
    """A shipped font file is not where it should be (a broken installation)."""


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, with characters beyond U+FFFF (emoji) written as
    UTF-16 surrogate pairs: ReportLab writes them as odd-length hex, which readers
    reject, so the emoji drawn in the page could not be copied or searched."""
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
        "<00> <%02X>" % (len(subset) - 1), "endcodespacerange", f"{len(subset)} beginbfchar",
    ]
    lines += ["<%02X> <%s>" % (i, chr(v).encode("utf-16-be", "surrogatepass").hex().upper())
              for i, v in enumerate(subset)]
    lines += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


class _SubsetTables:
    """Per font and document: for each subset, the characters already given a code in it
    and a `str.translate` table from those characters to their one-byte codes."""

    __slots__ = ("seen", "chars", "tables")

    def __init__(self) -> None:
        self.seen = 0  # how many of the state's assignments are in the tables
        self.chars: dict[int, set[str]] = {}
        self.tables: dict[int, dict[int, int]] = {}

    def update(self, assignments: dict[int, int]) -> None:
        # Assignments only ever grow, in insertion order: add the new ones only.
        if len(assignments) == self.seen:
            return
        for code, n in islice(assignments.items(), self.seen, None):
            subset = n >> 8
            self.chars.setdefault(subset, set()).add(chr(code))
            self.tables.setdefault(subset, {})[code] = n & 0xFF
        self.seen = len(assignments)
        # ReportLab draws a no-break space as a space.
        space = assignments.get(32)
        if space is not None and 0xA0 not in assignments:
            self.chars.setdefault(space >> 8, set()).add("\u00a0")
            self.tables.setdefault(space >> 8, {})[0xA0] = space & 0xFF


_split_string = TTFont.splitString


def _fast_split_string(self, text, doc, encoding="utf-8"):  # type: ignore[no-untyped-def]
    """ReportLab's `TTFont.splitString` with a fast path for the common case.

    Drawing text maps every character to its code in the embedded subset; ReportLab
    does that in a Python loop over the characters, the biggest single cost of a
    1,000-page book. Once a text's characters all have codes in one subset (after
    the first pages, nearly every line), one `str.translate` gives the same bytes.
    Anything else (a new character, several subsets) takes ReportLab's own path.
    """
    state = self.state.get(doc) if isinstance(text, str) and text else None
    if state is not None:
        tables = state.__dict__.get("_bb_tables")
        if tables is None:
            tables = state._bb_tables = _SubsetTables()
        tables.update(state.assignments)
        first = ord(text[0])
        n = state.assignments.get(32 if first == 0xA0 else first)
        if n is not None and tables.chars[n >> 8].issuperset(text):
            return [(n >> 8, text.translate(tables.tables[n >> 8]).encode("latin-1"))]
    return _split_string(self, text, doc, encoding)


TTFont.splitString = _fast_split_string


def face(family: str, bold: bool = False, italic: bool = False) -> str:
    """The registered name of a face of `family` (registering the family on first use)."""
    return register(family)[(2 if italic else 0) + (1 if bold else 0)]


@lru_cache(maxsize=None)
def register(family: str) -> tuple[str, str, str, str]:
    """Register the family's faces with ReportLab (once per process); returns their names.

    A family with one face (the fallbacks) is registered once and mapped for
    bold and italic too: no faux styles, and the file is parsed only once.
    """
    files = _FAMILIES[family]
    names: list[str] = []
    for suffix, name in zip(_SUFFIXES, files):
        if name is None:
            names.append(family)
            continue
        path = FONT_DIR / name
        if not path.is_file():
            raise FontMissing(f"The font {path.name} is missing from {path.parent}; reinstall briefbook.")
        pdfmetrics.registerFont(TTFont(family + suffix, str(path)))
        names.append(family + suffix)
    for (bold, italic), name in zip(((0, 0), (1, 0), (0, 1), (1, 1)), names):
        addMapping(family, bold, italic, name)
    return (names[0], names[1], names[2], names[3])


@lru_cache(maxsize=None)
def coverage(family: str) -> frozenset[int]:
    """Code points every face of the family has a glyph for."""
    sets = [
        set(pdfmetrics.getFont(name).face.charToGlyph)  # type: ignore[attr-defined]
        for name in set(register(family))
    ]
    common = set.intersection(*sets)
    common.discard(0)
    return frozenset(common)


@lru_cache(maxsize=None)
def _outside(family: str) -> re.Pattern[str]:
    """A pattern matching any character the family cannot draw (the fast path's test)."""
    points = sorted(coverage(family) | {ord(c) for c in _ALWAYS})
    ranges: list[str] = []
    start = prev = points[0]
    for p in points[1:]:
        if p == prev + 1:
            prev = p
            continue
        ranges.append(_range(start, prev))
        start = prev = p
    ranges.append(_range(start, prev))
    return re.compile("[^" + "".join(ranges) + "]")


def _range(a: int, b: int) -> str:
    def esc(c: int) -> str:
        return f"\\U{c:08x}"

    return esc(a) if a == b else f"{esc(a)}-{esc(b)}"


def runs(text: str, family: str) -> list[tuple[str, str]]:
    """(family, text) runs: each character in the first font that has it; the rest left out."""
    if _outside(family).search(text) is None:
        return [(family, text)]
    primary = coverage(family)
    out: list[tuple[str, str]] = []
    current = family
    buf: list[str] = []
    for ch in text:
        cp = ord(ch)
        if cp in primary or ch in _ALWAYS:
            target = family
        else:
            target = next((f for f in _FALLBACKS if cp in coverage(f)), "")
            if not target:
                continue  # no shipped font has it: leave it out, never draw a box
        if target != current and buf:
            out.append((current, "".join(buf)))
            buf = []
        current = target
        buf.append(ch)
    if buf:
        out.append((current, "".join(buf)))
    return out


def drawable(text: str, family: str = SERIF) -> str:
    """The text with the characters no shipped font can draw left out."""
    return "".join(t for _, t in runs(text, family))


def markup(text: str, family: str) -> str:
    """Paragraph markup for user text: escaped, with fallback runs in their own font.

    User text never becomes markup: `<`, `>` and `&` are escaped, so a note
    holding `<img src=...>` or `<font name=x>` is printed, not obeyed.
    """
    parts = runs(text, family)
    if len(parts) == 1 and parts[0][0] == family:
        return escape(text)
    out: list[str] = []
    for fam, chunk in parts:
        if fam == family:
            out.append(escape(chunk))
        else:
            register(fam)
            out.append(f'<font name="{fam}">{escape(chunk)}</font>')
    return "".join(out)


def string_width(text: str, family: str, size: float, bold: bool = False, italic: bool = False) -> float:
    return sum(
        pdfmetrics.stringWidth(chunk, face(fam, bold, italic), size)
        for fam, chunk in runs(text, family)
    )


def draw_string(canvas, x: float, y: float, text: str, family: str, size: float,  # type: ignore[no-untyped-def]
                bold: bool = False, align: str = "left", width: float | None = None) -> float:
    """Draw one line of user text on a canvas (headers, footers, chart labels); returns its width.

    With `width`, a text wider than that is shortened with an ellipsis (`fit`)."""
    parts = runs(text, family)
    widths = [
        pdfmetrics.stringWidth(chunk, face(fam, bold), size) for fam, chunk in parts
    ]
    total = sum(widths)
    if width is not None and total > width:
        return draw_string(canvas, x, y, fit(text, family, size, width, bold), family, size, bold, align)
    if align == "right":
        x -= total
    elif align == "centre":
        x -= total / 2
    for (fam, chunk), w in zip(parts, widths):
        canvas.setFont(face(fam, bold), size)
        canvas.drawString(x, y, chunk)
        x += w
    return total


def fit(text: str, family: str, size: float, width: float, bold: bool = False) -> str:
    """The text shortened with an ellipsis so that it fits `width` points on one line."""
    if string_width(text, family, size, bold) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if string_width(text[:mid] + "…", family, size, bold) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"
