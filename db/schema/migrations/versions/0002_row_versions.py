"""row versions: what each row looked like before its last changes

Revision ID: 0002
Revises: 0001
Schema version 2. A merge of two copies of a file must tell "changed on one
side only" from "changed on both sides" without a common ancestor file. Each
synced table gets a trigger that, whenever a row's `updated_at` changes,
records the row's previous version stamp (`updated_at`) in `row_version`, and
for notes also the previous body. A version of a row that the other copy's
history holds is an ancestor of that copy's row: the other copy's row is the
newer one. See db/sharing/merge.py. The triggers are plain SQL, so other programs
that edit the file keep the history too.
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Intentionally frozen: the synced tables at revision 0002, not db.schema.synced's live registry.
SYNCED_TABLES = ("plan", "node", "note", "source", "source_link", "attachment", "meeting", "agenda_item")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        _upgrade_postgresql()
        return
    op.execute(
        "CREATE TABLE row_version ("
        "row_id VARCHAR(36) NOT NULL, "
        "updated_at VARCHAR(32) NOT NULL, "
        "body TEXT, "
        "PRIMARY KEY (row_id, updated_at)"
        ") WITHOUT ROWID"
    )
    for table in SYNCED_TABLES:
        body = "old.body" if table == "note" else "NULL"
        op.execute(
            f"CREATE TRIGGER row_version_{table} AFTER UPDATE ON {table} "
            "WHEN old.updated_at IS NOT new.updated_at BEGIN "
            "INSERT OR IGNORE INTO row_version (row_id, updated_at, body) "
            f"VALUES (old.id, old.updated_at, {body}); END"
        )
    op.execute("PRAGMA user_version = 2")


def _upgrade_postgresql() -> None:
    """The same table and the same history on a team store (see db/store), in PL/pgSQL."""
    op.execute(
        "CREATE TABLE row_version ("
        "row_id VARCHAR(36) NOT NULL, "
        "updated_at VARCHAR(32) NOT NULL, "
        "body TEXT, "
        "PRIMARY KEY (row_id, updated_at))"
    )
    op.execute(
        "CREATE FUNCTION row_version_record() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF old.updated_at IS DISTINCT FROM new.updated_at THEN "
        "INSERT INTO row_version (row_id, updated_at, body) VALUES (old.id, old.updated_at, "
        "CASE WHEN TG_NARGS > 0 THEN to_jsonb(old) ->> TG_ARGV[0] END) ON CONFLICT DO NOTHING; "
        "END IF; RETURN NULL; END $$"
    )
    for table in SYNCED_TABLES:
        arg = "'body'" if table == "note" else ""
        op.execute(
            f"CREATE TRIGGER row_version_{table} AFTER UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION row_version_record({arg})"
        )


def downgrade() -> None:
    for table in SYNCED_TABLES:
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"DROP TRIGGER row_version_{table}")
        else:
            op.execute(f"DROP TRIGGER row_version_{table} ON {table}")
    op.execute("DROP TABLE row_version")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA user_version = 1")
    else:
        op.execute("DROP FUNCTION row_version_record()")
