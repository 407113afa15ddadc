"""Tests never touch the user's things: the window, run as a whole process the
way the README's test command runs it, leaves the user's own data, config,
cache and state folders exactly as they were."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULTS = {"XDG_DATA_HOME": ".local/share", "XDG_CONFIG_HOME": ".config", "XDG_CACHE_HOME": ".cache",
            "XDG_STATE_HOME": ".local/state"}


def real_folders(named: dict[str, str | None]) -> list[Path]:
    """The folders the environment named before the test session replaced them."""
    home = Path.home()
    return [Path(named[name] or home / default) for name, default in DEFAULTS.items()]


def snapshot(folders: list[Path]) -> dict[str, tuple[int, int]]:
    """(size, mtime) of everything briefbook-named in the user's folders."""
    out: dict[str, tuple[int, int]] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if "briefbook" not in entry.name.lower():
                continue
            for path in [entry, *entry.rglob("*")] if entry.is_dir() else [entry]:
                st = path.stat()
                out[str(path)] = (st.st_size, st.st_mtime_ns)
    return out


def test_the_window_process_leaves_the_users_own_folders_unchanged(real_user_folders) -> None:  # type: ignore[no-untyped-def]
    own = real_folders(real_user_folders)
    test_folders = [Path(os.environ[name]) for name in DEFAULTS]
    assert all(f not in own for f in test_folders)  # conftest did replace them
    before = snapshot(own)
    data_home = Path(os.environ["XDG_DATA_HOME"])
    default_file = data_home / "briefbook" / "briefbook.sqlite"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # No --db: the window creates and opens the default file, remembers it in
    # Open Recent and asks for the user's name, as on a first run.
    proc = subprocess.Popen([sys.executable, "-m", "briefbook"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        lock = default_file.with_name(default_file.name + ".lock")
        while not lock.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        assert lock.exists(), "the window did not open its default file"
        time.sleep(1.0)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "Traceback" not in (proc.stderr.read() if proc.stderr else "")
    assert default_file.exists()  # it did write: in the test session's folders
    assert snapshot(own) == before
