"""Refusals and failures of the team store, each one sentence for the user."""

from __future__ import annotations

from db.model.errors import BriefbookError


class StoreError(BriefbookError):
    """Something about the team store stopped a store command or a sync."""


class StoreUnreachable(StoreError):
    """The store could not be reached (or the connection was lost): nothing was changed."""


class PasswordNeeded(StoreUnreachable):
    """The server asked for a password that libpq did not have (ask the user, then retry)."""


class StoreRefused(StoreError):
    """The database is not a team store this briefbook can use (foreign, newer, older)."""


class StoreDataRefused(StoreError):
    """Rows coming down from the store failed validation: nothing was changed."""
