"""A saved web page (.html) -> blocks, with the standard library's HTML parser.

Headings (h1-h6), paragraphs, list entries (ul/ol, nested, with the ol's
type and start), table cells; a paragraph opening in <strong>/<b> has a
bold lead-in, one in bold or <u> throughout is a heading. Scripts, styles,
navigation, forms and asides are skipped; when the page has a <main> or an
<article>, only that is read. The page's <title> (or its og:title) is the
document's title property. Text is taken as text: markup in it is never
interpreted later.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from briefbook.plan_import.blocks import MAX_NESTING, Block, Document, clean_text, readable, split_label
from briefbook.plan_import.text_reader import blocks_from_lines, is_caps

__all__ = ["read_html", "read_html_text"]

_SKIP = {"script", "style", "noscript", "template", "svg", "nav", "form", "button", "select", "aside", "iframe",
         "object", "canvas", "math"}
_BLOCK = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "blockquote", "dt", "dd", "pre",
          "section", "article", "main", "header", "footer", "figcaption", "caption", "ul", "ol", "table", "tr",
          "body", "address", "center"}
_OL_STYLES = {"1": "N.", "a": "a.", "A": "A.", "i": "i.", "I": "I."}
_ROMAN = ((100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(n: int) -> str:
    out = ""
    for v, s in _ROMAN:
        while n >= v:
            out, n = out + s, n - v
    return out


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[Block, bool]] = []  # (block, inside <main>/<article>)
        self.title = ""
        self.og_title = ""
        self.skip = 0
        self.in_title = False
        self.main = 0
        self.lists: list[list[object]] = []  # [tag, counter, type]
        self.li_blocks: list[int] = []  # blocks opened inside each open <li>
        self.parts: list[str] = []
        self.bold = 0
        self.under = 0
        self.lead = ""
        self.lead_open = True  # still in the bold run that opens the block
        self.all_bold = True
        self.all_under = True
        self.heading = 0
        self.pending_li: tuple[str, str, str, int] | None = None  # (kind/style, label, prefix, level)
        self.line = 1

    # -- tags -----------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and a.get("property") == "og:title":
            self.og_title = clean_text(a.get("content") or "")
        if tag in _SKIP:
            self.skip += 1
            return
        if tag == "title":
            self.in_title = True
            return
        if self.skip:
            return
        if tag in ("main", "article"):
            self.main += 1
        if tag in _BLOCK or tag == "br":
            self.flush()
        if tag in ("ul", "ol"):
            start = a.get("start") or "1"
            self.lists.append([tag, int(start) - 1 if start.isdigit() else 0, a.get("type") or "1"])
        elif tag == "li":
            self.li_blocks.append(0)
            level = min(max(0, len(self.lists) - 1), MAX_NESTING)
            if self.lists and self.lists[-1][0] == "ol":
                lst = self.lists[-1]
                lst[1] = int(str(lst[1])) + 1
                n, kind = int(str(lst[1])), str(lst[2])
                label = str(n) if kind == "1" else chr(ord("a") + n - 1) if kind == "a" else \
                    chr(ord("A") + n - 1) if kind == "A" else _roman(n) if kind == "i" else _roman(n).upper()
                self.pending_li = (_OL_STYLES.get(kind, "N."), label, f"{label}. ", level)
            else:
                self.pending_li = ("bullet", "", "", level)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading = int(tag[1])
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag == "u":
            self.under += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "title":
            self.in_title = False
            return
        if self.skip:
            return
        if tag in _BLOCK:
            self.flush()
        if tag in ("main", "article"):
            self.main = max(0, self.main - 1)
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "li" and self.li_blocks:
            self.li_blocks.pop()
            self.pending_li = None
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading = 0
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag == "u":
            self.under = max(0, self.under - 1)

    def handle_data(self, data: str) -> None:
        self.line = self.getpos()[0]
        if self.in_title:
            self.title += data
            return
        if self.skip or not data:
            return
        if data.strip():
            bold = self.bold > 0
            if not bold:
                self.all_bold = False
                self.lead_open = False
            elif self.lead_open:
                self.lead += data
            if not self.under:
                self.all_under = False
        elif self.lead_open and self.lead:
            self.lead += data  # the space between two bold runs ("FURTHER" "REAFFIRM") stays
        self.parts.append(data)

    # -- blocks -----------------------------------------------------------------------

    def flush(self) -> None:
        text = clean_text("".join(self.parts))
        lead = clean_text(self.lead)
        all_bold, all_under = self.all_bold, self.all_under
        self.parts, self.lead, self.lead_open, self.all_bold, self.all_under = [], "", True, True, True
        if not readable(text):
            return
        loc = f"line {self.line}"
        if self.heading:
            b = Block(text=text, loc=loc, kind="heading", level=self.heading, heading_key=f"h{self.heading}")
            typed = split_label(text)
            if typed is not None:
                b.style, b.label, b.text, b.prefix = typed
            self._add(b)
            return
        if self.pending_li is not None and self.li_blocks and self.li_blocks[-1] == 0:
            kind, label, prefix, level = self.pending_li
            b = Block(text=text, loc=loc, level=level, indent=level)
            if kind == "bullet":
                b.kind = "bullet"
                typed = split_label(text)
                if typed is not None:
                    b.style, b.label, b.text, b.prefix = typed
            else:
                b.style, b.label, b.prefix = kind, label, prefix
        else:
            found = blocks_from_lines([(text, loc)])
            if not found:
                return
            b = found[0]
            if self.li_blocks:  # a paragraph inside a list entry belongs to it
                b.indent = min(len(self.lists), MAX_NESTING + 1)
            if b.kind == "para" and not b.style and len(text.split()) <= 20 and (all_bold or all_under) \
                    and not text.endswith(":"):
                b.kind, b.heading_key = "heading", "bold" if all_bold else "underline"
            elif b.kind == "para" and not b.style and is_caps(text):
                b.kind, b.heading_key = "heading", "caps"
        if lead and not all_bold and b.kind != "heading":
            b.lead = lead.rstrip(" :")
        self._add(b)

    def _add(self, b: Block) -> None:
        if self.li_blocks:
            self.li_blocks[-1] += 1
        self.blocks.append((b, self.main > 0))


def read_html_text(text: str) -> Document:
    page = _Page()
    page.feed(text)
    page.close()
    page.flush()
    inside = [b for b, in_main in page.blocks if in_main]
    blocks = inside or [b for b, _ in page.blocks]
    title = clean_text(page.og_title or page.title)
    return Document(blocks, "html", meta_title=title)


def read_html(path: Path, text: str) -> Document:
    del path
    return read_html_text(text)
