"""The team store: a PostgreSQL database holding the same tables as a briefing
file, which each laptop's file syncs with (`db.sharing.store.sync.sync_file`).

Nothing here is imported by the window or by other commands until a store
command or a sync runs: the driver, psycopg, loads only then (start-up and
exports stay as fast as without it).

- `db.sharing.store.connect`: connecting through libpq (passwords only through its
  own means: PGPASSFILE, a service file, a prompt), addresses shown without
  their password.
- `db.sharing.store.schema`: `store init` (the same Alembic migrations as a file,
  plus the store's own branch in `db/sharing/store/versions`), and the checks that
  refuse a foreign or newer store.
- `db.sharing.store.sync`: one sync of a file with the store, by the file merge's rules
  (`db.sharing.three_way.merge_row`).
"""
