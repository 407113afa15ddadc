"""Word .docx -> blocks, with python-docx.

Heading styles ("Title", "Heading 1".."Heading 6") give headings; list
numbering (a paragraph's own or its style's `w:numPr`: `w:numId` and
`w:ilvl`) is resolved through the numbering part (`w:num` ->
`w:abstractNum` -> `w:lvl` with `w:numFmt` and `w:lvlText`) and counted, so
"1.", "(a)" and bullets come out as the reader sees them. A paragraph that
opens with bold runs has a bold lead-in; a short paragraph in bold or
underlined throughout is a heading. Table cells are read as paragraphs.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from briefbook.plan_import.blocks import Block, Document, DocumentError, clean_text, split_label
from briefbook.plan_import.text_reader import is_caps

__all__ = ["read_docx"]

_FORMATS = {"decimal": "N", "decimalZero": "N", "decimalFullWidth": "N", "decimalEnclosedParen": "N",
            "lowerLetter": "a", "upperLetter": "A", "lowerRoman": "i", "upperRoman": "I",
            "aiueoFullWidth": "ア", "aiueo": "ア", "iroha": "ア", "irohaFullWidth": "ア", "decimalEnclosedCircle": "①"}
_KATAKANA = "アイウエオカキクケコサシスセソタチツテト"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Unpacked XML beyond this is not a plan (a zip bomb would otherwise fill the memory).
MAX_XML_BYTES = 200 * 1024 * 1024


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


class _Numbering:
    """Counts list numbers as Word does: per list, per level, deeper levels restart."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) -> (numFmt, lvlText, start)
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, AttributeError, NotImplementedError):
            return
        abstracts: dict[str, dict[int, tuple[str, str, int]]] = {}
        for ab in root.iter(f"{_W}abstractNum"):
            lvls: dict[int, tuple[str, str, int]] = {}
            for lvl in ab.iter(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                lvls[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{_W}val", "") if text is not None else "",
                    int(start.get(f"{_W}val", "1")) if start is not None else 1,
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
        ilvl = min(ilvl, 8)
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


def _num_pr(paragraph: Any) -> tuple[str, int] | None:
    for holder in (paragraph._p.pPr, getattr(paragraph.style, "element", None)):
        ppr = holder if holder is None or holder.tag.endswith("pPr") else holder.find(f"{_W}pPr")
        if ppr is None:
            continue
        num = ppr.find(f"{_W}numPr")
        if num is None:
            continue
        nid = num.find(f"{_W}numId")
        lvl = num.find(f"{_W}ilvl")
        if nid is not None:
            return nid.get(f"{_W}val", "0"), int(lvl.get(f"{_W}val", "0")) if lvl is not None else 0
    return None


def _paragraphs(document: Any) -> Any:
    """Body paragraphs in order, with those of tables (nested too, merged cells once) and text boxes."""
    from docx.text.paragraph import Paragraph

    seen_boxes: set[str] = set()

    def walk(container: Any, depth: int) -> Any:
        for child in container.iterchildren():
            if child.tag == f"{_W}p":
                yield Paragraph(child, document)
                for box in child.iter(f"{_W}txbxContent"):
                    text = "".join(t.text or "" for t in box.iter(f"{_W}t"))
                    if text in seen_boxes:  # Word writes a text box twice (DrawingML and VML fallback)
                        continue
                    seen_boxes.add(text)
                    if depth < 10:
                        yield from walk(box, depth + 1)
            elif child.tag == f"{_W}tbl" and depth < 10:
                for row in child.iterchildren(f"{_W}tr"):
                    for cell in row.iterchildren(f"{_W}tc"):
                        yield from walk(cell, depth + 1)
            elif child.tag == f"{_W}sdt" and depth < 10:  # content controls hold paragraphs too
                for content in child.iterchildren(f"{_W}sdtContent"):
                    yield from walk(content, depth + 1)

    yield from walk(document.element.body, 0)


def _emphasis(paragraph: Any) -> tuple[str, bool, bool]:
    """(bold lead-in, all bold, all underlined)."""
    runs = [r for r in paragraph.runs if r.text.strip()]
    if not runs:
        return "", False, False
    style_font = paragraph.style.font if paragraph.style is not None else None
    style_bold = bool(style_font is not None and style_font.bold)

    def bold(r: Any) -> bool:
        return bool(r.bold) or (r.bold is None and (style_bold or bool(r.style is not None and r.style.font.bold)))

    lead = ""
    for r in runs:
        if not bold(r):
            break
        lead += r.text
    all_bold = all(bold(r) for r in runs)
    underlined = all(bool(r.underline) for r in runs)
    return ("" if all_bold else clean_text(lead)), all_bold, underlined


def read_docx(path: Path) -> Document:
    try:
        with zipfile.ZipFile(path) as z:
            sizes = {info.filename: info.file_size for info in z.infolist()}
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocumentError(f"{path.name} cannot be read as a Word document: the file is damaged.") from None
    if "word/document.xml" not in sizes:
        raise DocumentError(f"{path.name} is a zip archive, not a Word document (.docx).")
    if sum(size for name, size in sizes.items() if name.endswith(".xml")) > MAX_XML_BYTES:
        raise DocumentError(f"{path.name} is too large to be a plan once unpacked "
                            f"(over {MAX_XML_BYTES // (1024 * 1024)} MB of text and markup).")
    try:
        import docx

        document = docx.Document(str(path))
        numbering = _Numbering(document)
        blocks = list(_blocks(document, numbering))
        title = clean_text(document.core_properties.title or "")
        if re.fullmatch(r"(?:Document|Documento|Dokument|文書)\s*[0-9]*", title):
            title = ""  # Word's name for a new document, not the plan's
    except DocumentError:
        raise
    except Exception:
        raise DocumentError(f"{path.name} cannot be read as a Word document: the file is damaged.") from None
    return Document(blocks, "docx", meta_title=title)


def _blocks(document: Any, numbering: _Numbering) -> Any:
    for no, p in enumerate(_paragraphs(document), start=1):
        text = clean_text(p.text)
        if not any(ch.isalnum() for ch in text):
            continue
        loc = f"paragraph {no}"
        style = p.style.name if p.style is not None else ""
        b = Block(text=text, loc=loc)
        m = re.match(r"^Heading ([1-9])$", style)
        if style == "Title":
            b.kind, b.level, b.heading_key = "heading", 1, "doc-title"
        elif m is not None:
            b.kind, b.level, b.heading_key = "heading", int(m.group(1)), f"h{m.group(1)}"
        indent = p.paragraph_format.left_indent
        b.indent = round(indent.pt / 36) if indent is not None else 0
        num = _num_pr(p)
        style_level = re.match(r"^List (?:Bullet|Number|Continue)(?: ([2-9]))?$", style)
        if num is not None and style_level is not None and style_level.group(1):
            num = (num[0], max(num[1], int(style_level.group(1)) - 1))  # "List Bullet 2" is the second level
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
        lead, all_bold, underlined = _emphasis(p)
        if b.kind == "para" and not b.style:
            if (all_bold or underlined) and len(text.split()) <= 20:
                b.kind, b.heading_key = "heading", "bold" if all_bold else "underline"
            elif is_caps(text):
                b.kind, b.heading_key = "heading", "caps"
        if lead and b.kind != "heading" and len(lead) < len(text):
            b.lead = lead.strip()
        yield b
