"""What the front ends do with briefing files that are not open: copy one, take over
a lock left behind, read a file the user attaches.

The window reaches the data layer only through the facade package and the
value types (the import contract in pyproject.toml): these are the file-level
steps it needs besides `Briefing.open`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from db.model.cancelling import Cancellation


def copy_file(source: Path, target: Path, cancel: Cancellation | None = None) -> None:
    """A consistent copy of `source` (also while it is open elsewhere), written then renamed
    (the rename is its point of no return)."""
    from db.disk.copying import consistent_copy

    consistent_copy(source, target, cancel=cancel)


def lock_is_suspect(holder: dict[str, Any]) -> bool:
    """Whether a lock's heartbeat lies in the future (that machine's clock is ahead)."""
    from db.disk import lock as dblock

    return dblock.is_suspect(holder)


def lock_holder_phrase(path: Path, holder: dict[str, Any]) -> str:
    """Who has the file open, where and since when, in words."""
    from db.disk import lock as dblock

    return dblock.holder_phrase(path, holder)


def take_over_lock(path: Path, holder: dict[str, Any]) -> None:
    """Remove that lock, which the user confirmed is left over (another holder's stays)."""
    from db.disk import lock as dblock

    dblock.take_over(path, holder)


def read_attachment(path: Path) -> bytes:
    """The bytes of a file the user attaches: a regular file, under the attachment limit."""
    from db.disk.reading import read_attachment as read

    return read(path)


def preload() -> None:
    """Import what opening a file needs (the window does it in a thread while Qt starts)."""
    import db.briefing.facade
    import db.disk.lock
    import db.schema.check  # noqa: F401
