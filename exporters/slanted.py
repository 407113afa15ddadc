"""Japanese italic for the PDF: a slanted copy of the upright face, made for the characters a book
sets in italic.

Japanese type has no italic, and BIZ UDPGothic ships none; a PDF that prints
a Markdown *強調* upright loses the emphasis. Word and LibreOffice slant a
face without an italic themselves; ReportLab does not. So, when a book sets
Japanese in italic, the characters it uses are cut out of the upright (or
bold) face with fontTools and their outlines sheared by 12 degrees (each
glyph drawn through a transform, composites decomposed first so that no part
is slanted twice); the advance widths stay, so the text keeps its length.
The face exists for one book: the next book makes its own.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

#: The shear of the slanted face (about the slant of a sans's italic).
ANGLE = 12.0


def slanted_face(source: Path, chars: str) -> bytes:
    """TrueType bytes of the face at `source` holding `chars` (and the space), slanted."""
    from fontTools import subset as ft_subset  # type: ignore[import-untyped]  # no stubs shipped
    from fontTools.pens.recordingPen import DecomposingRecordingPen  # type: ignore[import-untyped]
    from fontTools.pens.transformPen import TransformPen  # type: ignore[import-untyped]
    from fontTools.pens.ttGlyphPen import TTGlyphPen  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    font = TTFont(source, lazy=True)
    for tag in ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "vhea", "vmtx", "VORG", "meta", "DSIG"):
        if tag in font:  # before the subsetter reads them: nothing a PDF's horizontal text uses
            del font[tag]
    options = ft_subset.Options()
    options.layout_features = []
    options.hinting = False
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(c) for c in chars} | {0x20}))
    subsetter.subset(font)
    font = TTFont(_saved(font))  # whole tables from here on (the subset is small)
    glyphs = font.getGlyphSet()
    glyf = font["glyf"]
    shear = math.tan(math.radians(ANGLE))
    outlines = {}
    for name in font.getGlyphOrder():
        recorded = DecomposingRecordingPen(glyphs)
        glyphs[name].draw(recorded)
        pen = TTGlyphPen(None)
        recorded.replay(TransformPen(pen, (1, 0, shear, 1, 0, 0)))
        outlines[name] = pen.glyph()
    for name, glyph in outlines.items():
        glyf[name] = glyph
    # Its own names: a PDF tells its faces apart by them (the same name would draw the upright
    # text with the slanted glyphs too).
    names = font["name"]
    ps = names.getDebugName(6) or "BIZUDPGothic-Regular"
    italic_ps = ps.replace("-Regular", "-Italic") if ps.endswith("-Regular") else ps + "Italic"
    style = "Bold Italic" if "Bold" in ps else "Italic"
    for record in list(names.names):
        if record.nameID in (2, 17):
            record.string = style
        elif record.nameID == 6:
            record.string = italic_ps
        elif record.nameID in (4, 18):
            record.string = f"{names.getDebugName(1) or 'BIZ UDPGothic'} {style}"
    font["post"].italicAngle = -ANGLE
    font["head"].macStyle |= 0x02
    font["OS/2"].fsSelection = (font["OS/2"].fsSelection | 0x01) & ~0x40
    return _saved(font).getvalue()


def _saved(font: object) -> io.BytesIO:
    out = io.BytesIO()
    font.save(out)  # type: ignore[attr-defined]
    out.seek(0)
    return out
