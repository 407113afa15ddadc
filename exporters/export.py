"""One call from a file to a finished export: build the book, render it, write it atomically.

Shared by the command line and the window (which runs it in a worker with a
progress dialog); nothing here knows about either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from db.briefing.facade import Briefing
from db.model.errors import InvalidInput
from exporters.book import BookOptions, build_meeting_book, build_plan_book
from exporters.book_model import Book, CancelCheck, Progress
from exporters.gc_pause import gc_paused
from exporters.output import atomic_write, check_target

FORMATS: tuple[str, ...] = ("pdf", "docx")
FORMAT_LABELS: dict[str, str] = {"pdf": "PDF document", "docx": "Word document"}


@dataclass(frozen=True)
class Scope:
    """What to export: a meeting's pack, a whole plan, or one area of a plan."""

    meeting_id: str | None = None
    plan_id: str | None = None
    area_ref: str | None = None

    def __post_init__(self) -> None:
        if (self.meeting_id is None) == (self.plan_id is None):
            raise InvalidInput("Export either a meeting or a plan.")


def format_for(path: Path, explicit: str | None = None) -> str:
    """The format asked for, or the one the file name's suffix names."""
    if explicit:
        fmt = explicit.lower().lstrip(".")
        if fmt not in FORMATS:
            raise InvalidInput(f"{explicit!r} is not an export format; use pdf or docx.")
        return fmt
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise InvalidInput(f"Cannot tell the format from the name {Path(path).name!r}; end it in .pdf or .docx.")


def build_book(
    briefing: Briefing,
    scope: Scope,
    options: BookOptions | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> Book:
    """The book, read from one moment of the file: an edit saved in the window while the
    export reads cannot leave a pack half before and half after it."""
    with briefing.one_read():
        if scope.meeting_id is not None:
            return build_meeting_book(briefing, scope.meeting_id, options, progress, cancelled)
        assert scope.plan_id is not None
        return build_plan_book(briefing, scope.plan_id, scope.area_ref, options, progress, cancelled)


def render(book: Book, fmt: str, progress: Progress | None = None, cancelled: CancelCheck | None = None,
           page_numbers: bool = True) -> bytes:
    """The book's bytes; `page_numbers` (Word): lay it out with LibreOffice where installed."""
    if fmt == "pdf":
        from exporters.pdf import render_pdf

        return render_pdf(book, progress, cancelled)
    from exporters.docx import render_docx

    return render_docx(book, progress, cancelled, page_numbers)


def export(
    briefing: Briefing,
    scope: Scope,
    out: Path,
    fmt: str | None = None,
    options: BookOptions | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    warn: Callable[[str], None] | None = None,
    page_numbers: bool = True,
    no_return: Callable[[], None] | None = None,
) -> Path:
    """Write the book of `scope` to `out`; returns the path written.

    `progress(done, total)` is called along the way (total is 1000) and
    `cancelled()` is polled; a cancelled or failed export leaves any previous
    file at `out` untouched. `no_return()` is called once the book is rendered,
    just before the file is written: its point of no return (`db.model.cancelling`;
    it raises `Cancelled` if a cancel came first). `warn(sentence)` hears what
    the reader should know (no marking, an empty agenda, no notes).
    """
    out = Path(out)
    fmt = format_for(out, fmt)
    check_target(out)  # refuse at once, not after a minute of work

    def stage(start: int, span: int) -> Progress | None:
        if progress is None:
            return None
        return lambda done, total: progress(start + int(span * done / max(total, 1)), 1000)

    with gc_paused():
        book = build_book(briefing, scope, options, stage(0, 100), cancelled)
        if warn is not None:
            for sentence in book.warnings:
                warn(sentence)
        data = render(book, fmt, stage(100, 880), cancelled, page_numbers)
    if no_return is not None:
        no_return()
    atomic_write(out, data)
    if progress is not None:
        progress(1000, 1000)
    return out
