"""Benchmark: merging two copies of the synthetic 10,000-commitment file, and
a consistent copy of it.

    uv run python tests/bench/bench_merge.py [WORKDIR]

Each copy gets 5,000 new or changed notes (2,500 added, 2,500 edited, 500 of
the edits on notes the other copy also edited: conflicts), then B is merged
into A in a fresh process that measures its own time and peak memory (RSS).
Targets: merge < 5 s and < 500 MB; copy < 1 s. The references measured in
the same run: a plain file copy (shutil.copyfile) of the same file, and the
peak RSS of a process that only opens the file.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

NEW, EDITED, SHARED_EDITS = 2_500, 2_500, 500


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started (VmHWM: getrusage's
    figure would include the size of the benchmark process that started it)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _edit(path: Path, side: str, seed: int, shared: list[str], own: list[str], nodes: list[str]) -> None:
    """5,000 note changes in one transaction, the way the facade writes them (triggers keep history)."""
    from db.model import ids

    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    with conn:
        for i, nid in enumerate(shared + own):
            conn.execute(
                "UPDATE note SET body = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                (f"{side} rewrote this note ({i}).", ids.now(), side, nid),
            )
        stamp = ids.now()
        conn.executemany(
            "INSERT INTO note(id, node_id, kind, body, author, position, created_at, conflict_of, updated_at,"
            " updated_by, deleted_at) VALUES (?,?,?,?,?,?,?,NULL,?,?,NULL)",
            [
                (str(uuid.UUID(int=rng.getrandbits(128), version=4)), rng.choice(nodes), "update",
                 f"{side}'s new note {i} on the summit preparations", side, 1000 + i, stamp, stamp, side)
                for i in range(NEW)
            ],
        )
    conn.close()


def child_merge(ours: str, theirs: str) -> None:
    from db.briefing.facade import Briefing
    from db.sharing.merge import merge_into

    t0 = time.perf_counter()
    with Briefing.open(ours, user="bench") as b:
        t1 = time.perf_counter()
        report = merge_into(b, theirs)
        t2 = time.perf_counter()
    rss = peak_rss_mb()
    print(json.dumps({"open_s": t1 - t0, "merge_s": t2 - t1, "rss_mb": rss, "report": report.to_json()}))


def child_open(path: str) -> None:
    from db.briefing.facade import Briefing

    with Briefing.open(path, read_only=True) as b:
        b.counts()
    print(json.dumps({"rss_mb": peak_rss_mb()}))


def _child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    from db.disk.copying import consistent_copy
    from tests.bench.synth import make_synthetic

    work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="bench-merge-"))
    work.mkdir(parents=True, exist_ok=True)
    base = work / "base.sqlite"
    if not base.exists():
        print("making the synthetic file (10,000 commitments, 50,000 notes)…", flush=True)
        make_synthetic(base, commitments=10_000, notes=50_000, seed=1)
    a, b = work / "a.sqlite", work / "b.sqlite"
    for p in (a, b):
        shutil.copyfile(base, p)
    for p in work.glob("*.bak"):
        p.unlink()
    conn = sqlite3.connect(base)
    note_ids = [r[0] for r in conn.execute("SELECT id FROM note ORDER BY id")]
    nodes = [r[0] for r in conn.execute("SELECT id FROM node WHERE kind = 'commitment'")]
    conn.close()
    rng = random.Random(7)
    rng.shuffle(note_ids)
    shared = note_ids[:SHARED_EDITS]
    own_a = note_ids[SHARED_EDITS : EDITED]
    own_b = note_ids[EDITED : 2 * EDITED - SHARED_EDITS]
    _edit(a, "alice", 101, shared, own_a, nodes)
    time.sleep(0.01)
    _edit(b, "bob", 102, shared, own_b, nodes)

    size_mb = base.stat().st_size / 2**20
    print(f"file: {size_mb:.0f} MB, {len(note_ids):,} notes; each copy: {NEW:,} new + {EDITED:,} edited notes "
          f"({SHARED_EDITS} edited on both sides)")

    reference_open = _child("--open", str(a))
    merged = _child("--merge", str(a), str(b))
    notes = merged["report"]["kinds"]["notes"]
    print(f"merge B into A:   {merged['merge_s']:.2f} s (target < 5 s), peak RSS {merged['rss_mb']:.0f} MB "
          f"(target < 500 MB; a process that only opens the file: {reference_open['rss_mb']:.0f} MB)")
    print(f"  notes: {notes['added']} added, {notes['updated']} updated, {notes['conflicts']} conflicting copies kept;"
          f" backup included; opening the file took {merged['open_s']:.2f} s")

    out = work / "copy.sqlite"
    t0 = time.perf_counter()
    consistent_copy(a, out)
    copy_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    shutil.copyfile(a, work / "plain-copy.sqlite")
    plain_s = time.perf_counter() - t0
    print(f"consistent copy:  {copy_s:.2f} s (target < 1 s; plain shutil.copyfile of the same "
          f"{a.stat().st_size / 2**20:.0f} MB: {plain_s:.2f} s)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--merge":
        child_merge(sys.argv[2], sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "--open":
        child_open(sys.argv[2])
    else:
        main()
