"""Write a file under a temporary name beside its target, then rename it into place.

The one way briefbook replaces a file (copies, exports, new and seeded files,
backups, heartbeats of the lock): the rename is atomic within a folder, so a
failure or a kill at any moment leaves either the previous file or the new
one at the target, never half a file, and the temporary is removed on any
error.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def temporary_path(target: Path, tag: str, unique: bool = False) -> Path:
    """The temporary name `replacing` writes under: hidden, beside `target`."""
    middle = f".{uuid.uuid4().hex[:12]}" if unique else ""
    return target.with_name(f".{target.name}{middle}.{tag}")


@contextmanager
def replacing(target: Path | str, tag: str = "part", durable: bool = True, unique: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it is renamed over `target`.

    The caller writes the whole file at the yielded path (which does not exist
    yet). `durable`: fsync it before the rename, so the renamed file has its
    content after a power cut. `unique`: a random part in the name, for callers
    that may run twice at once on one target (exports); otherwise a leftover
    of an earlier crash under the same name is removed first.
    """
    target = Path(target)
    tmp = temporary_path(target, tag, unique)
    # SQLite leaves a journal beside a database written at `tmp`: it goes with it.
    journal = tmp.with_name(tmp.name + "-journal")
    if not unique:
        tmp.unlink(missing_ok=True)
        journal.unlink(missing_ok=True)
    try:
        yield tmp
        if durable:
            fsync_file(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        journal.unlink(missing_ok=True)
        raise


def fsync_file(path: Path) -> None:
    """Flush a closed file's bytes to the disk."""
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except PermissionError:
        # A file made read-only (an export keeps the old file's mode): POSIX can fsync it read-only.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
