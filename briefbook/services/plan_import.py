"""Import a plan from a published document: read, recognise, preview, store.

`load_plan(path)` reads any supported file (text, Markdown, Word, PDF, web
page; the format is told from the content) and returns a `Recognition`: the
draft tree and what each level was taken for, for a preview. Nothing is
written until `briefing.import_plan(draft)`; `import_plan_file` does both.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from briefbook.plan_import.blocks import Document, DocumentError
from briefbook.plan_import.plan_parser import PlanParseError, _parties, _period, parse_plan
from briefbook.plan_import.recognizer import ImportOptions, LevelGuess, Recognition, recognize
from db.briefing.facade import Briefing
from db.disk.reading import read_bounded
from db.model.drafts import NodeDraft, PlanDraft
from db.model.errors import BriefbookError, InvalidInput
from db.model.values import ImportReport

__all__ = [
    "MAX_BYTES",
    "MAX_TEXT_CHARS",
    "ImportOptions",
    "PlanTextError",
    "Recognition",
    "detect_format",
    "import_plan_file",
    "load_plan",
    "parse_plan_file",
    "read_and_recognize",
    "read_document",
    "read_plan_text",
    "recognize_document",
    "require_title",
]

#: Larger files are refused before they are read (a plan is a few MB at most, even as a PDF with images).
MAX_BYTES = 100 * 1024 * 1024
#: A text, web page or Word file's text beyond this is not a plan (and would only make the user wait).
MAX_TEXT_CHARS = 8 * 1024 * 1024

Progress = Callable[[int, int], None]


class PlanTextError(BriefbookError):
    """The plan text could not be read or did not parse (the file was not changed)."""


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise PlanTextError(f"There is no plan text at {path}.")
    if path.is_dir():
        raise PlanTextError(f"{path} is a folder, not a plan text.")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PlanTextError(f"{path} cannot be read ({exc.strerror}).") from None
    if size > MAX_BYTES:
        raise PlanTextError(f"{path.name} is too large to be a plan ({size // (1024 * 1024)} MB; "
                            f"the limit is {MAX_BYTES // (1024 * 1024)} MB).")
    try:  # a regular file only (a FIFO would block for ever), read no further than the limit (stat() sizes lie)
        return read_bounded(path, MAX_BYTES, f"{path.name} cannot be read as a plan")
    except InvalidInput as exc:
        raise PlanTextError(str(exc)) from None


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 text saved without a byte-order mark, told by where its zero bytes are (ASCII in UTF-16)."""
    if len(raw) < 4 or raw.count(0) * 3 < len(raw):
        return None
    encoding = "utf-16-be" if raw[0:200:2].count(0) > raw[1:200:2].count(0) else "utf-16-le"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text if "\x00" not in text else None


def _decode(raw: bytes, path: Path) -> str:
    if not raw.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")) and (text := _utf16_without_bom(raw)):
        return text
    for encoding in ("utf-8-sig", "utf-16"):
        if encoding == "utf-16" and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    # A text saved by an older Windows program (Windows-1252): no control characters but line ends.
    if not re.search(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]", raw):
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            pass
    raise PlanTextError(f"{path} is not a text file (save the plan as UTF-8 text).")


def read_plan_text(path: Path) -> str:
    return _decode(_read_bytes(path), path)


def detect_format(raw: bytes, name: str = "") -> str:
    """"pdf", "docx" (any zip: the reader tells a Word file from others), "doc", "html", "rst", "markdown"
    or "text"."""
    head = raw[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"PK\x05\x06"):
        return "docx"
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    sample = raw[:65536].decode("utf-8", "replace").lstrip("\ufeff \t\r\n").lower()
    if sample.startswith("<!doctype html") or re.search(r"<html[\s>]", sample[:8192]):
        return "html"  # also a page saved with a "<!-- saved from url -->" comment first
    tags = re.search(r"<(body|p|h[1-6]|div|ul|ol|li|table)[\s>]", sample) and re.search(
        r"</(p|h[1-6]|div|li|body|td)>", sample)
    if tags and (sample.startswith("<") or name.lower().endswith((".html", ".htm", ".xhtml"))):
        return "html"
    if name.lower().endswith((".rst", ".rest")) or (
        re.search(r"(?m)^\.\. [\w-]+::", sample) and re.search(r"(?m)^\S.*\n([=\-~^])\1{2,}\s*$", sample)
    ):
        return "rst"
    if name.lower().endswith((".md", ".markdown")) or re.search(r"(?m)^#{1,6} ", sample):
        return "markdown"
    return "text"


def read_document(path: Path, progress: Progress | None = None) -> Document:
    """The blocks of any supported file; PlanTextError (one sentence) when it cannot be read."""
    raw = _read_bytes(path)
    kind = detect_format(raw, path.name)
    try:
        if kind == "pdf":
            from briefbook.plan_import.pdf_reader import read_pdf

            return read_pdf(path, progress)
        if kind == "docx":
            from briefbook.plan_import.docx_reader import read_docx

            return read_docx(path)
        if kind == "doc":
            raise DocumentError(f"{path.name} is an old Word .doc file: save it as .docx (or PDF) and import that.")
        text = _decode(raw, path)
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: tell the format from the decoded text
            kind = detect_format(text.encode("utf-8"), path.name)
        if len(text) > MAX_TEXT_CHARS:
            raise DocumentError(f"{path.name} is too long to be a plan ({len(text) // 1_000_000} million characters; "
                                f"the limit is {MAX_TEXT_CHARS // 1_000_000} million).")
        if not text.strip():
            raise DocumentError(f"{path.name} is empty.")
        if kind == "html":
            from briefbook.plan_import.html_reader import read_html

            return read_html(path, text)
        from briefbook.plan_import.text_reader import blocks_from_text, front_matter

        text, meta = front_matter(text)
        blocks = blocks_from_text(text, markdown=kind == "markdown", rst=kind == "rst")
        return Document(blocks, kind, text=text, meta_title=meta.get("title", ""))
    except DocumentError as exc:
        raise PlanTextError(str(exc)) from None
    except RecursionError:
        raise PlanTextError(f"{path.name} cannot be read: its structure is nested too deeply.") from None


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _plan_words(draft: PlanDraft) -> int:
    return _words(draft.title) + _words(draft.preamble) + sum(_words(n.title) + _words(n.text) for n in draft.walk())


