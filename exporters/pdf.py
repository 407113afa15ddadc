"""The briefing book as PDF (ReportLab platypus): the entry points.

Layout: an A4 cover, the contents (clickable, with page numbers, built by
`multiBuild`), then the book's parts. The work is split four ways:

- `exporters.pdf_styles`: the house style (`exporters.style`) as ReportLab styles;
- `exporters.pdf_flowables`: the flowables, the only layout module that uses
  ReportLab's internals;
- `exporters.pdf_document`: the document, its page furniture and bookmarks;
- `exporters.pdf_story`: the book as flowables.
"""

from __future__ import annotations

import io
from pathlib import Path

from exporters import fonts
from exporters.book_model import Book, CancelCheck, Progress
from exporters.gc_pause import gc_paused
from exporters.pdf_document import BookDocument, PageNumbers
from exporters.pdf_flowables import forget_plain_frags
from exporters.pdf_story import build_story


def render_pdf(book: Book, progress: Progress | None = None, cancelled: CancelCheck | None = None) -> bytes:
    """The book as PDF bytes."""
    buf = io.BytesIO()
    forget_plain_frags()  # styles made for one book (pieces of long paragraphs) go with it
    fonts.forget_slanted()
    with gc_paused():
        doc = BookDocument(buf, book, progress, cancelled, total=0)
        story, contents = build_story(book)  # contents: None without a contents page
        fonts.prepare_slanted()  # Japanese in italic: its slanted face, for the characters the story sets
        story.append(PageNumbers(doc, contents))
        doc.total = len(story)
        doc.multiBuild(story, maxPasses=6)
    if progress is not None:
        progress(1, 1)
    return buf.getvalue()


def write_pdf(book: Book, path: Path, progress: Progress | None = None, cancelled: CancelCheck | None = None) -> None:
    from exporters.output import atomic_write

    data = render_pdf(book, progress, cancelled)
    atomic_write(Path(path), data)
