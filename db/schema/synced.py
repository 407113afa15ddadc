"""The one registry of synced tables: the tables whose rows travel between copies.

Every row of these tables carries the `db.schema.models.Synced` columns (a UUID key,
`updated_at`, `updated_by`, the `deleted_at` tombstone). The merge walks them
in this order (parents before children), `Briefing.counts()` and the file
check count them, and the search index covers some of them: all derive their
lists from here. It is plain data, not the models themselves, because the
facade runs without loading SQLAlchemy (see `db.disk.connections`);
`db.schema.models.SYNCED_MODELS` maps it onto the models, and
tests/test_schema_mapping.py fails when a model with the Synced columns is
missing here (or here without a model).
"""

from __future__ import annotations

from typing import NamedTuple


class SyncedTable(NamedTuple):
    """One synced table, by its name in the file and the kind reports call its rows."""

    table: str  # "note"
    kind: str  # "notes": the key of `Briefing.counts()` and of the merge report


SYNCED_TABLES: tuple[SyncedTable, ...] = (
    SyncedTable("plan", "plans"),
    SyncedTable("node", "nodes"),
    SyncedTable("note", "notes"),
    SyncedTable("source", "sources"),
    SyncedTable("source_link", "source_links"),
    SyncedTable("attachment", "attachments"),
    SyncedTable("meeting", "meetings"),
    SyncedTable("agenda_item", "agenda_items"),
    SyncedTable("clearance", "clearances"),
    SyncedTable("approval", "approvals"),
    SyncedTable("merge_conflict", "set_aside_values"),
)

#: The names of the synced tables, in registry order.
SYNCED_TABLE_NAMES: tuple[str, ...] = tuple(t.table for t in SYNCED_TABLES)
