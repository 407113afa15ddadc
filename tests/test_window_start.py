"""Starting the window from the command line, as a process: without a display it
says so in one sentence (not Qt's "reinstall the application"); `--screenshot`
opens the window offscreen, saves its picture once the tree is drawn and exits;
`briefbook FILE` (a double click) opens FILE; `--help` does not follow the locale."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefbook.cli.main import _file_to_open
from briefbook.gui.display import NO_DISPLAY, no_display_sentence, sentence_for_qt_failure

ROOT = Path(__file__).resolve().parents[1]


def briefbook(*args: str, env: dict[str, str] | None = None, drop: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in {**os.environ, **(env or {})}.items() if k not in drop}
    return subprocess.run([sys.executable, "-m", "briefbook", *args], capture_output=True, text=True,
                          cwd=ROOT, env=environment, timeout=300)


NO_SCREEN = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")


def test_without_a_display_the_window_says_so_in_one_sentence(seeded_path: Path) -> None:
    proc = briefbook("--db", str(seeded_path), drop=NO_SCREEN)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [f"briefbook: {NO_DISPLAY}"]
    assert "QT_QPA_PLATFORM=offscreen" in proc.stderr and "einstall" not in proc.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 displays are a Linux matter")
def test_a_display_nobody_answers_at_is_one_sentence_not_qts_abort(seeded_path: Path) -> None:
    # Qt itself finds no X server at :97 (Qt's fatal message is turned into the sentence).
    proc = briefbook("--db", str(seeded_path), env={"DISPLAY": ":97"}, drop=("WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("briefbook: no display was found at DISPLAY=:97")
    assert "QT_QPA_PLATFORM=offscreen" in lines[0] and "einstall" not in proc.stderr


def test_no_display_sentence_only_where_the_answer_is_certain() -> None:
    assert no_display_sentence({}, "linux") == NO_DISPLAY
    assert no_display_sentence({"DISPLAY": ":0"}, "linux") is None
    assert no_display_sentence({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert no_display_sentence({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert no_display_sentence({}, "win32") is None and no_display_sentence({}, "darwin") is None


def test_qts_failures_become_sentences_that_name_the_way_out() -> None:
    missing_lib = ['qt.qpa.plugin: From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed to load the Qt xcb platform '
                   'plugin.', 'This application failed to start because no Qt platform plugin could be initialized.']
    assert "sudo apt-get install libxcb-cursor0" in sentence_for_qt_failure(missing_lib, {"DISPLAY": ":0"})
    wrong = sentence_for_qt_failure(["This application failed to start"], {"QT_QPA_PLATFORM": "bogus"})
    assert '"bogus"' in wrong and "QT_QPA_PLATFORM=offscreen" in wrong
    gone = sentence_for_qt_failure(["qt.qpa.xcb: could not connect to display :5"], {"DISPLAY": ":5"})
    assert gone.startswith("no display was found at DISPLAY=:5")
    for sentence in (wrong, gone, sentence_for_qt_failure(["x"], {})):
        assert "einstall" not in sentence and "\n" not in sentence


OFFSCREEN = {"QT_QPA_PLATFORM": "offscreen"}


def test_screenshot_shows_the_tree_saves_the_picture_and_exits(seeded_path: Path, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    (tmp_path / "pictures").mkdir()
    out = tmp_path / "pictures" / "window.png"
    proc = briefbook("--db", str(seeded_path), "--screenshot", str(out), env=OFFSCREEN)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        f"window shown ({seeded_path.name}: the plan tree with 84 rows (7 at the top)); picture saved to {out}"
    ]
    image = QImage(str(out))
    assert not image.isNull() and image.width() >= 640 and image.height() >= 480
    assert [p.name for p in out.parent.iterdir()] == ["window.png"]  # nothing left half-written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.sqlite", "pictures"]  # the lock is released


def test_screenshot_of_a_file_that_is_not_a_briefing_file_is_one_sentence(tmp_path: Path) -> None:
    bad = tmp_path / "notes.briefbook"
    bad.write_text("a text file given the extension")
    proc = briefbook("--db", str(bad), "--screenshot", str(tmp_path / "w.png"), env=OFFSCREEN)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1] == f"briefbook: {bad} is not a briefing file (it is not an SQLite database)."
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.briefbook"]
    assert bad.read_text() == "a text file given the extension"


def test_a_file_named_alone_is_the_file_to_open() -> None:
    """What a file manager runs on a double click: `briefbook FILE`."""
    assert _file_to_open(["/home/ana/Visit.briefbook"]) == ["--db", "/home/ana/Visit.briefbook"]
    assert _file_to_open(["Visit.sqlite"]) == ["--db", "Visit.sqlite"]
    assert _file_to_open([r"C:\Users\ana\Visit.briefbook"]) == ["--db", r"C:\Users\ana\Visit.briefbook"]
    assert _file_to_open(["tree"]) == ["tree"]  # a command stays a command
    assert _file_to_open(["tre"]) == ["tre"]  # a typo stays argparse's to answer
    assert _file_to_open(["--version"]) == ["--version"]
    assert _file_to_open(["check", "x.briefbook"]) == ["check", "x.briefbook"]
    assert _file_to_open(["x.briefbook", "--screenshot", "w.png"]) == ["--db", "x.briefbook", "--screenshot", "w.png"]
    assert _file_to_open(["x.briefbook", "tree"]) == ["x.briefbook", "tree"]


def test_a_briefbook_file_named_first_opens_in_the_window(seeded_path: Path, tmp_path: Path) -> None:
    named = tmp_path / "Visit to Rome.briefbook"
    named.write_bytes(seeded_path.read_bytes())
    proc = briefbook(str(named), "--screenshot", str(tmp_path / "w.png"), env=OFFSCREEN)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("window shown (Visit to Rome.briefbook: the plan tree with 84 rows")


@pytest.mark.parametrize("locale", ["it_IT.UTF-8", "ja_JP.UTF-8"])
def test_help_stays_english_whatever_the_locale(locale: str) -> None:
    english = briefbook("--help", env={"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "LANGUAGE": ""})
    other = briefbook("--help", env={"LANG": locale, "LC_ALL": locale, "LANGUAGE": locale.split(".")[0]})
    assert english.returncode == other.returncode == 0
    assert other.stdout == english.stdout and "usage: briefbook" in other.stdout
