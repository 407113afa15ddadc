"""What the sync tests share: syncing a file by path, and comparing contents."""

from __future__ import annotations

from pathlib import Path

from share_helpers import content

from db.briefing.facade import Briefing
from db.sharing.store.report import SyncReport
from db.sharing.store.sync import sync_file


def sync(path: Path, url: str, user: str = "tester", password: str | None = None) -> SyncReport:
    """Sync the file at `path` (made from the store if it does not exist yet)."""
    created = not path.exists()
    briefing = Briefing.create(path, user=user) if created else Briefing.open(path, user=user)
    with briefing:
        return sync_file(briefing, url, password, created_file=created)


def same_content(*paths: Path) -> bool:
    first = content(paths[0])
    return all(content(p) == first for p in paths[1:])


__all__ = ["content", "same_content", "sync"]
