"""Blocks -> a plan tree (`PlanDraft`), for documents of any shape.

Each block that can open a node gets a *signature*: its numbering style
("num", "(a)"), its heading kind ("h", "h2" / "caps" / "bold" / "title") or
its list level ("bullet", "0"). Signatures nest in the order they first
appear, as in an outline: a signature already open closes everything opened
after it; a new one opens a level below. Paragraphs are the text of the
node above them (a bullet that is a whole sentence is closed by a paragraph
that is not indented under it, so a second intro paragraph between two
lists belongs to the heading).

Levels are then named: the first level of entries (bullets, numbered
paragraphs, "Title: body" paragraphs) is the commitment level; heading
levels above it are areas and items; levels below are sub-commitments. When
at most half of the lowest heading level have entries under them, those
entries are sub-lists and the headings are the commitments ("1) Title" with
body paragraphs). `ImportOptions.levels` overrides the guess.

Plain title-like lines ("Combating COVID-19") are headings only when entries
follow them, and only when at least two such sections exist; otherwise they
are text (a signature block, "Introduction").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from briefbook.plan_import.blocks import Block, Document, label_value
from briefbook.plan_import.dates import find_closing_date, parse_date
from briefbook.plan_import.plan_parser import _parties, _period, short_title
from db.model.drafts import NodeDraft, PlanDraft
from db.model.values import UnplacedLine

__all__ = ["LEVEL_KINDS", "ImportOptions", "LevelGuess", "Recognition", "recognize"]

#: What a level of the document can become ("text": folded into its parent's text).
LEVEL_KINDS: tuple[str, ...] = ("area", "item", "commitment", "subcommitment", "text")

_LEVEL_NAME_RE = re.compile(
    r"^((?i:Pillar|Theme|Chapter|Part|Section|Goal|Objective|Priority|Area|Commitment|Action|Annex|Workstream))"
    r"\s+([0-9]{1,2}|[IVX]{1,5}|[A-Z])\b(?:\s*[:.–—-]\s*|\s+(?=[A-Z“\"]))(.*)$"
)
_TITLE_BODY_RE = re.compile(r"^([A-Z“\"][^:.!?]{1,150}?):\s+(?=\S)")
_TITLE_WORDS = ("plan", "declaration", "roadmap", "communiqu", "statement", "strategy", "agenda",
                "framework", "partnership", "agreement", "memorandum", "charter", "programme", "program")
_QUOTES = "\"'“”‘’«»「」"


@dataclass
class ImportOptions:
    """The user's corrections to the guess."""

    title: str = ""  # overrides the document's title line and its properties
    levels: tuple[str, ...] = ()  # kind per level, top first (see LEVEL_KINDS); () = guess
    numbered_paragraphs: str = ""  # "commitments" or "text": what paragraphs numbered straight through are
    paragraphs: str = ""  # under headings with no entries at all: "commitments" (one each, default) or "text"


@dataclass
class LevelGuess:
    kind: str
    count: int
    example: str
    name: str = ""  # the document's own name for the level ("Pillar")


@dataclass
class Recognition:
    draft: PlanDraft
    levels: list[LevelGuess] = field(default_factory=list)


# -- small predicates -----------------------------------------------------------------


def _is_cjk(text: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in text)


_ABBREVIATION_END = re.compile(r"(?:\b[A-Za-z]\.){2,}$|\b(?:Inc|Ltd|Co|Corp|etc|St|Jr|Sr|No|Nos|Art|Dept|Gov|Govt)\.$")


def _ends_sentence(text: str) -> bool:
    bare = text.rstrip(_QUOTES + ")] ")
    if bare.endswith(".") and _ABBREVIATION_END.search(bare):
        return False  # "... with the U.S." or "Acme Inc." ends with an abbreviation, not a sentence
    return bare[-1:] in {".", ";", "?", "!", "。", "．", ","}


def title_like(text: str, max_words: int = 15) -> bool:
    """A short line without a sentence end (a heading, a title)."""
    if not text or _ends_sentence(text) or text.endswith(":"):
        return False
    if _is_cjk(text):
        return len(text) <= 40
    return len(text.split()) <= max_words and (text[0].isupper() or text[0] in _QUOTES or text[0].isdigit())


