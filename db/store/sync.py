"""One sync of a briefing file with the team store: the file and the store end
with the same content, by the file merge's rules (`db.three_way.merge_row`).

How the two sides find what to exchange, without any bookkeeping that could
drift:

- Down: every store row carries `seq` (db/store/versions/s0001); the file
  remembers the highest one it has seen (`meta` "store.seq", per store id), so
  it asks for rows with a higher one.
- Up: the file sends the (id, stamp) of all its rows; a row whose stamp the
  store has never held, now or in its history, is a change of this file.

For a row both sides hold in different versions L (file) and S (store): if
L's stamp is in the store's history the store is ahead (take S); if S's stamp
is in the file's history the file is ahead (send L); otherwise both changed
it, and `merge_row` merges them field by field against the last version both
histories share (its content comes from the store's row snapshots). A note
text changed on both sides keeps the other text as a conflicting copy (a note
with `conflict_of`), as the file merge does; every collision is reported in
words.

Concurrency: an upload runs in one PostgreSQL transaction that first takes
one advisory lock, so uploads queue (never interleave) and seq numbers become
visible in order; each UPDATE also checks the stamp it read (a change made
behind the lock's back makes the sync start again). Nothing is written into
the file until the store has committed; if the connection is lost before, the
store rolls back and the file is untouched. A login without write rights on
the store still brings everything down, and what it could not send stays in
the file (the next sync with rights sends it: detection is stateless).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from db import ids
from db.errors import WriteRefused
from db.store import local
from db.store.connect import connect, reason, redact
from db.store.errors import StoreError, StoreUnreachable
from db.store.local import SYNCED_TABLES, LocalState, LocalWrites, Row
from db.store.report import TABLE_KINDS, Counts, SyncReport
from db.store.schema import look, require_current
from db.store.validate import validate_download
from db.three_way import FieldGroup, RowOutcome, merge_row

if TYPE_CHECKING:
    import psycopg

    from db.briefing import Briefing

Progress = Callable[[str], None]
#: The advisory lock every upload takes ("BrfB", as the file's application id).
LOCK_KEY = 0x42726642
#: Fields merged as one unit (the status with when and by whom it was set).
GROUPS: dict[str, tuple[FieldGroup, ...]] = {
    "node": (FieldGroup(("status", "status_changed_at", "status_changed_by"), clock="status_changed_at"),)
}
_SEQ_TABLES = (*SYNCED_TABLES, "status_change", "blob", "row_version")
_ATTEMPTS = 3


class _Retry(Exception):
    """The store changed under an upload (outside the lock): start the exchange again."""


@dataclass
class _StoreWrites:
    inserts: dict[str, list[Row]] = field(default_factory=dict)
    updates: dict[str, list[tuple[Row, str]]] = field(default_factory=dict)
    copies: list[Row] = field(default_factory=list)  # conflicting note copies
    history: dict[tuple[str, str], str | None] = field(default_factory=dict)
    snapshots: dict[tuple[str, str], Row] = field(default_factory=dict)
    status_ids: list[str] = field(default_factory=list)
    blob_hashes: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        rows = sum(map(len, self.inserts.values())) + sum(map(len, self.updates.values())) + len(self.copies)
        return rows + len(self.status_ids) + len(self.blob_hashes)


def sync_file(
    briefing: Briefing,
    url: str,
    password: str | None = None,
    progress: Progress | None = None,
    created_file: bool = False,
) -> SyncReport:
    """Sync the open file with the store at `url` (see the module doc)."""
    import psycopg

    if briefing.read_only:
        raise WriteRefused(f"{briefing.path.name} is open read-only: it cannot be synced.")
    tick = progress or (lambda label: None)
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
        attempt = 0
        while True:
            report = SyncReport(address=address, created_file=created_file, read_only=not can_write)
            try:
                conn.isolation_level = (
                    psycopg.IsolationLevel.READ_COMMITTED if can_write else psycopg.IsolationLevel.REPEATABLE_READ
                )
                conn.read_only = not can_write
                writes = _exchange(conn, briefing, state, since, can_write, report, tick)
                tick("Saving in the team store…")
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
            "nothing was changed in this file and the store kept none of it. Try again when it is back."
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
    tick("Writing into this file…")
    local.apply_local(briefing, writes)
    return report


def _can_write(conn: psycopg.Connection) -> bool:
    tables = [*_SEQ_TABLES, "row_snapshot"]
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
    history_down = [tuple(r) for r in conn.execute(
        "SELECT row_id, updated_at, body FROM row_version WHERE seq > %s", (since,))]  # fmt: skip

    # The file's changes: rows whose stamp the store never held. The store's
    # versions of those rows may come into the file too, so they are checked
    # with everything else that comes down.
    changed: dict[str, set[str]] = {}
    current: dict[str, dict[str, Row]] = {}
    for t in SYNCED_TABLES:
        row_ids = list(state.stamps[t])
        cur = conn.execute(
            f"SELECT l.id FROM unnest(%s::text[], %s::text[]) AS l(id, ts) LEFT JOIN {t} s ON s.id = l.id "
            "WHERE s.id IS NULL OR (s.updated_at <> l.ts AND NOT EXISTS "
            "(SELECT 1 FROM row_version v WHERE v.row_id = l.id AND v.updated_at = l.ts))",
            (row_ids, [state.stamps[t][i] for i in row_ids]),
        )
        changed[t] = {r[0] for r in cur}
        current[t] = {**down[t], **_store_rows(conn, t, cols[t], changed[t] - set(down[t]))}
    validate_download(current, status_down, blobs_down, history_down, state.stamps, state.blob_hashes, state.nodes)

    tick("Merging…")
    store = _StoreWrites()
    writes = LocalWrites(history=[(r[0], r[1], r[2]) for r in history_down])
    writes.status_changes = status_down
    writes.blobs = blobs_down
    report.status_changes_down = len(status_down)
    merges: list[tuple[str, Row, Row, dict[str, str | None], set[str]]] = []
    refs = {nid: row["ref"] for nid, row in current["node"].items()}
    for t in SYNCED_TABLES:
        kind = TABLE_KINDS[t]
        mine = local.read_rows(briefing, t, cols[t], (set(down[t]) & set(state.stamps[t])) | changed[t])
        theirs = current[t]
        if t == "node":
            refs.update((nid, row["ref"]) for nid, row in mine.items())
        hist_l = local.read_history(briefing, list(mine))
        hist_s = _store_history(conn, [i for i in mine if i in theirs])
        for rid in sorted(set(mine) | set(theirs)):
            ours, other = mine.get(rid), theirs.get(rid)
            if ours is None:
                assert other is not None
                writes.inserts.setdefault(t, []).append(other)
                _count(report.down[kind], None, other)
            elif other is None:
                store.inserts.setdefault(t, []).append(ours)
                store.history.update({(rid, st): b for st, b in hist_l.get(rid, {}).items()})
                _count(report.up[kind], None, ours)
            elif ours == other:
                continue
            elif ours["updated_at"] != other["updated_at"] and ours["updated_at"] in hist_s.get(rid, ()):
                writes.updates.setdefault(t, []).append((other, ours["updated_at"]))  # the store is ahead
                _count(report.down[kind], ours, other)
            elif ours["updated_at"] != other["updated_at"] and other["updated_at"] in hist_l.get(rid, {}):
                store.updates.setdefault(t, []).append((ours, other["updated_at"]))  # this file is ahead
                store.history.update({(rid, st): b for st, b in hist_l[rid].items()})
                _count(report.up[kind], other, ours)
            else:
                merges.append((t, ours, other, hist_l.get(rid, {}), hist_s.get(rid, set())))

    if merges:
        _merge_both_changed(conn, briefing, merges, refs, store, writes, report)
    if can_write:
        tick("Sending this file's changes…")
        _collect_appended(conn, state, store)
        _write_store(conn, briefing, store)
        report.status_changes_up = len(store.status_ids)
    else:
        report.not_sent = store.count
    report.store_seq = _max_seq(conn)
    return writes


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


def _store_history(conn: psycopg.Connection, row_ids: list[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    if row_ids:
        for rid, stamp in conn.execute("SELECT row_id, updated_at FROM row_version WHERE row_id = ANY(%s)", (row_ids,)):
            out.setdefault(rid, set()).add(stamp)
    return out


def _merge_both_changed(
    conn: psycopg.Connection,
    briefing: Briefing,
    merges: list[tuple[str, Row, Row, dict[str, str | None], set[str]]],
    refs: dict[str, str],
    store: _StoreWrites,
    writes: LocalWrites,
    report: SyncReport,
) -> None:
    """Rows both sides changed: `merge_row` against the last version both histories share."""
    wanted = {}
    for _, ours, _, hist_l, hist_s in merges:
        shared = set(hist_l) & hist_s
        if shared:
            wanted[ours["id"]] = max(shared)
    snapshots: dict[str, Row] = {}
    if wanted:
        keys = sorted(wanted)
        for rid, data in conn.execute(
            "SELECT s.row_id, s.data FROM row_snapshot s JOIN unnest(%s::text[], %s::text[]) AS w(id, ts) "
            "ON s.row_id = w.id AND s.updated_at = w.ts",
            (keys, [wanted[k] for k in keys]),
        ):
            snapshots[rid] = data if isinstance(data, dict) else json.loads(data)
    missing = [refs_id for t, o, s, _, _ in merges for refs_id in (o.get("node_id"), s.get("node_id")) if refs_id]
    refs.update({k: v for k, v in local.node_refs(briefing, [m for m in missing if m not in refs]).items()})
    for t, ours, theirs, hist_l, _ in merges:
        rid, kind = ours["id"], TABLE_KINDS[t]
        base = snapshots.get(rid)
        base = {c: base.get(c) for c in ours} if base is not None else None
        outcome = merge_row(base, ours, theirs, GROUPS.get(t, ()))
        result = outcome.row
        if result != ours:
            writes.updates.setdefault(t, []).append((result, ours["updated_at"]))
            _count(report.down[kind], ours, result)
        if result != theirs:
            store.updates.setdefault(t, []).append((result, theirs["updated_at"]))
            _count(report.up[kind], theirs, result)
        # Each side learns the other's version as an ancestor of the result, so
        # either original met again later (another file, another laptop) is behind.
        body_l, body_s = (ours.get("body"), theirs.get("body")) if t == "note" else (None, None)
        writes.history.append((rid, theirs["updated_at"], body_s))
        store.history[(rid, ours["updated_at"])] = body_l
        store.history.update({(rid, st): b for st, b in hist_l.items()})
        store.snapshots[(rid, ours["updated_at"])] = ours
        copy = _conflict_copy(t, outcome, ours, theirs)
        if copy is not None:
            store.copies.append(copy)
            writes.inserts.setdefault(t, []).append(copy)
        report.conflicts += _sentences(t, outcome, ours, theirs, refs, copy is not None)


def _conflict_copy(table: str, outcome: RowOutcome, ours: Row, theirs: Row) -> Row | None:
    """The set-aside text of a note both sides rewrote, as a note of its own (the file merge's id)."""
    if table != "note" or outcome.deleted:
        return None
    clash = next((c for c in outcome.clashes if c.field == "body"), None)
    if clash is None:
        return None
    loser, winner = (ours, theirs) if clash.other_side == "ours" else (theirs, ours)
    digest = hashlib.sha256(loser["body"].encode("utf-8")).hexdigest()
    cid = uuid.uuid5(ids.NAMESPACE, f"conflict:{loser['id']}:{winner['updated_at']}:{loser['updated_at']}:{digest}")
    return {**loser, "id": str(cid), "author": loser["updated_by"] or loser["author"],
            "conflict_of": loser["id"], "deleted_at": None}  # fmt: skip


def _short(value: Any) -> str:
    text = "nothing" if value in (None, "") else str(value).replace("\n", " ")
    return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"


def _what(table: str, row: Row, refs: dict[str, str]) -> str:
    ref = refs.get(row.get("node_id") or "", "a removed node")
    return {
        "plan": lambda: f"The plan {_short(row.get('title'))}",
        "node": lambda: f"{str(row.get('kind', 'node')).capitalize()} {row.get('ref')}",
        "note": lambda: f"A note on {ref}",
        "source": lambda: f"The source {_short(row.get('title'))}",
        "source_link": lambda: f"A source's link to {ref}",
        "attachment": lambda: f"The attachment {_short(row.get('filename'))}",
        "meeting": lambda: f"The meeting {_short(row.get('title'))}",
        "agenda_item": lambda: f"The agenda item for {ref}",
    }[table]()


def _sentences(
    table: str, outcome: RowOutcome, ours: Row, theirs: Row, refs: dict[str, str], copied: bool
) -> list[str]:
    what = _what(table, outcome.row, refs)
    who = {"ours": ours.get("updated_by") or "this file", "theirs": theirs.get("updated_by") or "the team store"}
    out = []
    if outcome.kept_edit:
        deleter = who[outcome.deleted_by_side or "theirs"]
        editor = who["theirs" if outcome.deleted_by_side == "ours" else "ours"]
        out.append(f"{what}: kept {editor}'s edit, which {deleter} had deleted without seeing it.")
    for clash in outcome.clashes:
        kept_side = "theirs" if clash.other_side == "ours" else "ours"
        if clash.field == "body" and copied:
            out.append(
                f"{what}: both sides rewrote the text; {who[kept_side]}'s text is kept and {clash.other_by}'s "
                "is beside it as a conflicting copy."
            )
        elif clash.field == "status":
            kept, other = outcome.row.get("status"), (clash.other[0] if isinstance(clash.other, tuple) else clash.other)
            out.append(
                f"{what}: the status was changed on both sides; {_short(kept)} is current and "
                f"{clash.other_by}'s {_short(other)} stays in the status history."
            )
        else:
            out.append(
                f"{what}: both sides changed the {clash.field.replace('_', ' ')}; {who[kept_side]}'s "
                f"{_short(clash.kept)} is kept, {clash.other_by}'s {_short(clash.other)} is set aside "
                "in the team store's history."
            )
    return out


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
    if store.copies:
        columns = list(store.copies[0])
        with conn.cursor() as cur:
            cur.executemany(
                f"INSERT INTO note ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
                "ON CONFLICT (id) DO NOTHING",
                [tuple(r[c] for c in columns) for r in store.copies],
            )
    if store.history:
        keys = sorted(store.history)
        conn.execute(
            "INSERT INTO row_version (row_id, updated_at, body) "
            "SELECT * FROM unnest(%s::text[], %s::text[], %s::text[]) ON CONFLICT DO NOTHING",
            ([k[0] for k in keys], [k[1] for k in keys], [store.history[k] for k in keys]),
        )
    if store.snapshots:
        keys = sorted(store.snapshots)
        conn.execute(
            "INSERT INTO row_snapshot (row_id, updated_at, data) "
            "SELECT i, s, d::jsonb FROM unnest(%s::text[], %s::text[], %s::text[]) AS x(i, s, d) "
            "ON CONFLICT DO NOTHING",
            ([k[0] for k in keys], [k[1] for k in keys], [json.dumps(store.snapshots[k]) for k in keys]),
        )
