"""Benchmark: how long Cancel can take to answer in a merge of the synthetic
10,000-commitment file (bench_merge's two copies).

    uv run python tests/bench/bench_cancel.py [WORKDIR]

A cancel is honoured at the merge's next safe point (briefbook/gui/operations.py),
so the longest stretch between two of them is the longest a person waits after
pressing Cancel. Printed beside the whole merge's time, measured in the same run.
Target: under one second.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from db.briefing.facade import Briefing
    from db.sharing.merge import merge_into
    from tests.bench import bench_merge as bm
    from tests.bench.synth import make_synthetic

    work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="bench-cancel-"))
    work.mkdir(parents=True, exist_ok=True)
    base = work / "base.sqlite"
    if not base.exists():
        print("making the synthetic file (10,000 commitments, 50,000 notes)…", flush=True)
        make_synthetic(base, commitments=10_000, notes=50_000, seed=1)
    a, b = work / "cancel-a.sqlite", work / "cancel-b.sqlite"
    for p in (a, b):
        shutil.copyfile(base, p)
    for p in work.glob("cancel-a.*.bak"):
        p.unlink()
    conn = sqlite3.connect(base)
    note_ids = [r[0] for r in conn.execute("SELECT id FROM note ORDER BY id")]
    nodes = [r[0] for r in conn.execute("SELECT id FROM node WHERE kind = 'commitment'")]
    conn.close()
    random.Random(7).shuffle(note_ids)
    shared = note_ids[: bm.SHARED_EDITS]
    bm._edit(a, "alice", 101, shared, note_ids[bm.SHARED_EDITS : bm.EDITED], nodes)
    bm._edit(b, "bob", 102, shared, note_ids[bm.EDITED : 2 * bm.EDITED - bm.SHARED_EDITS], nodes)

    marks: list[tuple[float, str]] = []
    with Briefing.open(a, user="bench") as briefing:
        start = time.perf_counter()
        merge_into(briefing, b, lambda done, total, label: marks.append((time.perf_counter(), label)))
        end = time.perf_counter()
    times = [start] + [t for t, _ in marks]
    # Every progress report before "Merged." is a safe point; the stretch up to "Merged." also
    # holds the commit, after the point of no return, so it is an upper bound.
    stretches = sorted(((times[i + 1] - times[i], marks[i][1]) for i in range(len(marks))), reverse=True)
    longest, before = stretches[0]
    print(f"merge B into A: {end - start:.2f} s, {len(marks) - 1} safe points")
    print(f"longest wait after Cancel: {longest * 1000:.0f} ms (up to {before!r}; target < 1 s) "
          f"{'ok' if longest < 1 else 'MISSED'}")
    print("next longest: " + "; ".join(f"{s * 1000:.0f} ms up to {label!r}" for s, label in stretches[1:4]))


if __name__ == "__main__":
    main()