def _title_case(text: str) -> bool:
    words = [w for w in text.split() if w[:1].isalpha()]
    if _is_cjk(text):
        return True
    return bool(words) and sum(w[0].isupper() for w in words) * 2 >= len(words)


def colon_lead(text: str) -> str:
    """The title of a "Title: body" paragraph ("Critical Minerals: The two sides will..."), or "".

    The part before the colon must read as a title: a few words, or title case. A sentence that merely
    contains a colon ("It is therefore imperative that we lead by example: to show...") has none."""
    m = _TITLE_BODY_RE.match(text)
    if m is None:
        return ""
    head = m.group(1).strip()
    words = head.split()
    if len(words) <= 6 or (len(words) <= 16 and _title_case(head)):
        return head
    return ""


_INLINE_TAG = re.compile(r"</?(?:u|b|i|em|strong|span|font|sup|sub|small|big|mark|ins|s|strike|a|br)\b[^<>]{0,200}>",
                         re.IGNORECASE)


def _clean_title(text: str) -> str:
    if "<" in text:
        text = " ".join(_INLINE_TAG.sub("", text).split())  # markup a converter left in a title ("<u>…</u>")
    text = text.strip().rstrip(":").strip()
    if len(text) > 1 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    return text.strip(" –—-")


# -- the tree being built ---------------------------------------------------------------


@dataclass(eq=False)
class _Node:
    block: Block
    sig: tuple[str, str]
    head: bool  # a heading (title only) rather than an entry with its own text
    parent: _Node | None
    children: list[_Node] = field(default_factory=list)
    paras: list[str] = field(default_factory=list)
    name: str = ""  # "Pillar" in "Pillar 1: ..."
    sub_list: bool = False  # its entries follow a lead-in ending in ":" ("Federal agencies will:")

    @property
    def depth(self) -> int:
        d, p = 0, self.parent
        while p is not None:
            d, p = d + 1, p.parent
        return d


def heading_text(text: str, max_words: int = 12) -> str:
    """`text` without the full stop some headings end with ("Help Students Make Informed Decisions."), when
    it is one short title-case line; else as it is."""
    words = text.split()
    if text.endswith(".") and text.count(". ") == 0 and 2 <= len(words) <= max_words \
            and all(w[0].isupper() for w in words if len(w) >= 4 and w[0].isalpha()) \
            and not _ABBREVIATION_END.search(text):
        return text[:-1]  # every longer word capitalised: a heading, not a short sentence ("First entry.")
    return text


def _titled_entry(b: Block) -> bool:
    """A list entry that opens with a title ("**Launching X.** We will...", "Strengthening Access to
    Information. The Administration..."): the paragraphs after it are its body, even where the page lost
    their indentation."""
    if b.lead:
        return True
    first = b.text.split(". ", 1)[0]
    words = first.split()
    return first != b.text and 3 <= len(words) <= 16 and _title_case(first)


def _numbered_head(b: Block) -> bool:
    return b.kind == "heading" or title_like(heading_text(b.text, 18), 18)


def _num_key(b: Block, style: str = "") -> str:
    """A numbering's shape, whether it numbers headings or sentences, and its indentation: "N.#", "(a)@2"."""
    return f"{style or b.style}{'#' if _numbered_head(b) else ''}{f'@{b.indent}' if b.indent else ''}"


def _signature(b: Block) -> tuple[tuple[str, str], bool] | None:
    """(signature, is_heading) for a block that opens a node; None for a paragraph."""
    if b.style:
        return ("num", _num_key(b)), _numbered_head(b)
    if b.kind == "heading":
        return ("h", b.heading_key or f"h{b.level}"), True
    if b.kind == "bullet":
        return ("bullet", f"{b.level}{b.glyph}"), False
    if b.lead or (len(b.text) > 80 and colon_lead(b.text)):
        return ("lead", ""), False
    text = heading_text(b.text, 8)  # a short title-case heading with a full stop ("Economic Security.")
    if title_like(text, 12) and (_title_case(text) or len(text.split()) <= 8) and parse_date(text) is None \
            and len(text) <= 120:
        return ("h", "title"), True
    return None


