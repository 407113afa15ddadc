"""Alembic environment: migrations always run on a connection the caller opens.

`db.disk.file.upgrade()` passes the connection in `config.attributes`; there is no
alembic.ini and no URL, because a briefing file is whatever the user opened.
"""

from alembic import context

from db.schema.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
)
with context.begin_transaction():
    context.run_migrations()
