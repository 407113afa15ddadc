"""What a field of a note, source, meeting or status change may hold.

The facade applies these rules before it writes (raising `InvalidInput` with
the sentence), and the dialogs call the same functions to say what is wrong
before they close (the `*_problem` functions: the sentence, or None when the
values can be saved). One rule, one sentence, wherever it is checked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from db.model import ids
from db.model.errors import InvalidInput
from db.model.values import ASK_KIND, NOTE_KIND_LABELS, NOTE_KINDS, STATUS_LABELS, STATUSES, STATUSES_NEEDING_COMMENT

MEETING_FIELDS = ("title", "date", "place", "participants", "classification", "purpose", "objectives", "press_line")
SOURCE_FIELDS = ("title", "outlet", "url", "published", "excerpt")


def check_known(fields: Mapping[str, Any], known: tuple[str, ...], what: str) -> None:
    """Refuse a field name `what` ("Sources") do not have."""
    unknown = set(fields) - set(known)
    if unknown:
        raise InvalidInput(f"{what} have no field {sorted(unknown)[0]!r}.")


def _problem(check: Callable[..., object], *args: Any) -> str | None:
    try:
        check(*args)
    except InvalidInput as exc:
        return str(exc)
    return None


# -- notes ----------------------------------------------------------------------------


def check_note_kind(kind: str) -> None:
    if kind not in NOTE_KINDS:
        raise InvalidInput(f"{kind!r} is not a note kind; use one of: {', '.join(NOTE_KINDS)}.")


def check_response(kind: str, response: str) -> None:
    """Only an "if raised" note (their ask) has a response (ours)."""
    if response.strip() and kind != ASK_KIND:
        raise InvalidInput(f"Only an “{NOTE_KIND_LABELS[ASK_KIND]}” note has a response; this note is "
                           f"a {NOTE_KIND_LABELS.get(kind, kind).lower()}.")


def note_problem(kind: str, body: str) -> str | None:
    """For the note dialog, which saves no empty note (the facade itself takes one:
    a merged or imported note may be empty)."""
    if not body.strip():
        return "A note needs some text."
    return _problem(check_note_kind, kind)


# -- sources --------------------------------------------------------------------------


def source_values(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The source's columns from what was entered; raises `InvalidInput` with the sentence."""
    check_known(fields, SOURCE_FIELDS, "Sources")
    title = (fields.get("title") or "").strip()
    if not title:
        raise InvalidInput("A source needs a title.")
    return {
        "title": title,
        "outlet": (fields.get("outlet") or "").strip(),
        "url": (fields.get("url") or "").strip(),
        "published": _partial_date(fields.get("published")),
        "excerpt": fields.get("excerpt") or "",
    }


def source_problem(fields: Mapping[str, Any]) -> str | None:
    return _problem(source_values, fields)


# -- meetings -------------------------------------------------------------------------


def meeting_values(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The meeting's columns from what was entered; raises `InvalidInput` with the sentence."""
    check_known(fields, MEETING_FIELDS, "Meetings")
    title = (fields.get("title") or "").strip()
    if not title:
        raise InvalidInput("A meeting needs a title.")
    date = _partial_date(fields.get("date"))
    values = {k: (fields.get(k) or "") for k in MEETING_FIELDS}
    values.update(title=title, date=date)
    return values


def meeting_problem(fields: Mapping[str, Any]) -> str | None:
    return _problem(meeting_values, fields)


# -- status changes -------------------------------------------------------------------


def gaps_filled(keep: object, other: object, fields: tuple[str, ...]) -> dict[str, Any]:
    """Combining two records of one thing: the fields `keep` leaves empty and `other` has."""
    return {f: getattr(other, f) for f in fields if not getattr(keep, f) and getattr(other, f)}


def needs_comment(status: str) -> bool:
    """Whether setting `status` needs a comment (what stands in the way)."""
    return status in STATUSES_NEEDING_COMMENT


def check_status(status: str, comment: str) -> None:
    """`comment` as it is stored (stripped) must suit `status`; raises `InvalidInput`."""
    if status not in STATUSES:
        raise InvalidInput(f"{status!r} is not a status; use one of: {', '.join(STATUSES)}.")
    if needs_comment(status) and not comment.strip():
        raise InvalidInput(f"Setting a commitment to “{STATUS_LABELS[status]}” needs a comment.")


def status_problem(status: str, comment: str) -> str | None:
    return _problem(check_status, status, comment)


def _partial_date(value: str | None) -> str | None:
    try:
        return ids.partial_date(value)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
