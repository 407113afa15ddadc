"""One sync of a briefing file with the team store: the file and the store end
with the same content, by exactly the file merge's rules.

How the two sides find what to exchange, without any bookkeeping that could
drift:

- Down: every store row carries `seq` (db/sharing/store/versions/s0001); the file
  remembers the highest one it has seen (`meta` "store.seq", per store id), so
  it asks for rows with a higher one.
- Up: the file sends the (id, stamp) of all its rows; a row whose stamp the
  store has never held, now or in its history, is a change of this file.

A row only one side holds goes to the other. A row both hold in different
versions goes through the file merge's own row rules (`db.sharing.rows`, on
`db.sharing.three_way.merge_row`), with both sides' `row_version` histories: which side
is behind, or a field-by-field merge against the last version both share. It
runs twice, once with the file as "ours" (what to write here) and once with
the store as "ours" (what to send); the rules are symmetric, so both sides
get the same rows, including the set-aside values and conflicting copies
(their ids are derived). The collisions are told in the file merge's words.

Concurrency: an upload runs in one PostgreSQL transaction that first takes
one advisory lock, so uploads queue (never interleave) and seq numbers become
visible in order; each UPDATE also checks the stamp it read (a change made
behind the lock's back makes the sync start again). Nothing is written into
the file until the store has committed; if the connection is lost before, the
store rolls back and the file is untouched. A login without write rights on
the store still brings everything down, and what it could not send stays in
the file (the next sync with rights sends it: detection is stateless).

The store's commit is the sync's point of no return (`db.model.cancelling`): a
cancel before it rolls the store back and leaves the file as it was; after it
the sync finishes (the file's writes, its backup copy) as if nobody had asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from db.model.cancelling import Cancellation
from db.model.errors import WriteRefused
from db.sharing.apply import Incoming
from db.sharing.report import KindReport
from db.sharing.rows import MergePlan, plan_row
from db.sharing.store import local
from db.sharing.store.connect import connect, reason, redact
from db.sharing.store.errors import StoreError, StoreUnreachable
from db.sharing.store.local import SYNCED_TABLES, History, LocalState, LocalWrites, Row
from db.sharing.store.report import TABLE_KINDS, Counts, SyncReport
from db.sharing.store.schema import look, require_current
from db.sharing.store.validate import validate_download

if TYPE_CHECKING:
    import psycopg

    from db.briefing.facade import Briefing

Progress = Callable[[str], None]
#: The advisory lock every upload takes ("BrfB", as the file's application id).
LOCK_KEY = 0x42726642
_SEQ_TABLES = (*SYNCED_TABLES, "status_change", "blob", "row_version")
_ATTEMPTS = 3
_SEP = "\x1f"  # the unit separator: never in a UUID or a time stamp
#: What a cancelled sync says.
CANCELLED = "Sync cancelled; this file and the team store are as they were."


class _Retry(Exception):
    """The store changed under an upload (outside the lock): start the exchange again."""


@dataclass
class _StoreWrites:
    #: rows only this file has (sent with COPY)
    inserts: dict[str, list[Row]] = field(default_factory=dict)
    #: rows a merge made (conflicting copies, set-aside values): another laptop may have sent them already
    made: dict[str, list[Row]] = field(default_factory=dict)
    #: (new row, the stamp the store must still have for it to be written)
    updates: dict[str, list[tuple[Row, str]]] = field(default_factory=dict)
    history: dict[tuple[str, str], History] = field(default_factory=dict)
    status_ids: list[str] = field(default_factory=list)
    blob_hashes: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        rows = sum(map(len, self.inserts.values())) + sum(map(len, self.updates.values()))
        return rows + sum(map(len, self.made.values())) + len(self.status_ids) + len(self.blob_hashes)


def sync_file(
    briefing: Briefing,
    url: str,
    password: str | None = None,
    progress: Progress | None = None,
    created_file: bool = False,
    cancel: Cancellation | None = None,
) -> SyncReport:
    """Sync the open file with the store at `url` (see the module doc)."""
    import psycopg

    if briefing.read_only:
        raise WriteRefused(f"{briefing.path.name} is open read-only: it cannot be synced.")
    said = progress or (lambda label: None)
    cancel = cancel or Cancellation()
    cancel.check(CANCELLED)

    def tick(label: str) -> None:
        said(label)
        cancel.check(CANCELLED)  # every step up to the store's commit is a safe point

    address = redact(url)
    tick("Reading this file…")
    state = local.read_state(briefing)
    tick("Connecting to the team store…")
    conn = connect(url, password)
    report = SyncReport(address=address, created_file=created_file)
    try:
        store_id = require_current(look(conn, address))
        since = state.store_seq if state.store_id == store_id else 0
        can_write = _can_write(conn)
        candidates = unknown_rows(conn, state)
        conn.commit()
        attempt = 0
        while True:
            report = SyncReport(address=address, created_file=created_file, read_only=not can_write)
            try:
                conn.isolation_level = (
                    psycopg.IsolationLevel.READ_COMMITTED if can_write else psycopg.IsolationLevel.REPEATABLE_READ
                )
                conn.read_only = not can_write
                writes = _exchange(conn, briefing, state, since, candidates, can_write, report, tick)
                tick("Saving in the team store…")
                cancel.point_of_no_return(CANCELLED)
                conn.commit()
                break
            except _Retry:
                conn.rollback()
                attempt += 1
                if attempt == _ATTEMPTS:
                    raise StoreError(
                        f"The team store at {address} kept changing during the sync; nothing was changed "
                        "on either side. Try again in a moment."
                    ) from None
            except psycopg.errors.InsufficientPrivilege:
                conn.rollback()
                if not can_write:
                    raise
                can_write = False  # rights narrower than the check saw: bring everything down only
    except psycopg.errors.LockNotAvailable:
        raise StoreError(
            f"The team store at {address} is busy with other laptops' syncs; nothing was changed. "
            "Try again in a moment."
        ) from None
    except psycopg.errors.InsufficientPrivilege as exc:
        raise StoreError(
            f"The team store at {address} refused this login ({reason(exc)}); nothing was changed."
        ) from None
    except psycopg.OperationalError as exc:
        raise StoreUnreachable(
            f"The connection to the team store at {address} was lost during the sync ({reason(exc)}); "
            "nothing was changed in this file, and the store keeps all or none of what was sent: "
            "sync again when it is back."
        ) from None
    except psycopg.Error as exc:  # a row the store would not take, or a store changed by hand
        raise StoreError(
            f"The sync with the team store at {address} failed ({reason(exc)}); nothing was changed "
            "in this file and the store kept none of it."
        ) from None
    finally:
        conn.close()
    writes.meta = {local.META_STORE_ID: store_id, local.META_STORE_SEQ: str(report.store_seq),
                   local.META_STORE_ADDRESS: address}  # fmt: skip
    writes.reindex_all = created_file
    if report.changes_here and not created_file:
        # As a merge does: the file as it was stays at hand, whatever the store brought.
        from db.disk import file as dbfile

        tick("Saving a backup copy…")
        report.backup = str(dbfile.backup_copy(briefing.path, "sync"))
    tick("Writing into this file…")
    report.conflicts = local.apply_local(briefing, writes)
    return report


def _can_write(conn: psycopg.Connection) -> bool:
    tables = list(_SEQ_TABLES)
    row = conn.execute(
        "SELECT bool_and(has_table_privilege(t, 'INSERT') AND has_table_privilege(t, 'UPDATE') "
        "AND has_table_privilege(t, 'SELECT')) AND has_sequence_privilege('store_seq', 'USAGE') "
        "FROM unnest(%s::text[]) AS t",
        (tables,),
    ).fetchone()
    conn.commit()
    return bool(row and row[0])


def _exchange(
    conn: psycopg.Connection,
    briefing: Briefing,
    state: LocalState,
    since: int,
    candidates: dict[str, set[str]],
    can_write: bool,
    report: SyncReport,
    tick: Progress,
) -> LocalWrites:
    """Everything between BEGIN and COMMIT: read, validate, merge, write the store; the file's writes."""
    if can_write:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
    tick("Finding what changed on each side…")
    if since and _max_seq(conn) < since:
        since = 0  # the store was restored from an older backup: compare everything
    cols = state.columns
    down: dict[str, dict[str, Row]] = {}
    for t in SYNCED_TABLES:
        cur = conn.execute(f"SELECT {', '.join(cols[t])} FROM {t} WHERE seq > %s", (since,))
        down[t] = {r["id"]: r for r in (dict(zip(cols[t], v)) for v in cur)}
    status_new = [
        r[0]
        for r in conn.execute("SELECT id FROM status_change WHERE seq > %s", (since,))
        if r[0] not in state.status_ids
    ]
    status_down = [dict(zip(local.STATUS_COLUMNS, r)) for r in conn.execute(
        f"SELECT {', '.join(local.STATUS_COLUMNS)} FROM status_change WHERE id = ANY(%s)", (status_new,))]  # fmt: skip
    blob_new = [
        r[0] for r in conn.execute("SELECT sha256 FROM blob WHERE seq > %s", (since,)) if r[0] not in state.blob_hashes
    ]
    blobs_down = [{"sha256": s, "size": n, "data": bytes(d)} for s, n, d in conn.execute(
        "SELECT sha256, size, data FROM blob WHERE sha256 = ANY(%s)", (blob_new,))]  # fmt: skip
    history_down: list[History] = [(r[0], r[1], r[2], r[3]) for r in conn.execute(
        "SELECT row_id, updated_at, body, data FROM row_version WHERE seq > %s", (since,))]  # fmt: skip

    # The file's changes: rows whose stamp the store never held. The store's
    # versions of those rows may come into the file too, so they are checked
    # with everything else that comes down.
    changed = unknown_rows(conn, state, candidates)
    current: dict[str, dict[str, Row]] = {}
    for t in SYNCED_TABLES:
        current[t] = {**down[t], **_store_rows(conn, t, cols[t], changed[t] - set(down[t]))}
    validate_download(current, status_down, blobs_down, history_down, state.stamps, state.blob_hashes, state.nodes)

    tick("Merging…")
    store = _StoreWrites()
    down_only: dict[str, list[Row]] = {}  # rows only the store holds: into the file as they are
    report.status_changes_down = len(status_down)
    # The file merge's own row rules (db.sharing.rows), once with this file as
    # "ours" (what to write here) and once with the store as "ours" (what to
    # send): they are symmetric, so both sides end with the same rows.
    here, there = MergePlan(), MergePlan()
    mine_all: dict[str, dict[str, Row]] = {}
    for t in SYNCED_TABLES:
        kind = TABLE_KINDS[t]
        mine = local.read_rows(briefing, t, cols[t], (set(down[t]) & set(state.stamps[t])) | changed[t])
        mine_all[t] = mine
        theirs = current[t]
        hist_l = local.read_history(briefing, list(mine))
        hist_s = _store_history(conn, [i for i in mine if i in theirs])
        down_k, up_k = KindReport(), KindReport()
        for rid in sorted(set(mine) | set(theirs)):
            ours, other = mine.get(rid), theirs.get(rid)
            if ours is None:
                assert other is not None
                down_only.setdefault(t, []).append(other)
                _count(report.down[kind], None, other)
                continue
            if other is None:
                store.inserts.setdefault(t, []).append(ours)
                _count(report.up[kind], None, ours)
            elif ours == other:
                continue
            else:
                oh = {h[1]: h[3] for h in hist_l.get(rid, [])}
                plan_row(t, ours, other, oh, hist_s.get(rid, {}), down_k, here)
                plan_row(t, other, ours, hist_s.get(rid, {}), oh, up_k, there)
            # The store learns this row's past versions, so later merges find their ancestors.
            store.history.update({(h[0], h[1]): h for h in hist_l.get(rid, [])})
        for counts, k in ((report.down[kind], down_k), (report.up[kind], up_k)):
            counts.updated += k.updated
            counts.deleted += k.deleted
    for t, rows in here.inserts.items():
        _add_counts(report.down, t, rows)
    for t, rows in down_only.items():
        here.inserts.setdefault(t, []).extend(rows)
    # Merged rows are written only where the file still has the version this sync read.
    guarded = {t: [(row, mine_all[t][row["id"]]["updated_at"]) for row in rows] for t, rows in here.updates.items()}
    here.updates = {}
    writes = LocalWrites(
        plan=here,
        incoming=Incoming(guarded_updates=guarded, status_changes=status_down, blobs=blobs_down,
                          history=list(history_down)),
    )
    for t, rows in there.updates.items():
        store.updates.setdefault(t, []).extend((row, current[t][row["id"]]["updated_at"]) for row in rows)
    for t, rows in there.inserts.items():
        store.made.setdefault(t, []).extend(rows)
        _add_counts(report.up, t, rows)
    store.history.update({(h[0], h[1]): h for h in there.history})
    if can_write:
        tick("Sending this file's changes…")
        _collect_appended(conn, state, store)
        _write_store(conn, briefing, store)
        report.status_changes_up = len(store.status_ids)
    else:
        report.not_sent = store.count
    report.store_seq = _max_seq(conn)
    return writes


