"""A consistent copy of a briefing file, also while it is open elsewhere.

SQLite's online backup API reads the source page by page under a shared lock
(it restarts if another connection writes meanwhile), so the copy is one
committed state of the file, never a mix of two. The copy is written under a
temporary name beside `dst` and renamed into place: a failed copy never
leaves half a file at `dst`, and the previous file there survives.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from db import atomic
from db import file as dbfile
from db.errors import BriefbookError, FileBusy, InvalidInput, is_busy

#: Pages copied per backup step (-1: all at once). Stepping lets a writer in
#: between steps; the backup restarts by itself when it sees a change.
_PAGES_PER_STEP = -1


def consistent_copy(src: Path | str, dst: Path | str) -> None:
    """Copy the briefing file `src` to `dst` as one self-contained file.

    `src` is checked first (a foreign, damaged or missing file is refused with
    a `FileRefused` sentence) and only read. `dst` is replaced atomically.
    """
    src, dst = Path(src), Path(dst)
    dbfile.inspect(src, quick_check=False)
    if dst.exists() and dst.is_dir():
        raise InvalidInput(f"{dst} is a folder; name a file to copy to.")
    if dst.exists() and _same_file(src, dst):
        raise InvalidInput("A file cannot be copied onto itself; choose another name.")
    if not dst.parent.is_dir():
        raise InvalidInput(f"The folder {dst.parent} does not exist.")
    try:
        with atomic.replacing(dst, "copying") as tmp:
            source = sqlite3.connect(dbfile.sqlite_uri(src, read_only=True), uri=True, timeout=dbfile.BUSY_TIMEOUT_S)
            try:
                target = sqlite3.connect(tmp)
                try:
                    source.backup(target, pages=_PAGES_PER_STEP)
                    # The copy is a closed, self-contained file in rollback-journal mode.
                    target.execute("PRAGMA journal_mode = DELETE")
                    target.commit()
                finally:
                    target.close()
            finally:
                source.close()
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            raise FileBusy(f"{src.name} is busy: another program is writing to it. Try again in a moment.") from exc
        raise BriefbookError(f"{src.name} could not be copied ({exc}).") from exc
    except OSError as exc:
        raise BriefbookError(f"{dst} could not be written ({exc.strerror or exc}).") from exc


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
