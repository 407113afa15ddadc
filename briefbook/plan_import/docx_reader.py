"""Word .docx -> blocks, read straight from the package's XML (lxml, streamed).

Heading styles ("Title", "Heading 1".."Heading 9", or a style with an
outline level) give headings; list numbering (a paragraph's own or its
style's `w:numPr`: `w:numId` and `w:ilvl`) is resolved through the
numbering part (`w:num` -> `w:abstractNum` -> `w:lvl` with `w:numFmt` and
`w:lvlText`) and counted, so "1.", "(a)" and bullets come out as the reader
sees them. A paragraph that opens with bold runs has a bold lead-in; a
short paragraph in bold or underlined throughout is a heading. Table cells,
content controls and text boxes are read as paragraphs.

Why not python-docx: its paragraph objects look each style up by scanning
the styles part (200,000 paragraphs took minutes), and it holds the whole
tree in memory. Here styles are read once into a table, the main part is
parsed as a stream and each paragraph is dropped once read, so the work is
linear in the file and the memory flat. Every part of the package counts
toward the unpacked limit, whatever it is called.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from briefbook.plan_import.blocks import Block, Document, DocumentError, clean_text, readable, split_label
from briefbook.plan_import.text_reader import is_caps

__all__ = ["MAX_PARTS", "MAX_UNPACKED_BYTES", "read_docx"]

_FORMATS = {"decimal": "N", "decimalZero": "N", "decimalFullWidth": "N", "decimalEnclosedParen": "N",
            "lowerLetter": "a", "upperLetter": "A", "lowerRoman": "i", "upperRoman": "I",
            "aiueoFullWidth": "ア", "aiueo": "ア", "iroha": "ア", "irohaFullWidth": "ア", "decimalEnclosedCircle": "①"}
_KATAKANA = "アイウエオカキクケコサシスセソタチツテト"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
#: Unpacked parts beyond this, all of them counted, are not a plan (a zip bomb would otherwise fill the memory).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: A Word file has tens of parts, a few hundred with images; more is not a plan.
MAX_PARTS = 5000
#: The small parts (styles, numbering, properties) are parsed whole; beyond this they are not Word's.
_MAX_SMALL_PART = 20 * 1024 * 1024
#: Runs' inner elements and their text (as python-docx reads them).
_RUN_TEXT = {f"{_W}t": None, f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}
#: Inline containers whose runs are part of the paragraph's text.
_INLINE = {f"{_W}hyperlink", f"{_W}ins", f"{_W}smartTag", f"{_W}fldSimple", f"{_W}customXml", f"{_W}sdt",
           f"{_W}sdtContent", f"{_W}moveTo", f"{_W}dir", f"{_W}bdo"}
_FALSE = {"0", "false", "off", "none"}


def _damaged(path: Path) -> DocumentError:
    return DocumentError(f"{path.name} cannot be read as a Word document: the file is damaged.")


def _roman(n: int) -> str:
    out = ""
    for v, s in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + s, n - v
    return out


def _render(fmt: str, n: int) -> str:
    kind = _FORMATS.get(fmt, "N")
    if kind in ("a", "A"):
        s = chr(ord("a") + (n - 1) % 26)
        return s.upper() if kind == "A" else s
    if kind in ("i", "I"):
        return _roman(n) if kind == "I" else _roman(n).lower()
    if kind == "ア":
        return _KATAKANA[(n - 1) % len(_KATAKANA)]
    return str(n)


def _on(elem: Any) -> bool:
    """A toggle property (`w:b`, `w:u`) that is set: present, and not turned off by its value."""
    return elem is not None and (elem.get(f"{_W}val") or "true").lower() not in _FALSE


class _Numbering:
    """Counts list numbers as Word does: per list, per level, deeper levels restart."""

    def __init__(self, root: Any) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) -> (numFmt, lvlText, start)
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, list[int]] = {}
        if root is None:
            return
        abstracts: dict[str, dict[int, tuple[str, str, int]]] = {}
        for ab in root.iter(f"{_W}abstractNum"):
            lvls: dict[int, tuple[str, str, int]] = {}
            for lvl in ab.iter(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                try:
                    ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                    first = int(start.get(f"{_W}val", "1")) if start is not None else 1
                except ValueError:
                    continue
                lvls[ilvl] = (
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{_W}val", "") if text is not None else "",
                    first,
                )
            abstracts[ab.get(f"{_W}abstractNumId", "")] = lvls
        for num in root.iter(f"{_W}num"):
            nid = num.get(f"{_W}numId", "")
            ref = num.find(f"{_W}abstractNumId")
            aid = ref.get(f"{_W}val", "") if ref is not None else ""
            self.abstract_of[nid] = aid
            for ilvl, spec in abstracts.get(aid, {}).items():
                self.levels[(nid, ilvl)] = spec

    def label(self, num_id: str, ilvl: int) -> tuple[str, str, str] | None:
        """("bullet", "", "") or (style, label, prefix) for the next entry of this list; None if not a list."""
        spec = self.levels.get((num_id, ilvl))
        if spec is None or num_id == "0":
            return None
        fmt, lvl_text, start = spec
        if fmt == "bullet" or fmt == "none" or not re.search(r"%[1-9]", lvl_text):
            return "bullet", "", ""
        counts = self.counters.setdefault(self.abstract_of.get(num_id, num_id), [0] * 9)
        ilvl = min(max(ilvl, 0), 8)
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        placeholders = re.findall(r"%([1-9])", lvl_text)
        values = {int(p) - 1: counts[int(p) - 1] or 1 for p in placeholders}

        def render(m: re.Match[str]) -> str:
            at = int(m.group(1)) - 1
            return _render(self._fmt(num_id, at), values[at])

        prefix = re.sub(r"%([1-9])", render, lvl_text)
        if len(placeholders) > 1:
            style = "N.N"
            label = ".".join(str(values[int(p) - 1]) for p in placeholders)
        else:
            kind = _FORMATS.get(fmt, "N")
            style = re.sub(r"%[1-9]", kind, lvl_text).strip() or kind
            label = _render(fmt, counts[ilvl])
        return style, label, prefix + " "

    def _fmt(self, num_id: str, ilvl: int) -> str:
        return self.levels.get((num_id, ilvl), ("decimal", "", 1))[0]


@dataclass
class _Style:
    name: str = ""
    based_on: str = ""
    num: tuple[str, int] | None = None  # numId, ilvl
    ilvl: int | None = None  # a level without a list of its own
    outline: int | None = None  # w:outlineLvl: 0 = a first-level heading
    bold: bool | None = None


class _Styles:
    """The styles part as a table, read once; properties follow `w:basedOn` (at most 20 steps: no loops)."""

    def __init__(self, root: Any) -> None:
        self.by_id: dict[str, _Style] = {}
        if root is None:
            return
        for st in root.iter(f"{_W}style"):
            s = _Style()
            name = st.find(f"{_W}name")
            s.name = _ui_name(name.get(f"{_W}val", "") if name is not None else st.get(f"{_W}styleId", ""))
            based = st.find(f"{_W}basedOn")
            s.based_on = based.get(f"{_W}val", "") if based is not None else ""
            ppr = st.find(f"{_W}pPr")
            if ppr is not None:
                s.num, s.ilvl = _num_of(ppr)
                outline = ppr.find(f"{_W}outlineLvl")
                if outline is not None and (outline.get(f"{_W}val") or "").isdigit():
                    s.outline = int(outline.get(f"{_W}val", "9"))
            rpr = st.find(f"{_W}rPr")
            if rpr is not None and rpr.find(f"{_W}b") is not None:
                s.bold = _on(rpr.find(f"{_W}b"))
            self.by_id[st.get(f"{_W}styleId", "")] = s
        self._cache: dict[str, tuple[str, tuple[str, int] | None, int | None, bool]] = {}

    def resolved(self, style_id: str) -> tuple[str, tuple[str, int] | None, int | None, bool]:
        """(name, list numbering, outline level, bold) of a paragraph style, inherited through basedOn."""
        hit = self._cache.get(style_id)
        if hit is not None:
            return hit
        name, num, outline, bold = "", None, None, None
        ilvl: int | None = None
        sid, steps = style_id, 0
        while sid in self.by_id and steps < 20:
            s = self.by_id[sid]
            name = name or s.name
            if num is None and s.num is not None:
                num = s.num
            ilvl = s.ilvl if ilvl is None else ilvl
            outline = s.outline if outline is None else outline
            bold = s.bold if bold is None else bold
            sid, steps = s.based_on, steps + 1
        if num is not None and ilvl is not None and num[1] == 0:
            num = (num[0], ilvl)
        out = (name, num, outline, bool(bold))
        self._cache[style_id] = out
        return out

    def bold(self, style_id: str) -> bool:
        return self.resolved(style_id)[3]


def _ui_name(name: str) -> str:
    """Word stores built-in names in lower case ("heading 1"); show them as Word does ("Heading 1")."""
    low = name.lower()
    if low.startswith("heading ") or low in ("title", "caption", "header", "footer"):
        return name[:1].upper() + name[1:]
    return name


def _num_of(ppr: Any) -> tuple[tuple[str, int] | None, int | None]:
    num = ppr.find(f"{_W}numPr")
    if num is None:
        return None, None
    nid = num.find(f"{_W}numId")
    lvl = num.find(f"{_W}ilvl")
    try:
        ilvl = int(lvl.get(f"{_W}val", "0")) if lvl is not None else None
    except ValueError:
        ilvl = None
    if nid is None:
        return None, ilvl
    return (nid.get(f"{_W}val", "0"), ilvl or 0), ilvl


# -- the package -----------------------------------------------------------------------------


def _parse_small(z: zipfile.ZipFile, name: str, sizes: dict[str, int]) -> Any:
    from lxml import etree

    if name not in sizes or sizes[name] > _MAX_SMALL_PART:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        return etree.fromstring(z.read(name), parser)
    except etree.XMLSyntaxError:
        return None


def _main_part(z: zipfile.ZipFile, sizes: dict[str, int]) -> str:
    """The main document part, as the package's relationships name it (Word calls it word/document.xml)."""
    rels = _parse_small(z, "_rels/.rels", sizes)
    if rels is not None:
        for rel in rels.iter(_REL):
            if rel.get("Type") == _OFFICE_DOCUMENT and rel.get("TargetMode") != "External":
                target = posixpath.normpath(rel.get("Target", "").lstrip("/"))
                if target in sizes:
                    return target
    return "word/document.xml"


