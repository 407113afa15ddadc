"""The three-way row merge: field by field against the ancestor, nothing lost, the same both ways."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from db.sharing.three_way import FieldGroup, merge_row

STATUS = FieldGroup(("status", "status_changed_at", "status_changed_by"), clock="status_changed_at")
BASE: dict[str, Any] = {
    "id": "r1", "updated_at": "2024-01-01T00:00:00.000000Z", "updated_by": "base", "deleted_at": None,
    "place": "Rome", "purpose": "Talk", "status": "not_started", "status_changed_at": None,
    "status_changed_by": None,
}  # fmt: skip


def edited(row: dict[str, Any], at: str, by: str, **changes: Any) -> dict[str, Any]:
    return {**row, **changes, "updated_at": at, "updated_by": by}


def test_different_fields_of_one_row_both_survive() -> None:
    ana = edited(BASE, "2024-02-01T00:00:00.000000Z", "ana", place="Tokyo")
    ben = edited(BASE, "2024-03-01T00:00:00.000000Z", "ben", purpose="Sign the plan")
    out = merge_row(BASE, ana, ben)
    assert out.row["place"] == "Tokyo" and out.row["purpose"] == "Sign the plan"
    assert out.clashes == []
    assert out.row["updated_at"] > ben["updated_at"]  # a new version after both


def test_same_field_both_sides_keeps_newer_and_reports_other() -> None:
    ana = edited(BASE, "2024-02-01T00:00:00.000000Z", "ana", purpose="Ana's purpose")
    ben = edited(BASE, "2024-03-01T00:00:00.000000Z", "ben", purpose="Ben's purpose")
    out = merge_row(BASE, ana, ben)
    assert out.row["purpose"] == "Ben's purpose"
    [clash] = out.clashes
    assert (clash.field, clash.other, clash.other_by, clash.other_side) == ("purpose", "Ana's purpose", "ana", "ours")


def test_status_group_follows_its_own_clock() -> None:
    ana = edited(BASE, "2024-04-01T00:00:00.000000Z", "ana", status="achieved",
                 status_changed_at="2024-02-01T00:00:00.000000Z", status_changed_by="ana")
    ben = edited(BASE, "2024-03-01T00:00:00.000000Z", "ben", status="on_track",
                 status_changed_at="2024-03-01T00:00:00.000000Z", status_changed_by="ben")
    out = merge_row(BASE, ana, ben, [STATUS])
    assert out.row["status"] == "on_track"  # Ben set it later, though Ana's row is newer
    assert [c.field for c in out.clashes] == ["status"]


def test_delete_against_unseen_edit_keeps_the_edit() -> None:
    ana = edited(BASE, "2024-02-01T00:00:00.000000Z", "ana", purpose="Rewritten")
    ben = edited(BASE, "2024-09-01T00:00:00.000000Z", "ben", deleted_at="2024-09-01T00:00:00.000000Z")
    for out, deleter in ((merge_row(BASE, ana, ben), "theirs"), (merge_row(BASE, ben, ana), "ours")):
        assert not out.deleted and out.row["purpose"] == "Rewritten"
        assert out.kept_edit and out.deleted_by_side == deleter


def test_delete_of_an_unedited_row_wins() -> None:
    ana = edited(BASE, "2024-02-01T00:00:00.000000Z", "ana", deleted_at="2024-02-01T00:00:00.000000Z")
    ben = edited(BASE, "2024-03-01T00:00:00.000000Z", "ben")  # touched, nothing changed
    out = merge_row(BASE, ana, ben)
    assert out.deleted and not out.kept_edit


values = st.sampled_from(["a", "b", "c", None])
stamps = st.sampled_from([f"2024-0{m}-01T00:00:00.000000Z" for m in range(2, 8)])
FIELDS = ("place", "purpose")


@st.composite
def side(draw: st.DrawFn, base: dict[str, Any], who: str) -> dict[str, Any]:
    row = dict(base)
    for f in FIELDS:
        if draw(st.booleans()):
            row[f] = draw(values)
    if draw(st.booleans()):
        row["status"] = draw(st.sampled_from(["on_track", "achieved"]))
        row["status_changed_at"] = draw(stamps)
        row["status_changed_by"] = who
    if draw(st.integers(0, 3)) == 0:
        row["deleted_at"] = draw(stamps)
    row["updated_at"] = draw(stamps)
    row["updated_by"] = who
    return row


@st.composite
def triples(draw: st.DrawFn) -> tuple[dict[str, Any] | None, dict[str, Any], dict[str, Any]]:
    base = {**BASE, **{f: draw(values) for f in FIELDS}}
    ours, theirs = draw(side(base, "ana")), draw(side(base, "ben"))
    return (None if draw(st.integers(0, 4)) == 0 else base), ours, theirs


@given(triples())
def test_merge_is_the_same_both_ways_and_loses_nothing(t: tuple[Any, dict[str, Any], dict[str, Any]]) -> None:
    base, ours, theirs = t
    one, two = merge_row(base, ours, theirs, [STATUS]), merge_row(base, theirs, ours, [STATUS])
    assert one.row == two.row
    for f in (*FIELDS, "status"):
        kept = one.row[f]
        set_aside = [c.other for c in one.clashes if c.field == f]
        for s in (ours, theirs):
            changed = base is None or s[f] != base[f]
            if changed:  # every value a side wrote is kept or set aside where the user sees it
                value = s[f] if f != "status" else (s["status"], s["status_changed_at"], s["status_changed_by"])
                kept_value = kept if f != "status" else tuple(one.row[g] for g in STATUS.fields)
                assert value == kept_value or value in set_aside
    edited_live = [
        s for s in (ours, theirs)
        if s["deleted_at"] is None and any(s[f] != (base or (theirs if s is ours else ours))[f]
                                           for f in (*FIELDS, *STATUS.fields))
    ]  # fmt: skip
    if edited_live:
        assert not one.deleted  # a deletion never beats an edit it did not see


@given(triples())
def test_merging_a_row_with_itself_changes_nothing(t: tuple[Any, dict[str, Any], dict[str, Any]]) -> None:
    base, ours, _ = t
    assert merge_row(base, ours, dict(ours)).row == ours
