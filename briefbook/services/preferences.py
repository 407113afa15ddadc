"""The user's preferences, shared by the window and the command line.

Kept in a small JSON file in the user's configuration folder rather than in
QSettings, so that the command line reads the same name and marking without
loading Qt. Window state (geometry, recent files) stays in QSettings.

The file is the user's own, but it is still read defensively: an unreadable,
oversized or malformed file gives the defaults, never a crash.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, NamedTuple

from platformdirs import user_config_path

from db.model.ids import current_user

#: A preferences file larger than this is not ours: ignore it.
MAX_BYTES = 64 * 1024


class Preferences(NamedTuple):
    #: The name put on notes and status changes ("Maria Rossi (MAECI)").
    author: str = ""
    #: The marking exports carry when the user names none ("RESTRICTED").
    default_classification: str = ""
    #: Notes longer than this many words go to the pack's annex.
    long_note_words: int = 300


def preferences_file() -> Path:
    return user_config_path("briefbook", appauthor=False) / "preferences.json"


def load() -> Preferences:
    path = preferences_file()
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
        data = json.loads(raw.decode("utf-8")) if len(raw) <= MAX_BYTES else {}
    except (OSError, ValueError):
        return Preferences()
    if not isinstance(data, dict):
        return Preferences()
    values: dict[str, Any] = {}
    for name, default in Preferences._field_defaults.items():
        value = data.get(name)
        if type(value) is type(default):
            values[name] = value.strip() if isinstance(value, str) else value
    return Preferences(**values)


def save(prefs: Preferences) -> None:
    """Write the preferences (a temporary file, then a rename: never half a file)."""
    path = preferences_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(prefs._asdict(), ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def update(**changes: Any) -> Preferences:
    prefs = load()._replace(**changes)
    save(prefs)
    return prefs


def author_name() -> str:
    """The name to sign with: the preference, else the login name."""
    return load().author or current_user()


def has_author() -> bool:
    """Whether the user has told us their name (first run asks when not)."""
    return bool(load().author)