def _part_rels(z: zipfile.ZipFile, main: str, sizes: dict[str, int]) -> dict[str, str]:
    """The main part's related parts by type's last word ("styles", "numbering") -> their names."""
    folder, name = posixpath.split(main)
    rels = _parse_small(z, posixpath.join(folder, "_rels", f"{name}.rels"), sizes)
    out: dict[str, str] = {}
    if rels is not None:
        for rel in rels.iter(_REL):
            if rel.get("TargetMode") == "External":
                continue
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            out.setdefault(kind, posixpath.normpath(posixpath.join(folder, rel.get("Target", ""))))
    return out


def read_docx(path: Path) -> Document:
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _damaged(path) from None
    with z:
        infos = z.infolist()
        if len(infos) > MAX_PARTS:
            raise DocumentError(f"{path.name} holds {len(infos):,} parts, too many for a Word document "
                                f"(at most {MAX_PARTS:,}).")
        sizes = {info.filename: info.file_size for info in infos}
        if "[Content_Types].xml" not in sizes or not any(n.startswith("word/") for n in sizes):
            raise DocumentError(f"{path.name} is a zip archive, not a Word document (.docx).")
        # Every part counts, whatever its name: zipfile stops at each part's stated size (and then checks the
        # part's checksum), so the stated sizes bound what can be unpacked.
        if sum(sizes.values()) > MAX_UNPACKED_BYTES:
            raise DocumentError(f"{path.name} is too large to be a plan once unpacked "
                                f"(over {MAX_UNPACKED_BYTES // (1024 * 1024)} MB).")
        try:
            main = _main_part(z, sizes)
            if main not in sizes:
                raise DocumentError(f"{path.name} is a zip archive, not a Word document (.docx).")
            related = _part_rels(z, main, sizes)
            styles = _Styles(_parse_small(z, related.get("styles", "word/styles.xml"), sizes))
            numbering = _Numbering(_parse_small(z, related.get("numbering", "word/numbering.xml"), sizes))
            with z.open(main) as stream:
                blocks = list(_stream(stream, styles, numbering))
            core = _parse_small(z, "docProps/core.xml", sizes)
        except DocumentError:
            raise
        except RecursionError:
            raise DocumentError(f"{path.name} cannot be read: its structure is nested too deeply.") from None
        except Exception:
            raise _damaged(path) from None
    title = ""
    if core is not None:
        found = core.find(_DC_TITLE)
        title = clean_text(found.text or "") if found is not None else ""
    if re.fullmatch(r"(?:Document|Documento|Dokument|文書)\s*[0-9]*", title):
        title = ""  # Word's name for a new document, not the plan's
    return Document(blocks, "docx", meta_title=title)


