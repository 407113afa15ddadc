"""The window as a whole process: it holds the file's lock while open and lets
go of it when the session ends (SIGTERM at logout), leaving one clean file; its
menu entries for export, merge and check load their code only when used."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[2]


def child_env(tmp_path_factory: pytest.TempPathFactory, author: str = "") -> dict[str, str]:
    """Offscreen, with settings (recent files, geometry, the author's name) in a folder of
    the test's own; without `author` the window asks for a name, as on a first run."""
    config = tmp_path_factory.mktemp("config")
    if author:
        (config / "briefbook").mkdir()
        (config / "briefbook" / "preferences.json").write_text(json.dumps({"author": author}), encoding="utf-8")
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(config),
            "PYTHONFAULTHANDLER": "1"}


# `briefbook --db FILE` as the command runs it, with a probe that prints what the
# window does ("painted" at the tree's first paint, "shown KIND TITLE" for each
# dialog and menu, "asked TEXT" for a question) and, at the MOMENT named, sends
# its own process SIGTERM as a logout would.
STOP_CHILD = r"""
import os, signal, sys, threading
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMenu, QMessageBox, QProgressDialog
import briefbook.gui.app as app_module
from briefbook.gui.main_window import MainWindow

db_path, moment = sys.argv[1], sys.argv[2]


def say(*words):
    print(*words, flush=True)


def terminate(where):
    say("SIGTERM", where)
    os.kill(os.getpid(), signal.SIGTERM)


def window():
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))


if moment == "file locked":  # the instant the file's lock is taken, before any window
    import db.disk.lock
    acquire = db.disk.lock.acquire

    def acquire_then_stop(*args, **kwargs):
        held = acquire(*args, **kwargs)
        terminate(moment)
        return held

    db.disk.lock.acquire = acquire_then_stop

if moment == "painting":  # inside the tree's paint: the delegate drawing an area's counts
    from briefbook.gui.tree.delegate import StatusCountsDelegate
    paint = StatusCountsDelegate.paint

    def paint_then_stop(self, painter, option, index):
        if not hasattr(StatusCountsDelegate, "stopped"):
            StatusCountsDelegate.stopped = True
            terminate(moment)
        paint(self, painter, option, index)

    StatusCountsDelegate.paint = paint_then_stop

if moment == "closing":  # a second SIGTERM while the first one closes the window
    close_event = MainWindow.closeEvent

    def close_event_then_stop(self, event):
        terminate(moment)
        close_event(self, event)

    MainWindow.closeEvent = close_event_then_stop


def fill_note_dialog(dialog, count=[0]):
    count[0] += 1
    if count[0] == 1:
        dialog.body.setPlainText("Saved before the signal")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    else:
        dialog.body.setPlainText("Typed, never saved")
        terminate(moment)


def after_paint():
    if moment in ("painted", "closing"):
        terminate(moment)
    elif moment == "note dialog":
        window().tree_pane.select_ref("3.2.1")
        add_note = window().findChild(QAction, "addNoteAction")
        add_note.trigger()  # filled in and saved by fill_note_dialog
        add_note.trigger()  # typed in, then SIGTERM
        say("second note dialog closed")
    elif moment == "menu":
        tree = window().tree_pane.tree
        tree.customContextMenuRequested.emit(tree.visualRect(tree.model().index(0, 0)).center())
        say("menu closed")
    elif moment == "other loop":  # a nested loop that is no dialog or menu (as a native file dialog's)
        from PySide6.QtCore import QEventLoop

        QTimer.singleShot(0, lambda: terminate(moment))
        QEventLoop().exec()
        say("the other loop ended")
    elif moment == "working":
        from briefbook.gui.operations import run_operation

        def work(progress, cancel):
            stop = threading.Event()
            while not cancel.is_cancelled():
                stop.wait(0.01)
            say("the work saw the cancel")
            cancel.check()

        run_operation(window(), "Working…", work, lambda _: say("finished as if not cancelled"))


class Probe(QObject):
    painted = False

    def eventFilter(self, obj, event):
        kind = event.type()
        if kind == QEvent.Type.Paint and not self.painted and obj.parent() is not None \
                and obj.parent().objectName() == "planTree":
            self.painted = True
            say("painted")
            QTimer.singleShot(0, after_paint)
        elif kind == QEvent.Type.Show and isinstance(obj, (QDialog, QMenu)):
            say("shown", type(obj).__name__, obj.windowTitle())
            if isinstance(obj, QMessageBox):
                say("asked", obj.text())
                if moment == "start-up error":
                    terminate(moment)
            elif moment == "note dialog" and type(obj).__name__ == "NoteDialog":
                QTimer.singleShot(0, lambda: fill_note_dialog(obj))
            elif moment == "name dialog" and type(obj).__name__ == "PreferencesDialog" \
                    or moment == "menu" and isinstance(obj, QMenu) \
                    or moment == "working" and isinstance(obj, QProgressDialog):
                terminate(moment)
        return False


probe = Probe()
make_application = app_module.make_application


def make_and_probe():
    app = make_application()
    app.installEventFilter(probe)
    return app


app_module.make_application = make_and_probe
sys.argv = ["briefbook", "--db", db_path]
from briefbook.__main__ import main

main()
"""


class Ended(NamedTuple):
    status: int
    out: list[str]
    err: str