def unknown_rows(
    conn: psycopg.Connection, state: LocalState, among: dict[str, set[str]] | None = None
) -> dict[str, set[str]]:
    """Per table, the file's rows whose version the store has never held (its changes).

    The store only ever learns versions, so a row known to it stays known: the
    full comparison runs before the upload lock, and under the lock only the
    rows it found are checked again (the lock is held for the changes only).
    """
    out: dict[str, set[str]] = {}
    for t in SYNCED_TABLES:
        stamps = state.stamps[t]
        row_ids = sorted(among[t]) if among is not None else list(stamps)
        # Sent as two separated strings: for 60,000 rows that is 30 times quicker
        # than psycopg's array quoting. A value holding the separator (no id or
        # stamp briefbook writes does) counts as changed and is compared row by row.
        odd = {i for i in row_ids if not i or not stamps[i] or _SEP in i or _SEP in stamps[i]}
        plain = [i for i in row_ids if i not in odd]
        out[t] = set(odd)
        if not plain:
            continue
        cur = conn.execute(
            f"SELECT l.id FROM unnest(string_to_array(%s, %s), string_to_array(%s, %s)) AS l(id, ts) "
            f"LEFT JOIN {t} s ON s.id = l.id WHERE s.id IS NULL OR (s.updated_at <> l.ts AND NOT EXISTS "
            "(SELECT 1 FROM row_version v WHERE v.row_id = l.id AND v.updated_at = l.ts))",
            (_SEP.join(plain), _SEP, _SEP.join(stamps[i] or "" for i in plain), _SEP),
        )
        out[t] |= {r[0] for r in cur}
    return out