def _check_sequences(blocks: list[Block]) -> None:
    """A number out of sequence ("3 countries", a year) is text, not a label."""
    last: dict[str, int] = {}
    for b in blocks:
        if not b.style:
            continue
        value = label_value(b.style, b.label)
        prev = last.get(_num_key(b), 0)
        for letters, romans in (("A.", "I."), ("a.", "i."), ("(a)", "(i)")):
            if b.style == letters and b.label.upper() in ("I", "V", "X") and value != prev + 1:
                b.style, value, prev = romans, label_value(romans, b.label), last.get(_num_key(b, romans), 0)
            elif b.style == romans and len(b.label) == 1 and (
                last.get(_num_key(b, letters), 0) + 1 == label_value(letters, b.label)
            ):
                b.style, value, prev = letters, label_value(letters, b.label), last.get(_num_key(b, letters), 0)
        ok = value == 1 or prev < value <= prev + 2
        if b.style == "N" and find_closing_date(f"{b.label} {b.text}") is not None:
            ok = False
        if not ok:
            b.text = f"{b.prefix}{b.text}".strip()
            b.style = b.label = b.prefix = ""
            continue
        last[_num_key(b)] = value


_RUN_IN = re.compile(r"(?<=[.!?”\"])\s*([0-9]{1,3})[.,]\s*(?=[A-Z“\"])")
_TRAILING_NO = re.compile(r"\s+([0-9]{1,3})[.,]?$")


def _split_run_ins(blocks: list[Block]) -> list[Block]:
    """Numbered paragraphs run together: "... the world. 25. We ..." or a "25." left at a paragraph's end."""
    out: list[Block] = []
    for i, b in enumerate(blocks):
        if b.style not in ("N.", "N)") or b.kind == "heading":
            out.append(b)
            continue
        current = b
        while True:
            want = label_value(current.style, current.label) + 1
            m = next((m for m in _RUN_IN.finditer(current.text) if int(m.group(1)) == want), None)
            if m is None:
                break
            nxt = Block(text=current.text[m.end() :], loc=current.loc, kind=current.kind, level=current.level,
                        label=str(want), style=current.style, prefix=m.group(0).strip() + " ")
            current.text = current.text[: m.start()].rstrip()
            out.append(current)
            current = nxt
        out.append(current)
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        m2 = _TRAILING_NO.search(current.text)
        if m2 and following is not None and not following.style and following.kind == "para":
            want = label_value(current.style, current.label) + 1
            if int(m2.group(1)) == want:
                current.text = current.text[: m2.start()]
                following.style, following.label, following.prefix = current.style, str(want), m2.group(0).strip()
    return out


# -- the recognizer ------------------------------------------------------------------------


