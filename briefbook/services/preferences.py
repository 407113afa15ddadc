"""Preferences shared by the window and the command line: one small JSON file in the user's
config folder. A missing or damaged file gives the defaults (never an error)."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Preferences:
    author: str = ""  # the name on notes, status changes and "Prepared by"; "" = the login name
    default_classification: str = ""  # the marking of a pack whose meeting has none
    long_note_words: int = 300  # a longer note goes to an annex of the pack


def path() -> Path:
    from platformdirs import user_config_path

    return user_config_path("briefbook", appauthor=False) / "preferences.json"


def load() -> Preferences:
    try:
        data = json.loads(path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Preferences()
    if not isinstance(data, dict):
        return Preferences()
    values: dict[str, Any] = {}
    for f in dataclasses.fields(Preferences):
        value = data.get(f.name)
        default = f.default
        if isinstance(value, type(default)) and not isinstance(value, bool):
            values[f.name] = value
    prefs = Preferences(**values)
    if not 20 <= prefs.long_note_words <= 100_000:
        prefs = dataclasses.replace(prefs, long_note_words=Preferences.long_note_words)
    return prefs


def update(**changes: Any) -> Preferences:
    """Change some preferences and save them (written whole, then renamed)."""
    from db import atomic

    prefs = dataclasses.replace(load(), **changes)
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic.replacing(target, "part", unique=True) as tmp:
        tmp.write_text(json.dumps(dataclasses.asdict(prefs), indent=2) + "\n", encoding="utf-8")
    return prefs


def author_name() -> str:
    """The user's name from the preferences, else the login name."""
    from db.ids import current_user

    return load().author.strip() or current_user()
