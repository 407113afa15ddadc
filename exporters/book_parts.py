"""Parts of a briefing book made from what the builder (`exporters.book`) has read: how notes
are grouped and headed, annex letters and the sources appendix. (The steering page is
`exporters.steering`, the digest of changes `exporters.digest`.)"""

from __future__ import annotations

from collections.abc import Mapping

from db.model.values import LinkedSource
from exporters.book_model import QuoteLine, SourceEntry, SourcesPart
from exporters.markdown import safe_href
from exporters.text import clean, human_date

#: The order notes are set out in under each entry (a brief's order: what to say, what they may
#: ask and what we answer, what to ask, what could go wrong, what to tell the press, the news, the
#: background).
NOTE_ORDER: tuple[str, ...] = ("talking_point", "line_to_take", "if_raised", "question", "risk", "press_line",
                               "update", "background")
#: How each kind's group is headed: (one note, several).
GROUP_LABELS: dict[str, tuple[str, str]] = {
    "talking_point": ("Talking point", "Talking points"),
    "line_to_take": ("Line to take", "Lines to take"),
    "if_raised": ("If raised", "If raised"),
    "question": ("Question", "Questions"),
    "risk": ("Risk and handling", "Risks and handling"),
    "press_line": ("Press line", "Press lines"),
    "update": ("Update", "Updates"),
    "background": ("Background", "Background"),
}
#: What a source's address shows at most (the link holds the whole of it).
URL_SHOWN = 90


def group_label(kind: str, n: int) -> str:
    """The heading of a group of `n` notes of `kind`."""
    one, many = GROUP_LABELS.get(kind, (kind.replace("_", " ").capitalize(),) * 2)
    return one if n == 1 else many


def annex_letter(index: int) -> str:
    """A, B, ..., Z, AA, AB, ..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def shown_url(url: str) -> str:
    """A source's address as printed: whole when short, else its start with an ellipsis."""
    return url if len(url) <= URL_SHOWN else url[: URL_SHOWN - 1] + "…"


def sources_part(anchor: str, numbers: Mapping[str, int], cited: Mapping[str, LinkedSource],
                 quotes: Mapping[str, list[QuoteLine]]) -> SourcesPart:
    entries: list[SourceEntry] = []
    for sid, number in sorted(numbers.items(), key=lambda kv: kv[1]):
        link = cited[sid]
        s = link.source
        url = clean(s.url).strip()
        entries.append(
            SourceEntry(
                number=number,
                title=clean(s.title),
                outlet=clean(s.outlet),
                published=human_date(s.published),
                url=safe_href(url) if url else None,
                url_text=shown_url(url),
                excerpt=clean(s.excerpt),
                quotes=tuple(q for q in quotes.get(sid, ()) if q.quote),
                attachments=tuple(clean(a.filename) for a in link.attachments),
            )
        )
    return SourcesPart(anchor, "Sources", tuple(entries))
