"""Start-up, filter and memory of the window, as whole processes.

    uv run python -m tests.bench.bench_startup [--runs 5]

Measured side by side in one run:

- the app (`briefbook --db FILE`, i.e. `run_window`) from process start to
  its plan tree painted, on the seeded file, against a bare script that
  imports the same libraries, reads the same tree with plain SQL and shows it
  in a QTreeView (target: at most 1.5x);
- on a synthetic 10,000-commitment, 50,000-note file (`tests/bench/synth.py`):
  the tree painted < 1 s after start, a filter keystroke answered (the
  search box's text changed, the tree filtered, expanded and repainted)
  < 100 ms median, resident memory < 400 MB; the bare tree's figures beside.

Both kinds of child process wait for the first paint of a QTreeView viewport
that has rows, with the same event filter, then print their figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The probe both children share: wait for the tree's first paint with rows.
PROBE = r"""
import json, os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QTreeView

def rss_mb():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):  # the peak so far, not just the current size
                return int(line.split()[1]) / 1024
    return 0.0

class Probe(QObject):
    def __init__(self, after):
        super().__init__()
        self.after = after
        self.done = False

    def eventFilter(self, obj, event):
        if not self.done and event.type() == QEvent.Type.Paint:
            view = obj.parent()
            if isinstance(view, QTreeView) and obj is view.viewport() and view.model() is not None \
                    and view.model().rowCount() > 0:
                self.done = True
                shown = time.time()
                QTimer.singleShot(0, lambda: self.after(view, shown))
        return False

def report(figures):
    figures["rss_mb"] = rss_mb()
    print("FIGURES " + json.dumps(figures), flush=True)
    os._exit(0)
"""

APP_CHILD = PROBE + r"""
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
app = QApplication(sys.argv[:1])

def after(view, shown):
    figures = {"shown": shown}
    queries = [q for q in os.environ.get("BENCH_QUERIES", "").split("|") if q]
    if queries:
        search = next(s for w in QApplication.topLevelWidgets() if (s := w.findChild(QLineEdit, "search")))
        times = []
        for query in queries:
            search.clear()
            app.processEvents()
            search.setFocus()
            for ch in query:
                t = time.perf_counter()
                QTest.keyClick(search, ch)
                view.viewport().repaint()
                app.processEvents()
                times.append(time.perf_counter() - t)
        figures["keystrokes"] = times
    report(figures)

probe = Probe(after)
app.installEventFilter(probe)
from briefbook.gui.app import run_window
from pathlib import Path
run_window(Path(sys.argv[1]))
"""

BARE_CHILD = PROBE + r"""
import sqlite3
import platformdirs  # the libraries the app imports besides Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
probe = Probe(lambda view, shown: report({"shown": shown}))
app.installEventFilter(probe)
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute(
    "SELECT id, parent_id, ref, title, status FROM node WHERE deleted_at IS NULL ORDER BY position"
).fetchall()
model = QStandardItemModel()
model.setHorizontalHeaderLabels(["Ref", "Title", "Status"])
items = {}
children = {}
for row in rows:
    children.setdefault(row[1], []).append(row)
stack = [(None, model.invisibleRootItem())]
while stack:
    parent_id, parent_item = stack.pop()
    for nid, _, ref, title, status in children.get(parent_id, []):
        cells = [QStandardItem(ref), QStandardItem(title), QStandardItem(status or "")]
        parent_item.appendRow(cells)
        stack.append((nid, cells[0]))
