"""store: change sequence numbers (team store only)

Revision ID: s0001
Revises: (the store branch; depends on the file schema 0003)

A laptop asks the store "what changed since N": every row carries `seq`, a
number from one sequence, set when the row is inserted and again whenever it
is updated. Writers take one advisory lock for their upload (db.sharing.store.sync),
so seq values become visible in order. Past versions are kept whole in
`row_version.data` by the file's own migrations (0003), as in a file: the
common ancestor a field-by-field merge needs. The store's own identity
(`store_id`) goes into its `meta` table.
"""

from alembic import op

revision = "s0001"
down_revision = None
branch_labels = ("store",)
depends_on = "0003"

# Frozen at this revision: the synced tables of schema 3.
SYNCED_TABLES = (
    "plan", "node", "note", "source", "source_link", "attachment", "meeting", "agenda_item", "merge_conflict",
)  # fmt: skip
#: Append-only tables: seq on insert is enough.
APPENDED_TABLES = ("status_change", "blob", "row_version")


def upgrade() -> None:
    op.execute("CREATE SEQUENCE store_seq AS bigint")
    for table in (*SYNCED_TABLES, *APPENDED_TABLES):
        op.execute(f"ALTER TABLE {table} ADD COLUMN seq bigint NOT NULL DEFAULT nextval('store_seq')")
        op.execute(f"CREATE INDEX ix_{table}_seq ON {table} (seq)")
    op.execute(
        "CREATE FUNCTION store_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "new.seq := nextval('store_seq'); RETURN new; END $$"
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
    for table in (*SYNCED_TABLES, *APPENDED_TABLES):
        op.execute(f"ALTER TABLE {table} DROP COLUMN seq")
    op.execute("DROP SEQUENCE store_seq")
