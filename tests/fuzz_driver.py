"""Run `check`, `tree`, `merge` and `export` on one file, as the fuzz test's child process.

    python tests/fuzz_driver.py THEIRS OURS OUTDIR

Each command runs through the real entry point; its exit status goes to
stdout as `name status`. An exception that escapes the entry point prints
its traceback on stderr, which the test treats as a failure.
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

from briefbook.cli.main import main


def run(theirs: Path, ours: Path, out: Path) -> None:
    commands = {
        "check": ["check", str(theirs), "--json"],
        "tree": ["tree", "--db", str(theirs), "--json"],
        "merge": ["merge", str(theirs), "--db", str(ours)],
        "export": ["export", "--db", str(theirs), "--plan", "-o", str(out / "pack.pdf"), "--quiet"],
    }
    for name, argv in commands.items():
        with contextlib.redirect_stdout(io.StringIO()):
            status = main(argv)
        print(name, status, flush=True)


if __name__ == "__main__":
    run(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
