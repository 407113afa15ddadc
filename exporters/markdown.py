"""Notes are Markdown; this turns them into a small neutral representation.

markdown-it-py parses; the renderers (PDF, DOCX, and the window's note view
in briefbook/gui/notes/markdown_view.py) only ever see `Para`, `BulletList`
(with task boxes) and `Table` blocks made of `Span`s (bold, italic, struck
through, code, links), so all three agree on what a note says.
Raw HTML is never interpreted: it stays literal text. Images become
their alt text (nothing is ever loaded), and a link keeps its target only if
it is a web or mail address.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from exporters.text import clean

if TYPE_CHECKING:  # imported on the first note that looks like Markdown (most books have few)
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


class Span(NamedTuple):
    """A run of text with one look."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None
    strike: bool = False


class Para(NamedTuple):
    spans: tuple[Span, ...]
    heading: bool = False  # a heading ("## Costs"): printed bold, never the last line of a page


class BulletList(NamedTuple):
    """A list; each item is a sequence of blocks (paragraphs, nested lists)."""

    items: tuple[tuple[Block, ...], ...]
    ordered: bool = False
    start: int = 1
    #: A task list: per item True (done), False (to do) or None (not a task).
    tasks: tuple[bool | None, ...] = ()

    def task(self, index: int) -> bool | None:
        return self.tasks[index] if index < len(self.tasks) else None


Cell = tuple["Span", ...]


class Table(NamedTuple):
    """A Markdown (GFM) table: a header row, body rows, and each column's alignment."""

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    align: tuple[str, ...]  # "left", "center" or "right" per column


Block = Para | BulletList | Table

#: How a task's box prints (the same in the window and both formats).
TASK_MARKS = {False: "☐", True: "☑"}

_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_BARE_URL = re.compile(r"https?://[^\s<>\"'\]\[)]+[^\s<>\"'\]\[).,;:!?]")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "html": False keeps raw HTML as text; no typographer and no entities ("&amp;"
    # stays "&amp;"): a note shows what was typed, only bold, italic, lists and links act.
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("entity")
    md.enable(["table", "strikethrough"])  # what the window's note editor offers (GFM)
    return md


def safe_href(url: str) -> str | None:
    """The URL if a reader may follow it (web or mail), else None."""
    u = url.strip()
    return u if u.lower().startswith(_SAFE_SCHEMES) else None


def plain_blocks(text: str) -> tuple[Block, ...]:
    """Text that is not Markdown (a commitment's text): one paragraph per blank-line block."""
    out: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        chunk = " ".join(chunk.split())
        if chunk:
            out.append(Para(tuple(_link_bare_urls(Span(chunk)))))
    return tuple(out)


def prose_blocks(text: str) -> tuple[Block, ...]:
    """A note in plain prose: one paragraph per blank-line block, and each line typed
    on its own kept on its own line (a single newline is a line break in a note)."""
    out: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = (" ".join(line.split()) for line in chunk.split("\n"))
        joined = "\n".join(line for line in lines if line)
        if joined:
            out.append(Para(tuple(_link_bare_urls(Span(joined)))))
    return tuple(out)


def parse_markdown(text: str) -> tuple[Block, ...]:
    """Blocks of a Markdown note. Never raises for what a user typed.

    A single newline is a line break, as people expect of a notes field (and as
    GitHub comments have it), not the space CommonMark makes of it: a Japanese
    line and its Italian translation typed one under the other stay so."""
    if not text.strip():
        return ()
    if not _looks_like_markdown(text):
        # Most notes are plain prose: skip the parser (a 2,000-commitment book has 6,000 notes).
        return prose_blocks(text)
    tokens = _parser().parse(text)
    blocks, _ = _blocks(tokens, 0, None)
    return tuple(blocks)


def note_blocks(text: str | None) -> tuple[Block, ...]:
    """The blocks of a note (or meeting points) as a pack prints them and the window shows them."""
    return parse_markdown(clean(text))


def plain_text(blocks: tuple[Block, ...]) -> str:
    """The text of blocks without marks (one line a paragraph or list item)."""
    lines: list[str] = []

    def walk(bs: tuple[Block, ...], prefix: str) -> None:
        for b in bs:
            if isinstance(b, Para):
                lines.append(prefix + "".join(s.text for s in b.spans))
            elif isinstance(b, Table):
                for row in (b.header, *b.rows):
                    lines.append(prefix + " | ".join("".join(s.text for s in cell) for cell in row))
            else:
                for i, item in enumerate(b.items):
                    task = b.task(i)
                    walk(item, prefix + "• " + (TASK_MARKS[task] + " " if task is not None else ""))

    walk(blocks, "")
    return "\n".join(lines)


_MARKDOWN_HINT = re.compile(r"[*_`\[\]<>#!\\&|~]|^\s*(?:[-+>]|\d+[.)])\s|^ {4}|^\s*[-=]{3,}\s*$", re.M)


def _looks_like_markdown(text: str) -> bool:
    return _MARKDOWN_HINT.search(text) is not None


def _blocks(tokens: list[Token], i: int, close: str | None) -> tuple[list[Block], int]:
    """Blocks from tokens[i:] up to the token of type `close`; returns them and the next index."""
    out: list[Block] = []
    while i < len(tokens):
        t = tokens[i]
        if close is not None and t.type == close:
            return out, i + 1
        if t.type in ("paragraph_open", "heading_open"):
            inline = tokens[i + 1]
            spans = _inline(inline.children or [], bold=t.type == "heading_open")
            if spans:
                out.append(Para(tuple(spans), heading=t.type == "heading_open"))
            i += 3
        elif t.type in ("bullet_list_open", "ordered_list_open"):
            ordered = t.type == "ordered_list_open"
            start = int(t.attrGet("start") or 1) if ordered else 1
            end = "ordered_list_close" if ordered else "bullet_list_close"
            items: list[tuple[Block, ...]] = []
            tasks: list[bool | None] = []
            i += 1
            while i < len(tokens) and tokens[i].type != end:
                if tokens[i].type == "list_item_open":
                    item, i = _blocks(tokens, i + 1, "list_item_close")
                    task, item = _task(item)
                    items.append(tuple(item))
                    tasks.append(task)
                else:
                    i += 1
            is_tasks = any(t is not None for t in tasks)
            out.append(BulletList(tuple(items), ordered, start, tuple(tasks) if is_tasks else ()))
            i += 1
        elif t.type == "table_open":
            table, i = _table(tokens, i + 1)
            out.append(table)
        elif t.type in ("code_block", "fence", "html_block"):
            for line in t.content.rstrip("\n").split("\n"):
                out.append(Para((Span(line, code=t.type != "html_block"),)))
            i += 1
        elif t.type == "blockquote_open":
            inner, i = _blocks(tokens, i + 1, "blockquote_close")
            out.extend(_italicise(b) for b in inner)
        else:  # hr, stray closers
            i += 1
    return out, i


_TASK = r"\[([ xX])\]\s+"  # compiled by `re` on first use


def _task(item: list[Block]) -> tuple[bool | None, list[Block]]:
    """A list item starting "[ ] " or "[x] " is a task: whether it is done, and the item without its box."""
    if not item or not isinstance(item[0], Para) or not item[0].spans:
        return None, item
    first = item[0].spans[0]
    m = re.match(_TASK, first.text) if not first.code else None
    if m is None:
        return None, item
    rest = Span(first.text[m.end():], first.bold, first.italic, first.code, first.href, first.strike)
    spans = ((rest,) if rest.text else ()) + item[0].spans[1:]
    return m.group(1) != " ", [Para(spans), *item[1:]]


def _table(tokens: list[Token], i: int) -> tuple[Table, int]:
    """A table from the tokens after table_open; returns it and the index after table_close."""
    header: list[Cell] = []
    rows: list[tuple[Cell, ...]] = []
    align: list[str] = []
    row: list[Cell] = []
    in_head = False
    while i < len(tokens) and tokens[i].type != "table_close":
        t = tokens[i]
        if t.type == "thead_open":
            in_head = True
        elif t.type == "thead_close":
            in_head = False
        elif t.type == "tr_open":
            row = []
        elif t.type == "tr_close":
            if in_head:
                header = row
            else:
                rows.append(tuple(row))
        elif t.type in ("th_open", "td_open"):
            if in_head:
                style = str(t.attrGet("style") or "")
                align.append(style.removeprefix("text-align:") or "left")
            inline = tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1].type == "inline" else None
            row.append(tuple(_inline(inline.children or [])) if inline is not None else ())
        i += 1
    width = len(header)
    body = tuple(tuple(r[:width]) + ((),) * (width - len(r)) for r in rows)
    return Table(tuple(header), body, tuple(align[:width])), i + 1


