"""Write `db/schema/expected.py`: the schema each version of the migrations makes.

Run after adding a migration: `uv run python -m db.schema.generate`. It needs
Alembic and builds files step by step, so it stays out of the run-time path
(`db.schema.check` only reads the generated table).
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from db.disk import file as dbfile
from db.schema.check import Schema, snapshot
from db.schema.migrate import alembic_config


def expected_of_fresh_files(folder: Path) -> dict[int, Schema]:
    """The schema of every version, from a file the migrations build step by step (needs Alembic)."""
    from alembic.script import ScriptDirectory

    cfg = alembic_config()
    revisions = [r.revision for r in reversed(list(ScriptDirectory.from_config(cfg).walk_revisions()))]
    path = folder / "fresh.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {dbfile.APPLICATION_ID}")
    conn.close()
    out: dict[int, Schema] = {}
    for revision in revisions:
        dbfile.upgrade(path, revision)
        conn = sqlite3.connect(path)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            out[version] = snapshot(conn)
        finally:
            conn.close()
    return out


def write_expected(target: Path) -> None:
    """Write `db/schema/expected.py` from freshly migrated files."""
    import pprint
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        expected = expected_of_fresh_files(Path(tmp))
    body = pprint.pformat(expected, width=110, sort_dicts=True, indent=1)
    target.write_text(
        '"""The schema each version of the migrations makes (generated: do not edit).\n\n'
        "Regenerate after adding a migration: uv run python -m db.schema.generate\n"
        '"""\n\n'
        "from typing import Any\n\n"
        f"EXPECTED: dict[int, dict[str, dict[str, Any]]] = (\n{body}\n)\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    write_expected(Path(__file__).with_name("expected.py"))
    sys.exit(0)
