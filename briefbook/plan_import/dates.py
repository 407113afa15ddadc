"""Dates in plan texts: closing date lines ("Tokyo, 14 June 2024") and bare dates."""

from __future__ import annotations

import datetime
import re

__all__ = ["find_closing_date", "parse_date"]

_MONTHS: dict[str, int] = {}
for _i, _name in enumerate(
    (
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
    ),
    start=1,
):
    _MONTHS[_name] = _i
    _MONTHS[_name[:3]] = _i
_MONTHS["sept"] = 9

_DAY = r"(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?"
_MONTH = r"(?P<m>[A-Za-z]+)\.?"
_YEAR = r"(?P<y>[0-9]{4})"
# Most specific first: "14 June 2024" must not be read as "June 2024".
_DATE_PATTERNS: tuple[str, ...] = (
    rf"{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}",
    rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}",
    r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})",
    rf"{_MONTH},?\s+{_YEAR}",
)
_DATE_RES = tuple(re.compile(rf"(?:^|(?<=[\s,]))(?:{p})\.?$", re.IGNORECASE) for p in _DATE_PATTERNS)


def _iso_from_match(m: re.Match[str]) -> str | None:
    """ISO date (or year-month) from a date match; None if not a real date."""
    groups = m.groupdict()
    month_text = groups["m"]
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower())
    if month is None or not 1 <= month <= 12:
        return None
    year = int(groups["y"])
    if groups.get("d") is None:
        return f"{year:04d}-{month:02d}" if year >= 1 else None
    try:
        return datetime.date(year, month, int(groups["d"])).isoformat()
    except ValueError:
        return None


def find_closing_date(text: str) -> tuple[str, str] | None:
    """(iso, prefix) when `text` ends with a date and is a plausible closing line.

    Accepts a bare date or a short lead such as "Tokyo," or "Done at Rome on";
    a sentence that merely ends with a date ("meet in June 2024") is not one.
    """
    for regex in _DATE_RES:
        m = regex.search(text)
        if m is None:
            continue
        iso = _iso_from_match(m)
        if iso is None:
            continue
        prefix = text[: m.start()].strip()
        lead = prefix.lower()
        if not prefix or (
            (lead.endswith(",") or lead == "on" or lead.endswith(" on")) and len(prefix.split()) <= 8
        ):
            return iso, prefix
        return None
    return None


def parse_date(text: str) -> str | None:
    """ISO date of a line that is only a date ("14th June 2024" -> "2024-06-14").

    "June 2024" gives "2024-06". Anything else gives None.
    """
    found = find_closing_date(text.strip())
    return found[0] if found is not None and not found[1] else None