class _Recognizer:
    def __init__(self, doc: Document, options: ImportOptions) -> None:
        self.doc = doc
        self.options = options
        self.blocks = _split_run_ins([b for b in doc.blocks if b.text.strip()])
        _check_sequences(self.blocks)
        self.sigs: list[tuple[tuple[str, str], bool] | None] = [_signature(b) for b in self.blocks]
        self._validate_weak_headings()
        self.unplaced: list[UnplacedLine] = []
        self.adopted_on: str | None = None
        self.doubts: list[str] = []  # what was guessed about the whole plan
        self._restated_lists()

    def _restated_lists(self) -> None:
        """A list whose entries are the titles of the document's own headings ("The themes of this plan
        are: ..." and then a section for each) restates the plan: it is text, not commitments."""
        heads = {_norm(b.text) for b, s in zip(self.blocks, self.sigs) if s is not None and s[1]}
        i = 0
        while i < len(self.sigs):
            s = self.sigs[i]
            if s is None or s[0][0] != "bullet":
                i += 1
                continue
            j = i
            while j < len(self.sigs) and self.sigs[j] == s:
                j += 1
            run = range(i, j)
            found = sum(_norm(self.blocks[k].text) in heads for k in run)
            if len(run) >= 2 and found * 5 >= len(run) * 4:
                for k in run:
                    self.sigs[k] = None
                self.doubts.append(f"a list of {len(run)} entries that restates the plan's headings "
                                   f"({self.blocks[i].loc}) was kept as text")
            i = j

    def _validate_weak_headings(self) -> None:
        weak = [i for i, s in enumerate(self.sigs) if s is not None and s[0] == ("h", "title")]
        following: list[tuple[str, str] | None] = [None] * len(self.sigs)  # the next block's signature
        nxt: tuple[str, str] | None = None
        for i in range(len(self.sigs) - 1, -1, -1):
            following[i] = nxt
            s = self.sigs[i]
            if s is not None:
                nxt = s[0]
        kept = []
        for i in weak:
            after = following[i]
            if after is not None and after[0] != "h":
                kept.append(i)
        structural = any(s is not None and s[0] != ("h", "title") for s in self.sigs)
        if not structural:  # headings over paragraphs only: each heading and its paragraphs is one node
            kept = [i for i in weak if i + 1 < len(self.sigs) and self.sigs[i + 1] is None]
        if len(kept) < 2:
            kept = []
        elif structural:
            # among the plan's sections, one that has only paragraphs is a section too
            for i in weak:
                nxt_block = self.blocks[i + 1] if i + 1 < len(self.blocks) else None
                if i > kept[0] and i not in kept and nxt_block is not None and self.sigs[i + 1] is None and (
                    len(nxt_block.text.split()) >= 6 and _ends_sentence(nxt_block.text)
                ):
                    kept.append(i)
        for i in set(weak) - set(kept):
            self.sigs[i] = None

    # -- title ---------------------------------------------------------------------

    def _take_title(self) -> str:
        if self.options.title.strip():
            return self.options.title.strip()
        if self.doc.source in ("markdown", "rst", "text") and self.doc.meta_title:
            return self.doc.meta_title  # a text's own metadata (YAML front matter "title:") names it
        first = next((i for i, s in enumerate(self.sigs) if s is not None and s[0][0] != "h"), len(self.blocks))
        candidates = [
            i for i, b in enumerate(self.blocks[:first])
            if (b.kind == "heading" or title_like(b.text, 25)) and not b.style and parse_date(b.text) is None
            and len(b.text) <= 200
        ]
        if not candidates:
            return self.doc.meta_title
        chosen = next((i for i in candidates if self.blocks[i].heading_key == "doc-title"), None)
        # a cover page: the lines the document opens with (dates aside); a "plan" among them is the title
        cover = []
        is_candidate = set(candidates)
        for i, b in enumerate(self.blocks[:first]):
            if i in is_candidate:
                cover.append(i)
            elif parse_date(b.text) is None:
                break
        if chosen is None:
            chosen = next((i for i in cover if "plan" in self.blocks[i].text.lower()), None)
        opening = self.blocks[0] if candidates[0] == 0 else None
        if chosen is None and opening is not None and (
            opening.kind == "heading" or any(w in opening.text.lower() for w in _TITLE_WORDS)
        ):
            chosen = 0  # the document opens with its title
        for word in _TITLE_WORDS:
            if chosen is not None:
                break
            chosen = next((i for i in candidates if word in self.blocks[i].text.lower()), None)
        if chosen is None:
            if self.doc.meta_title:
                return self.doc.meta_title
            chosen = candidates[0] if candidates[0] == 0 else None
        if chosen is None:
            return ""
        block = self.blocks[chosen]
        title = _clean_title(block.text)
        if self._is_section(chosen):
            # The first heading is one of the plan's sections ("Preamble"), not its title: say so and ask,
            # unless the file's properties give the title.
            if self.doc.meta_title:
                self.doubts.append(f"the title is the file's own (its properties): the first heading, “{title}”, "
                                   "looks like a section of the plan")
                return self.doc.meta_title
            self.doubts.append(f"no title line: the first heading, “{title}”, looks like a section of the plan, "
                               "not its title")
            return ""
        if block.heading_key != "doc-title" and not self._unique_heading(chosen):
            self.doubts.append(f"the title was guessed: it is the line “{title}” ({block.loc})")
        del self.blocks[chosen]
        del self.sigs[chosen]
        return title

    def _same_key(self, index: int) -> list[int]:
        b = self.blocks[index]
        return [i for i, o in enumerate(self.blocks) if i != index and o.kind == "heading" and b.kind == "heading"
                and o.heading_key == b.heading_key]

    def _unique_heading(self, index: int) -> bool:
        """A heading of a style no other heading has (a Markdown "#" over "##" sections, a Word Title)."""
        return self.blocks[index].kind == "heading" and not self._same_key(index)

    def _is_section(self, index: int) -> bool:
        """A heading styled like the plan's other section headings, and not named like a plan."""
        b = self.blocks[index]
        if b.kind != "heading" or b.heading_key == "doc-title" or any(w in b.text.lower() for w in _TITLE_WORDS):
            return False
        return any(i > index for i in self._same_key(index))

    # -- tree --------------------------------------------------------------------------

    def run(self) -> Recognition:
        title = self._take_title()
        preamble: list[str] = []
        roots: list[_Node] = []
        stack: list[_Node] = []
        # entries before the first heading of a plan with headings are the preamble's lists
        first_head = next((i for i, s in enumerate(self.sigs) if s is not None and s[1]), None)
        for i, s in enumerate(self.sigs[: first_head or 0]):
            if s is not None:
                self.sigs[i] = None
        for b, s in zip(self.blocks, self.sigs):
            if s is None:
                self._paragraph(b, stack, roots, preamble)
                continue
            sig, head = s
            if sig in {n.sig for n in stack}:
                while stack:
                    popped = stack.pop()
                    if popped.sig == sig:
                        break
            elif head and sig[0] == "h":
                # A heading nests by its kind, not by position: never under an entry or a paragraph, and a
                # heading that outranks the one open (h2 over h3, larger type) closes it.
                while stack and (not stack[-1].head or _outranks(sig, stack[-1].sig)):
                    stack.pop()
            if len(stack) >= _MAX_DEPTH:
                stack.pop()  # deeper than any plan: a sibling of the deepest level instead
            parent = stack[-1] if stack else None
            node = _Node(b, sig, head, parent)
            m = _LEVEL_NAME_RE.match(b.text) if head else None
            if m is not None and m.group(3):
                node.name = m.group(1).capitalize()
                if not b.style:
                    b.label, b.style = m.group(2), f"{m.group(1)} N"
                b.text = m.group(3)
            if parent is not None and not parent.children:
                parent.sub_list = bool(parent.paras) and parent.paras[-1].rstrip().endswith(":")
            (parent.children if parent else roots).append(node)
            stack.append(node)
        if self.options.paragraphs != "text" and roots and not _has_entries(roots):
            # A statement of headings over paragraphs: each paragraph is a commitment under its heading (the
            # grain a tracker needs); --paragraphs text keeps them as the heading's text.
            for node in _walk(roots):
                if node.paras and not node.children and not (node.parent is None and len(roots) == 1):
                    node.children = [_Node(Block(text=p, loc=node.block.loc), ("para", ""), False, node)
                                     for p in node.paras]
                    node.paras = []
        roots = _unwrap(roots, preamble)
        if roots and all(n.head and not n.children and not n.paras for n in roots):
            # headings with nothing under them (the names of a signature block): text, not the plan's structure
            preamble.extend(_clean_title(n.block.text) for n in roots)
            roots = []
        if not roots and len(preamble) >= 3:
            # a statement in paragraphs only: each paragraph is one of its commitments; short lines after the
            # last sentence (a signature block, a place and date) stay text
            end = len(preamble)
            while end > 0 and len(preamble[end - 1].split()) <= 8 and not _ends_sentence(preamble[end - 1]):
                end -= 1
            if end >= 3:
                roots = [_Node(Block(text=p, loc=""), ("para", ""), False, None) for p in preamble[:end]]
                preamble = preamble[end:]
        return self._result(title, preamble, roots)

    def _paragraph(self, b: Block, stack: list[_Node], roots: list[_Node], preamble: list[str]) -> None:
        text = f"{b.prefix}{b.text}".strip() if b.prefix else b.text
        if not stack:
            if roots and self._closing(b):
                return
            (roots[-1].paras if roots else preamble).append(text)
            return
        top = stack[-1]
        while len(stack) > 1 and b.indent <= top.block.indent and (
            (top.sig[0] == "bullet" and not title_like(top.block.text, 20) and not _titled_entry(top.block))
            or (top.sig[0] == "num" and not top.head and top.block.indent > 0)  # an indented sub-list ended
        ):
            stack.pop()
            top = stack[-1]
        if self._closing(b, last=top):
            return
        top.paras.append(text)

    def _closing(self, b: Block, last: _Node | None = None) -> bool:
        """A closing date line after the plan ("Tokyo, 14 June 2024"): its date is the adoption date."""
        if self.adopted_on is not None or b is not self.blocks[-1]:
            return False
        found = find_closing_date(b.text)
        if found is None:
            return False
        self.adopted_on, prefix = found
        if prefix:
            where = "" if b.loc.startswith("line") else f" ({b.loc})"
            self.unplaced.append(UnplacedLine(_line_no(b.loc), b.text, f"closing line: only its date was kept{where}"))
        return True

    # -- levels and values -----------------------------------------------------------------

    def _result(self, title: str, preamble: list[str], roots: list[_Node]) -> Recognition:
        by_depth: list[list[_Node]] = []
        todo = [(n, 0) for n in roots]
        for node, d in todo:  # breadth first; the list grows as it is read
            while len(by_depth) <= d:
                by_depth.append([])
            by_depth[d].append(node)
            todo.extend((c, d + 1) for c in node.children)
        # Each node's kind follows the kind of block it is (a heading, an entry under a heading, an entry
        # under an entry), so one kind of entry is one kind of node whatever depth its branch has.
        default = _default_kinds(roots)
        forced: dict[int, str] = {}  # depth -> kind the user chose
        numbered = [d for d, nodes in enumerate(by_depth)
                    if sum(bool(n.block.style) and not n.head for n in nodes) * 2 > len(nodes)]
        if numbered and self.options.numbered_paragraphs == "text":
            forced.update({d: "text" for d in range(numbered[0], len(by_depth))})
        elif numbered and self.options.numbered_paragraphs == "commitments":
            c = numbered[0]
            forced.update({d: ("area" if d == 0 else "item") if d < c else "commitment" if d == c else "subcommitment"
                           for d in range(len(by_depth))})
        for d, kind in enumerate(self.options.levels[: len(by_depth)]):
            if kind in LEVEL_KINDS:
                forced[d] = kind

        def kind_of(n: _Node, depth: int) -> str:
            return forced.get(depth) or default[id(n)]

        levels = []
        names: dict[str, str] = {}
        for d, nodes in enumerate(by_depth):
            name = Counter(n.name for n in nodes).most_common(1)[0][0]
            kind = Counter(kind_of(n, d) for n in nodes).most_common(1)[0][0]
            levels.append(LevelGuess(kind, len(nodes), _clean_title(_node_title(nodes[0])), name))
            if name and kind != "text":
                names.setdefault(kind, name)
        areas = _drafts(roots, "", kind_of, 0, preamble)
        draft = PlanDraft(
            title=title, parties=_parties(title), period=_period(title), adopted_on=self.adopted_on or
            self._preamble_date(preamble), preamble="\n\n".join(preamble), areas=areas, unplaced=self.unplaced,
        )
        if names:
            draft.level_names = names
        draft.doubts = list(self.doubts)
        if levels and not self.options.levels and not self.options.numbered_paragraphs:
            said = ", ".join(f"level {i} {g.kind}" for i, g in enumerate(levels, start=1))
            draft.doubts.append(f"what each level is was guessed ({said}): change it with --levels or in the preview")
        return Recognition(draft, levels)

    @staticmethod
    def _preamble_date(preamble: list[str]) -> str | None:
        return next((d for d in (parse_date(p) for p in preamble) if d), None)


