"""db.disk.atomic.replacing: the one write-then-rename every file writer uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.disk import atomic
from db.model.errors import Cancelled


def test_the_new_file_appears_whole_and_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("previous")
    with atomic.replacing(target, "part") as tmp:
        assert tmp.parent == tmp_path and not tmp.exists()
        tmp.write_text("new content")
        assert target.read_text() == "previous"  # nothing at the target changes before the rename
    assert target.read_text() == "new content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_a_failure_keeps_the_previous_file_and_removes_the_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("previous")
    with pytest.raises(Cancelled), atomic.replacing(target, "part") as tmp:
        tmp.write_text("half")
        raise Cancelled()
    assert target.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_a_leftover_of_a_crash_is_cleared_and_unique_names_differ(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    leftover = atomic.temporary_path(target, "part")
    leftover.write_text("from a killed run")
    with atomic.replacing(target, "part") as tmp:
        assert tmp == leftover and not tmp.exists()
        tmp.write_text("fresh")
    assert target.read_text() == "fresh"
    assert atomic.temporary_path(target, "part", unique=True) != atomic.temporary_path(target, "part", unique=True)


def test_a_file_without_write_permission_can_still_be_made_durable(tmp_path: Path) -> None:
    target = tmp_path / "ro.txt"
    with atomic.replacing(target, "part") as tmp:
        tmp.write_text("kept")
        tmp.chmod(0o444)
    assert target.read_text() == "kept"