window = QMainWindow()
window.resize(1440, 900)
view = QTreeView()
view.setUniformRowHeights(True)
view.setModel(model)
view.expandToDepth(0 if len(rows) > 600 else 10)
window.setCentralWidget(view)
window.show()
app.exec()
"""


def run_child(code: str, db: Path, env: dict[str, str]) -> dict:
    start = time.time()
    proc = subprocess.run(
        [sys.executable, "-c", code, str(db)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300
    )
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("FIGURES ")), None)
    if line is None:
        raise RuntimeError(f"child failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    figures = json.loads(line[len("FIGURES ") :])
    figures["startup_s"] = figures["shown"] - start
    return figures


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="folder for the test files (kept; reused if present)")
    args = parser.parse_args()

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="briefbook-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Fresh settings (no remembered geometry, recent files) for every child.
    env["XDG_CONFIG_HOME"] = str(workdir / "config")
    # A returning user, who has given a name: the first run's question (asked
    # after the tree has painted) would hold the keystroke run up.
    prefs = workdir / "config" / "briefbook" / "preferences.json"
    prefs.parent.mkdir(parents=True, exist_ok=True)
    prefs.write_text(json.dumps({"author": "Bench User"}), encoding="utf-8")
    env["PYTHONPATH"] = str(ROOT)

    seeded = workdir / "seeded.sqlite"
    synthetic = workdir / "synthetic-10k.sqlite"
    sys.path.insert(0, str(ROOT))
    if not seeded.exists():
        from briefbook.services.seeding import init_file

        init_file(seeded).close()
    if not synthetic.exists():
        from tests.bench.synth import make_synthetic

        t = time.perf_counter()
        make_synthetic(synthetic, commitments=10_000, notes=50_000, seed=1)
        print(f"(made the synthetic file in {time.perf_counter() - t:.1f} s)")

    # Byte-code for the project and the libraries both children import, as an
    # installed copy has (tests/bench/bytecode.py).
    from tests.bench.bytecode import compile_for_bench

    compile_for_bench(("db", "briefbook"), ("platformdirs", "PySide6", "shiboken6"))
    # Warm the OS file cache and byte-code once, so run 1 is not an outlier.
    run_child(BARE_CHILD, seeded, env)
    run_child(APP_CHILD, seeded, env)

    results: dict[str, list[dict]] = {"app_seeded": [], "bare_seeded": [], "app_10k": [], "bare_10k": []}
    keyed = dict(env, BENCH_QUERIES="cooperation|semicond|minerals|Cortina")
    for _ in range(args.runs):  # interleaved, so drift in machine load hits both alike
        results["bare_seeded"].append(run_child(BARE_CHILD, seeded, env))
        results["app_seeded"].append(run_child(APP_CHILD, seeded, env))
        results["bare_10k"].append(run_child(BARE_CHILD, synthetic, env))
        results["app_10k"].append(run_child(APP_CHILD, synthetic, keyed))

    def med(key: str, field: str) -> float:
        return median([r[field] for r in results[key]])

    app_s, bare_s = med("app_seeded", "startup_s"), med("bare_seeded", "startup_s")
    app_10k, bare_10k = med("app_10k", "startup_s"), med("bare_10k", "startup_s")
    keys = [t for r in results["app_10k"] for t in r.get("keystrokes", [])]
    key_median = median(keys) * 1000
    key_p90 = sorted(keys)[int(len(keys) * 0.9)] * 1000 if keys else float("nan")
    rss, bare_rss = med("app_10k", "rss_mb"), med("bare_10k", "rss_mb")

    def verdict(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    print(f"runs: {args.runs} of each (medians)")
    print(f"seeded file ({seeded.stat().st_size // 1024} KB): window with tree painted")
    print(f"  briefbook            {app_s:6.3f} s")
    print(f"  bare QTreeView       {bare_s:6.3f} s   ratio {app_s / bare_s:4.2f}x (target <= 1.5x) {verdict(app_s <= 1.5 * bare_s)}")
    print(f"synthetic file: 10,000 commitments, 50,000 notes ({synthetic.stat().st_size // (1024 * 1024)} MB)")
    print(f"  briefbook tree       {app_10k:6.3f} s   (target < 1 s) {verdict(app_10k < 1.0)}")
    print(f"  bare QTreeView       {bare_10k:6.3f} s")
    print(
        f"  filter keystroke     median {key_median:5.1f} ms, 90th percentile {key_p90:5.1f} ms over {len(keys)} "
        f"keystrokes (target median < 100 ms) {verdict(key_median < 100)}"
    )
    print(f"  peak resident memory {rss:6.1f} MB  (target < 400 MB) {verdict(rss < 400)}; bare tree {bare_rss:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
