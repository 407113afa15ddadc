"""PostgreSQL's own logins: passwords from PGPASSFILE or a prompt, never
written anywhere; a login that may only read syncs down and says, in one
sentence, what it could not send."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
import pytest
from pgcluster import Cluster
from share_helpers import make_small
from sync_helpers import sync

from db.briefing.facade import Briefing
from db.sharing.store.errors import PasswordNeeded

PASSWORD = "s3cret-Pa55word"


@pytest.fixture
def logins(pg: Cluster, store: str) -> str:
    """A writer (ana) and a reader (rita) on the store's database; its name."""
    dbname = store.split("?")[0].rsplit("/", 1)[-1]
    with psycopg.connect(store, autocommit=True) as conn:
        for role in ("ana", "rita"):
            conn.execute(f"DROP ROLE IF EXISTS {role}_{dbname}")
        conn.execute(f"CREATE ROLE ana_{dbname} LOGIN PASSWORD '{PASSWORD}'")
        conn.execute(f"CREATE ROLE rita_{dbname} LOGIN PASSWORD '{PASSWORD}'")
        conn.execute(f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO ana_{dbname}")
        conn.execute(f"GRANT USAGE ON SEQUENCE store_seq TO ana_{dbname}")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO rita_{dbname}")
    return dbname


def _passfile(tmp_path: Path, pg: Cluster, dbname: str, user: str) -> Path:
    path = tmp_path / "pgpass"
    path.write_text(f"127.0.0.1:{pg.port}:{dbname}:{user}:{PASSWORD}\n")
    path.chmod(0o600)
    return path


def _nowhere_in(path: Path, secret: str) -> None:
    for p in path.parent.iterdir():
        if p.is_file():
            assert secret.encode() not in p.read_bytes(), p


def test_password_from_pgpassfile(pg: Cluster, logins: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGPASSFILE", str(_passfile(tmp_path, pg, logins, f"ana_{logins}")))
    a = make_small(tmp_path / "a.sqlite", user="ana")
    report = sync(a, pg.tcp_url(f"ana_{logins}", logins), "ana")
    assert report.up["notes"].added == 2 and not report.read_only


def test_no_password_is_one_sentence_and_a_prompted_one_is_never_stored(
    pg: Cluster, logins: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    url = pg.tcp_url(f"ana_{logins}", logins)
    a = make_small(tmp_path / "a.sqlite", user="ana")
    with pytest.raises(PasswordNeeded, match="refused the login") as err:
        sync(a, url, "ana")
    assert "\n" not in str(err.value)
    report = sync(a, url, "ana", password=PASSWORD)  # as typed at a prompt
    assert report.up["notes"].added == 2
    _nowhere_in(a, PASSWORD)


def test_a_password_in_the_address_works_but_is_never_stored_or_shown(
    pg: Cluster, logins: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    url = f"postgresql://ana_{logins}:{PASSWORD}@127.0.0.1:{pg.port}/{logins}"
    a = make_small(tmp_path / "a.sqlite", user="ana")
    report = sync(a, url, "ana")
    assert PASSWORD not in " ".join(report.summary()) and PASSWORD not in str(report.to_json())
    with Briefing.open(a) as b:
        assert b.meta("store.address") == f"postgresql://ana_{logins}@127.0.0.1:{pg.port}/{logins}"
    _nowhere_in(a, PASSWORD)
    wrong = url.replace(PASSWORD, "wrong-" + PASSWORD)
    with pytest.raises(PasswordNeeded) as err:
        sync(a, wrong, "ana")
    assert PASSWORD not in str(err.value)


def test_a_reader_syncs_down_and_is_told_what_could_not_be_sent(
    pg: Cluster, logins: str, store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = make_small(tmp_path / "a.sqlite", user="ana")
    sync(a, store, "ana")  # the store holds the plan
    r = tmp_path / "rita.sqlite"
    monkeypatch.setenv("PGPASSFILE", str(_passfile(tmp_path, pg, logins, f"rita_{logins}")))
    reader_url = pg.tcp_url(f"rita_{logins}", logins)
    made = sync(r, reader_url, "rita")
    assert made.read_only and made.down["notes"].added == 2 and made.not_sent == 0
    with Briefing.open(a, user="ana") as b:
        b.add_note(b.node_by_ref("1.2.1").id, "update", "Ana's news.")
    sync(a, store, "ana")
    with Briefing.open(r, user="rita") as b:
        b.add_note(b.node_by_ref("2.2.1").id, "question", "Rita's question.")
    report = sync(r, reader_url, "rita")
    assert report.down["notes"].added == 1 and report.not_sent == 1
    [sentence] = [line for line in report.summary() if "could not be sent" in line]
    assert sentence.startswith("1 change of this file could not be sent: your login may read the team store")
    with Briefing.open(r) as b:
        assert {n.body for n in b.notes_since("2000")} >= {"Ana's news.", "Rita's question."}
    with psycopg.connect(store) as conn:
        assert conn.execute("SELECT count(*) FROM note WHERE body = 'Rita''s question.'").fetchone() == (0,)
    # Given write rights, the next sync sends what stayed behind.
    pg.admin(f"GRANT INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO rita_{logins}", logins)
    pg.admin(f"GRANT USAGE ON SEQUENCE store_seq TO rita_{logins}", logins)
    later = sync(r, reader_url, "rita")
    assert later.up["notes"].added == 1 and later.not_sent == 0 and not later.read_only
    assert os.environ["PGPASSFILE"]
