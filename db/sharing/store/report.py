"""What a sync did: counts each way, collisions in words, what could not be sent."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from db.schema.synced import SYNCED_TABLES

#: Synced tables and the kind the report calls them (the file merge's names, from db.schema.synced).
TABLE_KINDS: dict[str, str] = {t.table: t.kind for t in SYNCED_TABLES}


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def total(self) -> int:
        return self.added + self.updated + self.deleted


def _kinds() -> dict[str, Counts]:
    return {k: Counts() for k in TABLE_KINDS.values()}


@dataclass
class SyncReport:
    """One sync. `up`: what went to the store; `down`: what came into the file."""

    address: str
    up: dict[str, Counts] = field(default_factory=_kinds)
    down: dict[str, Counts] = field(default_factory=_kinds)
    status_changes_up: int = 0
    status_changes_down: int = 0
    #: collisions (both sides changed one thing), each a sentence
    conflicts: list[str] = field(default_factory=list)
    #: changes of this file that stay unsent (no write rights on the store)
    not_sent: int = 0
    read_only: bool = False
    #: the store's change number this file is now up to date with
    store_seq: int = 0
    created_file: bool = False
    #: the copy of this file as it was before the sync wrote into it ("" when nothing came down)
    backup: str = ""

    @property
    def changes_here(self) -> bool:
        """Whether the sync brings anything into this file."""
        return bool(self.status_changes_down or any(c.total for c in self.down.values()))

    @property
    def changed(self) -> bool:
        return bool(
            self.status_changes_up
            or self.status_changes_down
            or any(c.total for c in self.up.values())
            or any(c.total for c in self.down.values())
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "store": self.address,
            "changed": self.changed,
            "up": {k: asdict(c) for k, c in self.up.items()},
            "down": {k: asdict(c) for k, c in self.down.items()},
            "status_changes_up": self.status_changes_up,
            "status_changes_down": self.status_changes_down,
            "conflicts": list(self.conflicts),
            "not_sent": self.not_sent,
            "read_only": self.read_only,
            "store_seq": self.store_seq,
            "created_file": self.created_file,
            "backup": self.backup,
        }

    def summary(self) -> list[str]:
        """Lines for a person."""
        lines: list[str] = []
        if self.created_file:
            lines.append(f"Made this file from the team store at {self.address}.")
        up, down = _describe(self.up, self.status_changes_up), _describe(self.down, self.status_changes_down)
        if not up and not down and not self.not_sent:
            lines.append(f"In step with the team store at {self.address}: nothing to send, nothing new.")
        if up:
            lines.append(f"Sent to the team store: {up}.")
        if down:
            lines.append(f"Brought in from the team store: {down}.")
        lines.extend(self.conflicts)
        if self.backup:
            lines.append(f"The file as it was before the sync is saved beside it as {Path(self.backup).name}.")
        if self.not_sent:
            s = "" if self.not_sent == 1 else "s"
            lines.append(
                f"{self.not_sent} change{s} of this file could not be sent: your login may read the team "
                "store but not write to it (they stay in this file and go up once you may write)."
            )
        return lines


def _describe(kinds: dict[str, Counts], status_changes: int) -> str:
    parts = []
    for name, c in kinds.items():
        bits = [
            f"{n} {label}" for n, label in ((c.added, "added"), (c.updated, "updated"), (c.deleted, "deleted")) if n
        ]
        if bits:
            parts.append(f"{name.replace('_', ' ')} {', '.join(bits)}")
    if status_changes:
        parts.append(f"{status_changes} status change{'' if status_changes == 1 else 's'}")
    return "; ".join(parts)
