"""Parsed TrueType faces kept between runs, so an export does not parse its fonts again.

ReportLab reads a face's tables (character map, widths) in Python: about
8 ms for each Liberation face and 0.1 s for each Japanese face, on every export,
while laying out a whole meeting pack takes a few tenths of a second. The
parsed tables are plain numbers and strings; they are kept with `marshal`
(the format of Python's own bytecode cache) in the user's cache folder, one
file per font, named after the font file's size and modification time, the
ReportLab version and the Python version, so any change to either side is a
miss and the font is parsed again. Anything wrong with the cache is a miss
too: the cache can only make an export faster, never fail it.
"""

from __future__ import annotations

import marshal
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from reportlab import Version as REPORTLAB_VERSION
from reportlab import rl_config
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFont, TTFontFace

FORMAT = 1
_NAME_MARK = "__ttfname__"
#: Attributes not stored: the font file's bytes (read again, ReportLab embeds
#: subsets of them) and the scale function (made again from unitsPerEm).
_NOT_STORED = ("_ttf_data", "_pdfScale")
_lock = threading.Lock()


def cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("briefbook", appauthor=False) / "fonts"


def _entry(path: Path) -> Path:
    st = path.stat()
    py = f"{sys.version_info[0]}{sys.version_info[1]}"
    return cache_dir() / f"{path.stem}-{st.st_size}-{st.st_mtime_ns}-rl{REPORTLAB_VERSION}-py{py}.marshal"


def load_font(name: str, path: Path) -> TTFont:
    """A registered-ready TTFont for the file at `path`, from the cache when it holds it."""
    with _lock:
        face = _load_face(path)
        if face is None:
            font = TTFont(name, str(path))
            _store_face(path, font.face)
            return font
        return _font_with_face(name, face)


def _font_with_face(name: str, face: TTFontFace) -> TTFont:
    # What TTFont.__init__ does, with the face given instead of parsed (a test
    # checks the result against ReportLab's own constructor).
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = ttfonts.TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(ttfonts.fnmatch(name, g) for g in ttfonts.unShapedFontGlob)
    return font


def _load_face(path: Path) -> TTFontFace | None:
    try:
        raw = _entry(path).read_bytes()
        stored = marshal.loads(raw)
        if not isinstance(stored, dict) or stored.get("format") != FORMAT:
            return None
        attrs: dict[str, Any] = stored["attrs"]
        data = path.read_bytes()
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        return None
    if not isinstance(attrs, dict) or not _valid(attrs, len(data)):
        return None
    face = TTFontFace.__new__(TTFontFace)
    for key, value in attrs.items():
        if isinstance(value, tuple) and len(value) == 2 and value[0] == _NAME_MARK:
            value = TTFNameBytes(value[1])
        setattr(face, key, value)
    face._ttf_data = data
    face.filename = str(path)
    face._pdfScale = _scale(face.unitsPerEm)
    return face


#: What a parsed face must hold, and of which type, to be used (ReportLab's parser sets them all).
_REQUIRED: dict[str, type | tuple[type, ...]] = {
    "name": tuple, "familyName": tuple, "styleName": tuple, "fullName": tuple, "uniqueFontID": tuple,
    "ascent": (int, float), "descent": (int, float), "capHeight": (int, float), "italicAngle": (int, float),
    "bbox": list, "stemV": int, "flags": int, "unitsPerEm": int, "numGlyphs": int, "defaultWidth": (int, float),
    "table": dict, "charToGlyph": dict, "glyphToChar": dict, "charWidths": dict, "hmetrics": list, "glyphPos": list,
}
#: The tables ReportLab reads again when it embeds a subset.
_TABLES = ("head", "hhea", "hmtx", "loca", "maxp", "glyf", "cmap")


def _valid(attrs: dict[str, Any], data_size: int) -> bool:
    """Whether a stored face is whole and consistent with the font file (a wrong entry is a miss)."""
    try:
        for key, kind in _REQUIRED.items():
            if not isinstance(attrs[key], kind):
                return False
        n = attrs["numGlyphs"]
        if attrs["unitsPerEm"] <= 0 or n <= 0 or len(attrs["hmetrics"]) != n or len(attrs["glyphPos"]) != n + 1:
            return False
        if len(attrs["bbox"]) != 4:
            return False
        table = attrs["table"]
        for tag in _TABLES:
            entry = table[tag]
            if not (entry["offset"] >= 0 and entry["offset"] + entry["length"] <= data_size):
                return False
        return all(isinstance(g, int) and 0 <= g < n for g in attrs["charToGlyph"].values())
    except (KeyError, TypeError):
        return False


def _store_face(path: Path, face: TTFontFace) -> None:
    attrs = {}
    for key, value in vars(face).items():
        if key in _NOT_STORED:
            continue
        attrs[key] = (_NAME_MARK, bytes(value)) if isinstance(value, TTFNameBytes) else value
    try:
        blob = marshal.dumps({"format": FORMAT, "attrs": attrs})
        target = _entry(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, target)  # whole or not at all, also with two exports at once
    except (OSError, ValueError):
        return  # no cache this time (read-only home, full disk): the font was parsed anyway


def _scale(units_per_em: int) -> Callable[[float], float]:
    """ReportLab's font-units-to-PDF-units function (made by its parser, not storable)."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor
