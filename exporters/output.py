"""Writing an export: to a temporary file beside the target, then one rename.

A failed or cancelled export therefore never leaves half a file behind and
never destroys the previous export of the same name.
"""

from __future__ import annotations

import os
from pathlib import Path

from db.disk import atomic
from db.disk.file import SQLITE_MAGIC, read_head
from db.disk.reading import not_regular
from db.model.errors import BriefbookError


class ExportWriteError(BriefbookError):
    """The export could not be written where the user asked (nothing there was changed)."""


def check_target(path: Path) -> None:
    """Refuse early (before any work) a target that cannot be written."""
    path = Path(path)
    if path.is_dir():
        raise ExportWriteError(f"{path} is a folder; give a file name to export to.")
    folder = path.parent
    if not folder.is_dir():
        raise ExportWriteError(f"The folder {folder} does not exist; choose another place to export to.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportWriteError(f"You cannot write to the folder {folder}; choose another place to export to.")
    kind = not_regular(path)
    if kind not in (None, "missing"):
        raise ExportWriteError(f"{path} is {kind}, not a file an export can replace; choose another name.")
    if kind is None and _is_database(path):
        # The briefing file itself, a colleague's, the one open in the window, another program's database.
        raise ExportWriteError(
            f"{path.name} is a briefing file or another database: an export never replaces one; choose another name."
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise ExportWriteError(
            f"{path.name} is read-only or open in another program; close it or choose another name."
        )


def _is_database(path: Path) -> bool:
    try:
        return read_head(path).startswith(SQLITE_MAGIC)
    except OSError:
        return False


def atomic_write(path: Path, data: bytes) -> None:
    """Put `data` at `path` in one step; the previous file stays intact on any failure."""
    path = Path(path)
    check_target(path)
    try:
        # Unique: two exports to one name at once must not write the same temporary.
        with atomic.replacing(path, "part", unique=True) as tmp:
            try:
                f = tmp.open("xb")
            except OSError as exc:
                raise ExportWriteError(
                    f"You cannot write to the folder {path.parent} ({exc.strerror or exc}); choose another place."
                ) from None
            with f:
                f.write(data)
            _copy_mode(path, tmp)
    except OSError as exc:
        if isinstance(exc, PermissionError):
            raise ExportWriteError(
                f"{path.name} is open in another program or read-only; close it or choose another name."
            ) from None
        raise ExportWriteError(f"{path.name} could not be written ({exc.strerror or exc}).") from None


def _copy_mode(target: Path, tmp: Path) -> None:
    # Give the export the permissions a normal new file (or the old one) has.
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)
