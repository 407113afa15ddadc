"""Showing possibly partial dates ("2024", "2024-06", "2024-06-16") to people."""

from __future__ import annotations

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def readable_date(value: str | None, unknown: str = "date unknown") -> str:
    """"2024-06-16" -> "16 June 2024", "2024-06" -> "June 2024", "2024" -> "2024"."""
    if not value:
        return unknown
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        pass  # not ours to judge here: show what the file holds
    return value


def date_sort_key(value: str | None) -> tuple[bool, str]:
    """Known dates first, oldest first; unknown ones last."""
    return (value is None or value == "", value or "")
