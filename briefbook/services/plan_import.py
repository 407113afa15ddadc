"""Import a plan from its text: read, parse, store."""

from __future__ import annotations

from pathlib import Path

from briefbook.plan_parser import PlanParseError, parse_plan
from db.briefing import Briefing
from db.errors import BriefbookError
from db.values import ImportReport, PlanDraft


class PlanTextError(BriefbookError):
    """The plan text could not be read or did not parse (the file was not changed)."""


def read_plan_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PlanTextError(f"There is no plan text at {path}.") from None
    except IsADirectoryError:
        raise PlanTextError(f"{path} is a folder, not a plan text.") from None
    except OSError as exc:
        raise PlanTextError(f"{path} cannot be read ({exc.strerror}).") from None
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise PlanTextError(f"{path} is not a text file (save the plan as UTF-8 text).")


def parse_plan_file(path: Path) -> PlanDraft:
    text = read_plan_text(path)
    try:
        return parse_plan(text)
    except PlanParseError as exc:
        raise PlanTextError(f"{path.name}: {exc}") from None


def import_plan_file(briefing: Briefing, path: Path) -> ImportReport:
    """Parse first, then store: a text that does not parse changes nothing."""
    return briefing.import_plan(parse_plan_file(path))
