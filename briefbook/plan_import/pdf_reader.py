"""PDF -> blocks, with pypdf.

The text of each page in reading order; running headers and footers (a line
that opens or closes most pages, numbers aside) and page numbers removed;
a page break is a paragraph break unless the sentence goes on. When the PDF
is tagged, its structure tree gives the headings, paragraphs and list
entries (`briefbook.plan_import.pdf_tags`); otherwise the text is read as a
text file would be.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from briefbook.plan_import.blocks import Document, DocumentError
from briefbook.plan_import.text_reader import blocks_from_lines
from db.model.errors import Cancelled

__all__ = ["read_pdf"]

Progress = Callable[[int, int], None]  # (pages done, pages in all)

_PAGE_NO_RE = re.compile(r"^(?:page\s*)?[-–—]?\s*[0-9ivxlc]{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*[0-9]{1,4})?$", re.IGNORECASE)
_EDGE = 2  # lines at the top and bottom of a page where running heads live


def _open(path: Path) -> Any:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs what it works around in a file ("fontTools is required..."): not the user's concern, and the
    # command line's output is its own sentences
    logging.getLogger("pypdf").setLevel(logging.ERROR)

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise DocumentError(f"{path.name} is an encrypted PDF: open it with its password and save "
                                        "an unprotected copy to import it.")
            except DocumentError:
                raise
            except Exception:
                raise DocumentError(f"{path.name} is an encrypted PDF: open it with its password and save "
                                    "an unprotected copy to import it.") from None
        _ = len(reader.pages)
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        raise DocumentError(f"{path.name} cannot be read as a PDF: the file is damaged or incomplete.") from None
    return reader


def _meta_title(reader: Any) -> str:
    try:
        meta = reader.metadata
        title = str(meta.title or "") if meta is not None else ""
    except Exception:
        return ""
    title = " ".join(title.split())
    if title.lower() in ("(anonymous)", "untitled", "(untitled)", "title", "document", "(unspecified)"):
        return ""  # a PDF writer's placeholder
    # "Microsoft Word - plan_final.docx" names a file, not the plan
    title = re.sub(r"^Microsoft (?:Word|PowerPoint) - ", "", title)
    title = re.sub(r"\.(?:docx?|pdf|rtf|odt|indd)$", "", title, flags=re.IGNORECASE)
    if " " not in title and re.search(r"[_.]|^[0-9]", title):
        return ""
    return title


Meta = tuple[float, float] | None  # a line's baseline (y, up the page) and font size, when known
PageLines = list[tuple[str, Meta]]


def _page_lines(page: Any) -> PageLines:
    """The page's text lines, each with its baseline and font size when pypdf's fragments line up with its text."""
    frags: list[tuple[float, float, str]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text:
            scale = abs(float(tm[3]) * float(cm[3])) or abs(float(tm[1])) or 1.0
            # a space or line end carries no size of its own: only visible text sets a line's size
            visible = float(size or 0) * scale if text.strip() else 0.0
            frags.append((float(tm[5]) * float(cm[3]) + float(cm[5]), visible, text))

    out = page.extract_text(visitor_text=visit)
    lines: list[list[object]] = []  # [text, y, size]
    prev: float | None = None
    for y, size, text in frags:
        for k, part in enumerate(text.split("\n")):
            if k > 0 or prev is None or abs(y - prev) > 1.0:
                lines.append([part, y, size])
            else:
                lines[-1][0] = f"{lines[-1][0]}{part}"
                lines[-1][2] = max(float(str(lines[-1][2])), size)
        prev = y
    built = [(str(t), float(str(y)), float(str(sz))) for t, y, sz in lines if str(t).strip()]
    plain = [ln for ln in out.splitlines() if ln.strip()]
    if [t.strip() for t, _, _ in built] != [ln.strip() for ln in plain]:
        return [(ln, None) for ln in out.splitlines()]
    return [(t, (y, sz)) for t, y, sz in built]


def _edge_keys(lines: PageLines) -> list[str]:
    body = [ln.strip() for ln, _ in lines if ln.strip()]
    edge = body[:_EDGE] + body[-_EDGE:] if len(body) > 2 * _EDGE else body
    return list(dict.fromkeys(re.sub(r"[0-9]+", "#", ln).lower() for ln in edge))


def _strip_running(pages: list[PageLines]) -> tuple[list[PageLines], list[str]]:
    """Pages without running headers, footers and page numbers; and what was removed."""
    counts = Counter(key for lines in pages for key in _edge_keys(lines))
    running = {k for k, n in counts.items() if len(pages) >= 2 and n >= max(2, (len(pages) + 1) // 2)}
    removed: list[str] = []
    out = []
    for lines in pages:
        body_idx = [i for i, (ln, _) in enumerate(lines) if ln.strip()]
        edge = set(body_idx[:_EDGE] + body_idx[-_EDGE:])
        kept = []
        for i, (ln, meta) in enumerate(lines):
            s = ln.strip()
            if i in edge and (re.sub(r"[0-9]+", "#", s).lower() in running or _PAGE_NO_RE.match(s)):
                removed.append(s)
                continue
            kept.append((ln, meta))
        out.append(kept)
    return out, removed


def read_pdf(path: Path, progress: Progress | None = None) -> Document:
    reader = _open(path)
    total = len(reader.pages)
    from briefbook.plan_import.pdf_tags import tagged_blocks

    pages: list[PageLines] = []
    try:
        tagged = tagged_blocks(reader, progress)
        if tagged is None:
            for n, page in enumerate(reader.pages, start=1):
                pages.append(_page_lines(page))
                if progress is not None:
                    progress(n, total)
    except (DocumentError, Cancelled):  # a cancel from `progress` is not a damaged file
        raise
    except Exception:
        raise DocumentError(f"{path.name} cannot be read as a PDF: the file is damaged or incomplete.") from None
    if tagged is not None:
        blocks, removed = tagged
    else:
        if not any(ch.isalnum() for lines in pages for ln, _ in lines for ch in ln):
            raise DocumentError(f"{path.name} has no text layer (it is a scanned image): run it through text "
                                "recognition (OCR) first, or import the plan's text.")
        pages, removed = _strip_running(pages)
        pairs: list[tuple[str, str]] = []
        layout: list[Meta] = []
        for n, lines in enumerate(pages, start=1):
            pairs.extend((ln, f"page {n}") for ln, _ in lines)
            layout.extend(meta for _, meta in lines)
            pairs.append(("", f"page {n}"))  # a page break is a blank line
            layout.append(None)
        blocks = blocks_from_lines(pairs, page_text=True, layout=layout)
    if not blocks:
        raise DocumentError(f"{path.name} has no text layer (it is a scanned image): run it through text "
                            "recognition (OCR) first, or import the plan's text.")
    return Document(blocks, "pdf", meta_title=_meta_title(reader), pages=total, notes=removed)