_MAX_DEPTH = 12  # deeper than any plan (a hostile document's nesting is cut here)


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _walk(roots: list[_Node]) -> list[_Node]:
    out: list[_Node] = []
    stack = list(reversed(roots))
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(reversed(n.children))
    return out


def _has_entries(roots: list[_Node]) -> bool:
    return any(not n.head for n in _walk(roots))


def _heading_rank(key: str) -> tuple[str, float] | None:
    """A heading's family and rank (smaller is higher): h1 < h2; 18-point type above 14-point."""
    if key == "doc-title":
        return "h", 0
    if len(key) == 2 and key[0] == "h" and key[1].isdigit():
        return "h", int(key[1])
    if key.startswith("size") and key[4:].isdigit():
        return "size", -int(key[4:])
    return None


def _outranks(new: tuple[str, str], top: tuple[str, str]) -> bool:
    """True when a heading of signature `new` is of a higher or equal rank than the open heading `top`."""
    a, b = _heading_rank(new[1]), _heading_rank(top[1])
    return a is not None and b is not None and a[0] == b[0] and a[1] <= b[1]


def _unwrap(roots: list[_Node], preamble: list[str]) -> list[_Node]:
    """Headings that hold no entries before the plan proper ("Introduction") are preamble; one unnumbered
    heading over the whole plan ("Initiatives") is the plan itself, and headings without entries after it
    ("Conclusion") are the last node's text."""
    while roots:
        unnumbered = all(n.head and not n.block.style for n in roots)
        at = next((i for i, n in enumerate(roots) if n.children), 0)
        if unnumbered and at > 0:
            for first in roots[:at]:
                preamble.extend([first.block.text, *first.paras])
            roots = roots[at:]
            continue
        parents = [n for n in roots if n.children]
        if unnumbered and len(parents) == 1 and roots[0] is parents[0]:
            only = roots[0]
            after = [p for n in roots[1:] for p in (n.block.text, *n.paras)]
            preamble.extend([only.block.text, *only.paras])
            roots = only.children
            for n in roots:
                n.parent = None
            _last(roots).paras.extend(after)
            continue
        last = max((i for i, n in enumerate(roots) if n.children), default=-1)
        tail = roots[last + 1 :]
        if unnumbered and last >= 0 and tail and len(parents) >= 2 and all(not n.children for n in tail):
            # headings without entries after the plan proper ("Conclusion") are the last node's text
            roots = roots[: last + 1]
            _last(roots).paras.extend(p for n in tail for p in (n.block.text, *n.paras))
        return roots
    return roots


