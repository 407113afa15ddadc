"""the brief a principal reads: a meeting's objectives and press line, an agenda entry's objective,
a note's response and key flag

Revision ID: 0004
Revises: 0003
Schema version 4.

- `meeting.objectives` (what the desk wants from the meeting, one a line) and
  `meeting.press_line` (what may be said to the press), printed on the pack's
  steering page.
- `agenda_item.objective`: what the desk wants from that item, at the head of
  its section.
- `note.response`: the answer to an "if raised" note (its text is their ask);
  `note.is_key`: 1 for a note chosen as a key message of the steering page.
- New note kinds (`if_raised`, `press_line`) are values, not schema.

Each column has a default the file itself holds (SQLite cannot add a NOT NULL
column without one), so a row another program inserts without it is still
valid. The row-version triggers list a table's columns on SQLite, so those of
the three tables are made again with the new columns (PostgreSQL's take the
whole row and need nothing).

The column lists below are frozen at this revision: a migration describes the
schema as it was, never the live models.
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

#: (table, column, declaration) added by this revision.
ADDED: tuple[tuple[str, str, str], ...] = (
    ("meeting", "objectives", "TEXT DEFAULT '' NOT NULL"),
    ("meeting", "press_line", "TEXT DEFAULT '' NOT NULL"),
    ("agenda_item", "objective", "TEXT DEFAULT '' NOT NULL"),
    ("note", "response", "TEXT DEFAULT '' NOT NULL"),
    ("note", "is_key", "INTEGER DEFAULT 0 NOT NULL"),
)
#: The synced columns, at this revision, of the tables whose triggers change.
SYNCED_COLUMNS: dict[str, tuple[str, ...]] = {
    "note": ("node_id", "kind", "body", "author", "position", "created_at", "conflict_of", "response", "is_key"),
    "meeting": ("title", "date", "place", "participants", "classification", "purpose", "objectives", "press_line"),
    "agenda_item": ("meeting_id", "node_id", "position", "points", "objective"),
}
#: The same tables' columns at revision 0003 (for the downgrade).
BEFORE: dict[str, tuple[str, ...]] = {
    "note": ("node_id", "kind", "body", "author", "position", "created_at", "conflict_of"),
    "meeting": ("title", "date", "place", "participants", "classification", "purpose"),
    "agenda_item": ("meeting_id", "node_id", "position", "points"),
}
META = ("id", "updated_at", "updated_by", "deleted_at")


def _trigger(table: str, columns: tuple[str, ...]) -> str:
    pairs = ", ".join(f"'{c}', old.{c}" for c in (*META, *columns))
    body = "old.body" if table == "note" else "NULL"
    return (
        f"CREATE TRIGGER row_version_{table} AFTER UPDATE ON {table} "
        "WHEN old.updated_at IS NOT new.updated_at BEGIN "
        "INSERT OR IGNORE INTO row_version (row_id, updated_at, body, data) "
        f"VALUES (old.id, old.updated_at, {body}, json_object({pairs})); END"
    )


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, column, declaration in ADDED:
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
    if not sqlite:
        return
    for table, columns in SYNCED_COLUMNS.items():
        op.execute(f"DROP TRIGGER IF EXISTS row_version_{table}")
        op.execute(_trigger(table, columns))
    op.execute("PRAGMA user_version = 4")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for table in SYNCED_COLUMNS:
            op.execute(f"DROP TRIGGER IF EXISTS row_version_{table}")
    for table, column, _declaration in reversed(ADDED):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    if sqlite:
        for table, columns in BEFORE.items():
            op.execute(_trigger(table, columns))
        op.execute("PRAGMA user_version = 3")
