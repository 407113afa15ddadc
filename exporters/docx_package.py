"""The Word package around the body: embedded Japanese faces, true metadata, no stale thumbnail.

Word and LibreOffice read fonts embedded in a DOCX as "obfuscated" TrueType
parts (ECMA-376 Part 1, 17.8.1): the font file with its first 32 bytes XORed
with the 16 bytes of a GUID (the font key) in reverse order, stored as
word/fonts/*.odttf, related from the font table and named there by
`w:embedRegular`/`w:embedBold` with that key; `w:embedTrueTypeFonts` in the
settings tells Word the document carries them. BIZ UDPGothic's licence (SIL
OFL) allows embedding. A reader without a Japanese font then still sees
高市早苗, not boxes.

Only the glyphs the document uses are embedded (`w:subsetted`, and
`w:saveSubsetFonts` so Word keeps it so when it saves): the whole face is
6 MB, which made any pack with one Japanese word too big to mail. The subset
is made with fontTools, which reads and writes every table a TrueType face
has (the glyph outlines, their composites, the metrics and names) and is what
the font projects themselves use to subset; ReportLab's own subsetter makes
PDF-only fonts Word cannot read.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from exporters.docx_styles import EAST_ASIAN, EAST_ASIAN_ALT, W_NS

# Not exporters.fonts.FONT_DIR: that module loads ReportLab, which a Word export never needs.
FONT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"

if TYPE_CHECKING:
    from docx.document import Document

FONT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
FONT_TABLE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
OBFUSCATED = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
THUMBNAIL_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
#: The Japanese faces a DOCX embeds (the PDF's Japanese faces).
EMBEDDED = {"Regular": "BIZUDPGothic-Regular.ttf", "Bold": "BIZUDPGothic-Bold.ttf"}
#: Fixed keys: the same book gives the same file (the key only hides the font from casual copying).
_KEYS = {"Regular": "{4F1B7C2A-9D3E-4C5B-8A71-2E6F0D9B3C41}", "Bold": "{7A2C9E4B-1F5D-4B6A-9C82-3D7E1F0A4B52}"}


def obfuscate(data: bytes, font_key: str) -> bytes:
    """The font as an .odttf part: its first 32 bytes XORed with the key's bytes, last byte first."""
    key = uuid.UUID(font_key).bytes[::-1]
    head = bytes(b ^ key[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


_DROPPED = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "vhea", "vmtx", "VORG", "meta", "DSIG")


def subset(face: str, text: str) -> bytes:
    """The Japanese face with only the glyphs `text` uses (and the printable ASCII), as TrueType bytes;
    kept in the cache folder by its characters (exporting the same pack again costs nothing)."""
    import hashlib
    import os

    wanted = sorted({ord(c) for c in text if ord(c) > 0x7E} | set(range(0x20, 0x7F)))
    source = FONT_DIR / EMBEDDED[face]
    key = hashlib.sha256(repr((face, source.stat().st_size, wanted)).encode()).hexdigest()[:32]
    try:
        from platformdirs import user_cache_path

        cached = user_cache_path("briefbook", appauthor=False) / "fonts" / f"subset-{key}.ttf"
        return cached.read_bytes()
    except OSError:
        pass
    data = _subset(source, wanted)
    try:  # whole or not at all, also with two exports at once; no cache this time if it cannot be written
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, cached)
    except OSError:
        pass
    return data


def _subset(source: Path, wanted: list[int]) -> bytes:
    import io

    from fontTools import subset as ft_subset  # type: ignore[import-untyped]  # no stubs shipped
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    options = ft_subset.Options()
    options.name_IDs = ["*"]  # Word finds an embedded face by its names
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False  # screen hints: most of the weight of a CJK face, and Word re-hints anyway
    # Horizontal text with no substitutions: the layout and vertical-writing tables are dropped (keeping
    # them costs two seconds of glyph closure and doubles the part).
    options.layout_features = []
    font = TTFont(source, lazy=True)
    for tag in _DROPPED:  # before the subsetter reads them (it would, to check their formats)
        if tag in font:
            del font[tag]
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def embed_japanese(doc: Document, bold: bool, text: str) -> None:
    """Embed the Japanese face (and its bold when the book sets Japanese in bold), named as the
    runs name it, with the face Word uses where it is missing; only the glyphs of `text`."""
    table_part = doc.part.part_related_by(FONT_TABLE_REL)
    root = parse_xml(table_part.blob)
    for el in root.findall(qn("w:font")):
        if el.get(qn("w:name")) == EAST_ASIAN:
            root.remove(el)
    embeds: list[str] = []
    for face in ("Regular", "Bold") if bold else ("Regular",):
        data = obfuscate(subset(face, text), _KEYS[face])
        part = Part(PackURI(f"/word/fonts/font{face}.odttf"), OBFUSCATED, data, doc.part.package)
        rid = table_part.relate_to(part, FONT_REL)
        embeds.append(f'<w:embed{face} r:id="{rid}" w:fontKey="{_KEYS[face]}" w:subsetted="1"/>')
    root.append(parse_xml(
        f'<w:font {W_NS} w:name="{EAST_ASIAN}"><w:altName w:val="{EAST_ASIAN_ALT}"/>'
        '<w:charset w:val="80"/><w:family w:val="modern"/><w:pitch w:val="variable"/>'
        f"{''.join(embeds)}</w:font>"
    ))
    from lxml import etree  # python-docx's own XML library; no stubs shipped

    table_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    settings = doc.settings.element
    if settings.find(qn("w:embedTrueTypeFonts")) is None:
        # After w:zoom etc.: the schema's order puts it early; Word ignores an out-of-place one.
        settings.insert(1, parse_xml(f"<w:embedTrueTypeFonts {W_NS}/>"))
        settings.insert(2, parse_xml(f"<w:saveSubsetFonts {W_NS}/>"))


def name_japanese(doc: Document) -> None:
    """A book without Japanese text: name the face in the font table only (nothing to embed)."""
    table_part = doc.part.part_related_by(FONT_TABLE_REL)
    root = parse_xml(table_part.blob)
    root.append(parse_xml(
        f'<w:font {W_NS} w:name="{EAST_ASIAN}"><w:altName w:val="{EAST_ASIAN_ALT}"/>'
        '<w:charset w:val="80"/><w:family w:val="modern"/><w:pitch w:val="variable"/></w:font>'
    ))
    from lxml import etree

    table_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>briefbook</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
    "</Properties>"
)


def true_metadata(doc: Document) -> None:
    """The template's app properties (a Mac Word, one page, no words) and its thumbnail (a blank
    page) would misdescribe the book: say which program wrote it, and nothing that is not known."""
    package = doc.part.package
    for rel in list(package.rels.values()):
        if rel.reltype == THUMBNAIL_REL:
            package.rels.pop(rel.rId)
        elif rel.reltype.endswith("/extended-properties"):
            rel.target_part._blob = _APP_XML.encode()