def run_child(db: Path, moment: str, env: dict[str, str], outside: Callable[[str], bool] | None = None) -> Ended:
    """Run the window with STOP_CHILD until it exits. `outside(line)`, asked with each line
    it prints, says when to send the SIGTERM from this process instead."""
    proc = subprocess.Popen([sys.executable, "-c", STOP_CHILD, str(db), moment], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Only against a hang (a window that ignores the signal): not a limit any run comes near.
    watchdog = threading.Timer(600, proc.kill)
    watchdog.start()
    try:
        assert proc.stdout is not None and proc.stderr is not None
        out = []
        for line in proc.stdout:
            out.append(line.rstrip("\n"))
            if outside is not None and outside(out[-1]):
                outside = None
                proc.send_signal(signal.SIGTERM)
        return Ended(proc.wait(), out, proc.stderr.read())
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def assert_ended_cleanly(ended: Ended, db: Path, env: dict[str, str], opens: bool = True) -> None:
    """Exit status 0, no traceback or crash report, nothing left beside the file (its
    lock, a journal), no window-slot lock left in the settings, and the file opens."""
    assert ended.status == 0, (ended.out, ended.err)
    assert "Traceback" not in ended.err and "Fatal Python error" not in ended.err, ended.err
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]
    assert [p.name for p in Path(env["XDG_CONFIG_HOME"]).rglob("*.lock")] == []
    if opens:
        from db.briefing.facade import Briefing

        Briefing.open(db, user="tester").close()


def window_settings(env: dict[str, str]) -> str:
    conf = Path(env["XDG_CONFIG_HOME"]) / "briefbook" / "briefbook.conf"
    return conf.read_text(encoding="utf-8") if conf.exists() else ""


def test_sigterm_closes_the_window_and_releases_the_lock(
    seeded_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The window has painted its tree; SIGTERM from outside closes it as File > Quit
    would: settings saved, the file closed and its lock released."""
    env = child_env(tmp_path_factory, author="Anna")
    ended = run_child(seeded_path, "none", env, outside=lambda line: line == "painted")
    assert ended.out[0] == "painted"
    assert_ended_cleanly(ended, seeded_path, env)
    assert "geometry" in window_settings(env)  # the window's closeEvent ran


@pytest.mark.parametrize("moment", ["file locked", "painting", "painted", "closing", "name dialog", "menu",
                                    "other loop", "working"])
def test_sigterm_at_any_moment_ends_the_window_cleanly(
    moment: str, seeded_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The signal comes the instant the file is locked (before the window exists), in
    the middle of the tree's paint, after it, twice, with the first-run name dialog
    or the tree's menu open, in a nested event loop of another kind, during a long
    operation: each time the process ends with status 0 and nothing left behind."""
    env = child_env(tmp_path_factory, author="" if moment == "name dialog" else "Anna")
    ended = run_child(seeded_path, moment, env)
    assert f"SIGTERM {moment}" in ended.out
    assert_ended_cleanly(ended, seeded_path, env)
    if moment != "file locked":
        assert "geometry" in window_settings(env)
    if moment == "menu":
        assert ended.out[-1] == "menu closed"  # the menu's exec() returned before the window closed
    if moment == "other loop":
        assert ended.out[-1] == "the other loop ended"
    if moment == "working":
        assert "the work saw the cancel" in ended.out and "finished as if not cancelled" not in ended.out
    if moment == "name dialog":
        assert not (Path(env["XDG_CONFIG_HOME"]) / "briefbook" / "preferences.json").exists()  # no name made up


def test_sigterm_right_after_the_lock_is_taken(seeded_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """From outside, as soon as the lock file appears (the window not yet built)."""
    env = child_env(tmp_path_factory, author="Anna")
    lock = seeded_path.with_name(seeded_path.name + ".lock")
    proc = subprocess.Popen([sys.executable, "-m", "briefbook", "--db", str(seeded_path)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while not lock.exists() and proc.poll() is None:
            time.sleep(0.001)  # polling for the lock file; the outcome must not depend on when
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert_ended_cleanly(Ended(proc.returncode, out.splitlines(), err), seeded_path, env)


def test_sigterm_while_a_start_up_error_is_shown(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A file that is not a briefing file: its error box is up before the window's
    event loop runs. SIGTERM closes the box and the window; the file is untouched."""
    bad = tmp_path / "notes.sqlite"
    bad.write_bytes(b"not a briefing file")
    env = child_env(tmp_path_factory, author="Anna")
    ended = run_child(bad, "start-up error", env)
    assert ended.out[:2] == ["shown QMessageBox Cannot open file", f"asked {bad} is not a briefing file (it is not an SQLite database)."]
    assert "SIGTERM start-up error" in ended.out
    assert_ended_cleanly(ended, bad, env, opens=False)
    assert bad.read_bytes() == b"not a briefing file"


def test_sigterm_with_a_modal_dialog_open_asks_nothing_and_keeps_what_was_saved(
    seeded_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Edit > Add Note…: a note typed and saved; the dialog again, text typed, then
    SIGTERM. The dialog closes without asking about the typed text, the window
    closes, and the file holds the saved note (not the unsaved one)."""
    env = child_env(tmp_path_factory, author="Anna")
    ended = run_child(seeded_path, "note dialog", env)
    assert [line for line in ended.out if line.startswith("shown")] == [
        "shown NoteDialog New note on 3.2.1", "shown NoteDialog New note on 3.2.1"]
    assert "SIGTERM note dialog" in ended.out and not [line for line in ended.out if line.startswith("asked")]
    assert ended.out[-1] == "second note dialog closed"  # the dialog's exec() returned before the window closed
    assert_ended_cleanly(ended, seeded_path, env)
    from db.briefing.facade import Briefing

    briefing = Briefing.open(seeded_path, user="tester")
    try:
        notes = briefing.notes(briefing.node_by_ref("3.2.1").id)
    finally:
        briefing.close()
    texts = [n.body for n in notes]
    assert "Saved before the signal" in texts and "Typed, never saved" not in texts
    assert [n.author for n in notes if n.body == "Saved before the signal"] == ["Anna"]


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
