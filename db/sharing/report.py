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
#: How many added or changed things of each kind the report names one by one (where,
#: what, who); the rest are counted, per kind and per person.
LISTED_CHANGES = 5
_KIND_OF: dict[str, str] = {t.table: t.kind for t in SYNCED_TABLES}


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


@dataclass(frozen=True)
class Change:
    """One thing the other copy added or changed, as the file now reads: where it is and who."""

    #: "added" or "updated"
    change: str
    table: str
    row_id: str
    #: the plan reference it belongs to ("" for a source or a meeting)
    ref: str
    #: what it is, in words ("the risk note on 3.2.1 (“…”)")
    what: str
    by: str
    #: the fields an update changed (columns: "place", "body", "deleted_at"…)
    fields: tuple[str, ...] = ()


#: How the report names a changed field.
_FIELD_WORDS = {
    "body": "text", "lead_office": "lead office", "points": "meeting points", "parent_id": "place in the plan",
    "published": "publication date", "deleted_at": "brought back", "retired_at": "removed from the plan",
    "adopted_on": "adoption date", "conflict_of": "conflicting copy", "node_id": "commitment",
    "meeting_id": "meeting", "source_id": "source",
}  # fmt: skip


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
    #: What came in already deleted (the other copy added and deleted it): the first
    #: `LISTED_DELETIONS` in words, and how many in all.
    arrived_deleted: list[str] = field(default_factory=list)
    arrived_deleted_count: int = 0
    #: The first `LISTED_CHANGES` things of each kind added or changed, each where and by whom.
    changes: list[Change] = field(default_factory=list)
    #: Every thing added or changed, counted per person who did it.
    changes_by: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return (self.status_changes_added > 0 or any(k.total for k in self.kinds.values()) or bool(self.collisions)
                or bool(self.arrived_deleted))

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
            "arrived_deleted": list(self.arrived_deleted),
            "arrived_deleted_count": self.arrived_deleted_count,
            "changes": [asdict(c) for c in self.changes],
            "changes_by": dict(self.changes_by),
        }

    def summary(self) -> list[str]:
        """Lines for a person: what collided (in words), one line per kind that
        changed, what was deleted, then the backup."""
        theirs = Path(self.theirs).name
        if not self.changed:
            lines = [f"Nothing new in {theirs}: this file already has everything in it."]
            if self.backup:  # only past versions of rows both hold came in (they tell later merges who changed what)
                lines = [f"Nothing new to see in {theirs}: only earlier versions of rows this file already has "
                         "came in.",
                         f"The file as it was before the merge is saved as {Path(self.backup).name}."]
            return lines
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
                lines += self._change_lines(name, k.added + k.updated)
        if self.status_changes_added:
            s = "" if self.status_changes_added == 1 else "s"
            lines.append(f"Status history: {self.status_changes_added} change{s} added.")
        if self.deletions:
            shown = self.deletions[:LISTED_DELETIONS]
            more = len(self.deletions) - len(shown)
            tail = f"; and {more} more" if more else ""
            lines.append(f"Deleted, as in {theirs}: {'; '.join(shown)}{tail}.")
        if self.arrived_deleted:
            shown = self.arrived_deleted
            more = self.arrived_deleted_count - len(shown)
            tail = f"; and {more} more" if more else ""
            lines.append(f"Came in deleted ({theirs} added and then deleted them): {'; '.join(shown)}{tail}.")
        if sum(self.changes_by.values()) > len(self.changes):
            people = "; ".join(f"{by or 'someone'}, {n:,}" for by, n in
                               sorted(self.changes_by.items(), key=lambda x: (-x[1], x[0])))
            lines.append(f"Added or changed, by whom: {people}.")
        if self.backup:
            lines.append(f"The file as it was before the merge is saved as {Path(self.backup).name}.")
        return lines

    def changes_in_words(self) -> list[str]:
        """What came in, besides the collisions: per kind, where each of the first things added
        or changed is and who did it; who did how much; what came in already deleted (the
        window's merge report shows these under the collisions)."""
        lines: list[str] = []
        for name, k in self.kinds.items():
            told = [line.strip() for line in self._change_lines(name, k.added + k.updated)]
            if told:
                lines.append(f"{name.replace('_', ' ').capitalize()}: " + " ".join(told))
        if sum(self.changes_by.values()) > len(self.changes):
            people = "; ".join(f"{by or 'someone'}, {n:,}" for by, n in
                               sorted(self.changes_by.items(), key=lambda x: (-x[1], x[0])))
            lines.append(f"Added or changed, by whom: {people}.")
        if self.arrived_deleted:
            more = self.arrived_deleted_count - len(self.arrived_deleted)
            lines.append(f"Came in deleted ({Path(self.theirs).name} added and then deleted them): "
                         f"{'; '.join(self.arrived_deleted)}{f'; and {more} more' if more else ''}.")
        return lines

    def _change_lines(self, kind: str, total: int) -> list[str]:
        """Where each added or changed thing of `kind` is and who did it (the first few, then how many more)."""
        grouped: dict[tuple[str, str], list[str]] = {}
        listed = 0
        for c in self.changes:
            if _KIND_OF.get(c.table) == kind:
                where = c.what if not c.ref or c.ref in c.what else f"{c.what} ({c.ref})"
                if c.fields:
                    where += f" ({', '.join(_FIELD_WORDS.get(f, f.replace('_', ' ')) for f in c.fields)})"
                grouped.setdefault((c.change, c.by), []).append(where)
                listed += 1
        lines = [f"  {'Added' if change == 'added' else 'Changed'} by {by or 'someone'}: {'; '.join(things)}."
                 for (change, by), things in grouped.items()]
        if total > listed and lines:
            lines.append(f"  … and {total - listed:,} more.")
        return lines
