"""How quickly a commitment with thousands of notes shows, scrolls, and what it costs in memory.

    uv run python -m tests.bench.bench_notes [--sizes 1000,3000,10000]

For each size, in a process of its own (so that each peak memory is that
size's): the shipped Japan-Italy file with N notes on commitment 3.2.1
(`synth.add_notes_on_one`: every kind, Markdown, Japanese and Italian lines,
a conflicting copy every 500), shown in the notes panel at 560x700.

- shown: selecting the commitment until the panel is painted (grab());
- all measured: until every row's height is known (the view measures the
  rows in batches while the user reads the first screen);
- scroll: painting the view one page further down, median and worst of
  40 pages, and a jump to the last note;
- peak memory: the process's maximum resident size (ru_maxrss) at the end,
  and before the notes were shown.

The reference, in the same process: the same note texts, unrendered, in a
QStringListModel shown by a bare QListView (select until painted).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def measure(path: Path) -> dict[str, float]:
    """Show the notes of 3.2.1 in `path` (one size, this process)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QStringListModel
    from PySide6.QtWidgets import QListView

    from briefbook.gui.app import make_application
    from briefbook.gui.context import AppContext
    from briefbook.gui.notes.panel import NotesPanel
    from db.briefing.facade import Briefing

    app = make_application()
    context = AppContext()
    context.set_briefing(Briefing.open(path, user="bench"))
    briefing = context.briefing
    assert briefing is not None
    node_id = briefing.node_by_ref("3.2.1").id
    panel = NotesPanel(context)
    panel.resize(560, 700)
    panel.show()
    app.processEvents()
    before = peak_mb()

    started = time.perf_counter()
    context.select_node(node_id)
    panel.grab()
    shown = time.perf_counter() - started
    count = panel.model.note_count()
    view, delegate = panel.view, panel.view.delegate
    while delegate.measured() < count:  # the batches, one per pass of the event loop
        app.processEvents()
    measured = time.perf_counter() - started
    app.processEvents()

    bar = view.verticalScrollBar()
    pages = []
    for _ in range(40):
        t = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        view.viewport().repaint()
        pages.append(time.perf_counter() - t)
    t = time.perf_counter()
    view.scrollToBottom()
    view.viewport().repaint()
    to_end = time.perf_counter() - t
    last = panel.model.notes()[-1]
    assert view.visualRect(panel.model.index(panel.model.row_of(last.id), 0)).intersects(view.viewport().rect())
    after = peak_mb()

    # The reference: the bodies as plain strings in a bare list view.
    bodies = [n.body for n in briefing.notes(node_id)]
    bare = QListView()
    bare.resize(560, 700)
    bare.show()
    app.processEvents()
    t = time.perf_counter()
    bare.setModel(QStringListModel(bodies))
    bare.grab()
    reference = time.perf_counter() - t
    context.set_briefing(None)
    return {"notes": count, "shown": shown, "measured": measured, "page_median": statistics.median(pages),
            "page_worst": max(pages), "to_end": to_end, "peak_before_mb": before, "peak_mb": after,
            "reference": reference}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,3000,10000", help="note counts, comma-separated")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # the child process: measure this file
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one)))
        return

    from briefbook.services.seeding import init_file
    from db.briefing.facade import Briefing
    from tests.bench.synth import add_notes_on_one

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="briefbook-bench-notes-") as tmp:
        template = Path(tmp) / "seeded.sqlite"
        init_file(template, user="bench").close()
        with Briefing.open(template, read_only=True) as b:
            node_id = b.node_by_ref("3.2.1").id
        print(f"{'notes':>6}  {'shown':>8}  {'all measured':>12}  {'page (median/worst)':>20}  "
              f"{'to the end':>10}  {'peak memory':>18}  {'bare QListView':>14}")
        for size in sizes:
            path = Path(tmp) / f"notes-{size}.sqlite"
            shutil.copyfile(template, path)
            add_notes_on_one(path, node_id, size)
            out = subprocess.run([sys.executable, "-m", "tests.bench.bench_notes", "--one", str(path)],
                                 capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
            print(f"{int(r['notes']):>6}  {ms(r['shown']):>8}  {ms(r['measured']):>12}  "
                  f"{ms(r['page_median']) + ' / ' + ms(r['page_worst']):>20}  {ms(r['to_end']):>10}  "
                  f"{r['peak_mb']:>6.0f} MB ({r['peak_before_mb']:.0f} before)  {ms(r['reference']):>14}")


if __name__ == "__main__":
    main()
