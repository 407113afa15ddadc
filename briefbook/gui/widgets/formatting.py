"""How the window writes times and dates."""

from __future__ import annotations

from datetime import UTC, datetime

from db.model.ids import UNDATED


def local_time(stamp: str | None) -> str:
    """A stored UTC timestamp ("2025-03-01T09:00:00.000000Z") in the user's local time."""
    if not stamp or stamp == UNDATED:  # a shipped row whose report gives no date
        return ""
    try:
        moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError:
        return stamp
    return moment.astimezone().strftime("%d %b %Y %H:%M").lstrip("0")
