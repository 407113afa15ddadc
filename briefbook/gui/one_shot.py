"""`briefbook --db FILE --screenshot PNG`: open the window, wait for the plan tree
to paint, save a picture of the window, say what it showed, and exit.

For checking an installation without anyone at the screen (the bundle's smoke
test runs it offscreen, `QT_QPA_PLATFORM=offscreen`) and for a bug report's
picture. It asks nothing: a file that cannot be opened is one sentence on
stderr and exit status 1, as on the command line.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QAbstractItemModel, QModelIndex

    from briefbook.gui.main_window import MainWindow


def count_rows(model: QAbstractItemModel, parent: QModelIndex | None = None) -> int:
    """Every row under `parent` (the whole tree when None), at any depth."""
    from PySide6.QtCore import QModelIndex

    parent = parent if parent is not None else QModelIndex()
    total = 0
    for row in range(model.rowCount(parent)):
        total += 1 + count_rows(model, model.index(row, 0, parent))
    return total


def save_picture(window: MainWindow, out: Path) -> str:
    """Save the window as PNG at `out` (written beside it, then renamed); the line saying what it showed."""
    tree = window.tree_pane.tree
    model = tree.model()
    rows, top = count_rows(model), model.rowCount()
    tmp = out.with_name(f".{out.name}.saving")
    if not window.grab().save(str(tmp), "PNG"):
        tmp.unlink(missing_ok=True)
        raise OSError(f"could not write the picture to {out}")
    os.replace(tmp, out)
    briefing = window.context.briefing
    shown = f"{briefing.path.name}: the plan tree with {rows} rows ({top} at the top)" if briefing else "no file"
    return f"window shown ({shown}); picture saved to {out}"


def run(db: Path | None, out: Path) -> int:
    """The whole `--screenshot` run; its exit status."""
    from briefbook.services.paths import default_file

    if db is None and not default_file().exists():
        print("briefbook: --screenshot shows a file, and there is no default file yet: name one with --db FILE.",
              file=sys.stderr)
        return 2
    if not out.parent.is_dir():
        print(f"briefbook: cannot save the picture: the folder {out.parent} does not exist.", file=sys.stderr)
        return 2
    from PySide6.QtWidgets import QApplication

    from briefbook.gui.app import run_window

    def shown(window: MainWindow) -> None:
        try:
            print(save_picture(window, out), flush=True)  # at once: a script may time the start by it
        except OSError as exc:
            print(f"briefbook: {exc}.", file=sys.stderr)
            QApplication.exit(1)
        else:
            QApplication.exit(0)
        window.close()

    return run_window(db, on_shown=shown)
