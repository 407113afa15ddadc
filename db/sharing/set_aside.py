"""Which fields a merge sets aside when two people changed them, for the user to restore.

A note's other text is kept whole, as a conflicting copy beside the note; the
other value of these fields is kept as a `merge_conflict` row, which File >
Conflicts… (`db.briefing.conflicts`) restores or dismisses.
"""

from __future__ import annotations

#: Text fields whose set-aside value is kept as a `merge_conflict` row the user
#: can restore (a note's text is kept as a whole conflicting note instead).
SET_ASIDE_FIELDS: dict[str, tuple[str, ...]] = {
    "plan": ("parties", "period", "adopted_on", "preamble"),
    "node": ("title", "text", "lead_office"),
    "source": ("title", "outlet", "url", "published", "excerpt"),
    "source_link": ("quote",),
    "attachment": ("filename",),
    "note": ("response",),
    "meeting": ("title", "date", "place", "participants", "classification", "purpose", "objectives", "press_line"),
    "agenda_item": ("points", "objective"),
}

#: Fields whose clash needs no telling: either value is right (when a node was
#: marked as removed from the plan, by two imports of the same revision).
QUIET_FIELDS: dict[str, tuple[str, ...]] = {"node": ("retired_at",)}
