"""The window as a desktop program: its icon and desktop entry name, a file the
system sends (macOS's "open file" event on a double click) opens, and a new file
is suggested under the name the desktop knows (*.briefbook)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from briefbook.gui.desktop import ICON, integrate, open_files_the_system_sends


def test_the_application_has_its_icon_and_desktop_entry_name(qapp) -> None:  # type: ignore[no-untyped-def]
    integrate(qapp)
    assert ICON.is_file()
    assert not qapp.windowIcon().isNull() and qapp.windowIcon().availableSizes()[0].width() == 256
    assert qapp.desktopFileName() == "briefbook"  # packaging/linux/briefbook.desktop
    desktop = Path(__file__).resolve().parents[2] / "packaging" / "linux" / "briefbook.desktop"
    entry = desktop.read_text(encoding="utf-8")
    assert "Exec=briefbook %f" in entry and "MimeType=application/x-briefbook;" in entry


def test_a_file_the_system_sends_opens_in_the_window(qtbot, window, seeded_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other" / "Visit to Rome.briefbook"
    other.parent.mkdir()
    shutil.copyfile(seeded_path, other)
    open_files_the_system_sends(QApplication.instance(), window)  # type: ignore[arg-type]
    QApplication.sendEvent(QApplication.instance(), QFileOpenEvent(str(other)))
    qtbot.waitUntil(lambda: window.context.briefing is not None and window.context.briefing.path == other)
    assert window.tree_pane.model.rowCount() == 7


def test_new_suggests_a_briefbook_name(qtbot, window, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    asked: list[tuple[str, str]] = []

    def save_name(parent, title, suggested, filters):  # type: ignore[no-untyped-def]
        asked.append((suggested, filters))
        return "", ""  # the user cancels

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    window.files.new_file()
    assert Path(asked[0][0]).name == "briefing.briefbook"
    assert asked[0][1].startswith("Briefing files (*.briefbook ")
