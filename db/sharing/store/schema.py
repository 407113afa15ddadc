"""The team store's schema: created and migrated by the same Alembic migrations
as a briefing file (db/migrations, dialect-aware), plus the store's own branch
(db/sharing/store/versions: change sequence numbers).

A database is refused, as a file is, when it holds tables of something else
or was set up by a newer briefbook (revisions this one does not know); one
set up by an older briefbook is brought up to date by `store init`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from db.sharing.store.connect import connect, reason, redact
from db.sharing.store.errors import StoreError, StoreRefused

if TYPE_CHECKING:
    import psycopg
    from alembic.config import Config

#: The tables of a briefing file (db.schema.models; a test keeps this in step with them).
FILE_TABLES: tuple[str, ...] = (
    "plan", "node", "status_change", "note", "source", "source_link", "blob",
    "attachment", "meeting", "agenda_item", "merge_conflict", "row_version", "meta",
)  # fmt: skip
#: What else a team store holds: Alembic's bookkeeping.
STORE_ONLY_TABLES: tuple[str, ...] = ("alembic_version",)
#: The Alembic heads a current store is at, and every revision this briefbook
#: knows with the revisions it implies (its ancestors and dependencies: Alembic
#: records only "s0001" once it is applied, as it depends on "0003"). A test
#: compares both with the migration scripts.
STORE_HEADS: frozenset[str] = frozenset({"0004", "s0001"})
KNOWN_REVISIONS: dict[str, frozenset[str]] = {
    "0001": frozenset({"0001"}),
    "0002": frozenset({"0001", "0002"}),
    "0003": frozenset({"0001", "0002", "0003"}),
    "0004": frozenset({"0001", "0002", "0003", "0004"}),
    "s0001": frozenset({"0001", "0002", "0003", "s0001"}),
}

_STORE_VERSIONS = Path(__file__).resolve().parent / "versions"


@dataclass(frozen=True)
class StoreFacts:
    """What a look at a store found."""

    address: str  # redacted
    store_id: str | None
    revisions: frozenset[str]
    tables: frozenset[str]

    @property
    def empty(self) -> bool:
        return not self.tables

    @property
    def current(self) -> bool:
        applied: set[str] = set()
        for rev in self.revisions:
            applied |= KNOWN_REVISIONS.get(rev, frozenset())
        return applied >= STORE_HEADS


def look(conn: psycopg.Connection, address: str) -> StoreFacts:
    """Read which tables and schema revisions the database holds; refuse a foreign or newer one."""
    tables = frozenset(
        r[0]
        for r in conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
    )
    foreign = sorted(tables - set(FILE_TABLES) - set(STORE_ONLY_TABLES))
    if foreign:
        listed = ", ".join(foreign[:5]) + (", …" if len(foreign) > 5 else "")
        raise StoreRefused(
            f"The database at {address} holds tables of something else ({listed}): "
            "a team store needs a database of its own."
        )
    revisions: frozenset[str] = frozenset()
    if "alembic_version" in tables:
        revisions = frozenset(r[0] for r in conn.execute("SELECT version_num FROM alembic_version"))
    unknown = revisions - set(KNOWN_REVISIONS)
    if unknown:
        raise StoreRefused(
            f"The team store at {address} was set up by a newer briefbook (schema revision "
            f"{', '.join(sorted(unknown))}): update briefbook to use it; nothing was changed."
        )
    if tables and not revisions:
        raise StoreRefused(
            f"The database at {address} holds briefing tables that no briefbook set up: "
            "a team store needs a database of its own."
        )
    store_id = None
    if "meta" in tables and revisions:
        row = conn.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()
        store_id = row[0] if row else None
    conn.commit()
    return StoreFacts(address, store_id, revisions, tables)


def require_current(facts: StoreFacts) -> str:
    """The store's id, if it is a team store at this briefbook's schema; refuse otherwise."""
    if facts.empty or not facts.revisions:
        raise StoreRefused(
            f"The database at {facts.address} is not a team store yet: set it up with "
            f"'briefbook store init {facts.address}'."
        )
    if not facts.current or facts.store_id is None:
        raise StoreRefused(
            f"The team store at {facts.address} was set up by an older briefbook: update it with "
            f"'briefbook store init {facts.address}' (nothing was changed)."
        )
    return facts.store_id


@dataclass(frozen=True)
class InitResult:
    address: str
    store_id: str
    #: "created", "updated" (an older store was migrated) or "current"
    outcome: str

    def sentence(self) -> str:
        if self.outcome == "created":
            return f"Team store ready at {self.address}: laptops can now sync with it."
        if self.outcome == "updated":
            return f"Team store at {self.address} updated to this briefbook's schema."
        return f"The team store at {self.address} is already set up and up to date."


def init_store(url: str, password: str | None = None) -> InitResult:
    """Create the store's tables in an empty database, or bring an older store up to date."""
    address = redact(url)
    facts = _look_at(url, password, address)
    if facts.current and facts.store_id:
        return InitResult(address, facts.store_id, "current")
    _upgrade(url, password, address)
    after = _look_at(url, password, address)
    return InitResult(address, require_current(after), "created" if facts.empty else "updated")


def _look_at(url: str, password: str | None, address: str) -> StoreFacts:
    import psycopg

    conn = connect(url, password)
    try:
        return look(conn, address)
    except psycopg.Error as exc:
        raise StoreError(f"The database at {address} could not be read ({reason(exc)}); nothing was changed.") from None
    finally:
        conn.close()


def _upgrade(url: str, password: str | None, address: str) -> None:
    """Run the migrations to every head, in one transaction (PostgreSQL's DDL is transactional)."""
    import psycopg
    import sqlalchemy as sa
    from alembic import command

    engine = sa.create_engine("postgresql+psycopg://", creator=lambda: connect(url, password))
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")
    except sa.exc.DBAPIError as exc:
        orig = exc.orig if isinstance(exc.orig, BaseException) else exc
        if isinstance(orig, psycopg.errors.InsufficientPrivilege):
            raise StoreError(
                f"The team store at {address} could not be set up: this login may not create tables "
                f"there ({reason(orig)}); nothing was changed."
            ) from None
        raise StoreError(
            f"The team store at {address} could not be set up ({reason(orig)}); nothing was changed."
        ) from None
    finally:
        engine.dispose()


def alembic_config() -> Config:
    """Alembic's configuration for a store: the file's migrations and the store's branch."""
    from db.schema.migrate import alembic_config as file_config

    return file_config(extra_versions=(_STORE_VERSIONS,))