# -- paragraphs --------------------------------------------------------------------------------


@dataclass
class _Run:
    text: str
    bold: bool | None  # None: as the paragraph's style says
    underline: bool


def _runs(container: Any, styles: _Styles, out: list[_Run]) -> None:
    """The runs of a paragraph in order, with those of hyperlinks, insertions and inline content controls;
    text boxes and drawings inside a run are not the paragraph's text (they are read as paragraphs)."""
    for child in container:
        tag = child.tag
        if tag == f"{_W}r":
            parts: list[str] = []
            bold: bool | None = None
            underline = False
            for el in child:
                t = el.tag
                if t == f"{_W}rPr":
                    b = el.find(f"{_W}b")
                    rs = el.find(f"{_W}rStyle")
                    if b is not None:
                        bold = _on(b)
                    elif rs is not None and styles.bold(rs.get(f"{_W}val", "")):
                        bold = True
                    underline = _on(el.find(f"{_W}u"))
                elif t in _RUN_TEXT:
                    parts.append(el.text or "" if _RUN_TEXT[t] is None else str(_RUN_TEXT[t]))
                elif t == f"{_W}br" and (el.get(f"{_W}type") or "textWrapping") == "textWrapping":
                    parts.append("\n")
            if parts:
                out.append(_Run("".join(parts), bold, underline))
        elif tag in _INLINE:
            _runs(child, styles, out)


class _Para:
    __slots__ = ("boxes", "elem")

    def __init__(self, elem: Any) -> None:
        self.elem = elem
        self.boxes: list[Any] = []  # paragraphs of its text boxes, read after it


def _stream(stream: IO[bytes], styles: _Styles, numbering: _Numbering) -> Iterator[Block]:
    """Blocks of the main part in reading order, each paragraph dropped from memory once read."""
    from lxml import etree

    # Only the elements that matter raise events: a run's many small elements cost nothing in Python.
    watched = (f"{_W}p", f"{_W}tbl", f"{_W}sdt", _MC_FALLBACK)
    events = etree.iterparse(stream, events=("start", "end"), tag=watched, resolve_entities=False,
                             no_network=True, huge_tree=False, load_dtd=False, remove_comments=True,
                             remove_pis=True)
    open_paras: list[_Para] = []
    fallback = 0  # inside mc:Fallback: Word writes a text box twice (DrawingML and its VML fallback)
    seen_boxes: set[str] = set()
    no = 0
    p_tag = f"{_W}p"
    for event, elem in events:
        tag = elem.tag
        if event == "start":
            if tag == _MC_FALLBACK:
                fallback += 1
            elif tag == p_tag and not fallback:
                open_paras.append(_Para(elem))
            continue
        if tag == _MC_FALLBACK:
            fallback -= 1
            continue
        if tag == p_tag and open_paras and open_paras[-1].elem is elem:
            para = open_paras.pop()
            if open_paras:  # a text box's paragraph: read after the paragraph that holds it
                open_paras[-1].boxes.append(para)
                continue
            for p in _flatten(para):
                no += 1
                b = _block(p.elem, f"paragraph {no}", styles, numbering, seen_boxes, p is not para)
                if b is not None:
                    yield b
        if not open_paras and not fallback:  # read: free it and what came before it
            elem.clear()
            parent = elem.getparent()
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]


def _flatten(para: _Para) -> Iterator[_Para]:
    stack = [para]
    while stack:
        p = stack.pop()
        yield p
        stack.extend(reversed(p.boxes))


