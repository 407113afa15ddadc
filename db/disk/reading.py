"""Reading a file someone hands briefbook: only regular files, never more than a limit.

A FIFO given as a file blocks `open()` for ever, and `/dev/urandom` never
ends; `stat()` sizes can lie (devices, files still growing). So every file
from outside is opened without blocking, judged by `fstat` on the open
descriptor, and read up to its limit and one byte more.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from db.model.errors import InvalidInput

#: One limit for attachments, in the window and on the command line (the README says it):
#: the briefing file travels by USB stick and e-mail.
MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024


def not_regular(path: Path) -> str | None:
    """Why `path` is not a regular file that can be read ("a folder", "a pipe"...), or None."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    return not_regular_mode(mode)


def not_regular_mode(mode: int) -> str | None:
    """What a file of this `st_mode` is when it is not a regular file, or None."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_bounded(path: Path, limit: int, what: str, why: str = "") -> bytes:
    """The bytes of the regular file `path`, refused (`InvalidInput`) if larger than `limit`.

    `what` starts each sentence ("report.pdf cannot be attached"); `why` follows the limit.
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InvalidInput(f"{what}: there is no file at {path}.") from None
    except IsADirectoryError:
        raise InvalidInput(f"{what}: {path} is a folder.") from None
    except OSError as exc:
        raise InvalidInput(f"{what}: {path} cannot be read ({exc.strerror or exc}).") from None
    kind = not_regular_mode(os.fstat(fd).st_mode)
    if kind:
        os.close(fd)
        raise InvalidInput(f"{what}: {path} is {kind}, not a regular file.")
    with os.fdopen(fd, "rb") as fh:
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise InvalidInput(f"{what}: {path} cannot be read ({exc.strerror or exc}).") from None
    if len(data) > limit:
        raise InvalidInput(f"{what}: it is larger than {_size(limit)}{why}.")
    return data


def read_attachment(path: Path) -> bytes:
    """A file to attach to a source, within the one attachment limit."""
    path = Path(path)
    return read_bounded(
        path,
        MAX_ATTACHMENT_BYTES,
        f"{path.name} cannot be attached",
        ", the limit for attachments (the briefing file travels by USB stick and e-mail)",
    )


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n:,} bytes"
