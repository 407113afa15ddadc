"""Identifiers and timestamps.

Plan and node IDs are derived (uuid5) from the plan's title and the node's
reference, so two colleagues who each import the same plan text get the same
IDs and their copies merge node for node. Everything else gets a random uuid4.
"""

from __future__ import annotations

import getpass
import re
import unicodedata
import uuid
from datetime import UTC, datetime

#: Namespace of all derived briefbook IDs (a fixed, random UUID).
NAMESPACE = uuid.UUID("6f1c2a3e-8d0b-4c5e-9a41-2b7e3f9d1c60")


def new_id() -> str:
    return str(uuid.uuid4())


def _identity(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).casefold()
    return re.sub(r"\s+", " ", text).strip()


def plan_id(title: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "plan:" + _identity(title)))


def node_id(plan: str, ref: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"node:{plan}:{ref}"))


def link_id(source_id: str, node: str) -> str:
    """Derived so that two copies linking the same source to the same node agree."""
    return str(uuid.uuid5(NAMESPACE, f"link:{source_id}:{node}"))


def attachment_id(source_id: str, sha256: str) -> str:
    """Derived so that the same bytes attached to the same source are one attachment."""
    return str(uuid.uuid5(NAMESPACE, f"attachment:{source_id}:{sha256}"))


def shipped_id(kind: str, key: str) -> str:
    """The id of a row the program ships (a seeded source, note, meeting, agenda
    entry): the same in every file, so two independently seeded files merge to
    one copy of the shipped data."""
    return str(uuid.uuid5(NAMESPACE, f"shipped:{kind}:{key}"))


#: Who the rows the program ships are written by: their `updated_by` until someone edits them
#: (a pack never lists such a row as a change, nor as the desk's work).
SHIPPED_BY = "briefbook (shipped data)"
#: The version stamp of a shipped row whose report gives no date: the earliest stamp there is,
#: shown nowhere as a date (unknown stays unknown).
UNDATED = "1970-01-01T00:00:00.000000Z"


def shipped_untouched(updated_by: str) -> bool:
    """Whether a row is as the program shipped it (nobody has changed it since)."""
    return updated_by == SHIPPED_BY


def undo_id(change_id: str) -> str:
    """The id of the status change that undoes `change_id`: derived, so the pair is
    recognised in every copy (the history is merged as a union, nothing is deleted)."""
    return str(uuid.uuid5(NAMESPACE, f"undo:{change_id}"))


def now() -> str:
    """UTC now as fixed-width ISO-8601 text; text order is time order."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers and services
        return "unknown"


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def partial_date(value: str | None) -> str | None:
    """Validate a possibly partial ISO date ("2024", "2024-06", "2024-06-16").

    Returns the normalised text, None for empty input; raises ValueError with a
    sentence for the user otherwise.
    """
    if value is None or not value.strip():
        return None
    value = value.strip()
    m = _PARTIAL_DATE.match(value)
    if not m:
        raise ValueError(f"{value!r} is not a date: write it as YYYY, YYYY-MM or YYYY-MM-DD.")
    year, month, day = m.groups()
    try:
        datetime(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueError(f"{value!r} is not a real date.") from None
    return value
