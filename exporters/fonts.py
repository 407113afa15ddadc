"""Fonts for the PDF: embedded TrueType faces and text split into runs by glyph coverage.

Every face is a TrueType file shipped under `resources/fonts` (with its
licence), so every machine lays out the same pages and every PDF embeds the
subsets it uses. ReportLab's built-in CID fonts are never used (they are not
embedded and show boxes in other viewers).

A text is set in the Latin face of its style (Liberation Serif or Sans);
characters that face lacks go to the first fallback that has them: DejaVu
Sans (symbols, arrows), BIZ UDPGothic (Japanese, with a bold weight: SIL
OFL), Symbola (emoji). A
character no shipped font has is left out rather than drawn as a box.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, cast

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from db.model.errors import BriefbookError
from exporters import font_cache
from exporters.text import escape

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

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
    # Japanese has no italic: its italic faces are slanted copies of the upright ones, made for the
    # characters a book sets in italic (`exporters.slanted`, `prepare_slanted`).
    JAPANESE: ("BIZUDPGothic-Regular.ttf", "BIZUDPGothic-Bold.ttf", "BIZUDPGothic-Regular.ttf",
               "BIZUDPGothic-Bold.ttf"),
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
        f"<00> <{len(subset) - 1:02X}>", "endcodespacerange", f"{len(subset)} beginbfchar",
    ]
    lines += [f"<{i:02X}> <{chr(v).encode('utf-16-be', 'surrogatepass').hex().upper()}>"
              for i, v in enumerate(subset)]
    lines += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


class _SubsetTables:
    """Per font and document: for each subset, the characters already given a code in it
    and a `str.translate` table from those characters to their one-byte codes."""

    __slots__ = ("chars", "seen", "tables")

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


def _fast_split_string(self: TTFont, text: str, doc: object, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
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
    """The registered name of a face of `family` (its file is read when first drawn or measured)."""
    return register(family)[(2 if italic else 0) + (1 if bold else 0)]


@cache
def register(family: str) -> tuple[str, str, str, str]:
    """Make the family's faces known to ReportLab; returns their names.

    Only the names are registered here: each face's file is parsed the first
    time ReportLab asks for it (`_find_font_and_register`), so a book that never
    sets bold italic does not pay for reading that file. A family with one face
    (the fallbacks) is mapped for bold and italic too: no faux styles.
    """
    names = [family if name is None else family + suffix for suffix, name in zip(_SUFFIXES, _FAMILIES[family])]
    _map(family, names)
    return (names[0], names[1], names[2], names[3])


def _map(family: str, names: list[str]) -> None:
    for (bold, italic), name in zip(((0, 0), (1, 0), (0, 1), (1, 1)), names):
        addMapping(family, bold, italic, name)


#: Registered face name -> its file under FONT_DIR.
_FACE_FILES: dict[str, str] = {
    family + suffix: name
    for family, files in _FAMILIES.items()
    for suffix, name in zip(_SUFFIXES, files)
    if name is not None
}


#: Registered face name -> its family.
_FAMILY_OF: dict[str, str] = {
    family + suffix: family
    for family, files in _FAMILIES.items()
    for suffix, name in zip(_SUFFIXES, files)
    if name is not None
}


def _font_path(file_name: str) -> Path:
    path = FONT_DIR / file_name
    if not path.is_file():
        raise FontMissing(f"The font {path.name} is missing from {path.parent}; reinstall briefbook.")
    return path


_find_and_register = pdfmetrics.findFontAndRegister

#: The slanted faces (Japanese italic), with the characters the book being built sets in each.
_SLANTED: dict[str, set[str]] = {JAPANESE + "-Italic": set(), JAPANESE + "-BoldItalic": set()}


def forget_slanted() -> None:
    """A new book: no Japanese italic set yet (each book makes the slanted faces it needs)."""
    for name, chars in _SLANTED.items():
        chars.clear()
        pdfmetrics._fonts.pop(name, None)


def prepare_slanted() -> None:
    """Make and register the slanted faces for the Japanese italic the book's story sets (before layout)."""
    from exporters.slanted import slanted_face

    for name, chars in _SLANTED.items():
        if chars:
            data = slanted_face(_font_path(_FACE_FILES[name]), "".join(sorted(chars)))
            pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))
            _map(JAPANESE, list(register(JAPANESE)))


