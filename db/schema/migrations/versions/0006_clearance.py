"""clearance: who cleared each part of a meeting's brief, bound to the text they cleared; approval of the pack

Revision ID: 0006
Revises: 0004
Schema version 6.

- `clearance`: one row per act (submitted to a clearer, cleared by one) on one
  agenda entry of a meeting (`agenda_item_id`) or on the meeting's front matter
  (`agenda_item_id` NULL). `content_sha256` is the SHA-256 of the entry's text
  at that moment and `content` that text (JSON), so a later edit is told apart
  and named. Rows are only ever added (a new id per act), so two laptops'
  clearances merge as two rows, never one overwriting the other; an entry's
  state is its newest row, checked against the entry's text now.
- `approval`: the private office's approval of the whole pack, bound to the
  SHA-256 of all its entries' texts.

Both are synced tables with the row-version trigger of every synced table. The
trigger's column lists are frozen at this revision.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None

#: The synced columns, at this revision, of the new tables (for the row-version triggers).
SYNCED_COLUMNS: dict[str, tuple[str, ...]] = {
    "clearance": ("meeting_id", "agenda_item_id", "state", "clearer", "made_at", "comment",
                  "content_sha256", "content"),
    "approval": ("meeting_id", "approver", "made_at", "comment", "content_sha256"),
}
META = ("id", "updated_at", "updated_by", "deleted_at")


def _synced_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("deleted_at", sa.String(length=32), nullable=True),
    ]


def _trigger(table: str, columns: tuple[str, ...]) -> str:
    pairs = ", ".join(f"'{c}', old.{c}" for c in (*META, *columns))
    return (
        f"CREATE TRIGGER row_version_{table} AFTER UPDATE ON {table} "
        "WHEN old.updated_at IS NOT new.updated_at BEGIN "
        "INSERT OR IGNORE INTO row_version (row_id, updated_at, body, data) "
        f"VALUES (old.id, old.updated_at, NULL, json_object({pairs})); END"
    )


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "clearance",
        sa.Column("meeting_id", sa.String(length=36), nullable=False),
        sa.Column("agenda_item_id", sa.String(length=36), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("clearer", sa.String(length=200), nullable=False),
        sa.Column("made_at", sa.String(length=32), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        *_synced_columns(),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.ForeignKeyConstraint(["agenda_item_id"], ["agenda_item.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_clearance_meeting", "clearance", ["meeting_id"])
    op.create_table(
        "approval",
        sa.Column("meeting_id", sa.String(length=36), nullable=False),
        sa.Column("approver", sa.String(length=200), nullable=False),
        sa.Column("made_at", sa.String(length=32), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        *_synced_columns(),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_approval_meeting", "approval", ["meeting_id"])
    for table, columns in SYNCED_COLUMNS.items():
        if sqlite:
            op.execute(_trigger(table, columns))
        else:  # the team store's function (revision 0003) takes the whole row
            op.execute(f"CREATE TRIGGER row_version_{table} AFTER UPDATE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION row_version_record()")
    if sqlite:
        op.execute("PRAGMA user_version = 6")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in SYNCED_COLUMNS:
        op.execute(f"DROP TRIGGER IF EXISTS row_version_{table}" + ("" if sqlite else f" ON {table}"))
    op.drop_index("ix_approval_meeting", table_name="approval")
    op.drop_table("approval")
    op.drop_index("ix_clearance_meeting", table_name="clearance")
    op.drop_table("clearance")
    if sqlite:
        op.execute("PRAGMA user_version = 4")
