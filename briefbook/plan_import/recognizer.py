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
from dataclasses import dataclass, field

from briefbook.plan_import.blocks import Block, Document, label_value
from briefbook.plan_import.dates import find_closing_date, parse_date
from briefbook.plan_parser import _parties, _period, short_title
from db.model.drafts import NodeDraft, PlanDraft
from db.model.values import UnplacedLine

__all__ = ["LEVEL_KINDS", "ImportOptions", "LevelGuess", "Recognition", "recognize"]

#: What a level of the document can become ("text": folded into its parent's text).
LEVEL_KINDS: tuple[str, ...] = ("area", "item", "commitment", "subcommitment", "text")

_LEVEL_NAME_RE = re.compile(
    r"^((?i:Pillar|Theme|Chapter|Part|Section|Goal|Objective|Priority|Area|Commitment|Action|Annex|Workstream))"
    r"\s+([0-9]{1,2}|[IVX]{1,5}|[A-Z])\b(?:\s*[:.–—-]\s*|\s+(?=[A-Z“\"]))(.*)$"
)
_TITLE_BODY_RE = re.compile(r"^([A-Z“\"][^:.!?]{1,80}?):\s+(?=\S)")
_TITLE_WORDS = ("plan", "declaration", "roadmap", "communiqu", "statement", "strategy", "agenda",
                "framework", "partnership", "agreement", "memorandum", "charter", "programme", "program")
_QUOTES = "\"'“”‘’«»「」"


@dataclass
class ImportOptions:
    """The user's corrections to the guess."""

    title: str = ""  # overrides the document's title line and its properties
    levels: tuple[str, ...] = ()  # kind per level, top first (see LEVEL_KINDS); () = guess
    numbered_paragraphs: str = ""  # "commitments" or "text": what paragraphs numbered straight through are


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


def _ends_sentence(text: str) -> bool:
    return text.rstrip(_QUOTES + ")] ")[-1:] in {".", ";", "?", "!", "。", "．", ","}


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


def _clean_title(text: str) -> str:
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