def _last(nodes: list[_Node]) -> _Node:
    node = nodes[-1]
    while node.children:
        node = node.children[-1]
    return node


def _line_no(loc: str) -> int:
    m = re.search(r"[0-9]+", loc)
    return int(m.group()) if m else 0


def _node_title(n: _Node) -> str:
    b = n.block
    if n.head:
        return heading_text(b.text, 18)
    if title_like(b.text, 20) and n.paras:
        return b.text
    if b.lead and _DATE_LEAD.search(b.lead) and len(b.lead.split()) <= 5 and b.text.startswith(b.lead):
        # a deadline in bold ("By March 2025", "Entro dicembre 2022"): the commitment is what follows it
        return short_title(b.text[len(b.lead):].lstrip(" -–—:.,"))
    if b.lead:
        return short_title(b.lead.rstrip(".;: "))
    lead = colon_lead(b.text)
    if lead:
        return lead
    if _is_cjk(b.text) and " " not in b.text.strip():
        first = re.split(r"(?<=[。．！？])", b.text, maxsplit=1)[0].rstrip("。．")
        return first if len(first) <= 70 else f"{first[:69]}…"
    return short_title(b.text)


_DATE_LEAD = re.compile(r"\b(?:19|20)[0-9]{2}\b")


def _node_text(n: _Node) -> str:
    b = n.block
    own = [] if n.head or (title_like(b.text, 20) and n.paras) else [b.text]
    return "\n\n".join(own + n.paras)


