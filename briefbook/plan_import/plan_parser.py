"""Turn the text of a bilateral action plan into a `PlanDraft`.

Pure text -> values: no Qt, no database. The input is typically a PDF
converted to Markdown-ish text, so the parser trusts *content* (numbers like
"1 Diplomacy" and "(1) Title") rather than heading levels or indentation,
which such conversions scramble.

Structure recognised:

* area        -- "1 Diplomacy", "1. Diplomacy", "## 1 Diplomacy" (numbers rise)
* item        -- "(1) Title", "- (1) Title", "### (1) Title" (numbers rise per area)
* commitment  -- each bullet or paragraph under an item
* subcommitment -- bullets after a commitment ending in ":" (a lead-in)

Heuristics, in the order they are tried for each line:

* A closing date line ("14th June 2024", "Tokyo, 14 June 2024") after the
  last numbered line sets `adopted_on`; anything after it is unplaced.
* A line that is not a heading, item or bullet continues the open paragraph
  when that paragraph has not ended a sentence (no final . ; : ? !), even
  across blank lines; a line indented under its bullet (no blank line
  between) continues it too. Otherwise it starts a new paragraph.
* Un-indented sub-lists end at the next item/area, at a bullet after one that
  ends with a full stop, or at a plain paragraph; indented ones end at the
  first line not indented deeper than their lead-in.
* Paragraphs before the first area are the preamble (bullets there are
  unplaced); paragraphs under an area before its first item are the area's
  text (bullets there are unplaced); other headings after the first area are
  unplaced.

Lines that fit nowhere are reported in `PlanDraft.unplaced`, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from briefbook.plan_import.blocks import readable
from briefbook.plan_import.dates import find_closing_date as _find_closing_date
from briefbook.plan_import.dates import parse_date
from db.model.drafts import NodeDraft, PlanDraft
from db.model.values import UnplacedLine

__all__ = ["PlanParseError", "parse_date", "parse_plan", "short_title"]

#: Longest commitment title before it is cut with an ellipsis.
TITLE_MAX = 70


class PlanParseError(Exception):
    """The text holds no plan structure; `str(e)` is one sentence for the user."""


# -- line-level patterns --------------------------------------------------------

# "## Title": hashes need a space after them, as in Markdown ("#tag" is text).
_HEADING_RE = re.compile(r"^#{1,6}(?=\s|$)")
# ASCII glyphs need a space after them so "-5%" or ">=" stay text;
# typographic bullets from PDF conversions may touch the word.
_BULLET_RE = re.compile(
    r"^(?:(?:[-*>–—](?=\s|$)|[•➤▪◦‣●○■□►▶➢➔→✓✔·])\s*)+"
)
_ITEM_RE = re.compile(r"^\(([0-9]{1,2})\)\s*(.*)$")
_AREA_RE = re.compile(r"^([0-9]{1,2})(?:[.)]|\s*[-–—:])?\s+(\S.*)$")
# No underscore inside the span, so a line of many "_x" stays linear to match.
_UNDERSCORE_EMPHASIS_RE = re.compile(r"(?<!\w)(_{1,2})(?=[^\s_])([^_]*?[^\s_])\1(?!\w)")

# Trailing characters that do not decide whether a sentence ended.
_TRAILING_NOISE = "\"'”’»)]_ \t"
_ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "no", "nos", "st", "vs", "inc", "ltd", "co", "art", "jr", "sr",
     "gen", "gov", "sen", "rep", "prof", "hon", "amb", "lt", "col", "capt", "u.s", "u.k"}
)
_TRAILING_STOPWORDS = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
)

# -- small text helpers ------------------------------------------------------------


def _strip_asterisks(text: str) -> str:
    """Drop Markdown emphasis asterisks; one between letters becomes a space."""
    return re.sub(r"(?<=\w)\*+(?=\w)", " ", text).replace("*", "")


def _clean(text: str) -> str:
    """Normalise whitespace and drop underscore emphasis (`_word_`)."""
    return " ".join(_UNDERSCORE_EMPHASIS_RE.sub(r"\2", text).split())


def _clean_paragraphs(text: str) -> str:
    return "\n\n".join(p for p in (_clean(part) for part in text.split("\n\n")) if p)


def _last_char(text: str) -> str:
    stripped = text.rstrip(_TRAILING_NOISE)
    return stripped[-1] if stripped else ""


def _ends_sentence(text: str) -> bool:
    return _last_char(text) in {".", ";", ":", "?", "!"}


def _ends_full_stop(text: str) -> bool:
    return _last_char(text) in {".", "?", "!"}


def _is_lead_in(text: str) -> bool:
    return _last_char(text) == ":"


def _looks_like_title(text: str) -> bool:
    """A short capitalised line without final punctuation."""
    words = text.split()
    return bool(words) and text[0].isupper() and len(words) <= 15 and not _ends_sentence(text)


def _looks_like_plan_title(text: str) -> bool:
    """Title-case line, for documents whose title is not a heading."""
    if not _looks_like_title(text):
        return False
    words = [w for w in text.split() if w[0].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) * 2 >= len(words)


def _first_sentence(text: str) -> str:
    for m in re.finditer(r"[.;:!?](?=\s|$)", text):
        if m.group() == ".":
            word = text[text.rfind(" ", 0, m.start()) + 1 : m.start()].lower().lstrip("(\"'“")
            if word in _ABBREVIATIONS or len(word) == 1 or "." in word:
                continue  # "e.g.", "U.S.", "No." do not end a sentence
        return text[: m.start()]
    return text


def short_title(text: str, limit: int = TITLE_MAX) -> str:
    """The first sentence or clause of `text`, cut at a word to `limit` chars ("…")."""
    # Only the head matters: a sentence ending past `limit` is cut anyway.
    head_text = text[: limit + 2]
    sentence = _first_sentence(head_text).strip() or head_text.strip()
    if len(sentence) <= limit:
        return sentence.rstrip(" ,;:")
    comma = sentence.rfind(",", 0, limit)
    if comma >= limit * 11 // 20:  # a whole clause reads better than a cut phrase
        return f"{sentence[:comma].rstrip()}…"
    words = sentence[: limit + 1].split(" ")
    if len(words) > 1:
        words = words[:-1]  # the last piece may be a cut word
    while len(words) > 1 and words[-1].lower().strip(",;:") in _TRAILING_STOPWORDS:
        words.pop()
    head = " ".join(words)[:limit].rstrip(" ,;:-–—(\"'“")
    return f"{head}…"


# -- lines ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    no: int  # 1-based line number in the input
    raw: str
    kind: str  # "blank" | "heading" | "bullet" | "plain"
    indent: int
    content: str  # without heading hashes, bullet glyphs and asterisks
    cont_col: int | None  # column where a bullet's wrapped text would continue


def _drop_closing_hashes(text: str) -> str:
    """ "Title ##" -> "Title" (Markdown's optional closing sequence)."""
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1].isspace()):
        return bare.rstrip()
    return text