def _levels_of(draft: PlanDraft) -> list[LevelGuess]:
    by_depth: list[list[str]] = []
    todo = [(n, 0) for n in draft.areas]
    levels: list[LevelGuess] = []
    for node, d in todo:  # breadth first; the list grows as it is read
        if len(by_depth) <= d:
            by_depth.append([])
            levels.append(LevelGuess(node.kind, 0, node.title))
        levels[d].count += 1
        todo.extend((c, d + 1) for c in node.children)
    return levels


def _fold(node: NodeDraft) -> str:
    parts = [node.title if node.title.rstrip("…") not in node.text else "", node.text]
    return "\n\n".join(p for p in [*parts, *(_fold(c) for c in node.children)] if p)


def _relevel(draft: PlanDraft, kinds: tuple[str, ...]) -> None:
    """Give each level of a parsed tree the kind the user chose ("text": into the text of the level above)."""

    def visit(nodes: list[NodeDraft], depth: int, spill: list[str]) -> list[NodeDraft]:
        kind = kinds[depth] if depth < len(kinds) else ""
        if kind == "text":
            spill.extend(_fold(n) for n in nodes)
            return []
        for n in nodes:
            n.kind = kind or n.kind
            extra: list[str] = []
            n.children = visit(n.children, depth + 1, extra)
            n.text = "\n\n".join(p for p in (n.text, *extra) if p)
        return nodes

    extra: list[str] = []
    draft.areas = visit(draft.areas, 0, extra)
    draft.preamble = "\n\n".join(p for p in (draft.preamble, *extra) if p)


def recognize_document(doc: Document, options: ImportOptions | None = None) -> Recognition:
    """The best reading of `doc`: for a tidy text the numbered-plan parser, else the general recognizer."""
    options = options or ImportOptions()
    tidy: PlanDraft | None = None
    if doc.text and not options.numbered_paragraphs:
        try:
            tidy = parse_plan(doc.text)
        except PlanParseError:
            tidy = None
    # The numbered-plan parser knows tidy texts best (the seed's exact references, the adoption date).
    # It wins when it placed every line and found areas, items and commitments; with a few stray lines
    # (text after the closing date), when it still covers the plan's words as well as the general
    # recognizer does: its stray lines are then reported by number, where the general recognizer would
    # bury them in an item's text and lose the closing date.
    if tidy is not None:
        levels = _levels_of(tidy)
        stray = any(not u.reason.startswith("closing line") for u in tidy.unplaced)
        wins = len(levels) >= 3 and not stray
        if not wins:
            guess = recognize(doc, ImportOptions(title=options.title))
            wins = (len(levels) >= 3 or len(tidy.walk()) >= len(guess.draft.walk())) and (
                _plan_words(tidy) >= _plan_words(guess.draft) * 0.98
            )
        if wins:
            if options.title.strip():
                tidy.title = options.title.strip()
                tidy.parties, tidy.period = _parties(tidy.title), _period(tidy.title)
            if options.levels:
                _relevel(tidy, options.levels)
                for level, kind in zip(levels, options.levels):
                    level.kind = kind
            return Recognition(tidy, levels)
    return recognize(doc, options)


def read_and_recognize(
    path: Path, options: ImportOptions | None = None, progress: Progress | None = None
) -> tuple[Document, Recognition]:
    """The document read from `path` and its plan tree; PlanTextError when it holds no plan."""
    doc = read_document(path, progress)
    if not doc.blocks:
        raise PlanTextError(f"{path.name} is empty.")
    try:
        result = recognize_document(doc, options)
    except RecursionError:
        raise PlanTextError(f"{path.name} is nested too deeply to be read as a plan.") from None
    except Exception as exc:  # a bug must not crash the command or the window
        raise PlanTextError(f"{path.name} could not be read because of an internal importer error.") from exc
    if not result.draft.areas:
        raise PlanTextError(
            f"{path.name}: no headings, numbered paragraphs or bullets were found, so it does not look like a plan."
        )
    return doc, result


def load_plan(path: Path, options: ImportOptions | None = None, progress: Progress | None = None) -> Recognition:
    """Read and recognise `path`; PlanTextError when it holds no plan. The title may still be ""."""
    return read_and_recognize(path, options, progress)[1]


def require_title(draft: PlanDraft, path: Path) -> None:
    if not draft.title.strip():
        why = next((d for d in draft.doubts if d.startswith("no title line: ")), "")
        if why:
            reason = why.removeprefix("no title line: ").removesuffix(", not its title")
            raise PlanTextError(f"{path.name} has no title line ({reason}) and its properties give no title: "
                                "give the plan's title with --title.")
        raise PlanTextError(
            f"{path.name} has no title line and its properties give no title: give the plan's title with --title."
        )


def parse_plan_file(path: Path, options: ImportOptions | None = None) -> PlanDraft:
    draft = load_plan(path, options).draft
    require_title(draft, path)
    return draft


def import_plan_file(briefing: Briefing, path: Path, options: ImportOptions | None = None) -> ImportReport:
    """Parse first, then store: a text that does not parse changes nothing."""
    return briefing.import_plan(parse_plan_file(path, options))
