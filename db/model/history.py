"""The status history as a reader sees it: an undone change is not a change.

An undo records a change back (the history is append-only and merged between
copies as a union), with an id derived from the change it undoes
(`ids.undo_id`), so every copy can pair them and leave both out.
"""

from __future__ import annotations

from collections.abc import Sequence

from db.model.ids import undo_id
from db.model.values import StatusChange


def without_undone(changes: Sequence[StatusChange]) -> list[StatusChange]:
    """The changes, less each change that was undone and the change that undid it."""
    ids = {c.id for c in changes}
    gone: set[str] = set()
    for c in changes:
        u = undo_id(c.id)
        if u in ids:
            gone.update((c.id, u))
    return [c for c in changes if c.id not in gone] if gone else list(changes)
