"""New briefing files, seeded with the Japan-Italy Action Plan and its news reports.

The plan goes through the same importer users run on their own texts; the
sources, notes and meetings come from `resources/seed/seed.json`, which holds
only what the four reports state.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from briefbook.services.paths import SEED_DATA, SEED_DIR, SEED_PLAN, default_file
from briefbook.services.plan_import import import_plan_file
from db.briefing.facade import Briefing
from db.disk import atomic
from db.model import ids
from db.model.cancelling import Cancellation
from db.model.errors import DiskFull, InvalidInput
from db.model.ids import SHIPPED_BY, UNDATED, shipped_id

SEED_AUTHOR = SHIPPED_BY
#: The shipped plan's adoption (its closing line): the date of the plan's own rows.
PLAN_ADOPTED = "2024-06-14"
#: What a cancelled new file says.
CANCELLED = "The new file was not created; nothing was written."


def init_file(
    path: Path,
    empty: bool = False,
    user: str | None = None,
    progress: Callable[[str], None] | None = None,
    cancel: Cancellation | None = None,
) -> Briefing:
    """Create `path` and (unless `empty`) seed it, and open it. Built under a
    temporary name and renamed when complete, so a failure or a cancel leaves
    no half-seeded file (and no lock); the rename is the point of no return."""
    path = Path(path)
    tick = progress or (lambda label: None)
    cancel = cancel or Cancellation()
    cancel.check(CANCELLED)
    if path.exists():
        raise InvalidInput(f"{path} already exists; choose another name.")
    tick("Creating the file…")
    cancel.check(CANCELLED)
    author = SEED_AUTHOR if not empty else user
    try:
        with atomic.replacing(path, "seeding") as tmp:
            with Briefing.create(tmp, user=author) as b:
                if not empty:
                    seed(b, tick, cancel)
            tick("Saving the file…")
            cancel.point_of_no_return(CANCELLED)
    except DiskFull as exc:  # its sentence names the temporary file, which the user never sees
        raise DiskFull(f"The disk holding {path.parent} is full: {path.name} was not created; "
                       "free some space first.") from exc
    tick("Opening the file…")
    return Briefing.open(path, user=user)


def seed(
    briefing: Briefing, progress: Callable[[str], None] | None = None, cancel: Cancellation | None = None
) -> None:
    """Add the shipped plan, sources, notes and meetings.

    Every shipped row gets the same id in every file (derived from its place in
    the seed data) and is dated by its own source, not by the day the file was
    made: two colleagues who each seeded a file merge to one copy of the
    shipped data, and a pack's "changes since" lists none of it.
    """
    tick = progress or (lambda label: None)
    cancel = cancel or Cancellation()

    def step(label: str) -> None:
        tick(label)
        cancel.check(CANCELLED)

    data: dict[str, Any] = json.loads(SEED_DATA.read_text(encoding="utf-8"))
    dated: dict[str, str | None] = {s["key"]: s.get("published") for s in data["sources"]}
    briefing.clock = _clock(PLAN_ADOPTED)
    try:
        step("Importing the Japan-Italy Action Plan…")
        report = import_plan_file(briefing, SEED_PLAN)
        step("Adding the news reports…")

        def node(ref: str) -> str:
            return briefing.node_by_ref(ref, report.plan_id).id

        for s in data["sources"]:
            briefing.clock = _clock(s.get("published"))
            info = briefing.add_source(
                s["title"], outlet=s.get("outlet") or "", url=s.get("url") or "",
                published=s.get("published"), excerpt=s.get("excerpt") or "",
                row_id=shipped_id("source", s["key"]),
            )
            report_file = SEED_DIR / s["file"]
            briefing.add_attachment(info.id, report_file.name, report_file.read_bytes(), "text/plain")
            for link in s.get("links", []):
                briefing.link_source(info.id, node(link["ref"]), link.get("quote", ""))
        by_key = {s["key"]: s for s in data["sources"]}
        step("Adding the notes…")
        for i, n in enumerate(data.get("notes", [])):
            briefing.clock = _clock(dated.get(n.get("source", "")))
            author = sample_author(by_key.get(n.get("source", "")))
            briefing.add_note(node(n["ref"]), n["kind"], n["body"], author=author,
                              row_id=shipped_id("note", f"{i}:{n['ref']}:{n['kind']}"))
        step("Adding the meetings…")
        for m in data.get("meetings", []):
            briefing.clock = _clock(_meeting_source_date(m, dated))
            meeting = briefing.create_meeting(
                m["title"], date=m.get("date"), place=m.get("place", ""),
                participants=m.get("participants", ""), classification=m.get("classification", ""),
                purpose=m.get("purpose", ""), row_id=shipped_id("meeting", m["key"]),
            )
            for item in m.get("agenda", []):
                briefing.add_agenda_item(meeting.id, node(item["ref"]), item.get("points", ""),
                                         row_id=shipped_id("agenda", f"{m['key']}:{item['ref']}"))
    finally:
        briefing.clock = ids.now


def _meeting_source_date(meeting: dict[str, Any], dated: dict[str, str | None]) -> str | None:
    """A meeting is dated by the earliest dated report it comes from."""
    dates = sorted(d for key in meeting.get("sources", []) if (d := dated.get(key)))
    return dates[0] if dates else None


def sample_author(source: dict[str, Any] | None) -> str:
    """Who a shipped note is by: the report it was drawn from, said to be sample data (the date, where
    the report gives one, is the note's own)."""
    if not source:
        return "Sample data"
    return f"Sample data from {source.get('outlet') or '“' + source['title'] + '”'}"


def _clock(date: str | None) -> Callable[[], str]:
    stamp = _stamp_of(date)
    return lambda: stamp


def _stamp_of(date: str | None) -> str:
    """A version stamp from a (possibly partial) source date; a row whose source gives no date
    gets `UNDATED`, which nothing shows as a date."""
    if not date:
        return UNDATED
    year, month, day = [*date.split("-"), "01", "01"][:3]
    return f"{year}-{month}-{day}T00:00:00.000000Z"


def open_default(user: str | None = None) -> Briefing:
    """Open the user's default file, creating and seeding it on first run."""
    path = default_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        return init_file(path, user=user)
    return Briefing.open(path, user=user)
