"""A process that upgrades an older briefing file and is killed at a chosen SQL statement:
`python upgrade_killer.py [OLD_FILE]` (upgrades a copy of OLD_FILE once to warm up), then
lines "MODE K FILE" on stdin.

Started once (briefbook and Alembic imported), it forks a child for each line; the child
counts every SQL statement run on any connection, and every rename, and SIGKILLs itself
as statement K starts (K = 0: never; the child then prints how many statements the upgrade ran). The parent
prints the child's status ("killed", "done N" or "failed"). MODE "open" is what briefbook
does (`Briefing.open` for writing); "in-place" is the upgrade as briefbook ran it before
issue 20 (a backup copy, then Alembic on the file itself), which could leave a file
half-upgraded. Forking from a warm process makes a kill at every statement cheap.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
from pathlib import Path

from db.briefing.facade import Briefing
from db.disk import file as dbfile


def child(mode: str, kill_at: int, path: Path, out: int) -> None:
    count = 0
    counting = mode != "open"
    real_connect = sqlite3.connect

    def tick(_statement: str) -> None:
        nonlocal count
        if not counting:
            return
        count += 1
        if count == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        conn.set_trace_callback(tick)
        return conn

    sqlite3.connect = connect  # type: ignore[assignment]
    real_replace = os.replace

    def replace(*args: object, **kwargs: object) -> None:  # a kill just before a rename is a moment too
        tick("rename")
        real_replace(*args, **kwargs)  # type: ignore[arg-type]

    os.replace = replace  # type: ignore[assignment]
    if mode == "open":
        # Counted from the backup copy to the end of the upgrade: opening and indexing around it
        # are not the upgrade.
        migrate = dbfile.migrate_if_needed

        def counted(facts: dbfile.FileFacts) -> Path | None:
            nonlocal counting
            counting = True
            try:
                return migrate(facts)
            finally:
                counting = False

        dbfile.migrate_if_needed = counted  # type: ignore[assignment]
        Briefing.open(path, user="upgrader").close()
    else:
        dbfile.backup_copy(path, f"schema{dbfile.inspect(path).schema_version}")
        dbfile.upgrade(path)
    os.write(out, f"done {count}\n".encode())


def main() -> None:
    if len(sys.argv) > 1:  # warm up: Alembic and the migrations load once, before the forks
        import shutil
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            shutil.copyfile(sys.argv[1], Path(tmp) / "warm.sqlite")
            dbfile.upgrade(Path(tmp) / "warm.sqlite")
    print("ready", flush=True)
    for line in sys.stdin:
        mode, kill_at, path = line.split(maxsplit=2)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            try:
                child(mode, int(kill_at), Path(path.strip()), write)
            except BaseException as exc:  # told to the parent, never raised past the fork
                os.write(write, f"failed {exc!r}\n".encode())
            finally:
                os._exit(0)
        os.close(write)
        said = os.read(read, 4096).decode().strip()
        os.close(read)
        _, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        print("killed" if killed else said or "failed", flush=True)


if __name__ == "__main__":
    main()
