"""A writer for the crash test: `python share_writer.py FILE`.

Started once, it imports briefbook and then waits on stdin. Each line
"go OUT SEED" forks a child that opens FILE and adds notes forever, appending
each note's id to OUT only after `add_note` returned (the commit is done);
the parent prints the child's pid. The test SIGKILLs the child at a random
moment. Forking from a warm process makes fifty crashes cheap; this process
has no threads, so forking it is safe. Children are reaped automatically.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from db.briefing.facade import Briefing


def child(path: Path, out: str, seed: int) -> None:
    fd = os.open(out, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    with Briefing.open(path, user=f"writer-{seed}") as b:
        node = b.nodes()[seed % 5].id
        n = 0
        while True:
            n += 1
            note = b.add_note(node, "update", f"note {n} of writer {seed} " + "x" * (n % 700))
            os.write(fd, (note.id + "\n").encode())


def main() -> None:
    path = Path(sys.argv[1])
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # no zombies: a killed child is gone at once
    for line in sys.stdin:
        _cmd, out, seed = line.split()
        pid = os.fork()
        if pid == 0:
            try:
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                child(path, out, int(seed))
            finally:
                os._exit(1)
        print(pid, flush=True)


if __name__ == "__main__":
    main()
