"""field-by-field merge: whole past versions, set-aside values, nodes removed from a plan

Revision ID: 0003
Revises: 0002
Schema version 3.

- `row_version.data`: the whole previous version of the row (JSON), not only
  its stamp, so a merge can compare each field with the common ancestor and
  take a field changed on one side only from that side.
- `merge_conflict`: a value a merge set aside because both copies changed the
  same field (the other text stays where the user can see and restore it).
  Synced like any content row, so both copies end up listing it.
- `node.retired_at`: a node a revised plan text no longer has, kept visible
  because notes, sources or an agenda entry hang on it.

The column lists below are frozen at this revision: a migration describes the
schema as it was, never the live models.
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SYNCED_COLUMNS: dict[str, tuple[str, ...]] = {
    "plan": ("title", "parties", "period", "adopted_on", "preamble"),
    "node": ("plan_id", "parent_id", "kind", "ref", "position", "title", "text", "status", "lead_office",
             "status_changed_at", "status_changed_by", "retired_at"),
    "note": ("node_id", "kind", "body", "author", "position", "created_at", "conflict_of"),
    "source": ("title", "outlet", "url", "published", "excerpt"),
    "source_link": ("source_id", "node_id", "quote"),
    "attachment": ("source_id", "filename", "media_type", "sha256", "added_at"),
    "meeting": ("title", "date", "place", "participants", "classification", "purpose"),
    "agenda_item": ("meeting_id", "node_id", "position", "points"),
    "merge_conflict": ("table_name", "row_id", "field", "value", "kept", "other_by", "other_at", "created_at"),
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
    if op.get_bind().dialect.name != "sqlite":
        _upgrade_postgresql()
        return
    op.execute("ALTER TABLE row_version ADD COLUMN data TEXT")
    op.execute("ALTER TABLE node ADD COLUMN retired_at VARCHAR(32)")
    op.execute(
        "CREATE TABLE merge_conflict ("
        "id VARCHAR(36) NOT NULL, "
        "updated_at VARCHAR(32) NOT NULL, "
        "updated_by VARCHAR(200) NOT NULL, "
        "deleted_at VARCHAR(32), "
        "table_name VARCHAR(40) NOT NULL, "
        "row_id VARCHAR(36) NOT NULL, "
        "field VARCHAR(40) NOT NULL, "
        "value TEXT NOT NULL, "
        "kept TEXT NOT NULL, "
        "other_by VARCHAR(200) NOT NULL, "
        "other_at VARCHAR(32) NOT NULL, "
        "created_at VARCHAR(32) NOT NULL, "
        "PRIMARY KEY (id))"
    )
    op.execute("CREATE INDEX ix_merge_conflict_row ON merge_conflict (row_id)")
    for table, columns in SYNCED_COLUMNS.items():
        op.execute(f"DROP TRIGGER IF EXISTS row_version_{table}")
        op.execute(_trigger(table, columns))
    op.execute("PRAGMA user_version = 3")


def _upgrade_postgresql() -> None:
    """The same on a team store (db/store): the whole past version from to_jsonb, in PL/pgSQL."""
    op.execute("ALTER TABLE row_version ADD COLUMN data TEXT")
    op.execute("ALTER TABLE node ADD COLUMN retired_at VARCHAR(32)")
    op.execute(
        "CREATE TABLE merge_conflict ("
        "id VARCHAR(36) NOT NULL, updated_at VARCHAR(32) NOT NULL, updated_by VARCHAR(200) NOT NULL, "
        "deleted_at VARCHAR(32), table_name VARCHAR(40) NOT NULL, row_id VARCHAR(36) NOT NULL, "
        "field VARCHAR(40) NOT NULL, value TEXT NOT NULL, kept TEXT NOT NULL, other_by VARCHAR(200) NOT NULL, "
        "other_at VARCHAR(32) NOT NULL, created_at VARCHAR(32) NOT NULL, PRIMARY KEY (id))"
    )
    op.execute("CREATE INDEX ix_merge_conflict_row ON merge_conflict (row_id)")
    # The store's own columns (its change number `seq`) are not part of a version.
    op.execute(
        "CREATE OR REPLACE FUNCTION row_version_record() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF old.updated_at IS DISTINCT FROM new.updated_at THEN "
        "INSERT INTO row_version (row_id, updated_at, body, data) VALUES (old.id, old.updated_at, "
        "CASE WHEN TG_NARGS > 0 THEN to_jsonb(old) ->> TG_ARGV[0] END, (to_jsonb(old) - 'seq')::text) "
        "ON CONFLICT DO NOTHING; END IF; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER row_version_merge_conflict AFTER UPDATE ON merge_conflict "
        "FOR EACH ROW EXECUTE FUNCTION row_version_record()"
    )


def downgrade() -> None:
    for table in SYNCED_COLUMNS:
        op.execute(f"DROP TRIGGER IF EXISTS row_version_{table}")
    op.execute("DROP TABLE merge_conflict")
    op.execute("PRAGMA user_version = 2")