def _max_seq(conn: psycopg.Connection) -> int:
    """The highest change number this transaction sees (each table's index answers for it)."""
    row = conn.execute(
        "SELECT GREATEST(" + ", ".join(f"(SELECT COALESCE(max(seq), 0) FROM {t})" for t in _SEQ_TABLES) + ")"
    ).fetchone()
    return int(row[0]) if row else 0


def _count(counts: Counts, before: Row | None, after: Row) -> None:
    if before is None:
        if after.get("deleted_at") is None:
            counts.added += 1
    elif before.get("deleted_at") is None and after.get("deleted_at") is not None:
        counts.deleted += 1
    else:
        counts.updated += 1


def _store_rows(conn: psycopg.Connection, table: str, columns: list[str], row_ids: set[str]) -> dict[str, Row]:
    if not row_ids:
        return {}
    cur = conn.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = ANY(%s)", (sorted(row_ids),))
    return {r["id"]: r for r in (dict(zip(columns, v)) for v in cur)}


def _store_history(conn: psycopg.Connection, row_ids: list[str]) -> dict[str, dict[str, str | None]]:
    """Per row: the store's past version stamps, each with the whole version (JSON) where kept."""
    out: dict[str, dict[str, str | None]] = {}
    if row_ids:
        for rid, stamp, data in conn.execute(
            "SELECT row_id, updated_at, data FROM row_version WHERE row_id = ANY(%s)", (row_ids,)
        ):
            out.setdefault(rid, {})[stamp] = data
    return out


