"""When a command or the window fails: the world around the file, a damaged file, or a bug.

Three kinds of failure reach the top of the command line and the window, and
each is told in its own words (qutebrowser's split between "known" SQL errors
and bugs is the model):

- **The environment**: a full disk, a folder that may not be written, another
  program holding the file, a file that really is damaged, too little memory.
  Told apart by SQLite's result codes (`db.model.errors.sqlite_code`) and the
  operating system's errno, never by message text: one sentence, exit 1.
- **A file briefbook never wrote**: values another program put in it trip a
  command. Only `briefbook check` can say so, so it is asked (`damaged_sentence`):
  if it names rows, the sentence points at it, exit 1.
- **A bug**: everything else. The user is told plainly that briefbook hit an
  internal error, whether the file was changed (only what is known: see
  `file_outcome`), and where the crash log with the traceback is
  (`write_crash_log`, in the user's log folder); the command line exits 70
  (EX_SOFTWARE), the window shows `gui.error_dialog.ErrorDialog`.

No Qt here: the command line and the window share it.
"""

from __future__ import annotations

import errno
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from briefbook import __version__

#: The exit status of a command that hit a bug (BSD's EX_SOFTWARE; `os.EX_SOFTWARE` is POSIX-only).
EX_SOFTWARE = 70

#: Crash logs kept in the log folder; older ones are removed when a new one is written.
KEEP_LOGS = 20

DISK_FULL = "the disk is full: nothing was changed; free some space and try again."
BUSY = "the file is busy: another program is writing to it. Try again in a moment."


# -- the environment ---------------------------------------------------------------------


def environment_sentence(exc: BaseException, path: Path | None = None) -> str | None:
    """One sentence for a failure that comes from the world around the file, or None for any other.

    `path`: the file the work was on, to name it."""
    from db.model.errors import is_busy, is_disk_full, sqlite_code

    if is_disk_full(exc):
        return DISK_FULL
    if isinstance(exc, OSError):
        return _os_sentence(exc)
    if isinstance(exc, MemoryError):
        return "the computer ran out of memory: nothing was changed; close other programs and try again."
    code = sqlite_code(exc)
    if code is None:
        return None
    import sqlite3

    from db.model.errors import ENVIRONMENT_CODES

    words = ENVIRONMENT_CODES.get(code)
    if words is None:
        return None  # SQLITE_ERROR, SQLITE_CONSTRAINT...: briefbook's own SQL (or a changed file: see damaged_sentence)
    if is_busy(exc) or code == sqlite3.SQLITE_PROTOCOL:
        return BUSY
    name = path.name if path is not None else "the file"
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        where = f" {path}" if path is not None else " FILE"
        return (f"{name} is damaged (SQLite cannot read part of it); 'briefbook check{where}' says more, and "
                "a backup copy (*.bak beside it) or a colleague's copy can replace it.")
    return f"{name} could not be read or written: {words}."


def _os_sentence(exc: OSError) -> str:
    """The operating system's own words (strerror: "Permission denied"), naming the file it refused."""
    reason = exc.strerror or (os.strerror(exc.errno) if isinstance(exc.errno, int) else "")
    if not reason:  # an OSError briefbook raised with a message of its own: not words for the user
        reason = "the operating system refused it"
    if exc.errno in (errno.EACCES, errno.EPERM):
        reason = f"{reason} (briefbook may not write there)"
    elif exc.errno == errno.EROFS:
        reason = f"{reason} (the disk is read-only)"
    where = f" ({exc.filename})" if exc.filename else ""
    return f"{reason}{where}."


# -- a file briefbook never wrote -----------------------------------------------------------


def damaged_sentence(paths: Iterable[Path], check_hint: str = "'briefbook check {path}'") -> str | None:
    """If `briefbook check` finds values briefbook never writes in one of `paths` (which an unexpected
    exception may have tripped on), the clause that says so; None when every file checks good (then
    the exception is briefbook's own bug). `check_hint` names the way to run the check ({path})."""
    from db.briefing.checking import DAMAGED, check_file

    for path in paths:
        if not path.is_file():
            continue
        try:
            report = check_file(path)
        except Exception:  # a check that fails too cannot blame the file
            continue
        if report.verdict != DAMAGED:
            continue
        failed = next((item for item in report.items if not item.ok and not item.repairable), None)
        detail = f" ({_short(failed.detail)})" if failed is not None else ""
        return (f"{path.name} holds values briefbook never writes{detail}, so this could not be done; "
                f"{check_hint.format(path=path)} names them")
    return None


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- was the file changed? ----------------------------------------------------------------


