"""Check a briefing file, and repair what can be repaired safely.

`check_file(path)` only reads (through read-only SQLite connections): whether
it is a briefing file at all, SQLite's full integrity check, the application
id and schema version, then the whole file's validation (`db.disk.validation`:
the schema, references, values, text, plan trees and attachment bytes, each
naming its first offending row), counts of rows, attachment bytes no
attachment uses or attachments whose bytes are missing, and whether the
search index matches the rows. It ends in a verdict a person can act on.

`repair(briefing)` fixes only what cannot lose anything, after a backup copy:
it drops attachment bytes that no attachment (live or deleted) refers to and
rebuilds the search index. A file that fails SQLite's integrity check is not
"repaired": the right move is a backup copy, and the verdict says so.
Both take a `db.model.cancelling.Cancellation`: the check stops between its
stages; the repair's point of no return is its first write, and a cancel
before it leaves the file as it was and takes its backup copy away.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from db.briefing.facade import Briefing
from db.disk import file as dbfile
from db.disk import lock as dblock
from db.disk import validation
from db.model.cancelling import Cancellation
from db.model.errors import BriefbookError, Cancelled, FileRefused, environment_trouble, is_busy
from db.schema.synced import SYNCED_TABLE_NAMES
from db.search.index import INDEXED_TABLES


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


#: The tables whose live and deleted rows the check counts (the synced ones).
CONTENT_TABLES = SYNCED_TABLE_NAMES

GOOD, REPAIRABLE, DAMAGED, REFUSED = "good", "repairable", "damaged", "refused"
#: What a cancelled check and a cancelled repair say.
CHECK_CANCELLED = "Check cancelled."
REPAIR_CANCELLED = "Repair cancelled; the file is as it was."


@dataclass(frozen=True)
class CheckItem:
    name: str
    ok: bool
    detail: str
    repairable: bool = False


@dataclass
class CheckReport:
    path: str
    items: list[CheckItem] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    verdict: str = GOOD
    sentence: str = ""
    open_by: str | None = None

    @property
    def ok(self) -> bool:
        return self.verdict == GOOD

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "verdict": self.verdict,
            "ok": self.ok,
            "sentence": self.sentence,
            "checks": [asdict(i) for i in self.items],
            "counts": self.counts,
            "open_by": self.open_by,
        }

    def lines(self) -> list[str]:
        out = [f"{'ok ' if i.ok else 'NO '} {i.name}: {i.detail}" for i in self.items]
        if self.counts:
            live = ", ".join(f"{k.replace('_', ' ')} {v['live']}" for k, v in self.counts.items())
            deleted = sum(v["deleted"] for v in self.counts.values())
            out.append(f"    rows: {live}; {deleted} deleted rows kept for merging.")
        if self.open_by:
            out.append(f"    {self.open_by}")
        out.append(self.sentence)
        return out


@dataclass(frozen=True)
class RepairReport:
    backup: str
    blobs_removed: int
    search_index_rebuilt: bool

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def sentence(self) -> str:
        parts = []
        if self.blobs_removed:
            parts.append(f"removed {plural(self.blobs_removed, 'unused attachment file')}")
        if self.search_index_rebuilt:
            parts.append("rebuilt the search index")
        done = " and ".join(parts) or "found nothing to change"
        return f"Repaired: {done}; the file as it was is saved as {Path(self.backup).name}."


def check_file(path: Path | str, cancel: Cancellation | None = None) -> CheckReport:
    """Check the file at `path` without changing it; never raises for a bad file
    (`Cancelled` between stages when `cancel` is asked)."""
    path = Path(path)
    cancel = cancel or Cancellation()
    report = CheckReport(path=str(path))
    try:
        facts = dbfile.inspect(path, quick_check=False)
    except FileRefused as exc:
        report.items.append(CheckItem("briefing file", False, str(exc)))
        report.verdict = REFUSED
        report.sentence = f"Verdict: briefbook cannot use this file. {exc}"
        return report
    report.items.append(CheckItem("briefing file", True, "an SQLite file marked as a briefing file"))
    half = dbfile.half_upgraded(path, facts.schema_version) if facts.needs_migration else None
    if half is not None:
        report.items.append(CheckItem("schema version", False, str(half)))
        report.verdict = REFUSED
        report.sentence = f"Verdict: briefbook cannot use this file as it is. {half}"
        return report
    if facts.needs_migration:
        version = f"schema version {facts.schema_version}: it is updated (after a backup) when opened for writing"
    else:
        version = f"schema version {facts.schema_version}, the current one"
    report.items.append(CheckItem("schema version", True, version))
    try:
        holder = dblock.read_holder(path)
    except FileRefused as exc:  # a lock that is not one (a FIFO): say so, check the file anyway
        holder, report.open_by = None, str(exc)
    if holder is not None and not dblock.is_stale(holder):
        report.open_by = dblock.describe(path, holder).split(";")[0] + "."
    cancel.check(CHECK_CANCELLED)

    conn = sqlite3.connect(dbfile.sqlite_uri(path, read_only=True), uri=True, timeout=dbfile.BUSY_TIMEOUT_S)
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
        if problems:
            shown = "; ".join(problems[:3]) + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else "")
            report.items.append(CheckItem("integrity", False, f"SQLite found damage: {shown}"))
            report.verdict = DAMAGED
            report.sentence = (
                "Verdict: the file is damaged. Open a backup copy (briefbook keeps *.bak copies beside it) "
                "or ask a colleague for theirs."
            )
            return report
        report.items.append(CheckItem("integrity", True, "SQLite's integrity check passed"))
        cancel.check(CHECK_CANCELLED)
        problems = validation.problems_of(conn)
        cancel.check(CHECK_CANCELLED)
        report.items.extend(_validation_items(problems))
        # Text another program wrote may not be UTF-8: read it so that the counts never raise.
        conn.text_factory = lambda b: b.decode("utf-8", "replace")
        if facts.schema_version >= 1 and not any(p.kind == "schema" for p in problems):
            report.counts = _counts(conn)
            report.items.extend(_attachment_checks(conn))
            report.items.append(_index_check(conn))
    except sqlite3.DatabaseError as exc:
        if is_busy(exc):
            raise BriefbookError(
                f"{path.name} is busy: another program is writing to it. Try again in a moment."
            ) from exc
        trouble = environment_trouble(exc)  # SQLite's own message is not for the person at the keyboard
        report.items.append(CheckItem("integrity", False, f"SQLite could not read it ({trouble})" if trouble
                                      else "SQLite could not read it"))
        report.verdict = DAMAGED
        report.sentence = "Verdict: the file is damaged. Open a backup copy instead."
        return report
    finally:
        conn.close()

    failed = [i for i in report.items if not i.ok]
    if not failed:
        report.verdict = GOOD
        report.sentence = "Verdict: the file is in good order."
    elif all(i.repairable for i in failed):
        report.verdict = REPAIRABLE
        report.sentence = (
            "Verdict: the file is usable; "
            + "; ".join(i.detail for i in failed)
            + ". A repair (after a backup copy) fixes this."
        )
    else:
        report.verdict = DAMAGED
        report.sentence = (
            "Verdict: the file has problems a repair cannot fix safely ("
            + "; ".join(i.detail for i in failed if not i.repairable)
            + "). Keep using it with care and ask a colleague for their copy, or open a backup."
        )
    return report


def repair(
    briefing: Briefing, progress: Callable[[str], None] | None = None, cancel: Cancellation | None = None
) -> RepairReport:
    """Fix what `check_file` calls repairable, after a backup copy of the file."""
    tick = progress or (lambda label: None)
    cancel = cancel or Cancellation()
    cancel.check(REPAIR_CANCELLED)
    tick("Checking the file…")
    try:
        report = check_file(briefing.path, cancel)
    except Cancelled:
        raise Cancelled(REPAIR_CANCELLED) from None
    if report.verdict in (DAMAGED, REFUSED):
        raise BriefbookError(f"{briefing.path.name} cannot be repaired safely: {report.sentence}")
    tick("Saving a backup copy…")
    cancel.check(REPAIR_CANCELLED)
    # Older backups are pruned once the repair is in: a cancel takes only this one away.
    backup = dbfile.backup_copy(briefing.path, "repair", prune=False)
    tick("Removing unused attachment files…")
    try:
        cancel.point_of_no_return(REPAIR_CANCELLED)
    except Cancelled:
        backup.unlink(missing_ok=True)
        raise
    removed = briefing.remove_unused_attachment_bytes()
    tick("Rebuilding the search index…")
    briefing.rebuild_search_index()
    dbfile.prune_backups(briefing.path)
    return RepairReport(backup=str(backup), blobs_removed=removed, search_index_rebuilt=True)


def repair_file(path: Path | str) -> RepairReport:
    with Briefing.open(path) as briefing:
        return repair(briefing)


# -- the checks ------------------------------------------------------------------------


#: The kinds of `db.disk.validation.Problem`, each with its check's name and what "good" is in words.
_VALIDATION_ITEMS = (
    ("schema", "schema", "the tables, columns, indexes and triggers are the ones briefbook makes"),
    ("reference", "references", "every row points to rows that exist"),
    ("value", "values", "every value has the type and form briefbook writes"),
    ("text", "text", "all text is valid UTF-8"),
    ("tree", "plan trees", "every parent is in its plan, and no node is its own ancestor"),
    ("attachment", "attachment bytes", "every stored attachment file matches its SHA-256 and size"),
)


def _validation_items(problems: list[validation.Problem]) -> list[CheckItem]:
    items = []
    for kind, name, good in _VALIDATION_ITEMS:
        found = [p for p in problems if p.kind == kind]
        if found:
            shown = "; ".join(p.sentence for p in found[:3])
            items.append(CheckItem(name, False, shown + (f" (and {len(found) - 3} more)" if len(found) > 3 else "")))
        elif kind == "schema" or not any(p.kind == "schema" for p in problems):
            items.append(CheckItem(name, True, good))
    return items


def _counts(conn: sqlite3.Connection) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in CONTENT_TABLES:
        if table not in present:  # an older file, checked as it is: that table comes with its migration
            out[table] = {"live": 0, "deleted": 0}
            continue
        live, deleted = conn.execute(
            f"SELECT count(*) FILTER (WHERE deleted_at IS NULL), count(*) FILTER (WHERE deleted_at IS NOT NULL) "
            f"FROM {table}"
        ).fetchone()
        out[table] = {"live": live, "deleted": deleted}
    out["status_change"] = {"live": conn.execute("SELECT count(*) FROM status_change").fetchone()[0], "deleted": 0}
    out["blob"] = {"live": conn.execute("SELECT count(*) FROM blob").fetchone()[0], "deleted": 0}
    return out


def _attachment_checks(conn: sqlite3.Connection) -> list[CheckItem]:
    items = []
    orphans, orphan_bytes = conn.execute(
        "SELECT count(*), coalesce(sum(size), 0) FROM blob WHERE sha256 NOT IN (SELECT sha256 FROM attachment)"
    ).fetchone()
    if orphans:
        items.append(
            CheckItem(
                "attachment files",
                False,
                f"{plural(orphans, 'stored attachment file')} ({plural(orphan_bytes, 'byte')}) "
                f"{'belongs' if orphans == 1 else 'belong'} to no attachment",
                repairable=True,
            )
        )
    else:
        items.append(CheckItem("attachment files", True, "every stored attachment file belongs to an attachment"))
    missing = conn.execute(
        "SELECT count(*) FROM attachment a WHERE a.deleted_at IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM blob b WHERE b.sha256 = a.sha256)"
    ).fetchone()[0]
    homeless = conn.execute(
        "SELECT count(*) FROM attachment a WHERE a.deleted_at IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM source s WHERE s.id = a.source_id)"
    ).fetchone()[0]
    if missing or homeless:
        what = []
        if missing:
            what.append(f"{plural(missing, 'attachment')} {'has' if missing == 1 else 'have'} lost its file")
        if homeless:
            what.append(f"{plural(homeless, 'attachment')} {'belongs' if homeless == 1 else 'belong'} to no source")
        items.append(CheckItem("attachments", False, " and ".join(what)))
    else:
        items.append(CheckItem("attachments", True, "every attachment has its file and its source"))
    return items


def _index_check(conn: sqlite3.Connection) -> CheckItem:
    try:
        indexed = {(k, r) for k, r in conn.execute("SELECT kind, row_id FROM search_index")}
    except sqlite3.DatabaseError:
        return CheckItem("search index", False, "the search index cannot be read", repairable=True)
    live: set[tuple[str, str]] = set()
    for table in INDEXED_TABLES:  # each index entry's kind is its table's name
        live.update((table, r[0]) for r in conn.execute(f"SELECT id FROM {table} WHERE deleted_at IS NULL"))
    missing, stale = len(live - indexed), len(indexed - live)
    if missing or stale:
        return CheckItem(
            "search index",
            False,
            f"the search index misses {plural(missing, 'row')} and lists {stale} "
            f"that {'is' if stale == 1 else 'are'} gone",
            repairable=True,
        )
    return CheckItem("search index", True, f"the search index covers all {len(live)} rows")