def _italicise(block: Block) -> Block:
    if isinstance(block, Para):
        return Para(tuple(Span(s.text, s.bold, True, s.code, s.href, s.strike) for s in block.spans))
    return block


def _inline(children: list[Token], bold: bool = False) -> list[Span]:
    spans: list[Span] = []
    strong = 1 if bold else 0
    em = 0
    strike = 0
    href: list[str | None] = []

    def add(text: str, code: bool = False) -> None:
        if not text:
            return
        link = href[-1] if href else None
        span = Span(text, strong > 0, em > 0, code, link, strike > 0)
        if link is None and not code:
            spans.extend(_link_bare_urls(span))
        else:
            spans.append(span)

    for t in children:
        kind = t.type
        if kind == "text" or kind == "html_inline":
            add(t.content)
        elif kind == "code_inline":
            add(t.content, code=True)
        elif kind in ("softbreak", "hardbreak"):
            add("\n")  # a single newline breaks the line (see parse_markdown)
        elif kind == "strong_open":
            strong += 1
        elif kind == "strong_close":
            strong -= 1
        elif kind == "em_open":
            em += 1
        elif kind == "em_close":
            em -= 1
        elif kind == "s_open":
            strike += 1
        elif kind == "s_close":
            strike -= 1
        elif kind == "link_open":
            href.append(safe_href(str(t.attrGet("href") or "")))
        elif kind == "link_close":
            if href:
                href.pop()
        elif kind == "image":
            # Never load an image named in a note: show what it is called.
            add(t.content or "".join(c.content for c in (t.children or [])))
    return _merge(spans)


def _link_bare_urls(span: Span) -> list[Span]:
    text = span.text
    if "http" not in text:
        return [span]
    out: list[Span] = []
    pos = 0
    for m in _BARE_URL.finditer(text):
        if m.start() > pos:
            out.append(Span(text[pos : m.start()], span.bold, span.italic, strike=span.strike))
        out.append(Span(m.group(), span.bold, span.italic, False, m.group(), span.strike))
        pos = m.end()
    if pos < len(text):
        out.append(Span(text[pos:], span.bold, span.italic, strike=span.strike))
    return out


def _merge(spans: list[Span]) -> list[Span]:
    """Join neighbours with the same look (fewer runs in both formats)."""
    out: list[Span] = []
    for s in spans:
        if out:
            p = out[-1]
            if (p.bold, p.italic, p.code, p.href, p.strike) == (s.bold, s.italic, s.code, s.href, s.strike):
                out[-1] = Span(p.text + s.text, p.bold, p.italic, p.code, p.href, p.strike)
                continue
        out.append(s)
    return out
