"""store: change sequence numbers on the tables of schema 6 (team store only)

Revision ID: s0002
Revises: s0001 (the store branch; depends on the file schema 0006)

The tables migration 0006 adds (clearances and approvals) get `seq` and its
trigger, as s0001 gave the tables of schema 3, so a laptop finds what changed
in them since its last sync.
"""

from alembic import op

revision = "s0002"
down_revision = "s0001"
branch_labels = None
depends_on = "0006"

# Frozen at this revision: the synced tables migration 0006 adds.
SYNCED_TABLES = ("clearance", "approval")


def upgrade() -> None:
    for table in SYNCED_TABLES:
        op.execute(f"ALTER TABLE {table} ADD COLUMN seq bigint NOT NULL DEFAULT nextval('store_seq')")
        op.execute(f"CREATE INDEX ix_{table}_seq ON {table} (seq)")
        op.execute(
            f"CREATE TRIGGER store_row_changed_{table} BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION store_row_changed()"
        )


def downgrade() -> None:
    for table in SYNCED_TABLES:
        op.execute(f"DROP TRIGGER store_row_changed_{table} ON {table}")
        op.execute(f"ALTER TABLE {table} DROP COLUMN seq")
