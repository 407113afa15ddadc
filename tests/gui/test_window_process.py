"""The window as a whole process: it holds the file's lock while open and lets
go of it when the session ends (SIGTERM at logout), leaving one clean file; its
menu entries for export, merge and check load their code only when used."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def child_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Offscreen, with settings (recent files, geometry) in a folder of the test's own."""
    config = tmp_path_factory.mktemp("config")
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(config)}


def test_sigterm_closes_the_window_and_releases_the_lock(
    seeded_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    lock = seeded_path.with_name(seeded_path.name + ".lock")
    env = child_env(tmp_path_factory)
    proc = subprocess.Popen([sys.executable, "-m", "briefbook", "--db", str(seeded_path)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not lock.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        assert lock.exists(), f"the window did not take the lock: {proc.stderr and proc.poll()}"
        time.sleep(1.0)  # let the window finish showing
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "Traceback" not in proc.stderr.read()
    assert sorted(p.name for p in seeded_path.parent.iterdir()) == [seeded_path.name]


# Starts the window as `briefbook --db` does (panels after the first paint),
# prints which of the lazily loaded modules are in, uses the menu, prints again.
LAZY_CHILD = r"""
import sys, time
from pathlib import Path
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog
from briefbook.gui.app import make_application
from briefbook.gui.main_window import MainWindow

LAZY = ("briefbook.gui.export.dialog", "briefbook.gui.files.check_dialog", "briefbook.gui.files.merge_dialog",
        "db.briefing.checking", "db.sharing.merge", "exporters.export")
app = make_application()
window = MainWindow(lazy_panels=True)
assert window.files.open_path(Path(sys.argv[1]))
window.show()
deadline = time.monotonic() + 30
while not window.panels_built and time.monotonic() < deadline:
    app.processEvents()
print("started", window.panels_built, *[m for m in LAZY if m in sys.modules])
window.findChild(QAction, "exportAction").trigger()
shown = [d.objectName() for d in window.findChildren(QDialog) if d.isVisible()]
print("export", *shown, *[m for m in LAZY if m in sys.modules])
"""


def test_export_merge_and_check_load_their_code_only_when_used(
    seeded_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    proc = subprocess.run([sys.executable, "-c", LAZY_CHILD, str(seeded_path)], cwd=ROOT,
                          env=child_env(tmp_path_factory), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "started True"  # the panels are built, none of the handlers loaded
    assert lines[1] == "export exportDialog briefbook.gui.export.dialog"  # the dialog shows; exporters load on Export