def _numbered_head(b: Block) -> bool:
    return b.kind == "heading" or title_like(b.text, 18)


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
    if b.lead or (_TITLE_BODY_RE.match(b.text) and len(b.text) > 80):
        return ("lead", ""), False
    if title_like(b.text, 12) and (_title_case(b.text) or len(b.text.split()) <= 8) and parse_date(b.text) is None \
            and len(b.text) <= 120:
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
        title = _clean_title(self.blocks[chosen].text)
        del self.blocks[chosen]
        del self.sigs[chosen]
        return title

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
            while stack and sig in [n.sig for n in stack]:
                popped = stack.pop()
                if popped.sig == sig:
                    break
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
        roots = _unwrap(roots, preamble)
        if not roots and len(preamble) >= 3:
            # a statement in paragraphs only: each paragraph is one of its commitments
            roots = [_Node(Block(text=p, loc=""), ("para", ""), False, None) for p in preamble]
            preamble = []
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
            (top.sig[0] == "bullet" and not title_like(top.block.text, 20))
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

    def _guess_kinds(self, by_depth: list[list[_Node]]) -> list[str]:
        depths = len(by_depth)
        heads = [sum(n.head for n in nodes) * 2 >= len(nodes) for nodes in by_depth]
        c = next((d for d in range(depths) if not heads[d]), depths - 1)
        if c > 0 and heads[c - 1]:
            # Few headings hold entries, and those mostly after a lead-in ("... will:"): the entries are
            # sub-lists of headed commitments.
            above = by_depth[c - 1]
            parents = [n for n in above if n.children]
            if len(parents) * 2 <= len(above) and sum(n.sub_list for n in parents) * 2 >= len(parents):
                c -= 1
        kinds = []
        for d in range(depths):
            if d < c:
                kinds.append("area" if d == 0 else "item")
            elif d == c:
                kinds.append("commitment")
            else:
                kinds.append("subcommitment")
        return kinds

    def _result(self, title: str, preamble: list[str], roots: list[_Node]) -> Recognition:
        by_depth: list[list[_Node]] = []
        todo = [(n, 0) for n in roots]
        while todo:
            node, d = todo.pop(0)
            while len(by_depth) <= d:
                by_depth.append([])
            by_depth[d].append(node)
            todo.extend((c, d + 1) for c in node.children)
        kinds = self._guess_kinds(by_depth) if by_depth else []
        numbered = [d for d, nodes in enumerate(by_depth)
                    if sum(bool(n.block.style) and not n.head for n in nodes) * 2 > len(nodes)]
        if numbered and self.options.numbered_paragraphs == "text":
            kinds = [("text" if d >= numbered[0] else k) for d, k in enumerate(kinds)]
        elif numbered and self.options.numbered_paragraphs == "commitments":
            c = numbered[0]
            kinds = [("area" if d == 0 else "item") if d < c else "commitment" if d == c else "subcommitment"
                     for d in range(len(kinds))]
        for d, kind in enumerate(self.options.levels[: len(kinds)]):
            if kind in LEVEL_KINDS:
                kinds[d] = kind
        levels = []
        names: dict[str, str] = {}
        for d, nodes in enumerate(by_depth):
            name = Counter(n.name for n in nodes).most_common(1)[0][0]
            levels.append(LevelGuess(kinds[d], len(nodes), _clean_title(_node_title(nodes[0])), name))
            if name and kinds[d] != "text":
                names.setdefault(kinds[d], name)
        areas = _drafts(roots, "", kinds, 0, preamble)
        draft = PlanDraft(
            title=title, parties=_parties(title), period=_period(title), adopted_on=self.adopted_on or
            self._preamble_date(preamble), preamble="\n\n".join(preamble), areas=areas, unplaced=self.unplaced,
        )
        if names:
            draft.level_names = names
        return Recognition(draft, levels)

    @staticmethod
    def _preamble_date(preamble: list[str]) -> str | None:
        return next((d for d in (parse_date(p) for p in preamble) if d), None)


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
    if n.head or (title_like(b.text, 20) and n.paras):
        return b.text
    if b.lead:
        return short_title(b.lead.rstrip(".;: "))
    m = _TITLE_BODY_RE.match(b.text)
    if m is not None and len(m.group(1).split()) <= 10:
        return m.group(1)
    if _is_cjk(b.text) and " " not in b.text.strip():
        first = re.split(r"(?<=[。．！？])", b.text, maxsplit=1)[0].rstrip("。．")
        return first if len(first) <= 70 else f"{first[:69]}…"
    return short_title(b.text)


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


def _drafts(nodes: list[_Node], parent_ref: str, kinds: list[str], depth: int, spill: list[str]) -> list[NodeDraft]:
    """NodeDrafts with references; nodes of a "text" level go into `spill` (the parent's text)."""
    kept = [n for n in nodes if kinds[depth] != "text"]
    if len(kept) < len(nodes):
        spill.extend(_fold(n) for n in nodes)
        return []
    segments = [_segment(n, parent_ref) for n in nodes]
    if any(not s for s in segments) or len(set(segments)) < len(segments):
        segments = [str(i) for i in range(1, len(nodes) + 1)]
    out = []
    for n, seg in zip(nodes, segments):
        ref = f"{parent_ref}.{seg}" if parent_ref else seg
        extra: list[str] = []
        children = _drafts(n.children, ref, kinds, depth + 1, extra) if n.children else []
        text = "\n\n".join(p for p in [_node_text(n), *extra] if p)
        out.append(NodeDraft(kind=kinds[depth], ref=ref, title=_clean_title(_node_title(n)), text=text,
                             children=children))
    return out


def recognize(doc: Document, options: ImportOptions | None = None) -> Recognition:
    """The plan tree of a read document (title "" when neither it nor `options` gives one)."""
    return _Recognizer(doc, options or ImportOptions()).run()
