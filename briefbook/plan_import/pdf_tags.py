"""A tagged PDF's structure tree -> blocks.

Tagged PDFs say what each piece of text is: /H1../H6 headings, /P
paragraphs, /L lists of /LI entries (/Lbl the bullet or number, /LBody the
text). Text on a page is tied to its element by a marked-content id (MCID):
`BDC` opens a span with one, `EMC` closes it. Running headers, footers and
page numbers are /Artifact spans outside the tree, so they drop out. When
the tree gives no text, the caller reads the page text instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from briefbook.plan_import.blocks import MAX_NESTING, Block, clean_text, readable, split_label
from briefbook.plan_import.text_reader import blocks_from_lines, join_lines, vocabulary

__all__ = ["tagged_blocks"]

_BLOCK_TAGS = {"/P", "/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/Title", "/LI", "/TD", "/TH", "/Caption",
               "/BlockQuote", "/Note", "/TOCI"}
_SKIP_TAGS = {"/Figure", "/Artifact", "/Formula"}


class _Spans:
    """Collects one page's text by marked-content id (MCID): `BDC` opens one, `EMC` closes it."""

    ARTIFACT = -1  # on the stack: inside an /Artifact span (running heads, page numbers)

    def __init__(self) -> None:
        self.spans: dict[int, list[str]] = {}
        self.stack: list[int | None] = []
        self.last_y: dict[int, float] = {}
        self.first_y: dict[int, float] = {}
        self.untagged = 0  # letters of text neither tagged nor an artifact

    def before(self, op: bytes, args: Any, cm: Any, tm: Any) -> None:
        stack = self.stack
        outer = stack[-1] if stack else None
        if op == b"BDC" or op == b"BMC":
            tag = str(args[0]) if args else ""
            props = args[1] if op == b"BDC" and len(args) > 1 else None
            try:
                mcid = int(props["/MCID"]) if isinstance(props, dict) and "/MCID" in props else None
            except (TypeError, KeyError, ValueError):
                mcid = None
            if tag == "/Artifact" or outer == self.ARTIFACT:
                mcid = self.ARTIFACT
            stack.append(mcid if mcid is not None else outer)
        elif op == b"EMC" and stack:
            stack.pop()

    def text(self, t: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        mcid = self.stack[-1] if self.stack else None
        if mcid is None:
            self.untagged += sum(ch.isalnum() for ch in t)
            return
        if mcid == self.ARTIFACT or not t:
            return
        y = float(tm[5]) * float(cm[3]) + float(cm[5])
        lines = self.spans.setdefault(mcid, [])
        if not lines or (mcid in self.last_y and abs(y - self.last_y[mcid]) > 1.0):
            lines.append(t)
        else:
            lines[-1] += t
        self.first_y.setdefault(mcid, y)
        self.last_y[mcid] = y


Baselines = dict[int, tuple[float, float]]  # MCID -> the baselines of its first and last text


def _page_texts(
    reader: Any, progress: Callable[[int, int], None] | None
) -> tuple[list[dict[int, list[str]]], int, list[Baselines]]:
    """For each page: MCID -> its text lines (a new line where the baseline moves); the untagged letters; and
    for each page, each MCID's first and last baseline (to tell a piece that goes on the same line)."""
    out: list[dict[int, list[str]]] = []
    where: list[Baselines] = []
    untagged = 0
    total = len(reader.pages)
    for n, page in enumerate(reader.pages, start=1):
        spans = _Spans()
        page.extract_text(visitor_operand_before=spans.before, visitor_text=spans.text)
        out.append(spans.spans)
        where.append({m: (spans.first_y[m], spans.last_y[m]) for m in spans.first_y})
        untagged += spans.untagged
        if progress is not None:
            progress(n, total)
    return out, untagged, where


class _TreeTooLarge(Exception):
    """The structure tree loops or is far larger than its pages: read the pages instead."""


def _spend(budget: list[int]) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise _TreeTooLarge


def _walk(
    elem: Any, page: Any, depth: int, lists: int, budget: list[int]
) -> Iterator[tuple[str, Any, list[tuple[Any, int]], int]]:
    """(tag, element, [(page ref, mcid)...], list depth) for each block-level element, in order."""
    _spend(budget)
    elem = elem.get_object()
    tag = str(elem.get("/S", ""))
    if tag in _SKIP_TAGS or depth > 60:
        return
    page = elem.get("/Pg", page)
    if tag in _BLOCK_TAGS:
        yield tag, elem, list(_mcids(elem, page, 0, budget)), lists
        if tag == "/LI":  # a list inside an entry is a sub-list, read after the entry's own text
            for sub in _nested_lists(elem, 0, budget):
                yield from _walk(sub, page, depth + 1, lists, budget)
        return
    kids = elem.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, list) else [kids]:
        kid_obj = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid_obj, dict) and "/S" in kid_obj:
            yield from _walk(kid, page, depth + 1, lists + (tag == "/L"), budget)


