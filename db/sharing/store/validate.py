"""Rows coming down from the team store are untrusted input: check every one
before anything touches the file (and before anything is sent up).

Ids are UUIDs, stamps are stamps, kinds and statuses are known, every
reference points at a row that exists (in the file or in what comes down),
nodes form a tree within their plan, attachment bytes match their hash.
Text is valid UTF-8 by construction (PostgreSQL checks it, psycopg decodes it).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from db.model.values import NODE_KINDS, NOTE_KINDS, STATUSES
from db.sharing.store.errors import StoreDataRefused

_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
#: Longest text a field may bring down (a whole plan's preamble fits many times over).
MAX_TEXT = 2_000_000

#: Per table: column -> the table its value must name a row of (None: may be empty).
REFERENCES: dict[str, dict[str, str]] = {
    "node": {"plan_id": "plan", "parent_id": "node"},
    "note": {"node_id": "node"},
    "source_link": {"source_id": "source", "node_id": "node"},
    "attachment": {"source_id": "source"},
    "agenda_item": {"meeting_id": "meeting", "node_id": "node"},
}
_NULLABLE_REFS = {("node", "parent_id")}
_KIND_NAMES = {
    "plan": "plan", "node": "plan node", "note": "note", "source": "source", "source_link": "source link",
    "attachment": "attachment", "meeting": "meeting", "agenda_item": "agenda item", "status_change": "status change",
    "merge_conflict": "set-aside value",
}  # fmt: skip


class _Refuse(Exception):
    pass


def _fail(table: str, what: str) -> StoreDataRefused:
    return StoreDataRefused(
        f"The team store holds a {_KIND_NAMES.get(table, table)} that this briefbook cannot take ({what}); "
        "nothing was changed on either side."
    )


def _uuid(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def _stamp(value: Any) -> bool:
    return isinstance(value, str) and bool(_STAMP.match(value))


def _check_values(table: str, row: Mapping[str, Any]) -> None:
    for column, value in row.items():
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise _fail(table, f"its {column} is longer than {MAX_TEXT:,} characters")
        if isinstance(value, str) and "\x00" in value:
            raise _fail(table, f"its {column} holds a NUL character")
        if column in ("position", "size", "is_key") and not isinstance(value, int):
            raise _fail(table, f"its {column} is not a number")
    if not _uuid(row.get("id")):
        raise _fail(table, f"its id {str(row.get('id'))[:40]!r} is not a UUID")
    if "updated_at" in row:
        if not _stamp(row["updated_at"]):
            raise _fail(table, "its change time is not a UTC time stamp")
        if row.get("deleted_at") is not None and not _stamp(row["deleted_at"]):
            raise _fail(table, "its deletion time is not a UTC time stamp")
        if not isinstance(row.get("updated_by"), str):
            raise _fail(table, "it does not say who changed it")
    for column in REFERENCES.get(table, {}):
        value = row.get(column)
        if value is None and (table, column) in _NULLABLE_REFS:
            continue
        if not _uuid(value):
            raise _fail(table, f"its {column} is not a UUID")
    if table == "node":
        if row.get("kind") not in NODE_KINDS:
            raise _fail(table, f"its kind {str(row.get('kind'))[:30]!r} is not known")
        if row.get("status") is not None and row["status"] not in STATUSES:
            raise _fail(table, f"its status {str(row['status'])[:30]!r} is not known")
        if row.get("retired_at") is not None and not _stamp(row["retired_at"]):
            raise _fail(table, "its removal time is not a UTC time stamp")
    elif table == "note":
        if row.get("kind") not in NOTE_KINDS:
            raise _fail(table, f"its kind {str(row.get('kind'))[:30]!r} is not known")
        if row.get("conflict_of") is not None and not _uuid(row["conflict_of"]):
            raise _fail(table, "the note it is a conflicting copy of is not a UUID")
    elif table == "source":
        if row.get("published") is not None and not _PARTIAL_DATE.match(str(row["published"])):
            raise _fail(table, "its publication date is not a date")
    elif table == "meeting":
        if row.get("date") is not None and not _PARTIAL_DATE.match(str(row["date"])):
            raise _fail(table, "its date is not a date")
    elif table == "merge_conflict":
        from db.schema.synced import SYNCED_TABLE_NAMES

        if row.get("table_name") not in SYNCED_TABLE_NAMES or not _uuid(row.get("row_id")):
            raise _fail(table, "it does not name a row of a known table")
        if not all(isinstance(row.get(c), str) for c in ("field", "value", "kept", "other_by", "other_at")):
            raise _fail(table, "its field or values are not text")
    elif table == "attachment" and (not isinstance(row.get("sha256"), str) or not _SHA256.match(row["sha256"])):
        raise _fail(table, "its content hash is not a SHA-256")


def validate_download(
    rows: Mapping[str, Mapping[str, Mapping[str, Any]]],
    status_changes: Iterable[Mapping[str, Any]],
    blobs: Iterable[Mapping[str, Any]],
    history: Iterable[tuple[Any, ...]],
    local_ids: Mapping[str, Iterable[str]],
    local_blobs: Iterable[str],
    local_nodes: Mapping[str, tuple[str, str | None]],
) -> None:
    """Raise `StoreDataRefused` (one sentence) unless everything coming down can go into the file.

    `rows`: table -> id -> row coming down; `local_ids`: table -> ids the file
    has; `local_nodes`: node id -> (plan id, parent id) as the file has them.
    """
    known: dict[str, set[str]] = {t: set(ids) for t, ids in local_ids.items()}
    for table, by_id in rows.items():
        known.setdefault(table, set()).update(by_id)
    blob_hashes = set(local_blobs)
    for blob in blobs:
        data, sha = blob.get("data"), blob.get("sha256")
        if not isinstance(data, bytes) or not isinstance(sha, str) or hashlib.sha256(data).hexdigest() != sha:
            raise _fail("attachment", "its bytes do not match their SHA-256")
        if blob.get("size") != len(data):
            raise _fail("attachment", "its recorded size is not its size")
        blob_hashes.add(sha)

    for table, by_id in rows.items():
        refs = REFERENCES.get(table, {})
        for rid, row in by_id.items():
            if row.get("id") != rid:
                raise _fail(table, "its id does not match")
            _check_values(table, row)
            for column, target in refs.items():
                value = row.get(column)
                if value is not None and value not in known.get(target, ()):
                    raise _fail(table, f"its {column} names a {_KIND_NAMES[target]} that does not exist")
            if table == "attachment" and row["sha256"] not in blob_hashes:
                raise _fail(table, "its bytes are missing")

    # The tree: parents in the same plan, no cycles (downloaded rows win over the file's).
    tree = dict(local_nodes)
    for rid, row in rows.get("node", {}).items():
        tree[rid] = (row["plan_id"], row["parent_id"])
    rooted: set[str] = set()  # nodes whose chain of parents is known to end at a root
    for rid in rows.get("node", {}):
        seen = {rid}
        plan, parent = tree[rid]
        while parent is not None:
            if parent in seen:
                raise _fail("node", "its parents form a loop")
            if parent not in tree:
                raise _fail("node", "its parent does not exist")
            parent_plan, next_parent = tree[parent]
            if parent_plan != plan:
                raise _fail("node", "its parent belongs to another plan")
            if parent in rooted:
                break
            seen.add(parent)
            parent = next_parent
        rooted |= seen

    for change in status_changes:
        if not _uuid(change.get("id")) or not _uuid(change.get("node_id")):
            raise _fail("status_change", "its id or node is not a UUID")
        if change["node_id"] not in known.get("node", ()):
            raise _fail("status_change", "its node does not exist")
        if change.get("to_status") not in STATUSES or change.get("from_status") not in (None, *STATUSES):
            raise _fail("status_change", "its status is not known")
        if not _stamp(change.get("changed_at")):
            raise _fail("status_change", "its time is not a UTC time stamp")
    for row_id, stamp, *texts in history:
        if not _uuid(row_id) or not _stamp(stamp) or not all(t is None or isinstance(t, str) for t in texts):
            raise _fail("note", "its history holds a version that is not well formed")
