"""psycopg and the store code load only when a store command or a sync runs:
the window, the other commands and `--help` never import them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
from briefbook.cli.main import build_parser
build_parser()                                   # every command's parser, as for --help
import briefbook.gui.main_window, briefbook.gui.files.sync_dialog, exporters, db.briefing.facade, db.sharing.merge
loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'psycopg' or m.startswith('db.sharing.store.'))
print(','.join(loaded))
"""


def test_nothing_loads_psycopg_until_a_sync_runs() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