def _classify(no: int, raw: str) -> _Line:
    line = raw.expandtabs(4).rstrip()
    body = line.lstrip()
    indent = len(line) - len(body)
    kind = "plain"
    cont_col: int | None = None
    heading = _HEADING_RE.match(body)
    if heading is not None:
        kind, body = "heading", _drop_closing_hashes(body[heading.end() :].strip())
    bullet = _BULLET_RE.match(body)
    if bullet is not None:
        if kind == "plain":
            kind, cont_col = "bullet", indent + bullet.end()
        rest = body[bullet.end() :]
        # only glyphs: "- ✔" is an entry holding a symbol (kept); a lone "•" is nothing to read
        body = rest if rest.strip() or not readable(body[1:]) else body[1:].strip()
    content = " ".join(_strip_asterisks(body).split())
    if not readable(content):
        kind = "blank"  # rules, lone glyphs: nothing a reader would miss
    return _Line(no, raw, kind, indent, content, cont_col)


def _looks_structural(content: str) -> bool:
    """Could this line be an area or item? Used to find where the closing may start."""
    if not (_ITEM_RE.match(content) or _AREA_RE.match(content)):
        return False
    return _find_closing_date(content) is None  # "14 June 2024" is not area 14


# -- the builder ------------------------------------------------------------------------


