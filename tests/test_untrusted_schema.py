"""A file whose schema another program changed is refused on open, in merge and export, and named by
`check` (issue 11 item 10); the expected schema follows the migrations."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from share_helpers import make_small
from untrusted_helpers import assert_one_sentence, execute, tree_bytes

from briefbook.cli.main import main
from db.disk.file import SCHEMA_VERSION
from db.schema.expected import EXPECTED
from db.schema.generate import expected_of_fresh_files

CHANGED = {
    "dropped column": (["DROP TRIGGER row_version_note", "ALTER TABLE note DROP COLUMN conflict_of"], "table note has no column conflict_of"),
    "missing table": (["DROP TABLE row_version"], "it has no table row_version"),
    "added trigger": (
        ["CREATE TRIGGER boom BEFORE INSERT ON note BEGIN SELECT RAISE(ABORT, 'boom'); END"],
        "it has a trigger 'boom' briefbook does not make",
    ),
    "changed trigger": (
        ["DROP TRIGGER row_version_note",
         "CREATE TRIGGER row_version_note AFTER UPDATE ON note BEGIN SELECT 1; END"],
        "its trigger row_version_note is not the one briefbook makes",
    ),
}


def test_the_expected_schema_is_the_one_the_migrations_make(tmp_path: Path) -> None:
    fresh = expected_of_fresh_files(tmp_path)
    assert max(fresh) == SCHEMA_VERSION
    # If this fails after a new migration: uv run python -m db.schema.generate
    assert fresh == EXPECTED


@pytest.fixture(scope="module")
def small_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_small(tmp_path_factory.mktemp("small") / "small.sqlite")


@pytest.mark.parametrize("case", list(CHANGED))
def test_a_changed_schema_is_refused_everywhere_and_named_by_check(
    case: str, small_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sql, words = CHANGED[case]
    changed, ours = tmp_path / "changed.sqlite", tmp_path / "ours.sqlite"
    shutil.copyfile(small_template, changed)
    shutil.copyfile(small_template, ours)
    execute(changed, *sql)
    before = tree_bytes(tmp_path)

    assert main(["check", str(changed), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    failed = {c["name"]: c["detail"] for c in report["checks"] if not c["ok"]}
    assert words in failed["schema"], failed
    assert report["verdict"] == "damaged"

    for args in (
        ["note", "add", "1.1.1", "--kind", "risk", "--text", "x", "--db", str(changed)],
        ["tree", "--db", str(changed)],
        ["export", "--plan", "--db", str(changed), "-o", str(tmp_path / "out.pdf")],
        ["merge", str(changed), "--db", str(ours)],
    ):
        assert main(args) == 1, args
        err = capsys.readouterr().err
        assert_one_sentence(err)
        assert words in err and "changed by another program" in err, err
    assert tree_bytes(tmp_path) == before
