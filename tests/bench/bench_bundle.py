"""The bundle against the source checkout: its size, and the window's start.

    packaging/build.sh && uv run python tests/bench/bench_bundle.py [--runs 7]

Size: dist/briefbook unpacked, by what it holds (Qt, ICU, the fonts, Python...)
and the .tar.gz, against the goal of 250 MB unpacked.

Start: `briefbook --db FILE --screenshot PNG` (the window opens offscreen, the
plan tree paints, the picture is saved, the process exits), timed from the
process's start to its line saying the window was shown, and to its exit, run
from the bundle and through `uv run briefbook` (uv checks the environment
first), and the checkout's own script (.venv/bin/briefbook) for reference;
interleaved, so drift in the machine's load hits each alike; medians.
The checkout is compiled to byte-code first (tests/bench/bytecode.py), as the
bundle's archive is.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "briefbook"


def size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def sizes() -> None:
    internal = BUNDLE / "_internal"
    qt_lib = internal / "PySide6" / "Qt" / "lib"
    icu = sum(size(p) for p in qt_lib.glob("libicu*"))
    groups = {
        "Qt libraries (Core, Gui, Widgets, XcbQpa, Wayland, DBus...)": size(qt_lib) - icu,
        "ICU (Unicode data Qt needs)": icu,
        "PySide6's bindings, Qt's plugins and translations (en/it/ja)": size(internal / "PySide6") - size(qt_lib),
        "fonts, seed data, user guide (resources/)": size(internal / "resources"),
        "Python (libpython, standard library, extension modules)": sum(size(p) for p in internal.glob("libpython*"))
        + size(internal / "base_library.zip") + sum(size(p) for p in internal.glob("python3.*")),
        "lxml (python-docx)": size(internal / "lxml"),
        "Pillow (ReportLab's images)": size(internal / "PIL") + size(internal / "pillow.libs"),
        "psycopg with libpq (the team store)": size(internal / "psycopg_binary") + size(internal / "psycopg_binary.libs"),
    }
    total = size(BUNDLE)
    system = sum(p.stat().st_size for p in internal.glob("lib*.so*")
                 if not p.is_symlink() and not p.name.startswith("libpython"))
    groups["system libraries (xcb, fontconfig, glib, OpenSSL...)"] = system
    groups["everything else (briefbook's code archive, ReportLab, SQLAlchemy...)"] = total - sum(groups.values())
    print(f"bundle unpacked: {total / 1e6:.0f} MB (MB = 10^6 bytes; goal < 250 MB)")
    for what, n in sorted(groups.items(), key=lambda kv: -kv[1]):
        print(f"  {n / 1e6:6.1f} MB  {what}")
    for archive in sorted((ROOT / "dist").glob("briefbook-*.tar.gz")):
        print(f"archive {archive.name}: {archive.stat().st_size / 1e6:.0f} MB")


def start(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Seconds from start to the "window shown" line, and to the exit."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=cwd)
    assert proc.stdout is not None
    shown = float("nan")
    for line in proc.stdout:
        if line.startswith("window shown"):
            shown = time.perf_counter() - t0
    if proc.wait() != 0 or shown != shown:
        raise RuntimeError(f"{command[0]} failed (exit {proc.returncode})")
    return shown, time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not (BUNDLE / "briefbook").exists():
        print("no bundle: run packaging/build.sh first", file=sys.stderr)
        return 1
    sizes()

    sys.path.insert(0, str(ROOT))
    from tests.bench.bytecode import compile_for_bench

    compile_for_bench(("db", "briefbook", "exporters"), ("shiboken6", "platformdirs"))
    work = Path(tempfile.mkdtemp(prefix="briefbook-bench-bundle-"))
    try:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(work / "config"),
               "XDG_DATA_HOME": str(work / "data"), "XDG_CACHE_HOME": str(work / "cache")}
        prefs = work / "config" / "briefbook" / "preferences.json"
        prefs.parent.mkdir(parents=True)
        prefs.write_text('{"author": "Bench User"}', encoding="utf-8")
        db = work / "seeded.briefbook"
        subprocess.run([str(BUNDLE / "briefbook"), "init", str(db)], env=env, check=True, capture_output=True)
        shot = ["--db", str(db), "--screenshot", str(work / "w.png")]
        uv = shutil.which("uv") or "uv"
        commands = {
            "bundle (dist/briefbook/briefbook)": [str(BUNDLE / "briefbook"), *shot],
            "uv run briefbook": [uv, "run", "--project", str(ROOT), "briefbook", *shot],
            "checkout's script (.venv/bin/briefbook)": [str(ROOT / ".venv" / "bin" / "briefbook"), *shot],
        }
        for command in commands.values():  # warm the file cache once
            start(command, env, work)
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                results[name].append(start(command, env, work))
        print(f"window start, seeded file, offscreen, median of {args.runs} (interleaved):")
        base = statistics.median(s for s, _ in results["uv run briefbook"])
        for name, runs in results.items():
            shown = statistics.median(s for s, _ in runs)
            done = statistics.median(e for _, e in runs)
            spread = f"{min(s for s, _ in runs):.2f}-{max(s for s, _ in runs):.2f}"
            print(f"  {name:42s} tree shown {shown:.2f} s ({spread}), exit {done:.2f} s, "
                  f"{shown / base:.2f}x uv run")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
