"""Text helpers shared by the book builder and both renderers."""

from __future__ import annotations

import re
from datetime import date
from typing import Protocol

from db.model.ids import SHIPPED_BY, UNDATED

# Characters neither an XML document (DOCX) nor a PDF text string can hold, or
# that would act instead of print: C0 controls other than tab and newline, DEL,
# C1 controls, lone surrogates, U+FFFE/U+FFFF, and the bidi embedding, override
# and isolate controls (which can make "desserts" read "stressed"). Each is shown
# as a visible mark, so a reader sees that something was there.
_SHOWN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


def _mark(m: re.Match[str]) -> str:
    cp = ord(m.group())
    if cp < 0x20:
        return chr(0x2400 + cp)  # the Control Pictures block: ␀, ␋, ␌ ...
    if cp == 0x7F:
        return "\u2421"  # ␡
    return f"[U+{cp:04X}]"

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def clean(text: str | None) -> str:
    """User text as a document prints it: the characters it cannot hold, or that would
    reorder or hide text, replaced by visible marks ("␀", "[U+202E]"); nothing else changed."""
    if not text:
        return ""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _SHOWN.sub(_mark, text)


def human_date(value: str | None, unknown: str = "") -> str:
    """ "2024-02-05" -> "5 February 2024", "2024-06" -> "June 2024", "2024" -> "2024";
    `unknown` (default "") when there is no date. The exports and the window both use it."""
    if not value:
        return unknown
    parts = value[:10].split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        return value
    return parts[0]


def written_on(stamp: str | None) -> str:
    """The human date of a row's stamp; none for a shipped row whose report gives no date."""
    return "" if stamp == UNDATED else human_date(stamp)


def byline_author(author: str) -> str:
    """Who a note is by, as a byline prints it: a note shipped by an older briefbook (signed by
    the program itself) is sample data, not the desk's work."""
    return "Sample data" if author == SHIPPED_BY else clean(author)


def today_iso() -> str:
    return date.today().isoformat()


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word where possible, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    if len(cut) < limit // 2:
        cut = text[:limit]
    return cut.rstrip(" ,;:.") + "…"


def status_since(status: StatusLike) -> str:
    """ "since 7 December 2026, by Maria Rossi (MOFA)": when and by whom a status was last set
    (a name may hold parentheses of its own, so none are added around it)."""
    if not status.changed_on:
        return ""
    return f"since {status.changed_on}" + (f", by {status.changed_by}" if status.changed_by else "")


class StatusLike(Protocol):
    @property
    def changed_on(self) -> str: ...
    @property
    def changed_by(self) -> str: ...


def escape(text: str, quote: bool = False) -> str:
    """`&`, `<` and `>` as entities (and `"` with `quote`, for attribute values), so
    user text is never read as markup.

    What `xml.sax.saxutils.escape` does; that module imports `urllib.request`
    (http, email, ssl), a tenth of an export command's start-up.
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text