#: What says whether a file changed: (whether it is there, which file it is (inode), for an SQLite file
#: its header's change counter, which SQLite adds one to on every commit in rollback-journal mode (a
#: rolled-back transaction leaves it as it was); for other files their size and time). A plain tuple:
#: it is taken before every command, and a NamedTuple class costs a millisecond to make.
FileState = tuple[bool, int, bytes, int, int]
_ABSENT: FileState = (False, 0, b"", 0, 0)


_SQLITE_MAGIC = b"SQLite format 3\x00"


def file_state(path: Path | None) -> FileState | None:
    """The state of `path` now (None: no file to speak of, or it cannot be read)."""
    if path is None:
        return None
    try:
        st = path.stat()
    except FileNotFoundError:
        return _ABSENT
    except OSError:
        return None
    if not path.is_file():
        return None
    try:
        with open(path, "rb") as f:
            header = f.read(28)
    except OSError:
        return None
    if header[:16] == _SQLITE_MAGIC and len(header) == 28:
        return (True, st.st_ino, header[24:28], 0, 0)
    return (True, st.st_ino, b"", st.st_size, st.st_mtime_ns)


def file_outcome(exc: BaseException, path: Path | None, before: FileState | None) -> str:
    """What became of the file, in words that claim only what is known ("" when nothing is).

    "Nothing was changed" needs the file's change counter where it was before the work began and no
    journal beside it: no step of the work committed anything, and no write is half done. The facade
    adds whether the write the error interrupted was rolled back (`db.model.errors.rolled_back`)."""
    from db.model.errors import rolled_back

    if path is None or before is None:
        return ""
    after = file_state(path)
    journal = path.with_name(path.name + "-journal")
    if after is None or journal.exists():
        return f"{path.name} may hold part of what was being done"
    existed, exists = before[0], after[0]
    if not existed and not exists:
        return f"{path.name} was not created"
    if after != before:
        if not existed:
            return f"{path.name} was created before the error"
        return f"part of what was being done may already be saved in {path.name}"
    if rolled_back(exc):
        return f"the change was rolled back: nothing in {path.name} was changed"
    return f"nothing in {path.name} was changed"


# -- a bug ----------------------------------------------------------------------------------


def error_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None,
                 what: str = "", file_line: str = "") -> str:
    """The text of a crash log: versions, what was being done, what became of the file, the traceback."""
    import platform
    import sqlite3
    import traceback

    qt = sys.modules.get("PySide6")

    lines = [
        f"briefbook {__version__}, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
        + (f", PySide6 {qt.__version__}" if qt is not None else "")
        + f", {platform.system()} {platform.release()}",
        f"at {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
    ]
    if what:
        lines.append(f"while: {what}")
    if file_line:
        lines.append(f"the file: {file_line}")
    lines += ["", *traceback.format_exception(exc_type, exc, tb)]
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def log_folder() -> Path:
    """Where crash logs go: the user's log folder (Linux: $XDG_STATE_HOME/briefbook/log; macOS:
    ~/Library/Logs/briefbook; Windows: %LOCALAPPDATA%/briefbook/Logs)."""
    from platformdirs import user_log_path

    return user_log_path("briefbook", appauthor=False)


def write_crash_log(report: str) -> Path | None:
    """Write `report` to a new crash log and return its path (None if it could not be written)."""
    folder = log_folder()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for n in range(100):
            path = folder / f"crash-{stamp}-{os.getpid()}{f'-{n}' if n else ''}.txt"
            try:
                with open(path, "x", encoding="utf-8") as f:
                    f.write(report)
                break
            except FileExistsError:
                continue
        else:
            return None
    except OSError:
        return None
    _prune(folder)
    return path


def _prune(folder: Path) -> None:
    """Keep the newest KEEP_LOGS crash logs (their names sort by time)."""
    try:
        logs = sorted(folder.glob("crash-*.txt"), key=lambda p: p.stat().st_mtime_ns)
        for old in logs[:-KEEP_LOGS]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def internal_error_sentence(log: Path | None, outcome: str) -> str:
    """The sentence for a bug: it is briefbook's, what became of the file, where the details are."""
    sentence = "briefbook hit an internal error (a bug in briefbook, not a problem with your file)"
    if outcome:
        sentence += f"; {outcome}"
    if log is not None:
        sentence += f"; the details are in {log}: please send that file to whoever looks after briefbook."
    else:
        sentence += f"; the details could not be saved in {log_folder()} (run with BRIEFBOOK_DEBUG=1 to see them)."
    return sentence
