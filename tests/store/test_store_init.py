"""`store init`: the file's own migrations (dialect-aware) plus the store branch,
on a real PostgreSQL; foreign, newer and older databases are refused."""

from __future__ import annotations

import psycopg
import pytest
from pgcluster import Cluster

from db.sharing.store.errors import StoreRefused, StoreUnreachable
from db.sharing.store.schema import FILE_TABLES, KNOWN_REVISIONS, STORE_HEADS, STORE_ONLY_TABLES, init_store


def _tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            )
        }


def test_init_creates_the_files_tables_and_the_store_branch(empty_db: str) -> None:
    result = init_store(empty_db)
    assert result.outcome == "created" and "Team store ready" in result.sentence()
    assert _tables(empty_db) == set(FILE_TABLES) | set(STORE_ONLY_TABLES)
    with psycopg.connect(empty_db) as conn:
        cols = {
            r[0] for r in conn.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'note'")
        }
        assert "seq" in cols and "body" in cols and "conflict_of" in cols
        assert "response" in cols and "is_key" in cols  # schema 4
        revs = {r[0] for r in conn.execute("SELECT version_num FROM alembic_version")}
    # The store's branch depends on the file's 0003, which Alembic then leaves implied; the file's
    # own later revisions (0004) are a head of their own.
    assert revs == {"0004", "s0001"}
    again = init_store(empty_db)
    assert again.outcome == "current" and again.store_id == result.store_id


def test_the_schema_constants_match_the_models_and_the_migration_scripts() -> None:
    from alembic.script import ScriptDirectory

    from db.schema.models import Base
    from db.sharing.store.schema import alembic_config

    assert set(FILE_TABLES) == set(Base.metadata.tables)
    script = ScriptDirectory.from_config(alembic_config())
    assert set(script.get_heads()) == STORE_HEADS

    def implied(rev: str) -> set[str]:
        r = script.get_revision(rev)
        assert r is not None
        out = {rev}
        for parent in (*r._all_down_revisions, *r._resolved_dependencies):
            out |= implied(parent)
        return out

    assert {r.revision: implied(r.revision) for r in script.walk_revisions()} == KNOWN_REVISIONS


def test_a_database_with_other_tables_is_refused_untouched(pg: Cluster, empty_db: str) -> None:
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id int)")
    with pytest.raises(StoreRefused, match="tables of something else \\(invoices\\)"):
        init_store(empty_db)
    assert _tables(empty_db) == {"invoices"}


def test_a_newer_store_is_refused(store: str) -> None:
    with psycopg.connect(store, autocommit=True) as conn:
        conn.execute("INSERT INTO alembic_version VALUES ('s0099')")
    with pytest.raises(StoreRefused, match="newer briefbook"):
        init_store(store)


def test_an_older_store_is_brought_up_to_date(empty_db: str) -> None:
    import sqlalchemy as sa
    from alembic import command

    from db.sharing.store.schema import alembic_config

    engine = sa.create_engine(empty_db.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")  # the file schema only: as an older briefbook left it
    engine.dispose()
    assert init_store(empty_db).outcome == "updated"


def test_an_unreachable_server_is_one_sentence(pg: Cluster) -> None:
    url = f"postgresql://nobody@127.0.0.1:{pg.port + 1 if pg.port < 65535 else 1}/x?connect_timeout=2"
    with pytest.raises(StoreUnreachable, match="could not be reached") as err:
        init_store(url)
    assert "\n" not in str(err.value)


def test_a_login_that_may_not_create_tables_is_told_so(
    pg: Cluster,
    empty_db: str,
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    from db.sharing.store.errors import StoreError

    dbname = empty_db.split("?")[0].rsplit("/", 1)[-1]
    pg.admin(f"CREATE ROLE clerk_{dbname} LOGIN PASSWORD 'pw'")
    pg.admin("REVOKE CREATE ON SCHEMA public FROM PUBLIC", dbname)
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"127.0.0.1:{pg.port}:{dbname}:clerk_{dbname}:pw\n")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    with pytest.raises(StoreError, match="may not create tables there") as err:
        init_store(pg.tcp_url(f"clerk_{dbname}", dbname))
    assert "\n" not in str(err.value)
    assert _tables(empty_db) == set()


def test_every_synced_table_carries_a_change_number_in_the_store(store: str) -> None:
    # A synced table added to the file later needs a store migration giving it
    # `seq` and the store_row_changed trigger (as db/sharing/store/versions/s0001 does).
    from db.schema.synced import SYNCED_TABLE_NAMES

    with psycopg.connect(store) as conn:
        with_seq = {
            r[0] for r in conn.execute("SELECT table_name FROM information_schema.columns WHERE column_name = 'seq'")
        }
        triggered = {
            r[0]
            for r in conn.execute(
                "SELECT event_object_table FROM information_schema.triggers WHERE trigger_name LIKE 'store_row_changed_%'"
            )
        }
    assert set(SYNCED_TABLE_NAMES) | {"status_change", "blob", "row_version"} <= with_seq
    assert set(SYNCED_TABLE_NAMES) <= triggered