class _Text:
    """Paragraphs being collected, joined once at the end so long inputs stay linear."""

    def __init__(self) -> None:
        self.paragraphs: list[list[str]] = []

    def new_paragraph(self, piece: str) -> None:
        self.paragraphs.append([piece])

    def extend(self, piece: str) -> None:
        self.paragraphs[-1].append(piece)

    @property
    def last(self) -> str:
        """The latest piece: enough to tell whether the text ended a sentence."""
        return self.paragraphs[-1][-1] if self.paragraphs else ""

    def render(self) -> str:
        return "\n\n".join(" ".join(p) for p in self.paragraphs)


@dataclass
class _Open:
    """The paragraph a following plain line may continue."""

    text: _Text
    cont_col: int | None = None  # a bullet's text column, for indented continuations
    unplaced: bool = False  # continuations of an unplaced line are unplaced too


class _Builder:
    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines
        self.title = ""
        self.preamble = _Text()
        self.bodies: dict[int, _Text] = {}  # id(node) -> its text
        self.areas: list[NodeDraft] = []
        self.unplaced: list[UnplacedLine] = []
        self.adopted_on: str | None = None

        self.area_no = 0
        self.item: NodeDraft | None = None
        self.item_no = 0
        self.item_needs_title = False
        self.commit: NodeDraft | None = None
        self.commit_indent = 0
        self.sub_indent: int | None = None  # None until the first sub of `commit`

        self.open: _Open | None = None
        self.blank_before = True
        self.closed = False  # past the closing date line
        self.seen_text = False

        structural = [i for i, ln in enumerate(lines) if ln.kind != "blank" and _looks_structural(ln.content)]
        self.tail_start = structural[-1] + 1 if structural else 0
        first_structural = structural[0] if structural else len(lines)
        self.heading_title = any(ln.kind == "heading" for ln in lines[:first_structural])

    # -- driving ---------------------------------------------------------------

    def run(self) -> PlanDraft:
        for index, line in enumerate(self.lines):
            if line.kind == "blank":
                self.blank_before = True
                continue
            self._line(index, line)
            self.blank_before = False
            self.seen_text = True
        if not self.areas:
            raise PlanParseError(
                'No numbered areas such as "1 Diplomacy" were found, so the text does not look like an action plan.'
            )
        return self._draft()

    def _line(self, index: int, line: _Line) -> None:
        if self.closed:
            self._unplace(line, "text after the closing date")
            return
        if self._try_closing(index, line) or self._try_area(line) or self._try_item(line):
            return
        if line.kind == "plain" and self._try_continue(line):
            return
        if line.kind == "heading":
            self._heading(line)
        elif self.item_needs_title and line.kind == "plain":
            assert self.item is not None
            self.item.title = line.content  # "(1)" alone, title on the next line
            self.item_needs_title = False
        elif line.kind == "plain" and self._try_plain_title(index, line):
            pass
        else:
            self._body(line)
        if line.kind != "plain":
            self.item_needs_title = False

    # -- structure -------------------------------------------------------------

    def _glued(self, line: _Line) -> bool:
        """True when a non-heading line directly continues an unfinished sentence."""
        return line.kind != "heading" and not self.blank_before and self._open_unfinished()

    def _try_closing(self, index: int, line: _Line) -> bool:
        if index < self.tail_start or not self.areas or self._glued(line):
            return False
        found = _find_closing_date(line.content)
        if found is None:
            return False
        self.adopted_on, prefix = found
        if prefix:  # keep "Tokyo," etc. visible to the user
            self._unplace(line, "closing line: only its date was kept")
        self.closed = True
        self.open = None
        return True

    def _try_area(self, line: _Line) -> bool:
        m = _AREA_RE.match(line.content)
        if m is None:
            return False
        number, title = int(m.group(1)), m.group(2)
        if number <= self.area_no:
            return False
        # Without a heading the number alone is weak evidence: demand the
        # next number, a title-like line, and no sentence it could continue.
        if line.kind != "heading" and (
            number != self.area_no + 1 or not _looks_like_title(title) or self._glued(line)
        ):
            return False
        area = NodeDraft(kind="area", ref=str(number), title=title, text="")
        self.areas.append(area)
        self.area_no = number
        self.item, self.item_no, self.commit = None, 0, None
        self.open = None
        return True

    def _try_item(self, line: _Line) -> bool:
        m = _ITEM_RE.match(line.content)
        if m is None:
            return False
        number, title = int(m.group(1)), m.group(2)
        # Right after an unfinished sentence "(2) of Article 5" is text;
        # only the next number with a capitalised title is still an item.
        if line.kind == "plain" and self._glued(line) and (number != self.item_no + 1 or not title[:1].isupper()):
            return False
        if not self.areas:
            self._unplace(line, "numbered item before the first area")
            self.open = None
            return True
        area = self.areas[-1]
        doubt = ""
        if number <= self.item_no:
            # "(1)" again inside an item is plain text, unless it is a title line of its own: an item
            # numbered out of order ("(2) Y" then "(1) Z"), whose entries must not go to the item before it.
            if line.kind == "bullet" or not _looks_like_title(title) or self.blank_before is False:
                return False
            doubt = f"numbered ({number}) after ({self.item_no}): out of order in the text"
            used = {c.ref for c in area.children}
            if f"{area.ref}.{number}" in used:
                number = self.item_no + 1
        self.item = NodeDraft(kind="item", ref=f"{area.ref}.{number}", title=title, text="")
        if doubt:
            self.item.doubts.append(doubt)
        area.children.append(self.item)
        self.item_no = max(self.item_no, number)
        self.item_needs_title = not title
        self.commit = None
        self.open = None
        return True

    def _heading(self, line: _Line) -> None:
        self.open = None
        if self.areas:
            self._unplace(line, "heading that is not a numbered area or item")
        elif not self.title:
            self.title = line.content
        else:
            self.preamble.new_paragraph(line.content)

    def _try_plain_title(self, index: int, line: _Line) -> bool:
        """A title-case first line ("Japan-Italy Action Plan") when no heading gives the title."""
        if self.seen_text or self.heading_title or self.areas:
            return False
        following = next((ln.content for ln in self.lines[index + 1 :] if ln.kind != "blank"), "")
        # A lowercase next line means this one is a sentence broken across lines.
        if following[:1].islower() or len(line.content.split()) < 2:
            return False
        if not _looks_like_plan_title(line.content):
            return False
        self.title = line.content
        return True

    # -- body text ---------------------------------------------------------------

    def _open_unfinished(self) -> bool:
        return self.open is not None and not _ends_sentence(self.open.text.last)

    def _text_of(self, node: NodeDraft) -> _Text:
        return self.bodies.setdefault(id(node), _Text())

    def _try_continue(self, line: _Line) -> bool:
        o = self.open
        if o is None:
            return False
        # A sentence broken across lines (even blank ones) continues; so does a
        # line indented under its bullet with no blank line between.
        indented = not self.blank_before and o.cont_col is not None and line.indent >= o.cont_col
        if not (self._open_unfinished() or indented):
            return False
        if o.unplaced:
            self._unplace(line, "continues an unplaced line")
        o.text.extend(line.content)
        return True

    def _body(self, line: _Line) -> None:
        is_bullet = line.kind == "bullet"
        if not self.areas:
            if is_bullet:
                self._unplace_open(line, "bullet before the first area")
            else:
                self.preamble.new_paragraph(line.content)
                self.open = _Open(self.preamble)
            return
        area = self.areas[-1]
        if self.item is None:
            if is_bullet:
                self._unplace_open(line, f"bullet under area {area.ref} before its first item")
            else:
                # Body text directly under an area is the area's own text.
                text = self._text_of(area)
                text.new_paragraph(line.content)
                self.open = _Open(text)
            return
        if self._is_sub(line, is_bullet):
            assert self.commit is not None
            if self.sub_indent is None:
                self.sub_indent = line.indent
            node = self._add(self.commit, "subcommitment")
        else:
            node = self._add(self.item, "commitment")
            self.commit, self.commit_indent, self.sub_indent = node, line.indent, None
        text = self._text_of(node)
        text.new_paragraph(line.content)
        self.open = _Open(text, line.cont_col)

    def _is_sub(self, line: _Line, is_bullet: bool) -> bool:
        commit = self.commit
        if commit is None:
            return False
        if self.sub_indent is None:  # not yet started: needs a lead-in
            return _is_lead_in(self._text_of(commit).last) and (is_bullet or line.indent > self.commit_indent)
        if self.sub_indent > self.commit_indent:  # indented sub-list: indentation decides
            return line.indent > self.commit_indent
        # Un-indented sub-list: runs on over bullets until one ends a sentence.
        last = self._text_of(commit.children[-1]).last
        return is_bullet and line.indent >= self.sub_indent and not _ends_full_stop(last)

    @staticmethod
    def _add(parent: NodeDraft, kind: str) -> NodeDraft:
        node = NodeDraft(kind=kind, ref=f"{parent.ref}.{len(parent.children) + 1}", title="", text="")
        parent.children.append(node)
        return node

    def _unplace(self, line: _Line, reason: str) -> None:
        self.unplaced.append(UnplacedLine(line_no=line.no, text=line.raw.strip(), reason=reason))

    def _unplace_open(self, line: _Line, reason: str) -> None:
        self._unplace(line, reason)
        text = _Text()
        text.new_paragraph(line.content)
        self.open = _Open(text, line.cont_col, unplaced=True)

    # -- result -------------------------------------------------------------------

    def _draft(self) -> PlanDraft:
        for node in _walk(self.areas):
            body = self.bodies.get(id(node))
            node.text = body.render() if body is not None else ""
        for area in self.areas:
            _finish(area)
        title = _clean(self.title)
        return PlanDraft(
            title=title,
            parties=_parties(title),
            period=_period(title),
            adopted_on=self.adopted_on,
            preamble=_clean_paragraphs(self.preamble.render()),
            areas=self.areas,
            unplaced=self.unplaced,
        )


def _walk(nodes: list[NodeDraft]) -> Iterator[NodeDraft]:
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _finish(node: NodeDraft) -> None:
    """Clean texts and give commitments their short titles, recursively."""
    node.text = _clean_paragraphs(node.text)
    if node.kind in ("commitment", "subcommitment"):
        node.title = short_title(node.text)
    else:
        node.title = _clean(node.title).rstrip(":").rstrip()
    for child in node.children:
        _finish(child)


def _period(title: str) -> str | None:
    m = re.search(r"(?<![0-9])((?:19|20)[0-9]{2})\s*[-–—/]\s*([0-9]{4}|[0-9]{2})(?![0-9])", title)
    if m is None:
        return None
    start, end = m.group(1), m.group(2)
    if len(end) == 2:  # "2024-27"
        end = start[:2] + end
    return f"{start}-{end}"


def _parties(title: str) -> list[str]:
    """["Japan", "Italy"] from "Japan-Italy Action Plan ..."; [] if not in that form."""
    m = re.match(r"^(?:the\s+)?(.+?)\s+(?:joint\s+)?action\s+plan\b", title, re.IGNORECASE)
    if m is None:
        return []
    parts = [p.strip() for p in re.split(r"\s*[-–—/]\s*", m.group(1))]
    if len(parts) < 2 or not all(p and p[0].isupper() for p in parts):
        return []
    return parts


# -- entry point ---------------------------------------------------------------------------


def _parse(text: str) -> PlanDraft:
    # A BOM at the start, or where files were joined; a space keeps words apart.
    text = text.removeprefix("\ufeff").replace("\ufeff", " ")
    if not text.strip():
        raise PlanParseError("The plan text is empty.")
    lines = [_classify(no, raw) for no, raw in enumerate(text.splitlines(), start=1)]
    return _Builder(lines).run()


def parse_plan(text: str) -> PlanDraft:
    """Parse a plan's text; raise PlanParseError (only) when it holds no plan."""
    if not isinstance(text, str):
        raise TypeError(f"parse_plan expects str, not {type(text).__name__}")
    try:
        return _parse(text)
    except PlanParseError:
        raise
    except Exception as exc:  # a bug must not crash the import dialog
        raise PlanParseError("The plan text could not be read because of an internal parser error.") from exc
