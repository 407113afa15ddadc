"""briefbook's data layer: one SQLite briefing file, and sharing it with colleagues.

Packages, lowest first; each imports only from the ones above it in this list
(checked by the import contract in pyproject.toml, `lint-imports`):

- `model`: plain values, field rules, ids and clocks, errors, tree walks.
- `schema`: the SQLAlchemy models and Alembic migrations, the synced-table
  registry, the expected schema and its check.
- `disk`: the file itself: open, create, migrate, lock, copy, check, validate.
- `search`: the full-text index (kept in step by every write transaction).
- `plans`: storing a parsed plan and matching a revised one.
- `briefing`: the facade (`db.briefing.facade.Briefing`), what the front ends use.
- `sharing`: merging a colleague's copy and syncing with the team store.

The front ends (`briefbook/`) and the exporters import the facade, the value
types (`db.model`) and the public entry points each package's docstring names.
Nothing here imports Qt.
"""
