"""Import a plan from its text: read, parse, store."""

from __future__ import annotations

from pathlib import Path

from briefbook.plan_parser import PlanParseError, parse_plan
from db.briefing import Briefing
from db.errors import BriefbookError, InvalidInput
from db.reading import MAX_PLAN_TEXT_BYTES, read_bounded
from db.values import ImportReport, PlanDraft


class PlanTextError(BriefbookError):
    """The plan text could not be read or did not parse (the file was not changed)."""


def read_plan_text(path: Path) -> str:
    if not path.exists():
        raise PlanTextError(f"There is no plan text at {path}.")
    try:  # a regular file only (a FIFO would block for ever), of a plan text's size
        raw = read_bounded(path, MAX_PLAN_TEXT_BYTES, f"{path.name} cannot be read as a plan text")
    except InvalidInput as exc:
        raise PlanTextError(str(exc)) from None
    if not raw:
        return ""
    text = _decode(raw)
    if text is None or "\x00" in text:
        raise PlanTextError(f"{path} is not a text file (save the plan as UTF-8 text).")
    if not text:
        raise PlanTextError(
            f"{path} is not UTF-8 text (it looks like an older 8-bit encoding such as Latin-1): "
            "save the plan as UTF-8 text and import it again."
        )
    return text


def _decode(raw: bytes) -> str | None:
    """The text of `raw` in UTF-8 or UTF-16 (with a BOM, or without: told by where its zero bytes are);
    "" for 8-bit text that is not UTF-8, None for bytes that are not text at all."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    elif len(raw) >= 4 and raw.count(0) * 3 > len(raw):  # ASCII in UTF-16: every other byte is zero
        zeros_first = raw[0:200:2].count(0) > raw[1:200:2].count(0)
        encodings = ("utf-16-be",) if zeros_first else ("utf-16-le",)
    else:
        encodings = ("utf-8-sig",)
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return "" if encodings == ("utf-8-sig",) and 0 not in raw else None


def parse_plan_file(path: Path) -> PlanDraft:
    text = read_plan_text(path)
    try:
        return parse_plan(text)
    except PlanParseError as exc:
        raise PlanTextError(f"{path.name}: {exc}") from None


def import_plan_file(briefing: Briefing, path: Path) -> ImportReport:
    """Parse first, then store: a text that does not parse changes nothing."""
    return briefing.import_plan(parse_plan_file(path))