def _mcids(elem: Any, page: Any, depth: int, budget: list[int]) -> Iterator[tuple[Any, int]]:
    _spend(budget)
    elem = elem.get_object() if hasattr(elem, "get_object") else elem
    if isinstance(elem, int):
        yield page, elem
        return
    if not isinstance(elem, dict) or depth > 60:
        return
    if str(elem.get("/S", "")) in _SKIP_TAGS or (depth and str(elem.get("/S", "")) == "/L"):
        return  # a nested list is not part of its entry's text
    page = elem.get("/Pg", page)
    if "/MCID" in elem:
        yield page, int(elem["/MCID"])
        return
    kids = elem.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, list) else [kids]:
        yield from _mcids(kid, page, depth + 1, budget)


def _nested_lists(elem: Any, depth: int, budget: list[int]) -> Iterator[Any]:
    _spend(budget)
    kids = elem.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        obj = kid.get_object() if hasattr(kid, "get_object") else kid
        if not isinstance(obj, dict) or "/S" not in obj or depth > 20:
            continue
        if str(obj["/S"]) == "/L":
            yield kid
        else:
            yield from _nested_lists(obj, depth + 1, budget)


def _join(lines: list[str], words: set[str]) -> str:
    return join_lines([c for c in (clean_text(x) for x in lines) if c], words)


_ENDED = re.compile(r"[.;:?!。][\"'”’)\]]*$")


def tagged_blocks(reader: Any, progress: Callable[[int, int], None] | None) -> tuple[list[Block], list[str]] | None:
    root = reader.trailer["/Root"]
    mark = root.get("/MarkInfo")
    if "/StructTreeRoot" not in root or mark is None or not mark.get_object().get("/Marked", False):
        return None
    page_numbers = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages) if p.indirect_reference}
    texts, untagged, baselines = _page_texts(reader, progress)
    words = vocabulary([ln for spans in texts for lines in spans.values() for ln in lines])
    blocks: list[Block] = []
    used = 0
    # each element is visited about once; a tree that shares or loops its elements runs out of budget
    budget = [50_000 + 200 * sum(len(spans) for spans in texts)]
    try:
        elements = list(_walk(root["/StructTreeRoot"], None, 0, 0, budget))
    except _TreeTooLarge:
        return None
    for tag, _elem, refs, lists in elements:
        found_lines: list[str] = []
        page_no = 0
        last: tuple[int, float] | None = None  # (page, baseline) where the previous piece ended
        for page, mcid in refs:
            idnum = getattr(page, "idnum", None)
            if idnum is None and page is not None and hasattr(page, "indirect_reference"):
                idnum = page.indirect_reference.idnum
            if idnum not in page_numbers:
                continue
            page_no = page_numbers[idnum]
            lines = texts[page_no].pop(mcid, [])
            if not lines:
                continue
            first_y, last_y = baselines[page_no].get(mcid, (0.0, 0.0))
            if found_lines and last is not None and last[0] == page_no and abs(last[1] - first_y) <= 1.0:
                # A piece that goes on along the same line ("Secur" "ity", "protec" "-" "tions"): one text,
                # as the page shows it, not two words.
                found_lines[-1] += lines[0]
                found_lines.extend(lines[1:])
            else:
                found_lines.extend(lines)
            last = (page_no, last_y)
        text = _join(found_lines, words)
        if not readable(text):
            continue
        used += sum(ch.isalnum() for ch in text)
        loc = f"page {page_no + 1}"
        if tag.startswith("/H") or tag == "/Title":
            level = int(tag[2]) if len(tag) == 3 and tag[2].isdigit() else 1
            key = "doc-title" if tag == "/Title" else f"h{level}"
            b = Block(text=text, loc=loc, kind="heading", level=level, heading_key=key)
            label = split_label(text)
            if label is not None:
                b.style, b.label, b.text, b.prefix = label
            blocks.append(b)
            continue
        if tag == "/LI":
            found = blocks_from_lines([(f"- {text}" if split_label(text) is None else text, loc)])
            for b in found:
                if b.kind == "bullet":
                    b.level = b.indent = min(max(0, lists - 1), MAX_NESTING)
            blocks.extend(found)
            continue
        blocks.extend(blocks_from_lines([(text, loc)]))
    # Text the tree does not reach (untagged, or marked but never referenced) would be lost: read the
    # pages instead when there is more than a trace of it.
    missed = untagged + sum(ch.isalnum() for spans in texts for lines in spans.values() for ln in lines for ch in ln)
    if used == 0 or missed > used * 0.02:
        return None
    return _merge_broken(blocks, words), []


def _merge_broken(blocks: list[Block], words: set[str]) -> list[Block]:
    """Some writers tag every line as its own /P: a sentence that goes on in lower case is one paragraph."""
    out: list[Block] = []
    pieces: list[list[str]] = []
    for b in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None and prev.kind in ("para", "bullet") and b.kind == "para" and not b.style
            and not b.heading_key and not _ENDED.search(pieces[-1][-1])
            and (b.text[:1].islower() or (b.loc != prev.loc and len(pieces[-1][-1].split()) > 6))
        ):
            # a sentence that goes on in lower case, or on the next page (a paragraph cut at a page end)
            pieces[-1].append(b.text)
            continue
        out.append(b)
        pieces.append([b.text])
    for b, parts in zip(out, pieces):
        if len(parts) > 1:
            b.text = join_lines(parts, words)
    return out
