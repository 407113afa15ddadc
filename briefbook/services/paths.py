"""Where briefbook keeps its files on this computer."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
SEED_DIR = RESOURCES / "seed"
SEED_PLAN = SEED_DIR / "japan-italy-action-plan-2024-2027.txt"
SEED_DATA = SEED_DIR / "seed.json"
FONT_DIR = RESOURCES / "fonts"


def data_dir() -> Path:
    return user_data_path("briefbook", appauthor=False)


def default_file() -> Path:
    """The file the window opens when none is named (created and seeded on first run)."""
    return data_dir() / "briefbook.sqlite"
