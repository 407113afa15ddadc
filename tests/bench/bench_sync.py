"""Benchmark: syncing briefing files with a team store on PostgreSQL.

    uv run python tests/bench/bench_sync.py [WORKDIR]

Starts a throw-away PostgreSQL cluster (tests/store/pgcluster.py, fsync on, as
a real server), builds the synthetic 10,000-commitment file with 50,000 notes
(tests/bench/synth.py) and measures, each in the same run as its reference:

- first sync of that file into an empty store (target < 15 s), against a bare
  COPY of the same rows into an empty store of the same schema (reading them
  from the file included, as any upload must);
- a new laptop's first sync from the store (the file made from it);
- one sync with 100 changes on each side (target < 1 s);
- twenty laptops (each a process of its own, each a copy of the big file)
  syncing 100 changes each at the same moment (target < 30 s together).
"""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "store"))

CLIENTS = 20
CHANGES = 100


def _sync(path: Path, url: str, user: str) -> tuple[float, object]:
    from db.briefing.facade import Briefing
    from db.sharing.store.sync import sync_file

    created = not path.exists()
    briefing = Briefing.create(path, user=user) if created else Briefing.open(path, user=user)
    with briefing:
        t0 = time.perf_counter()
        report = sync_file(briefing, url, created_file=created)
        return time.perf_counter() - t0, report


def _client(args: tuple[str, str, str]) -> tuple[float, float]:
    """One laptop of the twenty: (start, end) on the shared clock."""
    path, url, user = args
    start = time.time()
    _sync(Path(path), url, user)
    return start, time.time()


def _change(path: Path, user: str, n: int, salt: str) -> None:
    """n changes: half edited notes, half new notes."""
    from db.briefing.facade import Briefing

    with Briefing.open(path, user=user) as b:
        notes = b.notes_since("2000")
        nodes = [x for x in b.nodes() if x.kind == "commitment"]
        for i in range(n // 2):
            b.edit_note(notes[(i * 97 + len(salt) * 13) % len(notes)].id, body=f"Edited by {user} ({salt} {i}).")
        for i in range(n - n // 2):
            b.add_note(nodes[(i * 31 + len(salt)) % len(nodes)].id, "update", f"New from {user} ({salt} {i}).")


def _bare_copy(path: Path, url: str) -> tuple[float, float]:
    """Read every row of the file and COPY it into the store: (read seconds, COPY seconds)."""
    import psycopg

    from db.sharing.store.local import STATUS_COLUMNS, SYNCED_TABLES

    t0 = time.perf_counter()
    conn = sqlite3.connect(path)
    tables: dict[str, tuple[list[str], list[tuple[object, ...]]]] = {}
    for table in ("blob", "plan", "node", "status_change", *SYNCED_TABLES[2:]):
        cols = (
            list(STATUS_COLUMNS)
            if table == "status_change"
            else [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        )
        tables[table] = (cols, conn.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall())
    conn.close()
    read = time.perf_counter() - t0
    t0 = time.perf_counter()
    with psycopg.connect(url) as pg:
        for table, (cols, rows) in tables.items():
            with pg.cursor().copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        pg.commit()
    return read, time.perf_counter() - t0


def main() -> None:
    from pgcluster import Cluster, find_bin_dir

    from db.sharing.store.schema import init_store
    from tests.bench.synth import make_synthetic

    work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="bench-sync-"))
    work.mkdir(parents=True, exist_ok=True)
    bin_dir = find_bin_dir()
    if bin_dir is None:
        sys.exit("PostgreSQL is not installed (initdb, pg_ctl).")
    big = work / "synthetic.sqlite"
    if not big.exists():
        t0 = time.perf_counter()
        make_synthetic(big)
        print(f"synthetic file: {time.perf_counter() - t0:.1f} s to build, {big.stat().st_size / 1e6:.0f} MB")
    pg = Cluster(bin_dir, fsync=True).start()
    try:
        for name in ("store", "bare"):
            pg.admin(f"CREATE DATABASE {name}")
            init_store(pg.admin_url(name))
        store, bare = pg.admin_url("store"), pg.admin_url("bare")

        read_s, copy_s = _bare_copy(big, bare)
        print(
            f"reference: bare COPY of the same rows   {read_s + copy_s:6.2f} s  ({read_s:.2f} s reading the file, "
            f"{copy_s:.2f} s COPY)"
        )
        laptop = work / "laptop-a.sqlite"
        shutil.copyfile(big, laptop)
        first, report = _sync(laptop, store, "ana")
        rows = sum(c.added for c in report.up.values())  # type: ignore[attr-defined]
        print(f"first sync, 10,000 commitments + 50,000 notes ({rows:,} rows) up   {first:6.2f} s   target < 15 s")
        fresh = work / "laptop-b.sqlite"
        fresh.unlink(missing_ok=True)
        down, _ = _sync(fresh, store, "ben")
        print(f"new laptop's first sync from the store (file made)   {down:6.2f} s")

        _change(laptop, "ana", CHANGES, "a")
        _change(fresh, "ben", CHANGES, "b")
        _sync(laptop, store, "ana")
        both, report = _sync(fresh, store, "ben")
        up_n = sum(c.total for c in report.up.values())  # type: ignore[attr-defined]
        down_n = sum(c.total for c in report.down.values())  # type: ignore[attr-defined]
        print(f"sync with {CHANGES} changes on each side ({up_n} up, {down_n} down)   {both:6.2f} s   target < 1 s")

        clients = []
        for i in range(CLIENTS):
            path = work / f"client{i}.sqlite"
            shutil.copyfile(fresh, path)
            _change(path, f"user{i}", CHANGES, f"c{i:02d}")
            clients.append((str(path), store, f"user{i}"))
        with multiprocessing.get_context("fork").Pool(CLIENTS) as pool:
            spans = pool.map(_client, clients)
        together = max(e for _, e in spans) - min(s for s, _ in spans)
        slowest = max(e - s for s, e in spans)
        print(
            f"{CLIENTS} clients syncing {CHANGES} changes each at once   {together:6.2f} s together "
            f"(slowest {slowest:.2f} s)   target < 30 s"
        )
    finally:
        pg.stop()
        for p in work.glob("client*.sqlite*"):
            p.unlink()


if __name__ == "__main__":
    main()