def _block(p: Any, loc: str, styles: _Styles, numbering: _Numbering, seen_boxes: set[str],
           in_box: bool) -> Block | None:
    runs: list[_Run] = []
    _runs(p, styles, runs)
    raw = "".join(r.text for r in runs)
    text = clean_text(raw)
    if in_box:
        if text in seen_boxes:  # the same box written twice
            return None
        seen_boxes.add(text)
    if not text:
        return None
    ppr = p.find(f"{_W}pPr")
    style_id = ""
    own_num: tuple[str, int] | None = None
    own_ilvl: int | None = None
    indent_twips = 0
    own_outline: int | None = None
    if ppr is not None:
        ps = ppr.find(f"{_W}pStyle")
        style_id = ps.get(f"{_W}val", "") if ps is not None else ""
        own_num, own_ilvl = _num_of(ppr)
        ind = ppr.find(f"{_W}ind")
        if ind is not None:
            value = ind.get(f"{_W}left") or ind.get(f"{_W}start") or "0"
            indent_twips = int(value) if value.lstrip("-").isdigit() else 0
        outline = ppr.find(f"{_W}outlineLvl")
        if outline is not None and (outline.get(f"{_W}val") or "").isdigit():
            own_outline = int(outline.get(f"{_W}val", "9"))
    style, style_num, style_outline, style_bold = styles.resolved(style_id) if style_id else ("", None, None, False)
    outline = own_outline if own_outline is not None else style_outline
    has_alnum = any(ch.isalnum() for ch in text)
    if not readable(text):
        return None  # a rule, a lone mark: nothing a reader would miss
    b = Block(text=text, loc=loc)
    m = re.match(r"^Heading ([1-9])$", style)
    if style == "Title":
        b.kind, b.level, b.heading_key = "heading", 1, "doc-title"
    elif m is not None:
        b.kind, b.level, b.heading_key = "heading", int(m.group(1)), f"h{m.group(1)}"
    elif outline is not None and outline < 9:
        b.kind, b.level, b.heading_key = "heading", outline + 1, f"h{outline + 1}"
    b.indent = min(round(indent_twips / 720), 8)
    num = own_num
    if num is None:
        num = style_num
        if num is not None and own_ilvl is not None:
            num = (num[0], own_ilvl)
    style_level = re.match(r"^List (?:Bullet|Number|Continue)(?: ([2-9]))?$", style)
    if num is not None and style_level is not None and style_level.group(1):
        num = (num[0], max(num[1], int(style_level.group(1)) - 1))  # "List Bullet 2" is the second level
    if num is not None:
        num = (num[0], min(max(num[1], 0), 8))
    entry = numbering.label(*num) if num is not None else None
    if entry is not None and entry[0] == "bullet":
        b.kind, b.level, b.indent = "bullet", num[1] if num else 0, num[1] if num else 0
    elif entry is not None:
        b.style, b.label, b.prefix = entry
        b.level = b.indent = num[1] if num else 0
    elif b.kind == "para" and style.startswith("List Bullet"):
        b.kind = "bullet"
        b.level = b.indent = int(style[-1]) - 1 if style[-1].isdigit() else 0
    if not b.style:
        typed = split_label(text)
        if typed is not None:
            b.style, b.label, b.text, b.prefix = typed
    lead, all_bold, underlined = _emphasis(runs, style_bold)
    if b.kind == "para" and not b.style:
        if (all_bold or underlined) and len(text.split()) <= 20 and has_alnum and not text.endswith(":"):
            b.kind, b.heading_key = "heading", "bold" if all_bold else "underline"
        elif is_caps(text):
            b.kind, b.heading_key = "heading", "caps"
    if lead and b.kind != "heading" and len(lead) < len(text):
        b.lead = lead.strip()
    return b


def _emphasis(runs: list[_Run], style_bold: bool) -> tuple[str, bool, bool]:
    """(bold lead-in, all bold, all underlined). Runs of spaces between bold runs stay in the lead-in
    ("FURTHER" " " "REAFFIRM" is two words)."""
    visible = [r for r in runs if r.text.strip()]
    if not visible:
        return "", False, False
    def bold(r: _Run) -> bool:
        return style_bold if r.bold is None else r.bold

    lead = ""
    for r in runs:
        if r.text.strip() and not bold(r):
            break
        lead += r.text
    all_bold = all(bold(r) for r in visible)
    underlined = all(r.underline for r in visible)
    return ("" if all_bold else clean_text(lead)), all_bold, underlined
