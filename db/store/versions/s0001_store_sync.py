"""store: change sequence numbers and full row snapshots (team store only)

Revision ID: s0001
Revises: (the store branch; depends on the file schema 0002)

A laptop asks the store "what changed since N": every row carries `seq`, a
number from one sequence, set when the row is inserted and again whenever it
is updated. Writers take one advisory lock for their upload (db.store.sync),
so seq values become visible in order. A superseded version of a synced row is
kept whole in `row_snapshot`: the common ancestor a field-by-field merge needs.
The store's own identity (`store_id`) goes into its `meta` table.
"""

from alembic import op

revision = "s0001"
down_revision = None
branch_labels = ("store",)
depends_on = "0002"

SYNCED_TABLES = ("plan", "node", "note", "source", "source_link", "attachment", "meeting", "agenda_item")
#: Append-only tables: seq on insert is enough.
APPENDED_TABLES = ("status_change", "blob", "row_version")


def upgrade() -> None:
    op.execute("CREATE SEQUENCE store_seq AS bigint")
    for table in (*SYNCED_TABLES, *APPENDED_TABLES):
        op.execute(f"ALTER TABLE {table} ADD COLUMN seq bigint NOT NULL DEFAULT nextval('store_seq')")
        op.execute(f"CREATE INDEX ix_{table}_seq ON {table} (seq)")
    op.execute(
        "CREATE TABLE row_snapshot ("
        "row_id VARCHAR(36) NOT NULL, updated_at VARCHAR(32) NOT NULL, data JSONB NOT NULL, "
        "PRIMARY KEY (row_id, updated_at))"
    )
    op.execute(
        "CREATE FUNCTION store_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "new.seq := nextval('store_seq'); "
        "IF old.updated_at IS DISTINCT FROM new.updated_at THEN "
        "INSERT INTO row_snapshot (row_id, updated_at, data) "
        "VALUES (old.id, old.updated_at, to_jsonb(old) - 'seq') ON CONFLICT DO NOTHING; "
        "END IF; RETURN new; END $$"
    )
    for table in SYNCED_TABLES:
        op.execute(
            f"CREATE TRIGGER store_row_changed_{table} BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION store_row_changed()"
        )
    op.execute(
        "INSERT INTO meta (key, value) VALUES ('store_id', gen_random_uuid()::text), "
        "('store_created_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'))"
    )


def downgrade() -> None:
    op.execute("DELETE FROM meta WHERE key IN ('store_id', 'store_created_at')")
    for table in SYNCED_TABLES:
        op.execute(f"DROP TRIGGER store_row_changed_{table} ON {table}")
    op.execute("DROP FUNCTION store_row_changed()")
    op.execute("DROP TABLE row_snapshot")
    for table in (*SYNCED_TABLES, *APPENDED_TABLES):
        op.execute(f"ALTER TABLE {table} DROP COLUMN seq")
    op.execute("DROP SEQUENCE store_seq")
