"""initial schema

Revision ID: 0001
Revises: 
The first schema of a briefing file (schema version 1).

Create Date: 2026-11-23 10:54:04.165574
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('blob',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('sha256')
    )
    op.create_table('meeting',
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('date', sa.String(length=10), nullable=True),
    sa.Column('place', sa.Text(), nullable=False),
    sa.Column('participants', sa.Text(), nullable=False),
    sa.Column('classification', sa.Text(), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('meta',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('plan',
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('parties', sa.Text(), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=True),
    sa.Column('adopted_on', sa.String(length=10), nullable=True),
    sa.Column('preamble', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('source',
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('outlet', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('published', sa.String(length=10), nullable=True),
    sa.Column('excerpt', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('attachment',
    sa.Column('source_id', sa.String(length=36), nullable=False),
    sa.Column('filename', sa.Text(), nullable=False),
    sa.Column('media_type', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('added_at', sa.String(length=32), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['sha256'], ['blob.sha256'], ),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index('ix_attachment_source', ['source_id'], unique=False)

    op.create_table('node',
    sa.Column('plan_id', sa.String(length=36), nullable=False),
    sa.Column('parent_id', sa.String(length=36), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('ref', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('lead_office', sa.Text(), nullable=False),
    sa.Column('status_changed_at', sa.String(length=32), nullable=True),
    sa.Column('status_changed_by', sa.String(length=200), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['node.id'], ),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('node', schema=None) as batch_op:
        batch_op.create_index('ix_node_plan_parent', ['plan_id', 'parent_id', 'position'], unique=False)
        batch_op.create_index('ix_node_ref', ['plan_id', 'ref'], unique=False)

    op.create_table('agenda_item',
    sa.Column('meeting_id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('points', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ),
    sa.ForeignKeyConstraint(['node_id'], ['node.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.create_index('ix_agenda_meeting', ['meeting_id', 'position'], unique=False)

    op.create_table('note',
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('conflict_of', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['node_id'], ['node.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.create_index('ix_note_node', ['node_id', 'kind', 'position'], unique=False)

    op.create_table('source_link',
    sa.Column('source_id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['node_id'], ['node.id'], ),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_id', 'node_id')
    )
    with op.batch_alter_table('source_link', schema=None) as batch_op:
        batch_op.create_index('ix_source_link_node', ['node_id'], unique=False)

    op.create_table('status_change',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('changed_at', sa.String(length=32), nullable=False),
    sa.Column('changed_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['node_id'], ['node.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('status_change', schema=None) as batch_op:
        batch_op.create_index('ix_status_change_node', ['node_id', 'changed_at'], unique=False)
    # Full-text search. The text is folded by db.search.query before it is stored
    # (accents removed, Japanese split per character), so the tokenizer stays
    # the plain one every SQLite build has.
    if op.get_bind().dialect.name != "sqlite":
        return  # a team store (PostgreSQL) has no search index and no file header
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "body, kind UNINDEXED, row_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')"
    )
    op.execute("PRAGMA user_version = 1")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_index")
    with op.batch_alter_table('status_change', schema=None) as batch_op:
        batch_op.drop_index('ix_status_change_node')

    op.drop_table('status_change')
    with op.batch_alter_table('source_link', schema=None) as batch_op:
        batch_op.drop_index('ix_source_link_node')

    op.drop_table('source_link')
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_index('ix_note_node')

    op.drop_table('note')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_index('ix_agenda_meeting')

    op.drop_table('agenda_item')
    with op.batch_alter_table('node', schema=None) as batch_op:
        batch_op.drop_index('ix_node_ref')
        batch_op.drop_index('ix_node_plan_parent')

    op.drop_table('node')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index('ix_attachment_source')

    op.drop_table('attachment')
    op.drop_table('source')
    op.drop_table('plan')
    op.drop_table('meta')
    op.drop_table('meeting')
    op.drop_table('blob')