def _segment(n: _Node, parent_ref: str) -> str:
    label = n.block.label
    if not label:
        return ""
    if n.block.style == "N.N":
        if parent_ref and label.startswith(parent_ref + "."):
            return label[len(parent_ref) + 1 :]
        return label.rsplit(".", 1)[-1]
    return label


def _fold(n: _Node) -> str:
    parts = [_clean_title(_node_title(n)) if n.head else "", _node_text(n)]
    parts += [_fold(c) for c in n.children]
    return "\n\n".join(p for p in parts if p)


def _default_kinds(roots: list[_Node]) -> dict[int, str]:
    """id(node) -> kind, by the kind of block: headings are areas (items below another heading); the first
    entries under them are commitments, entries under entries sub-commitments. When at most half of the
    lowest headings hold entries, and those mostly after a lead-in ("... will:"), or when there are no
    entries at all, the lowest headings are the commitments and their entries sub-lists."""
    nodes = _walk(roots)
    leaves = [n for n in nodes if n.head and not any(c.head for c in n.children)]
    if any(not n.head for n in nodes):
        parents = [n for n in leaves if n.children]
        headed = len(parents) * 2 <= len(leaves) and sum(n.sub_list for n in parents) * 2 >= len(parents)
    else:
        headed = True
    entry_heads = {id(n) for n in leaves} if headed else set()
    kinds: dict[int, str] = {}
    todo = [(n, 0, 0) for n in roots]
    for n, heads_above, entries_above in todo:
        entry = not n.head or id(n) in entry_heads
        if not entry:
            kinds[id(n)] = "area" if heads_above == 0 else "item"
        else:
            kinds[id(n)] = "commitment" if entries_above == 0 else "subcommitment"
        todo.extend((c, heads_above + (not entry), entries_above + entry) for c in n.children)
    return kinds


