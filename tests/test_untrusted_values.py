"""A colleague's copy with values briefbook never writes: `check` names the row, merge refuses it,
and no command crashes (issue 11 items 1, 4, 7, 10, 11)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from share_helpers import make_small
from untrusted_helpers import assert_one_sentence, execute, tree_bytes

from briefbook.cli.main import main
from db.briefing.checking import check_file
from db.briefing.facade import Briefing

#: A value set aside for the one source's `field`, as a merge writes it (with `value` as JSON).
_SET_ASIDE = (
    "INSERT INTO merge_conflict (id, updated_at, updated_by, deleted_at, table_name, row_id, field, value, kept, "
    "other_by, other_at, created_at) SELECT '5d1c2a3e-8d0b-4c5e-9a41-2b7e3f9d1c60', updated_at, 'x', NULL, "
    "'source', id, '{field}', '{value}', '\"2024\"', 'x', updated_at, updated_at FROM source"
)
# Each hostile change, the check that must fail, and words of the sentence naming what is wrong.
HOSTILE = {
    "unknown note kind": (
        ["UPDATE note SET kind = 'memo' WHERE kind = 'risk'"], "values", "'memo' in kind"),
    "text not UTF-8": (
        ["UPDATE note SET body = CAST(x'48e96c6cff' AS TEXT) WHERE kind = 'risk'"], "text", "not valid UTF-8"),
    "id not a UUID": (
        ["UPDATE attachment SET id = '/home/user/.ssh'"], "values", "'/home/user/.ssh'"),
    "parent id not a UUID": (
        ["PRAGMA foreign_keys = OFF", "UPDATE node SET parent_id = 42 WHERE ref = '1.1.1'"], "values", "'42' in parent_id, which must be a UUID"),
    "position not a number": (
        ["UPDATE note SET position = 'first' WHERE kind = 'risk'"], "values", "'first' in position"),
    "own parent": (
        ["UPDATE node SET parent_id = id WHERE ref = '1.1'"], "plan trees", "its own ancestor"),
    "parent cycle": (
        ["UPDATE node SET parent_id = (SELECT id FROM node WHERE ref = '1.1.1') WHERE ref = '1.1'"],
        "plan trees", "its own ancestor"),
    "planted bytes": (
        ["UPDATE blob SET data = CAST('other bytes!!!!!!' AS BLOB)"], "attachment bytes", "SHA-256"),
    "wrong size": (
        ["UPDATE blob SET size = 3"], "attachment bytes", "says 3"),
    "timestamp a number": (
        ["UPDATE note SET updated_at = 20240101 WHERE kind = 'risk'"], "values", "updated_at"),
    "unknown status": (
        ["UPDATE node SET status = 'done' WHERE ref = '1.1.2'"], "values", "'done' in status"),
    # Impossible dates are refused everywhere (issue 20, item 11): a month 13, a 30th of February.
    "impossible date": (
        ["UPDATE source SET published = '2024-13-45'"], "values", "'2024-13-45' in published, which must be a real"),
    "a day past the month's end": (
        ["UPDATE source SET published = '2023-02-29'"], "values", "'2023-02-29' in published"),
    "month 13": (
        ["UPDATE source SET published = '2024-13'"], "values", "'2024-13' in published"),
    # A value set aside by a merge is held to the rules of the field a restore would put it in.
    "set-aside impossible date": (
        [_SET_ASIDE.format(field="published", value='"2024-13-45"')], "values",
        "a set-aside value for source.published that cannot be put back ('2024-13-45' is not a real date.)"),
    "set-aside of a field no merge sets aside": (
        [_SET_ASIDE.format(field="sha256", value='"00"')], "values",
        "a set-aside value for source.sha256 that cannot be put back"),
    "set-aside empty title": (
        [_SET_ASIDE.format(field="title", value='""')], "values", "a source's title cannot be empty"),
}


@pytest.fixture(scope="module")
def small_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_small(tmp_path_factory.mktemp("small") / "small.sqlite")


@pytest.mark.parametrize("case", list(HOSTILE))
def test_check_names_the_row_and_merge_refuses_it_touching_nothing(
    case: str, small_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    statements, failing_check, words = HOSTILE[case]
    ours, theirs = tmp_path / "ours.sqlite", tmp_path / "theirs.sqlite"
    shutil.copyfile(small_template, ours)
    shutil.copyfile(small_template, theirs)
    execute(theirs, *statements)
    before = tree_bytes(tmp_path)

    assert main(["check", str(theirs), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    failed = {c["name"]: c["detail"] for c in report["checks"] if not c["ok"]}
    assert failing_check in failed, failed
    assert words in failed[failing_check] and "row " in failed[failing_check]
    assert report["verdict"] == "damaged"

    assert main(["merge", str(theirs), "--db", str(ours)]) == 1
    err = capsys.readouterr().err
    assert_one_sentence(err)
    assert "theirs.sqlite cannot be merged" in err and words in err and "nothing was changed" in err
    assert tree_bytes(tmp_path) == before  # no backup, no journal, neither file changed


def test_the_shipped_files_are_valid(seeded_path: Path) -> None:
    report = check_file(seeded_path)
    assert report.verdict == "good", report.lines()
    assert {"schema", "values", "text", "plan trees", "attachment bytes"} <= {i.name for i in report.items}


def test_a_note_of_unknown_kind_is_listed_under_its_own_name(
    small_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "own.sqlite"
    shutil.copyfile(small_template, path)
    execute(path, "UPDATE note SET kind = 'memo' WHERE kind = 'risk'")
    before = tree_bytes(tmp_path)
    assert main(["note", "list", "1.1.1", "--db", str(path)]) == 0
    assert "[memo] maker" in capsys.readouterr().out
    assert tree_bytes(tmp_path) == before


def test_text_that_is_not_utf8_is_one_sentence_for_every_command(
    small_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "own.sqlite"
    shutil.copyfile(small_template, path)
    execute(path, "UPDATE note SET body = CAST(x'48e96c6cff' AS TEXT) WHERE kind = 'risk'")
    before = tree_bytes(tmp_path)
    for args in (["note", "list", "1.1.1"], ["export", "--plan", "-o", str(tmp_path / "out.pdf")]):
        assert main([*args, "--db", str(path)]) == 1
        err = capsys.readouterr().err
        assert_one_sentence(err)
        assert "not valid UTF-8" in err and f"briefbook check {path}" in err
    assert main(["check", str(path), "--repair"]) == 1  # not repaired: a repair cannot fix it safely
    out = capsys.readouterr().out
    assert "not valid UTF-8" in out and "cannot fix safely" in out
    assert tree_bytes(tmp_path) == before


def test_show_in_plan_on_a_cycle_is_a_sentence_not_a_loop(small_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "own.sqlite"
    shutil.copyfile(small_template, path)
    execute(path, "UPDATE node SET parent_id = (SELECT id FROM node WHERE ref = '1.1.1') WHERE ref = '1.1'")
    before = tree_bytes(tmp_path)
    with Briefing.open(path, read_only=True) as b:
        node = b.node_by_ref("1.1.2")
        with pytest.raises(Exception, match="form a cycle"):
            b.ancestors(node.id)
        # The tree leaves the cycle out rather than walking it forever.
        refs = {n.ref for n in b.nodes()}
    assert "1.1.2" not in refs and "1.2.1" in refs
    assert tree_bytes(tmp_path) == before


def test_every_field_a_merge_sets_aside_has_the_rules_a_restore_holds_it_to() -> None:
    from db.model.rules import FIELD_FORMS, field_value_problem
    from db.sharing.set_aside import SET_ASIDE_FIELDS

    assert {(t, f) for t, fields in SET_ASIDE_FIELDS.items() for f in fields} == set(FIELD_FORMS)
    assert field_value_problem("meeting", "date", "2024-13-45") == "'2024-13-45' is not a real date."
    assert field_value_problem("meeting", "date", "２０２４") is not None  # full-width digits are not a date here
    assert field_value_problem("meeting", "date", None) is None and field_value_problem("source", "title", " ")
    assert field_value_problem("meeting", "purpose", 42) is not None
