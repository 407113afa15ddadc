"""What a merge did, for a person and for a script: counts per kind of row, and
each collision of two people's work told in words (who, what, which reference,
where the other version is)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from db.schema.synced import SYNCED_TABLES

#: Where a set-aside value can be seen and restored.
SET_ASIDE_PLACE = "File > Conflicts in the window, or 'briefbook conflicts'"
#: How many deleted rows the summary names one by one.
LISTED_DELETIONS = 20


@dataclass
class KindReport:
    added: int = 0
    updated: int = 0
    conflicts: int = 0
    deleted: int = 0

    @property
    def total(self) -> int:
        return self.added + self.updated + self.conflicts + self.deleted


@dataclass(frozen=True)
class Collision:
    """Two people's work met in one row. `sentence` says it to the user."""

    #: "set_aside" (a text field: the other value kept in Conflicts), "set_aside_both"
    #: (two copies each restored one set-aside value: both versions kept), "note_copy"
    #: (a note rewritten on both sides: a conflicting copy kept), "status",
    #: "order" (agenda order), "field" (a small field: the other value named),
    #: "edit_kept" (an edit beat a deletion it had not seen), "node_kept" (a
    #: node a revised plan dropped stays: things hang on it), "duplicate".
    kind: str
    table: str
    row_id: str
    ref: str
    sentence: str


@dataclass
class MergeReport:
    """What a merge did. `to_json()` gives plain JSON values."""

    theirs: str
    kinds: dict[str, KindReport] = field(default_factory=lambda: {t.kind: KindReport() for t in SYNCED_TABLES})
    status_changes_added: int = 0
    attachments_bytes_added: int = 0
    backup: str | None = None
    collisions: list[Collision] = field(default_factory=list)
    #: What the merge deleted here (as the other copy had deleted it), in words.
    deletions: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.status_changes_added > 0 or any(k.total for k in self.kinds.values()) or bool(self.collisions)

    @property
    def conflicts(self) -> int:
        return sum(k.conflicts for k in self.kinds.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "theirs": self.theirs,
            "changed": self.changed,
            "backup": self.backup,
            "kinds": {name: asdict(k) for name, k in self.kinds.items()},
            "status_changes_added": self.status_changes_added,
            "attachment_bytes_added": self.attachments_bytes_added,
            "collisions": [asdict(c) for c in self.collisions],
            "deletions": list(self.deletions),
        }

    def summary(self) -> list[str]:
        """Lines for a person: what collided (in words), one line per kind that
        changed, what was deleted, then the backup."""
        if not self.changed:
            return [f"Nothing new in {Path(self.theirs).name}: this file already has everything in it."]
        lines = [c.sentence for c in self.collisions]
        for name, k in self.kinds.items():
            parts = [
                f"{n} {label}"
                for n, label in (
                    (k.added, "added"),
                    (k.updated, "updated"),
                    (k.conflicts, "conflicting " + ("copy" if k.conflicts == 1 else "copies") + " kept"),
                    (k.deleted, "deleted"),
                )
                if n
            ]
            if parts:
                lines.append(f"{name.replace('_', ' ').capitalize()}: {', '.join(parts)}.")
        if self.status_changes_added:
            s = "" if self.status_changes_added == 1 else "s"
            lines.append(f"Status history: {self.status_changes_added} change{s} added.")
        if self.deletions:
            shown = self.deletions[:LISTED_DELETIONS]
            more = len(self.deletions) - len(shown)
            tail = f"; and {more} more" if more else ""
            lines.append(f"Deleted, as in {Path(self.theirs).name}: {'; '.join(shown)}{tail}.")
        if self.backup:
            lines.append(f"The file as it was before the merge is saved as {Path(self.backup).name}.")
        return lines
