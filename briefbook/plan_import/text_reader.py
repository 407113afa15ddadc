"""Plain text and Markdown (also the text of a PDF) -> blocks.

Lines are joined back into paragraphs: a line continues the paragraph above
it unless it opens a heading, a bullet or a numbered entry, or the line above
ended a paragraph (a sentence end on a short line, or a short title-like
line). Across a blank line, a sentence that did not end continues when the
next line starts in lower case (a page break in a converted PDF). Words
hyphenated across a line end are joined ("imple-" + "mentation").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise

from briefbook.plan_import.blocks import MAX_NESTING, Block, clean_text, code_heading, readable, split_label
from briefbook.plan_import.dates import parse_date

__all__ = ["blocks_from_lines", "blocks_from_text", "hyphen_join", "is_caps", "join_lines", "vocabulary"]

_HEADING_RE = re.compile(r"^(#{1,6})(?:\s+|$)")
# ASCII glyphs need a space after them so "-5%" or ">=" stay text.
# Word's Symbol/Wingdings bullets come out of PDFs in the private use area; "o" is Word's second-level bullet.
_BULLET_RE = re.compile(
    r"^(?:(?:[-*>–—+−](?=\s)|o(?=\s+[A-Z])|[•➤▪◦‣●○◯◎■□►▶▸▹➢➔→✓✔·・※◆◇\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf06e])\s*)+"
)
_ODD_GLYPH_RE = re.compile(r"^[\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff](?=\s)")
_GLYPH_FAMILY = {**dict.fromkeys("-–—−", "-"), **dict.fromkeys("*+", "*"), **dict.fromkeys("•●·・\uf0b7", "•")}
_SUB_GLYPHS = frozenset("o◦○◯▪▸▹\uf0a7")  # a level below the plain bullet, where indentation is lost
_BOLD_LEAD_RE = re.compile(r"^(\*\*|__)(?=\S)(.+?)(?<=\S)\1(?:\s+|$)")
_ENDS_SENTENCE = re.compile(r"[.;:?!。．][\"'”’)\]]*$")
_HYPHEN_END = re.compile(r"(\w+)-$")


def is_caps(text: str) -> bool:
    """An ALL-CAPS heading: at least three letters, none of them lower case, not too long."""
    if text.upper() != text or text.count(" ") > 40 or len(text.split()) > 16:
        return False  # a lower-case letter, or too long: the common case, decided at once
    if len(text.split()) < 3 and text.rstrip(")]\"'”’").endswith((".", ",", ";")):
        return False  # "(UAE)." ends a sentence wrapped onto its own line
    cased = [c for c in text if c.isupper()]
    return len(cased) >= 3


def _starts_upper(text: str) -> bool:
    """Starts with a capital, after any opening quotes or brackets."""
    bare = text.lstrip("\"'“‘«([")
    return bare[:1].isupper()


def _title_case(text: str) -> bool:
    words = [w for w in text.split() if w[:1].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) * 2 >= len(words)


def _strip_asterisks(text: str) -> str:
    if "*" not in text:
        return text.strip()
    return re.sub(r"(?<=\w)\*+(?=\w)", " ", text).replace("*", "").strip()


@dataclass
class _Line:
    loc: str
    indent: int
    body: str  # cleaned
    kind: str  # "heading" | "bullet" | "para"
    level: int
    cont_col: int
    heading_key: str = ""
    lead: str = ""
    label: tuple[str, str, str, str] | None = None
    glyph: str = ""
    y: float | None = None  # baseline on the page, when the reader knows it (PDF)
    size: float = 0.0  # font size, when known

    @property
    def starts_block(self) -> bool:
        return self.kind != "para" or self.label is not None or bool(self.heading_key) or bool(self.lead)


def _classify(raw: str, loc: str) -> _Line | None:
    line = raw.expandtabs(4).rstrip()
    stripped = line.lstrip(" \u00a0\u3000")
    indent = len(line) - len(stripped)
    # a bullet glyph a PDF's font encoding turned into a control or private-use character
    stripped = _ODD_GLYPH_RE.sub("•", stripped)
    body = clean_text(stripped)
    if not readable(body):
        return None  # blank lines, rules, a lone "###" end mark
    kind, level, key, cont, glyph = "para", 0, "", indent, ""
    m = _HEADING_RE.match(body)
    if m is not None:
        kind, level, key = "heading", len(m.group(1)), f"h{len(m.group(1))}"
        body = body[m.end() :].rstrip("#").strip()
    else:
        b = _BULLET_RE.match(body)
        end = b.end() if b is not None else _symbol_glyph(body)
        if end:
            kind, level, cont = "bullet", min(indent // 2, MAX_NESTING), indent + end
            glyph = _GLYPH_FAMILY.get(body[0], body[0])
            if body[0] in _SUB_GLYPHS and indent == 0:
                level = 1
            rest = body[end:]
            heading_inside = _HEADING_RE.match(rest)
            if heading_inside is not None:  # "- ### Title": a list entry that holds a heading is a titled entry
                rest = rest[heading_inside.end() :].rstrip("#").strip()
            if not rest.strip():
                # only glyphs: "- ✔" is an entry holding a symbol (kept); a lone "•" is nothing to read
                rest = body[1:].strip()
                if not readable(rest):
                    return None
            body = rest
    lead = ""
    bold = _BOLD_LEAD_RE.match(body)
    if bold is not None:
        rest = body[bold.end() :].strip()
        if rest:
            lead = _strip_asterisks(bold.group(2))
        elif kind == "para" and not bold.group(2).rstrip().endswith(":"):
            key = "bold"  # (a bold line ending in ":" introduces a list: it is a lead-in, not a heading)
    body = _strip_asterisks(body)
    if not readable(body):
        return None
    label = split_label(body)
    if kind == "para" and not key and label is None and is_caps(body):
        key = "caps"
    elif kind == "para" and not key and label is None and not lead and code_heading(body):
        key = "code"
    if kind == "para" and key:
        kind = "heading"
    return _Line(loc, indent, body, kind, level, cont, key, lead, label, glyph)


def _symbol_glyph(body: str) -> int:
    """Where the text starts after an emoji or symbol used as a bullet ("🔹 Text", "✅ Done"): 0 if none."""
    if len(body) < 3 or body[0].isascii() or unicodedata.category(body[0]) != "So":
        return 0
    at = 1
    while at < len(body) and (body[at] == "\ufe0f" or unicodedata.category(body[at]) in ("Sk", "Mn")):
        at += 1  # a variation selector or a skin tone belongs to the glyph
    if at >= len(body) or body[at] != " " or not any(ch.isalnum() for ch in body[at:]):
        return 0
    return at + 1


def hyphen_join(head: str, tail: str, words: set[str]) -> str:
    """How a line goes on after `head`: " " (a space), "-" (a real hyphen: keep it) or "" (drop the hyphen)."""
    m = _HYPHEN_END.search(head[-60:]) if head.endswith("-") else None
    if m is None or not tail[:1].islower():
        return " "
    first = m.group(1).lower()
    second = re.match(r"\w+", tail)
    rest = second.group(0).lower() if second else ""
    keep = f"{first}-{rest}" in words or (
        first in words and rest in words and f"{first}{rest}" not in words and len(first) > 2
    )
    return "-" if keep else ""


def join_lines(lines: list[str], words: set[str]) -> str:
    """Lines joined into one paragraph, words broken at a line end made whole (linear in the length)."""
    pieces: list[str] = []
    for line in lines:
        if not pieces:
            pieces.append(line)
            continue
        how = hyphen_join(pieces[-1], line, words)
        if how == " ":
            pieces.append(" " + line)
        else:
            if how == "":
                pieces[-1] = pieces[-1][:-1]
            pieces.append(line)
    return "".join(pieces)


def vocabulary(lines: list[str]) -> set[str]:
    """The words of a text, for telling a hyphenated word from one broken at a line end.

    The two pieces of a word broken at a line end are not evidence of themselves ("con-" / "nected").
    """
    words: set[str] = set()
    if not any(ln.endswith("-") for ln in lines):
        return words  # nothing broken at a line end: nothing to decide
    for ln in lines:
        words.update(re.findall(r"\w+(?:-\w+)*", ln.lower()))
    for ln, nxt in zip(lines, [*lines[1:], ""]):
        m = _HYPHEN_END.search(ln) if ln.endswith("-") else None
        if m is not None:
            words.discard(m.group(1).lower())
            first = re.match(r"\w+", nxt.strip())
            if first is not None:
                words.discard(first.group(0).lower())
    return words


def blocks_from_lines(
    pairs: Iterable[tuple[str, str]], page_text: bool = False,
    layout: list[tuple[float, float] | None] | None = None, nested_lists_need_blank: bool = False,
) -> list[Block]:
    """Blocks from (line, location) pairs; `page_text`: lines as a PDF's pages give them (no blank lines);
    `layout`: for each pair, the line's baseline and font size on its page, when known;
    `nested_lists_need_blank`: a "-" line indented under a list entry's text, without a blank line before
    it, goes on with that text (reStructuredText's rule)."""
    items: list[_Line | None] = [_classify(raw, loc) for raw, loc in pairs]
    if layout is not None and len(layout) == len(items):
        for item, meta in zip(items, layout):
            if item is not None and meta is not None:
                item.y, item.size = meta
    lines = [ln for ln in items if ln is not None]
    gap_of = _layout(lines)
    if not page_text:  # where indentation shows the levels, a list may mix its glyphs
        for ln in lines:
            ln.glyph = ""
    if not lines:
        return []
    lengths = sorted(len(ln.body) for ln in lines if ln.kind == "para")
    median = lengths[len(lengths) // 2] if lengths else 0
    p90 = lengths[len(lengths) * 9 // 10] if lengths else 0
    # one paragraph a line (a web page's text): a line is a paragraph, unless a sentence plainly goes on
    per_line = p90 > 130 and not page_text
    wrapped = (median >= 45 or page_text) and not per_line  # lines broken at a width (a PDF's, an e-mail's)
    if page_text:  # a line shorter than the page's full lines ends its paragraph
        median = max(lengths[len(lengths) * 4 // 5] if lengths else 0, 40)
    full = max(lengths[len(lengths) * 19 // 20] if lengths else 0, 40)

    def would_fit(line: str, nxt: str) -> bool:
        """The next line's first word would have fitted on this one: the typesetter ended a paragraph here."""
        first = nxt.split(" ", 1)[0]
        return len(line) + 1 + len(first) < full * 0.9
    words = vocabulary([ln.body for ln in lines])

    blocks: list[Block] = []
    cur: Block | None = None
    cur_line: _Line | None = None  # the last line joined into `cur`
    cur_col = 0
    cur_count = 0
    parts: list[str] = []  # the pieces of `cur.text` while lines are joined
    blank = True
    for item in items:
        if item is None:
            blank = True
            continue
        ln = item
        join = False
        spacing = gap_of(cur_line, ln) if cur_line is not None and not blank else None
        inside = (cur is not None and cur_line is not None and not blank and cur.kind == "bullet"
                  and cur_col > 0 and ln.indent >= cur_col and not page_text)
        if inside and ln.kind == "heading" and not ln.heading_key.startswith("h"):
            join = True  # a bold or capitals line indented under a list entry's text is more of that text
            ln.lead = ""
        elif inside and nested_lists_need_blank and ln.kind == "bullet":
            join = True
            ln.body = f"{ln.glyph or '-'} {ln.body}"  # the mark was text
        elif cur is None or spacing == "break":
            pass  # the page's own spacing: a wider gap, another font size or another column starts a paragraph
        elif spacing == "same" and cur.kind == "heading" and ln.kind == "heading" and not ln.label:
            join = True  # a heading wrapped over two lines
        elif cur is not None and cur_line is not None and not ln.starts_block and cur.kind != "heading":
            prev = cur_line.body
            ended = bool(_ENDS_SENTENCE.search(prev))
            if per_line:
                join = not ended and ln.body[:1].islower()
            elif not blank and page_text:
                ended_short = would_fit(prev, ln.body)
                heading_next = ended and len(ln.body) < median * 0.7 and _starts_upper(ln.body) \
                    and not _ENDS_SENTENCE.search(ln.body) and _title_case(ln.body)
                join = (not ended_short or ln.body[:1].islower()) and not heading_next
            elif not blank:
                short = wrapped and len(prev) < median * 0.7
                title_like = short and not ended and cur_count == 1 and (
                    _starts_upper(ln.body) or (bool(cur.style or cur.heading_key) and _title_case(prev)))
                # after a finished sentence, a short title-case line is a heading, not the sentence's tail
                heading_next = wrapped and ended and len(ln.body) < median * 0.7 and _starts_upper(ln.body) \
                    and not _ENDS_SENTENCE.search(ln.body) and _title_case(ln.body)
                join = not (short and ended) and not title_like and not heading_next
                if cur.kind == "bullet" and ended and ln.indent < cur_col and not wrapped:
                    join = False  # a finished bullet, and a line not indented under it: a new paragraph
            else:
                join = not ended and ln.body[:1].islower()
        elif cur is not None and cur.kind == "heading" and not blank and ln.kind == "heading":
            join = ln.heading_key == cur.heading_key == "caps"  # a caps title broken over two lines
        elif cur is not None and cur.heading_key == "code" and not blank and ln.kind == "para" \
                and not ln.starts_block and ln.body[:1].islower() and cur_count < 3:
            join = True  # a coded heading wrapped onto the next line
        if join and cur is not None:
            parts.append(ln.body)  # joined when the paragraph ends (linear however long it is)
            cur_line = ln
            cur_count += 1
        else:
            if cur is not None:
                cur.text = join_lines(parts, words)
            cur = _block(ln)
            parts = [cur.text]
            blocks.append(cur)
            cur_line, cur_count = ln, 1
            cur_col = ln.cont_col
        blank = False
    if cur is not None:
        cur.text = join_lines(parts, words)
    return blocks


def _layout(lines: list[_Line]) -> Callable[[_Line, _Line], str | None]:
    """Marks the lines set larger than the body text as headings; returns how two lines are spaced:
    "same" (one paragraph), "break" (a wider gap, another size, another column), None (unknown)."""
    placed = [ln for ln in lines if ln.y is not None and ln.size > 0]
    if len(placed) < 2:
        return lambda a, b: None
    weights: Counter[float] = Counter()
    for ln in placed:
        weights[round(ln.size, 1)] += len(ln.body)
    body = weights.most_common(1)[0][0]
    at = [(ln.y or 0.0, ln.size) for ln in placed]
    gaps = sorted(ya - yb for (ya, sa), (yb, sb) in pairwise(at)
                  if abs(sa - body) < 0.5 and abs(sb - body) < 0.5 and 0 < ya - yb < body * 3)
    line_gap = gaps[len(gaps) // 2] if gaps else body * 1.2
    for ln in placed:
        if ln.size > body * 1.12 and ln.kind == "para" and len(ln.body) <= 200 and not ln.lead \
                and parse_date(ln.body) is None:
            ln.kind, ln.heading_key = "heading", ln.heading_key or f"size{round(ln.size)}"

    def spacing(a: _Line, b: _Line) -> str | None:
        if a.y is None or b.y is None or not a.size or not b.size:
            return None
        if abs(a.size - b.size) > 0.08 * max(a.size, b.size):
            return "break"
        gap = a.y - b.y
        return "same" if 0 < gap <= line_gap * 1.3 * max(a.size, b.size) / body else "break"

    return spacing


def _block(ln: _Line) -> Block:
    b = Block(text=ln.body, loc=ln.loc, kind=ln.kind, level=ln.level, heading_key=ln.heading_key,
              lead=ln.lead, indent=min(ln.indent // 2, MAX_NESTING + 1), glyph=ln.glyph)
    if ln.label is not None:
        b.style, b.label, b.text, b.prefix = ln.label
    return b


_FRONT_MATTER_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")


def front_matter(text: str) -> tuple[str, dict[str, str]]:
    """YAML front matter ("---" lines around "title: ...") is the document's metadata, not its text: the text
    with those lines blanked (line numbers stay), and its simple "key: value" pairs."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return text, {}
    end = next((i for i, ln in enumerate(lines[1:200], start=1) if ln.strip() in ("---", "...")), None)
    if end is None:
        return text, {}
    meta: dict[str, str] = {}
    body = lines[1:end]
    i = 0
    while i < len(body):
        m = _FRONT_MATTER_KEY.match(body[i])
        i += 1
        if m is None:
            continue
        value = m.group(2).strip()
        if value.startswith('"'):
            # a double-quoted scalar may go on over indented lines ("...GLOBAL\" / "  \ PARTNERSHIP")
            while (not value.endswith('"') or value.endswith('\\"') or len(value) == 1) and i < len(body) \
                    and body[i][:1] in (" ", "\t"):
                value = value[:-1] if value.endswith("\\") else value + " "
                value += body[i].strip()
                i += 1
            value = _yaml_unescape(value[1:-1] if value.endswith('"') and len(value) > 1 else value[1:])
        elif value.startswith("'"):
            value = value[1:-1].replace("''", "'") if value.endswith("'") else value[1:]
        meta[m.group(1).lower()] = clean_text(value)
    return "\n" * (end + 1) + "\n".join(lines[end + 1 :]), meta


_YAML_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
                 "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
                 "L": "\u2028", "P": "\u2029"}
_YAML_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")


def _yaml_unescape(text: str) -> str:
    """A YAML double-quoted scalar's escapes ("\\u2019", "\\_" a no-break space) as the characters they are."""

    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        if len(code) > 1:
            try:
                return chr(int(code[1:], 16))
            except (ValueError, OverflowError):
                return m.group(0)
        return _YAML_ESCAPES.get(code, m.group(0))

    return _YAML_ESCAPE.sub(one, text) if "\\" in text else text


_MD_IMAGE = re.compile(r"!\[([^\]\n]{0,300})\]\([^)\s]{0,2000}(?:\s+\"[^\"]{0,300}\")?\)")
_MD_LINK = re.compile(r"\[([^\]\n]{1,500})\]\((?:[^)\s]{0,2000})(?:\s+\"[^\"]{0,300}\")?\)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
_MD_ATTRS = re.compile(r"\{:[^}\n]{0,200}\}")
_MD_TAGS = re.compile(r"</?(?:span|br|u|b|i|em|strong|a|sup|sub|small|mark|font|div|p)\b[^<>\n]{0,300}>",
                      re.IGNORECASE)


def markdown_inline(line: str) -> str:
    """A Markdown line as a reader sees it: links and images by their text, attribute lists and inline
    formatting tags gone (the text stays text: nothing is interpreted)."""
    if "[" in line:
        line = _MD_IMAGE.sub(r"\1", line)
        line = _MD_LINK.sub(r"\1", line)
    if "{:" in line:
        line = _MD_ATTRS.sub("", line)
    if "<" in line:
        line = _MD_TAGS.sub("", line)
    if "\\" in line:
        line = _MD_ESCAPE.sub(r"\1", line)  # "2\." is Markdown for a "2." that is not a list
    return line


_ADORNMENT = re.compile(r"^([=\-~^\"'*+#:._`])\1{2,}\s*$")
_RST_LINK = re.compile(r"`([^`<\n]{1,300}?)\s*<[^>\n]{0,2000}>`__?")
_RST_ROLE = re.compile(r":[\w-]+:`([^`\n]{1,300})`")
_RST_PLAIN = re.compile(r"`([^`\n]{1,300})`_{0,2}")
_RST_FOOTNOTE = re.compile(r"\s?\[(?:[0-9]+|#\w*|\*)\]_")
_RST_DIRECTIVE = re.compile(r"^\s*\.\.\s+(?:[\w-]+::|_[\w-]+:|\|)")
_RST_OPTION = re.compile(r"^\s+:[\w-]+:(?:\s|$)")


def underlined_headings(lines: list[str]) -> list[str]:
    """Headings marked by the line under them (and maybe over them), as reStructuredText and Markdown's
    setext write them ("Title" over "=====") -> "# Title" lines, one "#" per level in the order the marks
    first appear (reStructuredText's rule); the marks become blank lines, so line numbers stay."""
    out = list(lines)
    levels: list[str] = []
    for i in range(1, len(lines)):
        m = _ADORNMENT.match(lines[i])
        title = lines[i - 1].strip()
        if m is None or not title or _ADORNMENT.match(lines[i - 1]) or len(title) > 150:
            continue
        if len(lines[i].strip()) < min(len(title), 3) or _BULLET_RE.match(title) or out[i - 1].startswith("#"):
            continue
        over = i >= 2 and lines[i - 2].strip() == lines[i].strip()
        if i >= 2 and lines[i - 2].strip() and not over and not (i >= 3 and _ADORNMENT.match(lines[i - 2])):
            continue  # the last line of a paragraph, then a rule: not a heading
        key = ("over" if over else "") + m.group(1)
        if key not in levels:
            levels.append(key)
        out[i - 1] = "#" * min(levels.index(key) + 1, 6) + " " + title
        out[i] = ""
        if over:
            out[i - 2] = ""
    return out


def _wrapped_bold(lines: list[str]) -> list[str]:
    """A bold line wrapped over two ("**OB.2.1 - Share the data" / "of the administrations**"): one line, so
    it reads as the one bold heading it is (the second line left blank: line numbers stay)."""
    out = list(lines)
    for i in range(len(out) - 1):
        a, b = out[i].strip(), out[i + 1].strip()
        for mark in ("**", "__"):
            if a.startswith(mark) and a.count(mark) % 2 == 1 and b.endswith(mark) and b.count(mark) % 2 == 1 \
                    and len(a) + len(b) < 300:
                out[i], out[i + 1] = f"{out[i].rstrip()} {b}", ""
                break
    return out


def rst_inline(line: str) -> str:
    """A reStructuredText line as a reader sees it: links and roles by their text, footnote marks and
    directives ("..  figure::", their ":width:" options) gone."""
    if _RST_DIRECTIVE.match(line) or _RST_OPTION.match(line):
        return ""
    if "`" in line:
        line = _RST_LINK.sub(r"\1", line)
        line = _RST_ROLE.sub(r"\1", line)
        line = _RST_PLAIN.sub(r"\1", line)
    if "]_" in line:
        line = _RST_FOOTNOTE.sub("", line)
    return line


_UNDERLINED = re.compile(
    r"^[ \t]*(?:\*\*)?<(?:u|span\b[^>\n]{0,200}underline[^>\n]{0,200})>([^<]{1,400}?)</(?:u|span)>(?:\*\*)?[ \t]*$",
    re.MULTILINE | re.IGNORECASE)


def _underlined_to_bold(text: str) -> str:
    """A line underlined with HTML (converters write a heading as `<u>…</u>` or a styled span, often wrapped
    over two lines) reads as the heading it is: one bold line (the line count stays)."""
    if "<" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        inner = " ".join(m.group(1).split())
        return f"**{inner}**" + "\n" * m.group(0).count("\n") if inner else m.group(0)

    return _UNDERLINED.sub(one, text)


def blocks_from_text(text: str, markdown: bool = False, rst: bool = False) -> list[Block]:
    if markdown:
        text = _underlined_to_bold(text)
    lines = text.splitlines()
    if rst:
        lines = [rst_inline(ln) for ln in lines]
    elif markdown:
        lines = [markdown_inline(ln) for ln in lines]
    lines = underlined_headings(lines)
    if markdown or rst:
        lines = _wrapped_bold(lines)
    return blocks_from_lines(((line, f"line {no}") for no, line in enumerate(lines, start=1)),
                             nested_lists_need_blank=rst)
