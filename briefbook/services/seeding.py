"""New briefing files, seeded with the Japan-Italy Action Plan and its news reports.

The plan goes through the same importer users run on their own texts; the
sources, notes and meetings come from `resources/seed/seed.json`, which holds
only what the four reports state.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from briefbook.services.paths import SEED_DATA, SEED_DIR, SEED_PLAN, default_file
from briefbook.services.plan_import import import_plan_file
from db import atomic
from db.briefing import Briefing
from db.errors import InvalidInput

SEED_AUTHOR = "briefbook (shipped data)"


def init_file(path: Path, empty: bool = False, user: str | None = None) -> Briefing:
    """Create `path` and (unless `empty`) seed it. Built under a temporary name
    and renamed when complete, so a failure leaves no half-seeded file."""
    path = Path(path)
    if path.exists():
        raise InvalidInput(f"{path} already exists; choose another name.")
    with atomic.replacing(path, "seeding") as tmp, Briefing.create(tmp, user=SEED_AUTHOR if not empty else user) as b:
        if not empty:
            seed(b)
    return Briefing.open(path, user=user)


def seed(briefing: Briefing) -> None:
    report = import_plan_file(briefing, SEED_PLAN)
    data: dict[str, Any] = json.loads(SEED_DATA.read_text(encoding="utf-8"))

    def node(ref: str) -> str:
        return briefing.node_by_ref(ref, report.plan_id).id

    sources: dict[str, str] = {}
    for s in data["sources"]:
        info = briefing.add_source(
            s["title"], outlet=s.get("outlet") or "", url=s.get("url") or "",
            published=s.get("published"), excerpt=s.get("excerpt") or "",
        )
        sources[s["key"]] = info.id
        report_file = SEED_DIR / s["file"]
        briefing.add_attachment(info.id, report_file.name, report_file.read_bytes(), "text/plain")
        for link in s.get("links", []):
            briefing.link_source(info.id, node(link["ref"]), link.get("quote", ""))
    for n in data.get("notes", []):
        briefing.add_note(node(n["ref"]), n["kind"], n["body"], author=SEED_AUTHOR)
    for m in data.get("meetings", []):
        meeting = briefing.create_meeting(
            m["title"], date=m.get("date"), place=m.get("place", ""),
            participants=m.get("participants", ""), classification=m.get("classification", ""),
            purpose=m.get("purpose", ""),
        )
        for item in m.get("agenda", []):
            briefing.add_agenda_item(meeting.id, node(item["ref"]), item.get("points", ""))


def open_default(user: str | None = None) -> Briefing:
    """Open the user's default file, creating and seeding it on first run."""
    path = default_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        return init_file(path, user=user)
    return Briefing.open(path, user=user)
