"""Where the migrations live and how Alembic is configured to run them.

One place for the paths, so the file (`db.disk.file.upgrade`), the generator of
the expected schema (`db.schema.generate`) and the team store
(`db.sharing.store.schema`) run the same migrations. Alembic itself is imported
only by the functions, when a file is created or migrated.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alembic.config import Config

#: The file's migrations (an Alembic script directory: env.py and versions/).
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Any = None, extra_versions: tuple[Path, ...] = ()) -> Config:
    """Alembic's configuration for the file's migrations, run on `connection`
    (the caller's open SQLAlchemy connection; there is no alembic.ini and no URL)."""
    import os

    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if extra_versions:
        cfg.set_main_option("path_separator", "os")
        cfg.set_main_option(
            "version_locations", os.pathsep.join(str(p) for p in (MIGRATIONS / "versions", *extra_versions))
        )
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg
