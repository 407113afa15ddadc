"""Byte-code for what the measured commands import, as an installed copy has it.

Where the environment forbids writing bytecode caches (PYTHONDONTWRITEBYTECODE,
as on this project's CI machines) a fresh environment holds none, and every
measured process would compile the project and its pure-Python libraries from
source again: for ReportLab alone about 0.15 s per command, which would swamp
what the benchmarks compare. pip and uv compile on install where asked to, and
Python writes the caches on first import anywhere else.
"""

from __future__ import annotations

import compileall
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def compile_for_bench(project: tuple[str, ...], libraries: tuple[str, ...] = ()) -> None:
    """Compile the project's packages and the installed `libraries` (by import name)."""
    for package in project:
        compileall.compile_dir(ROOT / package, quiet=1)
    for name in libraries:
        spec = importlib.util.find_spec(name)
        for folder in (spec.submodule_search_locations or []) if spec is not None else []:
            compileall.compile_dir(folder, quiet=1)
