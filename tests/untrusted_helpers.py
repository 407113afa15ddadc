"""Helpers of the hostile-input tests: the bytes of a folder, and briefbook run as a user runs it."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent


def tree_bytes(folder: Path, skip: tuple[Path, ...] = ()) -> dict[str, str]:
    """The SHA-256 of every regular file under `folder` (and the kind of anything else), minus `skip`."""
    out: dict[str, str] = {}
    skipped = {p.resolve() for p in skip}
    for path in sorted(folder.rglob("*")):
        if path.resolve() in skipped:
            continue
        if path.is_symlink() or not path.exists():
            out[str(path)] = "link"
        elif path.is_fifo():
            out[str(path)] = "fifo"
        elif path.is_file():
            out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir():
            out[str(path)] = f"dir {oct(path.stat().st_mode & 0o777)}"
    return out


def run(*args: str, timeout: float = 30, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`briefbook ARGS` in a child process (a hang fails the test through the timeout)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "briefbook", *args],
        capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd or ROOT,
    )


def assert_one_sentence(stderr: str) -> None:
    """What a refused command prints: one line on stderr, and never a traceback."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("briefbook:")]
    assert len(lines) == 1, stderr


def execute(path: Path, *statements: str) -> None:
    """Change a file behind briefbook's back, as another program would."""
    conn = sqlite3.connect(path)
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()