_HEADING_BY = {"caps": "its capitals", "title": "its title case", "bold": "its bold type",
               "underline": "its underlining", "code": "the code it opens with"}


def _doubts_of(n: _Node) -> list[str]:
    """What was guessed about one node, for the user to look at first."""
    b = n.block
    out = []
    if n.head and not b.style:
        key = b.heading_key if b.kind == "heading" else "title"
        by = _HEADING_BY.get(key) or ("its larger type" if key.startswith("size") else "")
        if by:
            out.append(f"a heading recognised by {by} alone")
    if not n.head and not b.lead and colon_lead(b.text) and not title_like(b.text, 20):
        out.append("its title is the text before the colon")
    return out


def _drafts(nodes: list[_Node], parent_ref: str, kind_of: Callable[[_Node, int], str], depth: int,
            spill: list[str]) -> list[NodeDraft]:
    """NodeDrafts with references; nodes of a "text" level go into `spill` (the parent's text)."""
    if nodes and kind_of(nodes[0], depth) == "text":
        spill.extend(_fold(n) for n in nodes)
        return []
    segments = [_segment(n, parent_ref) for n in nodes]
    renumbered = False
    if any(not s for s in segments) or len(set(segments)) < len(segments):
        renumbered = any(segments) and len(set(s for s in segments if s)) < sum(1 for s in segments if s)
        segments = [str(i) for i in range(1, len(nodes) + 1)]
    out = []
    for n, seg in zip(nodes, segments):
        ref = f"{parent_ref}.{seg}" if parent_ref else seg
        extra: list[str] = []
        children = _drafts(n.children, ref, kind_of, depth + 1, extra) if n.children else []
        text = "\n\n".join(p for p in [_node_text(n), *extra] if p)
        draft = NodeDraft(kind=kind_of(n, depth), ref=ref, title=_clean_title(_node_title(n)), text=text,
                          children=children, doubts=_doubts_of(n))
        if renumbered and n.block.label:
            draft.doubts.append(f"numbered {n.block.prefix.strip() or n.block.label} in the text, which repeats "
                                "a number among its neighbours: numbered in order here")
        out.append(draft)
    return out


def recognize(doc: Document, options: ImportOptions | None = None) -> Recognition:
    """The plan tree of a read document (title "" when neither it nor `options` gives one)."""
    return _Recognizer(doc, options or ImportOptions()).run()
