"""The window as a whole process: it holds the file's lock while open and lets
go of it when the session ends (SIGTERM at logout), leaving one clean file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_sigterm_closes_the_window_and_releases_the_lock(seeded_path: Path) -> None:
    lock = seeded_path.with_name(seeded_path.name + ".lock")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
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
