"""How quickly the sources and meetings panels answer, on a large synthetic file.

    uv run python -m tests.bench.bench_panels [--runs 30]

On a synthetic file (10,000 commitments, 2,000 sources, 200 meetings of 50
agenda items; `tests/bench/synth.py`), measured in one process:

- sources: selecting a commitment that cites sources until the panel shows
  them (facade read, model reset, detail view);
- meetings: selecting another meeting until its agenda is shown;
- agenda edit: moving an agenda item down (undo command, file write, panel
  re-read);

each beside a bare reference measured in the same run: the same rows read
with plain sqlite3 into a QStandardItemModel shown by a QListView. Prints
medians in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QListView

    from briefbook.gui.context import AppContext
    from briefbook.gui.meetings.panel import MeetingsPanel
    from briefbook.gui.sources.panel import SourcesPanel
    from db.briefing.facade import Briefing
    from tests.bench.synth import make_synthetic

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="briefbook-bench-panels-") as tmp:
        path = Path(tmp) / "synthetic.sqlite"
        started = time.perf_counter()
        make_synthetic(path, commitments=10_000, notes=20_000, sources=2_000, meetings=200, agenda_per_meeting=50)
        print(f"synthetic file built in {time.perf_counter() - started:.1f} s")

        context = AppContext()
        context.set_briefing(Briefing.open(path, user="bench"))
        briefing = context.briefing
        assert briefing is not None
        sources_panel = SourcesPanel(context)
        meetings_panel = MeetingsPanel(context)
        sources_panel.resize(520, 640)
        meetings_panel.resize(420, 860)
        sources_panel.show()
        meetings_panel.show()
        app.processEvents()

        cited = [nid for nid, links in briefing.sources_for([n.id for n in briefing.nodes()]).items() if links]
        cited = cited[: args.runs]
        meetings = briefing.meetings()[: args.runs]

        # -- the panels --
        sources_times = []
        for nid in cited:
            t = time.perf_counter()
            context.select_node(nid)
            app.processEvents()
            sources_times.append(time.perf_counter() - t)
        assert sources_panel.model.rowCount() > 0

        meeting_times = []
        for m in meetings:
            t = time.perf_counter()
            meetings_panel.select_meeting(m.id)
            app.processEvents()
            meeting_times.append(time.perf_counter() - t)
        assert meetings_panel.agenda_model.rowCount() > 0

        move_times = []
        meetings_panel.agenda_view.setCurrentIndex(meetings_panel.agenda_model.index(0))
        for _ in range(args.runs):
            t = time.perf_counter()
            meetings_panel.move_item(+1)
            app.processEvents()
            move_times.append(time.perf_counter() - t)
        undo_times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            context.undo_stack.undo()
            app.processEvents()
            undo_times.append(time.perf_counter() - t)

        # -- the bare reference: plain SQL into a standard model and list view --
        conn = sqlite3.connect(path)
        model = QStandardItemModel()
        view = QListView()
        view.setModel(model)
        view.resize(520, 400)
        view.show()

        def bare(sql: str, key: str) -> float:
            t = time.perf_counter()
            rows = conn.execute(sql, (key,)).fetchall()
            model.clear()
            for row in rows:
                model.appendRow(QStandardItem("\n".join(str(c) for c in row)))
            app.processEvents()
            return time.perf_counter() - t

        bare_sources = [bare(
            "SELECT s.title, s.outlet, s.published, l.quote FROM source_link l JOIN source s ON s.id = l.source_id "
            "WHERE l.node_id = ? AND l.deleted_at IS NULL AND s.deleted_at IS NULL", nid) for nid in cited]
        bare_agenda = [bare(
            "SELECT n.ref, n.title, a.points FROM agenda_item a JOIN node n ON n.id = a.node_id "
            "WHERE a.meeting_id = ? AND a.deleted_at IS NULL ORDER BY a.position", m.id) for m in meetings]
        conn.close()
        context.set_briefing(None)

    print(f"runs: {args.runs} (medians)")
    print(f"sources: select a commitment   {median_ms(sources_times):7.1f} ms   "
          f"bare SQL + QListView {median_ms(bare_sources):6.1f} ms")
    print(f"meetings: select a meeting     {median_ms(meeting_times):7.1f} ms   "
          f"bare SQL + QListView {median_ms(bare_agenda):6.1f} ms  (50 agenda items)")
    print(f"agenda: move an item (write)   {median_ms(move_times):7.1f} ms")
    print(f"agenda: undo a move (write)    {median_ms(undo_times):7.1f} ms")


if __name__ == "__main__":
    main()