def _find_font_and_register(font_name: str) -> object:
    """ReportLab's lookup of a font it has not seen, which parses our faces on first use."""
    file_name = _FACE_FILES.get(str(font_name))
    if str(font_name) in _SLANTED:  # measured before the book was prepared: the upright face's metrics
        file_name = _FACE_FILES[JAPANESE + ("-Bold" if "Bold" in str(font_name) else "")]
    if file_name is None:
        return _find_and_register(font_name)
    font = font_cache.load_font(font_name, _font_path(file_name))
    pdfmetrics.registerFont(font)
    # Registering a face maps its own name as a family of one (regular only), which would make
    # "<b>" over it fall back to the regular face: map the family's faces again.
    family = _FAMILY_OF[str(font_name)]
    _map(family, list(register(family)))
    return font


# `pdfmetrics.getFont` looks this name up in its module on every miss.
pdfmetrics.findFontAndRegister = _find_font_and_register


# -- glyph coverage ------------------------------------------------------------------------------

#: Code points each shipped font file has glyphs for, measured once from the files
#: (`python -m exporters.fonts` writes it; a test checks it against the fonts), so
#: choosing a face for each character needs no font parsed.
COVERAGE_FILE = FONT_DIR / "coverage.json"


@lru_cache(maxsize=1)
def _coverage_data() -> dict[str, dict[str, object]]:
    try:
        data = json.loads(COVERAGE_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def file_coverage(file_name: str) -> frozenset[int]:
    """Code points the font file has a glyph for (from the coverage file while it matches the font)."""
    path = _font_path(file_name)
    entry = _coverage_data().get(file_name)
    if isinstance(entry, dict) and entry.get("size") == path.stat().st_size:
        points: set[int] = set()
        for a, b in cast("list[tuple[int, int]]", entry["ranges"]):
            points.update(range(a, b + 1))
        return frozenset(points)
    return measure_coverage(path)


def measure_coverage(path: Path) -> frozenset[int]:
    """Code points the font file maps to a glyph, read from the font itself (slow: parses it)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    points = set(TTFontFile(str(path)).charToGlyph)
    points.discard(0)
    return frozenset(points)


@cache
def coverage(family: str) -> frozenset[int]:
    """Code points every face of the family has a glyph for."""
    sets = [file_coverage(name) for name in _FAMILIES[family] if name is not None]
    return frozenset.intersection(*sets)


def _ranges(points: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted code points as (first, last) runs."""
    out: list[tuple[int, int]] = []
    for p in sorted(points):
        if out and p == out[-1][1] + 1:
            out[-1] = (out[-1][0], p)
        else:
            out.append((p, p))
    return out


def write_coverage_file() -> Path:
    """Measure every shipped font and write `COVERAGE_FILE` (after changing a font)."""
    data = {
        name: {"size": _font_path(name).stat().st_size, "ranges": _ranges(measure_coverage(_font_path(name)))}
        for name in sorted(set(_FACE_FILES.values()))
    }
    tmp = COVERAGE_FILE.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    tmp.replace(COVERAGE_FILE)
    return COVERAGE_FILE


@cache
def _outside(family: str) -> re.Pattern[str]:
    """A pattern matching any character the family cannot draw (the fast path's test)."""
    points = coverage(family) | {ord(c) for c in _ALWAYS}
    return re.compile("[^" + "".join(_range(a, b) for a, b in _ranges(points)) + "]")


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


def markup(text: str, family: str, bold: bool = False, italic: bool = False) -> str:
    """Paragraph markup for user text: escaped, with fallback runs in their own font.

    User text never becomes markup: `<`, `>` and `&` are escaped, so a note
    holding `<img src=...>` or `<font name=x>` is printed, not obeyed. `bold`
    and `italic` name the fallback's face (the text sits in <b>/<i>): ReportLab
    does not apply an enclosing <b> to a face named inside it.
    """
    parts = runs(text, family)
    if len(parts) == 1 and parts[0][0] == family:
        return escape(text)
    out: list[str] = []
    for fam, chunk in parts:
        if fam == family:
            out.append(escape(chunk))
        else:
            name = face(fam, bold, italic)
            slanted = _SLANTED.get(name)
            if slanted is not None:
                slanted.update(chunk)
            out.append(f'<font name="{name}">{escape(chunk)}</font>')
    return "".join(out)


def string_width(text: str, family: str, size: float, bold: bool = False, italic: bool = False) -> float:
    return sum(
        pdfmetrics.stringWidth(chunk, face(fam, bold, italic), size)
        for fam, chunk in runs(text, family)
    )


def draw_string(canvas: Canvas, x: float, y: float, text: str, family: str, size: float,
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


if __name__ == "__main__":
    print(f"wrote {write_coverage_file()}")
