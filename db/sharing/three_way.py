"""Three-way merge of one row: field by field, against the common ancestor.

Pure values in, values out: no file, no SQL. The file merge (`db.sharing.merge`)
finds, for a row both copies changed, the last version both histories share
(the ancestor, `base`) and asks `merge_row` for the result.

The rules, chosen so that nothing either side wrote is lost and so that
merging A into B and B into A give the same row:

- A field changed on one side only (its value differs from the ancestor's on
  that side and not on the other) takes that side's value.
- A field changed on both sides to different values keeps the value of the
  side whose row is newer (`updated_at`, then `updated_by`, then the content,
  so both directions pick the same side) and reports the other value as a
  `FieldClash`, which the caller keeps where the user can restore it.
- Fields that change together merge as one group: a node's status with when
  and by whom it was set (the group's own clock field says which is newer), a
  note's text with its author (the byline travels with the text it belongs to).
- A deletion is a change of `deleted_at`. A deletion that meets an edit the
  deleting side never saw (the live side changed a content field since the
  ancestor) does not win: the row stays live with the edit, and the outcome
  says so (`kept_edit`). Without an ancestor (rows last changed before
  histories were kept), a live side whose content differs counts as an edit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

#: Columns every synced row has that are bookkeeping, not content.
META_FIELDS = ("id", "updated_at", "updated_by", "deleted_at")

Row = Mapping[str, Any]


@dataclass(frozen=True)
class FieldGroup:
    """Fields merged as one unit; `clock` orders two changed versions of it (None: the
    newer row's version wins, as for a single field)."""

    fields: tuple[str, ...]
    clock: str | None


@dataclass(frozen=True)
class FieldClash:
    """Both sides changed `field`: `kept` stayed, `other` is the value set aside."""

    field: str
    kept: Any
    other: Any
    #: who wrote the set-aside value, and when (that side's row stamp)
    other_by: str
    other_at: str
    #: "ours" or "theirs": whose value was set aside
    other_side: str


@dataclass
class RowOutcome:
    row: dict[str, Any]
    clashes: list[FieldClash] = field(default_factory=list)
    #: A deletion on one side met an edit it had not seen: the row stays live.
    kept_edit: bool = False
    #: Which side deleted in that case ("ours" or "theirs").
    deleted_by_side: str | None = None

    @property
    def deleted(self) -> bool:
        return self.row.get("deleted_at") is not None


def version_order(row: Row) -> tuple[str, str, str]:
    """What orders two versions of a row, newest last: the stamp, then who, then the
    content (so both copies of a merge pick the same one). The one rule for "newer"."""
    return (row.get("updated_at") or "", row.get("updated_by") or "", repr(sorted(row.items())))


def is_newer(a: Row, b: Row) -> bool:
    """Whether version `a` of a row is newer than version `b`."""
    return version_order(a) > version_order(b)


def later_stamp(stamp: str) -> str:
    """A stamp one microsecond after `stamp` (the stamp of a combined version)."""
    try:
        t = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError:
        t = datetime.now(UTC)
    return (t + timedelta(microseconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def content_fields(row: Row, groups: Sequence[FieldGroup] = ()) -> list[str]:
    grouped = {f for g in groups for f in g.fields}
    return [f for f in row if f not in META_FIELDS and f not in grouped]


def _changed(side: Row, base: Row | None, other: Row, fields: Sequence[str]) -> bool:
    """Whether `side` changed any of `fields` since the ancestor."""
    if base is None:
        return any(side.get(f) != other.get(f) for f in fields)
    return any(side.get(f) != base.get(f) for f in fields)


def merge_row(
    base: Row | None,
    ours: Row,
    theirs: Row,
    groups: Sequence[FieldGroup] = (),
) -> RowOutcome:
    """The merged version of a row both sides changed (see the module doc)."""
    ours_newer = not is_newer(theirs, ours)
    newer, older = (ours, theirs) if ours_newer else (theirs, ours)
    older_side = "theirs" if ours_newer else "ours"
    result: dict[str, Any] = dict(newer)
    clashes: list[FieldClash] = []

    units: list[tuple[tuple[str, ...], str | None]] = [((f,), None) for f in content_fields(ours, groups)]
    units += [(g.fields, g.clock) for g in groups]
    for names, clock in units:
        o = tuple(ours.get(f) for f in names)
        t = tuple(theirs.get(f) for f in names)
        if o == t:
            continue
        b = tuple(base.get(f) for f in names) if base is not None else None
        if b is not None and o == b:
            chosen = t
        elif b is not None and t == b:
            chosen = o
        else:
            # Changed on both sides (or no ancestor to tell): the newer one.
            if clock is not None:
                i = names.index(clock)
                ours_first = (o[i] or "", repr(o)) >= (t[i] or "", repr(t))
                chosen, other, other_row = (o, t, theirs) if ours_first else (t, o, ours)
                other_side = "theirs" if ours_first else "ours"
            else:
                chosen = tuple(newer.get(f) for f in names)
                other, other_row, other_side = tuple(older.get(f) for f in names), older, older_side
            clashes.append(
                FieldClash(
                    field=names[0],
                    kept=chosen[0] if len(names) == 1 else chosen,
                    other=other[0] if len(names) == 1 else other,
                    other_by=other_row.get("updated_by") or "",
                    other_at=other_row.get("updated_at") or "",
                    other_side=other_side,
                )
            )
        for f, v in zip(names, chosen, strict=True):
            result[f] = v

    outcome = RowOutcome(result, clashes)
    od, td = ours.get("deleted_at"), theirs.get("deleted_at")
    if (od is None) != (td is None):
        deleter, live, deleter_side = (ours, theirs, "ours") if od is not None else (theirs, ours, "theirs")
        fields = [f for f in ours if f not in META_FIELDS]
        if _changed(live, base, deleter, fields):
            # An edit the deleting side never saw: keep the row, live.
            result["deleted_at"] = None
            outcome.kept_edit = True
            outcome.deleted_by_side = deleter_side
        else:
            result["deleted_at"] = deleter.get("deleted_at")
    elif od is not None:
        result["deleted_at"] = newer.get("deleted_at")

    if result == dict(ours):
        return outcome
    if result == dict(theirs):
        outcome.row = dict(theirs)
        return outcome
    # A version combined from both sides: a new stamp after both.
    result["updated_at"] = later_stamp(max(ours.get("updated_at") or "", theirs.get("updated_at") or ""))
    result["updated_by"] = newer.get("updated_by") or ""
    return outcome