def _add_counts(kinds: dict[str, Counts], table: str, rows: list[Row]) -> None:
    """Rows a merge made (a conflicting copy, a set-aside value) count as added."""
    kinds[TABLE_KINDS[table]].added += sum(1 for r in rows if r.get("deleted_at") is None)


def _collect_appended(conn: psycopg.Connection, state: LocalState, store: _StoreWrites) -> None:
    """Status changes and attachment bytes the file has and the store has not."""
    store.status_ids = [r[0] for r in conn.execute(
        "SELECT l.id FROM unnest(%s::text[]) AS l(id) "
            "WHERE NOT EXISTS (SELECT 1 FROM status_change s WHERE s.id = l.id)",
        (sorted(state.status_ids),))]  # fmt: skip
    store.blob_hashes = [r[0] for r in conn.execute(
        "SELECT l.h FROM unnest(%s::text[]) AS l(h) WHERE NOT EXISTS (SELECT 1 FROM blob b WHERE b.sha256 = l.h)",
        (sorted(state.blob_hashes),))]  # fmt: skip


def _copy_rows(conn: psycopg.Connection, table: str, rows: list[Row]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for r in rows:
            copy.write_row([r[c] for c in columns])


def _write_store(conn: psycopg.Connection, briefing: Briefing, store: _StoreWrites) -> None:
    """Send everything in dependency order: bytes, plans and nodes, status history, the rest."""
    _copy_rows(conn, "blob", local.read_blobs(briefing, store.blob_hashes))
    for t in SYNCED_TABLES:
        _copy_rows(conn, t, store.inserts.get(t) or [])
        if t == "node":
            _copy_rows(conn, "status_change", local.read_status_changes(briefing, store.status_ids))
        updates = store.updates.get(t) or []
        if updates:
            columns = [c for c in updates[0][0] if c != "id"]
            with conn.cursor() as cur:
                cur.executemany(
                    f"UPDATE {t} SET {', '.join(f'{c} = %s' for c in columns)} WHERE id = %s AND updated_at = %s",
                    [(*(row[c] for c in columns), row["id"], expected) for row, expected in updates],
                )
                if cur.rowcount != len(updates):
                    raise _Retry  # a row changed behind the lock's back
    for t, rows in store.made.items():
        columns = list(rows[0])
        with conn.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {t} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
                "ON CONFLICT (id) DO NOTHING",
                [tuple(r[c] for c in columns) for r in rows],
            )
    if store.history:
        entries = [store.history[k] for k in sorted(store.history)]
        conn.execute(
            "INSERT INTO row_version (row_id, updated_at, body, data) "
            "SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[]) ON CONFLICT DO NOTHING",
            tuple([e[i] for e in entries] for i in range(4)),
        )
