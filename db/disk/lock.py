"""Who has a briefing file open: a lock file beside it.

SQLite's own locks only last for one transaction, and on network shares they
are unreliable, so a briefbook that opens a file for writing also leaves
`FILE.lock` beside it: a small JSON record of who holds it

    {"host": ..., "user": ..., "pid": ..., "since": ..., "heartbeat": ..., "token": ...}

created atomically (written under a temporary name, then hard-linked to the
lock name, which fails if another briefbook got there first; where a share
cannot hard-link, an exclusive create). While the file is open a background
thread refreshes `heartbeat` every minute, so briefbooks on other machines can
tell a live holder from a crashed one.

A lock is stale, and is cleared, when its holder is on this machine and its
process is gone, when its heartbeat is older than `STALE_AFTER_S` (a holder
that crashed on another machine), or when the lock file cannot be read (it
was never completely written). One process may open the same file several
times: the lock is shared within the process and released by the last close.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from db.disk import atomic
from db.disk.reading import not_regular, read_bounded
from db.model import ids
from db.model.errors import FileLocked, InvalidInput

#: A heartbeat this far ahead of our clock is suspect (more than machines' clocks usually disagree).
CLOCK_SKEW_S = 5 * 60.0
#: A lock record is a few hundred bytes; a larger file there is not one.
MAX_LOCK_BYTES = 64 * 1024
#: How often a holder refreshes its heartbeat.
HEARTBEAT_S = 60.0
#: A heartbeat older than this means the holder is gone (allowing for clocks
#: that disagree between machines by a few minutes).
STALE_AFTER_S = 10 * 60.0


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def this_host() -> str:
    # os.uname() gives the same name as socket.gethostname() without loading
    # the socket module (3 ms of the window's start); Windows has no uname.
    if hasattr(os, "uname"):
        return os.uname().nodename or "unknown"
    import socket

    return socket.gethostname() or "unknown"


class _Held:
    """A lock this process holds: how many handles share it, and its heartbeat thread."""

    def __init__(self, path: Path, token: str, record: dict[str, object]) -> None:
        self.path, self.token, self.record = path, token, record
        self.count = 1
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None


_held: dict[Path, _Held] = {}
_guard = threading.Lock()


class FileLock(NamedTuple):
    """A handle on a held lock; `release()` once (closing the file does it)."""

    path: Path
    key: Path

    def release(self) -> None:
        release(self.key)


def acquire(path: Path | str, user: str | None = None) -> FileLock:
    """Take the lock of briefing file `path`, or raise `FileLocked` naming the holder."""
    key = Path(os.path.abspath(path))
    with _guard:
        held = _held.get(key)
        if held is not None:
            held.count += 1
            return FileLock(Path(path), key)
        record = _new_record(user)
        for _ in range(3):
            if _create(lock_path(key), record):
                break
            holder = read_holder(key)
            if holder is not None and not is_stale(holder):
                raise FileLocked(key, describe(key, holder), holder={k: str(v) for k, v in holder.items()})
            _remove_stale(lock_path(key), holder)
        else:
            holder = read_holder(key) or {}
            raise FileLocked(key, describe(key, holder), holder={k: str(v) for k, v in holder.items()})
        held = _Held(key, str(record["token"]), record)
        held.thread = threading.Thread(target=_beat, args=(held,), name=f"lock {key.name}", daemon=True)
        held.thread.start()
        _held[key] = held
    return FileLock(Path(path), key)


def held_here(path: Path | str) -> bool:
    """Whether this process holds the lock of `path` (a file it has open for writing)."""
    with _guard:
        return Path(os.path.abspath(path)) in _held


def release(key: Path) -> None:
    with _guard:
        held = _held.get(key)
        if held is None:
            return
        held.count -= 1
        if held.count > 0:
            return
        del _held[key]
    held.stop.set()
    with contextlib.suppress(FileLocked):  # replaced by something not a lock: not ours any more
        current = read_holder(key)
        if current is not None and current.get("token") == held.token:
            lock_path(key).unlink(missing_ok=True)


def read_holder(path: Path) -> dict[str, object] | None:
    """The lock record beside `path` (None: no lock; {} : a lock that cannot be read)."""
    return _read_lock(lock_path(Path(path)))


def _read_lock(target: Path) -> dict[str, object] | None:
    kind = not_regular(target)
    if kind == "missing":
        return None
    if kind and not kind.startswith("unreadable"):
        # Not ours to remove (a FIFO there would have blocked the read for ever): say so.
        briefing = target.with_name(target.name.removesuffix(".lock"))
        raise FileLocked(briefing, f"{target} is {kind}, not a lock briefbook wrote; remove it, then try again.")
    try:
        text = read_bounded(target, MAX_LOCK_BYTES, str(target)).decode("utf-8")
    except (InvalidInput, UnicodeDecodeError):
        return {}  # unreadable, cut short or not ours: never completely written
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def is_stale(holder: dict[str, object]) -> bool:
    if not holder:
        return True  # never completely written: its writer died before the rename
    if holder.get("host") == this_host() and not _alive(holder.get("pid")):
        return True
    beat = _parse_time(holder.get("heartbeat") or holder.get("since"))
    if beat is None:
        return True
    return datetime.now(UTC) - beat > timedelta(seconds=STALE_AFTER_S)


def is_suspect(holder: dict[str, object]) -> bool:
    """Whether the heartbeat is in the future: that machine's clock is ahead, and the lock would
    block every writer until that time plus `STALE_AFTER_S`, even after its holder is gone."""
    beat = _parse_time(holder.get("heartbeat") or holder.get("since"))
    return beat is not None and beat - datetime.now(UTC) > timedelta(seconds=CLOCK_SKEW_S)


def holder_phrase(path: Path, holder: dict[str, object]) -> str:
    """Who has the file open, where and since when ("book.sqlite is open in briefbook by ana on ...")."""
    who = _field(holder.get("user"), "someone")
    host = holder.get("host") or "another computer"
    since = _parse_time(holder.get("since"))
    when = f" since {since.astimezone().strftime('%d %b %Y %H:%M')}" if since else ""
    where = "this computer" if host == this_host() else _field(host, "another computer")
    phrase = f"{Path(path).name} is open in briefbook by {who} on {where}{when}"
    beat = _parse_time(holder.get("heartbeat") or holder.get("since"))
    if beat is not None and is_suspect(holder):
        phrase += (
            f", but its lock says it was last seen at {beat.astimezone().strftime('%d %b %Y %H:%M')}, which is "
            "still to come (that computer's clock is ahead), so it may be left over from a briefbook that is closed"
        )
    return phrase


def describe(path: Path, holder: dict[str, object]) -> str:
    """One sentence naming who has the file open, where and since when."""
    return f"{holder_phrase(path, holder)}; open it read-only, or wait until they close it."


def take_over(path: Path | str, holder: dict[str, object]) -> None:
    """Remove the lock `holder` of `path`, which the user confirmed is left over (the next open takes it).

    Only that lock: if another briefbook has replaced it meanwhile, theirs stays.
    """
    _remove_stale(lock_path(Path(os.path.abspath(path))), holder)


def _field(value: object, default: str) -> str:
    # The lock file is written by whoever can write the folder: show a short, printable piece of it.
    text = "".join(ch for ch in str(value or "") if ch.isprintable()).strip()
    if not text:
        return default
    return text if len(text) <= 60 else text[:59] + "…"


# -- internals ---------------------------------------------------------------------


def _new_record(user: str | None) -> dict[str, object]:
    stamp = ids.now()
    return {
        "host": this_host(),
        "user": user or ids.current_user(),
        "pid": os.getpid(),
        "since": stamp,
        "heartbeat": stamp,
        "token": str(uuid.uuid4()),
    }


def _create(target: Path, record: dict[str, object]) -> bool:
    """Create the lock file with its whole content at once; False if it exists."""
    tmp = target.with_name(f".{target.name}.{record['token']}")
    try:
        tmp.write_text(json.dumps(record), encoding="utf-8")  # a full disk: removed again below
        try:
            os.link(tmp, target)
            return True
        except FileExistsError:
            return False
        except OSError:
            # Some shares cannot hard-link: fall back to an exclusive create.
            try:
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                return False
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(json.dumps(record))
            return True
    finally:
        tmp.unlink(missing_ok=True)


def _remove_stale(target: Path, holder: dict[str, object] | None) -> None:
    # Only remove the lock we judged stale: if another briefbook replaced it
    # meanwhile (a different token), leave theirs alone.
    current = _read_lock(target)
    if current is None:
        return
    if holder and current.get("token") != holder.get("token"):
        return
    target.unlink(missing_ok=True)


def _beat(held: _Held) -> None:
    target = lock_path(held.path)
    while not held.stop.wait(HEARTBEAT_S):
        try:
            current = read_holder(held.path)
        except FileLocked:
            return  # something not a lock took its place: stop writing
        if current is None or current.get("token") != held.token:
            return  # someone judged us stale and took over: stop writing
        record = {**held.record, "heartbeat": ids.now()}
        with contextlib.suppress(OSError), atomic.replacing(target, held.token, durable=False) as tmp:
            tmp.write_text(json.dumps(record), encoding="utf-8")  # failed: the next beat tries again


def _alive(pid: object) -> bool:
    try:
        pid = int(str(pid))
    except ValueError:
        return False
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by another user
    return _not_zombie(pid)


def _not_zombie(pid: int) -> bool:
    # A killed child that its parent has not reaped yet still answers kill(0).
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError:
        return None


@atexit.register
def _release_all() -> None:
    """A process that exits without closing its files still removes its locks."""
    for key in list(_held):
        with _guard:
            held = _held.get(key)
            if held is None:
                continue
            held.count = 1
        release(key)
