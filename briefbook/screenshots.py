"""Screenshots of the window for the README and for checking the looks:

    python -m briefbook.screenshots OUTDIR

Opens a freshly seeded file offscreen (no screen needed), selects commitment
3.2.1 and saves PNGs of the main window, the notes, sources and status history
views, the meetings panel and a filtered tree. A question note holding a
Japanese name (高市早苗) is added to that temporary file so the shots show
that Japanese renders with the shipped font.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

SIZE = (1440, 900)
JAPANESE_NOTE = "Readout in Japanese: check the spelling of **高市早苗** (Takaichi Sanae) in the minutes."


def take(outdir: Path, size: tuple[int, int] = SIZE) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QWidget

    from briefbook.gui.app import make_application

    app = make_application()
    # Never read or overwrite the user's own window settings.
    settings_dir = tempfile.mkdtemp(prefix="briefbook-shots-settings-")
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, settings_dir)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
    from briefbook.gui.main_window import MainWindow
    from briefbook.services.seeding import init_file

    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="briefbook-shots-") as tmp:
        path = Path(tmp) / "Japan-Italy briefing.sqlite"
        with init_file(path, user="Screenshot") as briefing:
            node = briefing.node_by_ref("3.2.1")
            briefing.add_note(node.id, "question", JAPANESE_NOTE, author="Screenshot")
        window = MainWindow()
        window.fit_to(*size)
        window.files.open_path(path)
        window.show()
        window.tree_pane.select_ref("3.2.1")

        def settle() -> None:
            for _ in range(5):
                app.processEvents()

        shots: list[Path] = []

        def save(widget: QWidget, name: str) -> None:
            settle()
            target = outdir / name
            widget.grab().save(str(target))
            shots.append(target)

        window.tabs.setCurrentIndex(0)
        save(window, "main-window.png")
        save(window.tabs, "notes.png")
        window.tabs.setCurrentIndex(1)
        save(window.tabs, "sources.png")
        window.tabs.setCurrentIndex(2)
        save(window.tabs, "status-history.png")
        window.tabs.setCurrentIndex(0)
        save(window.meetings_dock, "meetings.png")
        window.tree_pane.search.setText("critical minerals")
        save(window.tree_pane, "search.png")
        window.tree_pane.search.clear()
        window.close()
        settle()
    return shots


def main(argv: list[str] | None = None) -> int:
    # argparse, so that --help answers instead of becoming a folder named "--help".
    parser = argparse.ArgumentParser(
        prog="python -m briefbook.screenshots",
        description="PNGs of the window on a freshly seeded file, made offscreen (no screen needed).",
    )
    parser.add_argument("outdir", type=Path, metavar="OUTDIR", help="folder for the PNGs (created if missing)")
    parser.add_argument("--size", default=f"{SIZE[0]}x{SIZE[1]}", metavar="WxH",
                        help="the window's size (default %(default)s; a small laptop: 1024x640)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        parser.error(f"--size {args.size}: write it as WIDTHxHEIGHT, e.g. 1024x640")
    for shot in take(args.outdir, (width, height)):
        print(shot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
