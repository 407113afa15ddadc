"""Foundation benchmark: import, tree and search on a 10,000-commitment file.

    uv run python tests/bench/bench_foundation.py [--commitments 10000] [--notes 50000]

Prints, for a synthetic plan of N commitments with M notes:
- import: `briefbook import-plan` as a whole command (process start included),
  and the in-process parse + store time;
- tree: `briefbook tree --json` as a whole command, against a bare
  `python -c` that imports sqlite3 and json, reads the same nodes with plain
  SQL and dumps them (the floor any Python command pays);
- search: the median and 95th percentile of 100 queries through the facade.
Targets (issue 2): import < 3 s, tree < 1 s, search median < 20 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.synth import VOCAB, make_synthetic, synthetic_plan_text  # noqa: E402

BARE_TREE = """
import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = c.execute("SELECT id, parent_id, ref, kind, title, text, status FROM node WHERE deleted_at IS NULL ORDER BY position").fetchall()
json.dump([dict(zip(("id","parent_id","ref","kind","title","text","status"), r)) for r in rows], sys.stdout, ensure_ascii=False)
"""


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--commitments", type=int, default=10_000)
    ap.add_argument("--notes", type=int, default=50_000)
    args = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        text_path = tmpdir / "plan.txt"
        text_path.write_text(synthetic_plan_text(args.commitments, seed=7, title="Benchmark Plan (2025-2028)"))

        # Import into an empty file, as a user would run it.
        empty = tmpdir / "import.sqlite"
        subprocess.run([py, "-m", "briefbook", "init", str(empty), "--empty"], check=True,
                       stdout=subprocess.DEVNULL, cwd=ROOT)
        t_import_cmd = timed([py, "-m", "briefbook", "import-plan", str(text_path), "--db", str(empty)])

        from briefbook.plan_parser import parse_plan
        from db.briefing import Briefing

        empty2 = tmpdir / "import2.sqlite"
        Briefing.create(empty2).close()
        start = time.perf_counter()
        draft = parse_plan(text_path.read_text())
        t_parse = time.perf_counter() - start
        with Briefing.open(empty2) as b:
            start = time.perf_counter()
            b.import_plan(draft)
            t_store = time.perf_counter() - start

        # The full synthetic file: plan + notes + sources + meetings.
        big = make_synthetic(tmpdir / "big.sqlite", commitments=args.commitments, notes=args.notes)
        t_tree = min(timed([py, "-m", "briefbook", "tree", "--json", "--db", str(big)]) for _ in range(3))
        t_bare = min(timed([py, "-c", BARE_TREE, str(big)]) for _ in range(3))

        rng = random.Random(3)
        # Users search for content words: draw them uniformly from the vocabulary.
        words = [w for w in VOCAB if len(w) > 3]
        queries = []
        for i in range(100):
            kind = i % 4
            if kind == 0:
                queries.append(rng.choice(words))
            elif kind == 1:
                queries.append(rng.choice(words)[:5])  # a prefix
            elif kind == 2:
                queries.append(f"{rng.choice(words)} {rng.choice(words)}")
            else:
                queries.append(rng.choice(["高市", "città", "citta", '"AND(', "critical minerals", "重要"]))
        with Briefing.open(big, read_only=True) as b:
            b.search("warm up")
            times = []
            for q in queries:
                start = time.perf_counter()
                b.search(q)
                times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(f"synthetic plan: {args.commitments} commitments, {args.notes} notes")
        print(f"import-plan (whole command): {t_import_cmd:.2f} s   [target < 3 s]")
        print(f"  in process: parse {t_parse:.2f} s + store {t_store:.2f} s")
        print(f"tree --json (whole command, best of 3): {t_tree:.2f} s   [target < 1 s]; "
              f"bare sqlite3+json script: {t_bare:.2f} s")
        print(f"search over 100 queries: median {statistics.median(times):.1f} ms, "
              f"p95 {times[94]:.1f} ms, max {times[-1]:.1f} ms   [target median < 20 ms]")


if __name__ == "__main__":
    main()
