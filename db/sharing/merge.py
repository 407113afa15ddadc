"""Merge a colleague's copy of a briefing file into the open one.

`merge_into(ours, theirs_path)` brings every row of THEIRS into OURS and
returns a `MergeReport`. The rules, and why they give the same result in
both directions (A into B and B into A end with equal content):

Rows match by their UUID. Plan and node ids derive from the plan title and
the reference, source links from (source, node), so copies that imported the
same plan independently still match row for row.

Which side changed a row? Each file keeps `row_version`: triggers record a
row's previous version whenever it changes (schema 3: the whole version, as
JSON), and a merge adds the other side's versions. So for a row present in
both files, with versions O (ours) and T (theirs):

- O and T equal: nothing to do.
- T's stamp is in O's history: O descends from T (only our side changed it
  since they diverged): keep O. Symmetrically, O's stamp in T's history: take T.
- Otherwise both changed it: merge field by field against the common
  ancestor, the last version both histories share (`db.sharing.three_way`). A field
  changed on one side only takes that side's value; a field both changed
  keeps the newer side's value and the other is kept where the user sees it:
  a note's other text as a conflicting copy beside it (`conflict_of`), other
  text fields as a `merge_conflict` row the user can restore; a status both
  changed follows the later change, the history keeps both. A deletion that
  meets an edit it never saw loses: the row stays live with the edit. Without
  an ancestor (rows last changed before schema 3) every differing field counts
  as changed on both sides, so nothing is dropped.
  A version combined from both sides gets a new stamp (the later one plus one
  microsecond) with both sides' versions in its history, so merging either
  original again later finds it an ancestor and changes nothing.
- Rows only THEIRS has come in as they are (live or tombstoned); status
  changes are append-only and merge as a union; attachment bytes (`blob`,
  keyed by SHA-256) come in once per hash, whoever stores the same file.
- A node a revised plan removed (a tombstone) on which live notes, citations,
  agenda entries or nodes still hang is kept, marked `retired_at` (removed
  from the plan's current text), so nothing that hangs on it disappears.

Every collision is reported in words (`MergeReport.collisions`), and so is
every row the merge deleted here.

The whole merge is one transaction after a backup copy of OURS
(`db.disk.file.backup_copy`); when THEIRS holds nothing new, nothing is written
and no backup is made, so merging the same copy twice changes nothing.
A cancel (`db.model.cancelling`) is honoured at every step up to the commit,
its point of no return: the transaction rolls back and the backup copy goes,
so the file and its folder are as they were. THEIRS
is only read; a foreign, damaged or too-new THEIRS is refused before anything
is touched, an older one is merged from a migrated temporary copy.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from db.disk import file as dbfile
from db.disk import validation
from db.disk.connections import retry_busy
from db.disk.copying import consistent_copy
from db.model.cancelling import Cancellation
from db.model.errors import (
    BriefbookError,
    Cancelled,
    FileBusy,
    InvalidInput,
    WriteRefused,
    is_busy,
    mark_rolled_back,
)
from db.schema.synced import SYNCED_TABLES
from db.search import keeping
from db.sharing.apply import Incoming, apply
from db.sharing.report import Collision, KindReport, MergeReport
from db.sharing.rows import MergePlan, PendingCollision, plan_table

if TYPE_CHECKING:
    from db.briefing.facade import Briefing

__all__ = ["TABLE_KINDS", "Collision", "KindReport", "MergeReport", "Progress", "merge_into"]

Progress = Callable[[int, int, str], None]

#: Synced tables in the order they are merged (the registry's: parents first),
#: with the kind the report calls them.
TABLE_KINDS: dict[str, str] = {t.table: t.kind for t in SYNCED_TABLES}


#: What a cancelled merge says.
CANCELLED = "Merge cancelled; this file is as it was."


def merge_into(
    ours: Briefing, theirs_path: Path | str, progress: Progress | None = None, cancel: Cancellation | None = None
) -> MergeReport:
    """Merge the file at `theirs_path` into the open file `ours` (see the module doc)."""
    theirs_path = Path(theirs_path)
    cancel = cancel or Cancellation()
    cancel.check(CANCELLED)
    if ours.read_only:
        raise WriteRefused(f"{ours.path.name} is open read-only: a colleague's copy cannot be merged into it.")
    facts = dbfile.inspect(theirs_path)  # refuses foreign, damaged, too-new files
    if _same_file(theirs_path, ours.path):
        raise InvalidInput("That is this file itself; choose a colleague's copy to merge.")
    validation.require_valid(theirs_path, "merged")  # the whole copy, before anything is written
    cancel.check(CANCELLED)
    report = MergeReport(theirs=str(theirs_path))
    tick = progress or (lambda done, total, label: None)
    if facts.needs_migration:
        # An older copy: merge from a migrated temporary copy, never changing theirs.
        with tempfile.TemporaryDirectory(prefix="briefbook-merge-") as tmp:
            copy = Path(tmp) / "theirs.sqlite"
            tick(0, 0, "Updating the colleague's copy to this version…")
            consistent_copy(theirs_path, copy)
            dbfile.upgrade(copy)
            return _merge(ours, copy, report, tick, cancel)
    return _merge(ours, theirs_path, report, tick, cancel)


# -- the merge itself -----------------------------------------------------------------


def _merge(ours: Briefing, theirs_path: Path, report: MergeReport, tick: Progress,
           cancel: Cancellation) -> MergeReport:
    steps = len(TABLE_KINDS) + 3
    try:
        with ours.connection() as conn:
            conn.execute("ATTACH DATABASE ? AS theirs", (dbfile.sqlite_uri(theirs_path, read_only=True),))
            try:
                keeping.install(conn)
                _begin(conn)
                try:
                    conn.execute("PRAGMA defer_foreign_keys = ON")  # rows arrive in any order
                    plan = MergePlan()
                    for step, (table, kind) in enumerate(TABLE_KINDS.items()):
                        tick(step, steps, f"Comparing {kind.replace('_', ' ')}…")
                        cancel.check(CANCELLED)
                        plan_table(conn, table, report.kinds[kind], plan)
                    _look_for_doubles(conn, plan)
                    tick(len(TABLE_KINDS), steps, "Comparing status histories…")
                    cancel.check(CANCELLED)
                    new_status = _scalar(
                        conn,
                        "SELECT count(*) FROM theirs.status_change t WHERE NOT EXISTS "
                        "(SELECT 1 FROM main.status_change o WHERE o.id = t.id)",
                    )
                    new_blobs = _scalar(
                        conn,
                        "SELECT count(*) FROM theirs.blob t WHERE NOT EXISTS "
                        "(SELECT 1 FROM main.blob o WHERE o.sha256 = t.sha256) "
                        "AND EXISTS (SELECT 1 FROM theirs.attachment a WHERE a.sha256 = t.sha256)",
                    )
                    new_history = _scalar(
                        conn,
                        "SELECT count(*) FROM theirs.row_version t WHERE NOT EXISTS "
                        "(SELECT 1 FROM main.row_version o WHERE o.row_id = t.row_id AND o.updated_at = t.updated_at)",
                    )
                    if not (plan.writes or new_status or new_blobs or new_history or plan.history):
                        conn.execute("ROLLBACK")
                        tick(steps, steps, "Nothing new.")
                        return report
                    # The backup reads the file through its own connection: our
                    # transaction holds only the reserved lock, so it sees the file
                    # as it is before the merge.
                    tick(len(TABLE_KINDS) + 1, steps, "Saving a backup copy…")
                    cancel.check(CANCELLED)
                    # Older backups are pruned only once the merge is in: a cancel takes this one away.
                    report.backup = str(dbfile.backup_copy(ours.path, "merge", prune=False))
                    tick(len(TABLE_KINDS) + 2, steps, "Merging…")
                    cancel.check(CANCELLED)
                    report.status_changes_added = new_status
                    report.attachments_bytes_added = new_blobs
                    apply(conn, plan, Incoming(), report, bring_in=_bring_in_the_rest)
                    keeping.catch_up(conn)
                    cancel.point_of_no_return(CANCELLED)
                    try:
                        _commit(conn)
                    except sqlite3.IntegrityError as exc:
                        # Deferred foreign keys: THEIRS pointed at rows neither file holds.
                        raise BriefbookError(
                            f"{theirs_path.name} could not be merged: it refers to rows that neither file "
                            "holds (run Check file on it); nothing was changed."
                        ) from exc
                except BaseException as exc:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    keeping.forget(conn)
                    mark_rolled_back(exc)
                    if isinstance(exc, Cancelled) and report.backup:
                        Path(report.backup).unlink(missing_ok=True)  # the file is as it was: no backup of it
                    raise
            finally:
                conn.execute("DETACH DATABASE theirs")
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            raise FileBusy(
                f"{ours.path.name} is busy: another program is writing to it. Try the merge again in a moment."
            ) from exc
        raise
    dbfile.prune_backups(ours.path)
    tick(steps, steps, "Merged.")
    return report


def _bring_in_the_rest(conn: sqlite3.Connection) -> None:
    """Their status changes, attachment bytes and past versions, copied in bulk from the attached file."""
    conn.execute(
        "INSERT INTO main.blob (sha256, size, data) SELECT sha256, size, data FROM theirs.blob t "
        "WHERE NOT EXISTS (SELECT 1 FROM main.blob o WHERE o.sha256 = t.sha256) "
        "AND EXISTS (SELECT 1 FROM theirs.attachment a WHERE a.sha256 = t.sha256)"
    )
    conn.execute(
        "INSERT OR IGNORE INTO main.status_change "
        "(id, node_id, from_status, to_status, comment, changed_at, changed_by) "
        "SELECT id, node_id, from_status, to_status, comment, changed_at, changed_by "
        "FROM theirs.status_change"
    )
    conn.execute(
        "INSERT OR IGNORE INTO main.row_version (row_id, updated_at, body, data) "
        "SELECT row_id, updated_at, body, data FROM theirs.row_version"
    )


def _look_for_doubles(conn: sqlite3.Connection, plan: MergePlan) -> None:
    """A source (same address, or same title and outlet) or a meeting (same title
    and date) that both copies added separately: say so, so one can be deleted."""
    for table, cols in (("source", ("id", "url", "title", "outlet")), ("meeting", ("id", "title", "date"))):
        new = [r for r in plan.inserts.get(table, []) if r["deleted_at"] is None]
        if not new:
            continue
        ours: set[tuple[str, ...]] = set()
        for row in conn.execute(f"SELECT {', '.join(cols)} FROM main.{table} WHERE deleted_at IS NULL"):
            ours.update(_same_thing(table, dict(zip(cols, row))))
        for r in new:
            if ours & set(_same_thing(table, r)):
                plan.collisions.append(PendingCollision("duplicate", table, r["id"]))


def _same_thing(table: str, row: dict[str, str | None]) -> list[tuple[str, ...]]:
    """What makes two rows the same source or meeting to a person."""
    if table == "meeting":
        return [("meeting", _norm(row["title"]), row["date"] or "")]
    keys: list[tuple[str, ...]] = [("title", _norm(row["title"]), _norm(row["outlet"]))]
    if row["url"]:
        keys.append(("url", _norm(row["url"])))
    return keys


def _norm(text: str | None) -> str:
    return " ".join((text or "").casefold().split()).rstrip("/")


# -- small helpers ----------------------------------------------------------------------


def _scalar(conn: sqlite3.Connection, sql: str) -> int:
    row = conn.execute(sql).fetchone()
    return int(row[0] or 0) if row else 0


def _begin(conn: sqlite3.Connection) -> None:
    retry_busy(lambda: conn.execute("BEGIN IMMEDIATE"))


def _commit(conn: sqlite3.Connection) -> None:
    retry_busy(lambda: conn.execute("COMMIT"))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
