"""`briefbook export`: what it writes, and one sentence (nothing overwritten) when it cannot."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from docx import Document
from export_helpers import TOKYO, pdf_text, squash
from pypdf import PdfReader

from briefbook.cli.main import main
from db.briefing.facade import Briefing


def _ids(path: Path) -> tuple[str, str]:
    with Briefing.open(path, read_only=True) as b:
        return next(m.id for m in b.meetings() if m.title == TOKYO), b.plans()[0].id


def test_meeting_by_id_as_pdf_with_options(seeded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    meeting, _ = _ids(seeded_path)
    out = tmp_path / "pack.pdf"
    code = main(["export", "--db", str(seeded_path), "--meeting", meeting, "-o", str(out),
                 "--classification", "Secret", "--since", "2000-01-01", "--kinds", "update", "--prepared-by", "Desk"])
    assert code == 0, capsys.readouterr().err
    text = squash("".join(pdf_text(out)))
    assert "SECRET" in text and "Changessince1January2000" in text and "Desk" in text
    assert "BACKGROUND" not in text  # --kinds update leaves background notes out
    assert PdfReader(out).metadata.title == TOKYO


def test_meeting_by_title_and_format_from_suffix(seeded_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.docx"
    assert main(["export", "--db", str(seeded_path), "--meeting", TOKYO, "-o", str(out), "--no-sources"]) == 0
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert TOKYO in texts and "Sources" not in texts


def test_plan_alone_means_the_only_plan_and_area_narrows_it(seeded_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "area.pdf"
    assert main(["export", "--db", str(seeded_path), "--plan", "--area", "3", "-o", str(out)]) == 0
    text = squash("".join(pdf_text(out)))
    assert "3.2.1" in text and "2.1.1" not in text
    _, plan = _ids(seeded_path)
    out2 = tmp_path / "plan.docx"
    assert main(["export", "--db", str(seeded_path), "--plan", plan, "--format", "docx", "-o", str(out2)]) == 0
    assert out2.stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        ([], "Say what to export"),
        (["--meeting", "nope"], "There is no meeting 'nope'"),
        (["--meeting", "Tokyo"], "2 meetings match 'Tokyo'"),
        (["--plan", "--kinds", "gossip"], "'gossip' is not a note kind"),
        (["--plan", "--since", "2024-13-01"], "is not a real date"),
        (["--plan", "--area", "99"], "The plan has no area '99'"),
    ],
)
def test_refusals_are_one_sentence(seeded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    args: list[str], sentence: str) -> None:
    out = tmp_path / "x.pdf"
    code = main(["export", "--db", str(seeded_path), "-o", str(out), *args])
    err = capsys.readouterr().err
    assert code in (1, 2)
    assert sentence in err and err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()


def test_unknown_suffix_is_refused(seeded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--db", str(seeded_path), "--plan", "-o", str(tmp_path / "x.txt")]) == 1
    assert "end it in .pdf or .docx" in capsys.readouterr().err


def test_unwritable_folder_leaves_previous_file(seeded_path: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    previous = folder / "pack.pdf"
    previous.write_bytes(b"previous export")
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    if os.access(folder, os.W_OK):  # root writes through permissions: make the folder refuse as it would a user
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == folder and mode & os.W_OK
                            else real_access(p, mode))
    try:
        code = main(["export", "--db", str(seeded_path), "--plan", "-o", str(previous)])
    finally:
        folder.chmod(stat.S_IRWXU)
    assert code == 1
    assert "cannot write to the folder" in capsys.readouterr().err
    assert previous.read_bytes() == b"previous export"


def test_read_only_target_is_refused_and_kept(seeded_path: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A target another program holds (or marked read-only) is not replaced."""
    previous = tmp_path / "pack.pdf"
    previous.write_bytes(b"previous export")
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == previous and mode & os.W_OK
                        else real_access(p, mode))
    code = main(["export", "--db", str(seeded_path), "--plan", "-o", str(previous)])
    err = capsys.readouterr().err
    assert code == 1 and "read-only or open in another program" in err
    assert previous.read_bytes() == b"previous export"


def test_failure_while_renaming_keeps_previous_file_and_leaves_no_temp(seeded_path: Path, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str],
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    previous = tmp_path / "pack.pdf"
    previous.write_bytes(b"previous export")

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", locked)
    code = main(["export", "--db", str(seeded_path), "--plan", "-o", str(previous)])
    assert code == 1
    assert "open in another program or read-only" in capsys.readouterr().err
    assert previous.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.pdf"] or all(
        not p.name.endswith(".part") for p in tmp_path.iterdir()
    )


def test_missing_folder(seeded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--db", str(seeded_path), "--plan", "-o", str(tmp_path / "no" / "x.pdf")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_no_marking_warns_on_stderr_and_a_default_marking_is_used(seeded_path: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from briefbook.services import preferences

    meeting, _ = _ids(seeded_path)
    out = tmp_path / "pack.pdf"
    assert main(["export", "--db", str(seeded_path), "--meeting", meeting, "-o", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("Warning: The pack has no classification marking") and "Traceback" not in err
    preferences.update(default_classification="Official", author="Maria Rossi (MAECI)")
    try:
        assert main(["export", "--db", str(seeded_path), "--meeting", meeting, "-o", str(out), "--quiet"]) == 0
        assert capsys.readouterr().err == ""
        pages = pdf_text(out)
        assert all("OFFICIAL" in p for p in pages)
        assert "Maria Rossi (MAECI)" in pages[0]  # "Prepared by" is the user's name from the preferences
    finally:
        preferences.update(default_classification="", author="")


def test_an_empty_agenda_warns_and_says_so_in_the_pack(seeded_path: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    with Briefing.open(seeded_path) as b:
        empty = b.create_meeting("Working lunch", date="2025-03-01").id
    out = tmp_path / "lunch.pdf"
    assert main(["export", "--db", str(seeded_path), "--meeting", empty, "-o", str(out),
                 "--classification", "Restricted"]) == 0
    assert "Warning: The meeting's agenda is empty" in capsys.readouterr().err
    assert "The agenda of this meeting is empty" in "".join(pdf_text(out))


def test_the_same_commitment_twice_on_an_agenda_is_refused(seeded_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    meeting, _ = _ids(seeded_path)
    with Briefing.open(seeded_path, read_only=True) as b:
        before = [a.node_id for a in b.agenda(meeting)]
    for refs in (["2.2.1"], ["4.2.2", "4.2.2"]):  # already on it; twice in one command
        assert main(["meeting", "add", meeting, *refs, "--db", str(seeded_path)]) != 0
        err = capsys.readouterr().err
        assert "is already on the agenda" in err and "Traceback" not in err
    with Briefing.open(seeded_path, read_only=True) as b:
        assert [a.node_id for a in b.agenda(meeting)] == before  # nothing written
