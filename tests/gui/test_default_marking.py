"""The marking a pack will be stamped with is the one the dialogs show: the
export dialog fills in the meeting's marking, else the default from the
preferences, says where it comes from and takes another one; a new meeting
starts from the same default."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog
from window_helpers import action, open_dialogs, shown_box

from briefbook.gui.export.dialog import ExportDialog
from briefbook.gui.meetings.dialog import MeetingDialog
from db.briefing.facade import Briefing

TOKYO = "Kishida–Meloni summit meeting, Tokyo"


@pytest.fixture
def default_marking() -> Iterator[str]:
    from briefbook.services import preferences

    preferences.update(default_classification="RESTRICTED")
    yield "RESTRICTED"
    preferences.update(default_classification="")


def export_dialog(window) -> ExportDialog:  # type: ignore[no-untyped-def]
    action(window, "exportAction").trigger()
    return open_dialogs(window, ExportDialog)[-1]


def choose_meeting(dialog: ExportDialog, title: str) -> None:
    dialog.meeting_radio.setChecked(True)
    dialog.meeting_combo.setCurrentIndex(next(i for i, m in enumerate(dialog.meetings) if m.title == title))


def export(window, qtbot, dialog: ExportDialog, out: Path) -> list[str]:  # type: ignore[no-untyped-def]
    """Press Export; the text of each page of what was written."""
    dialog.path_edit.setText(str(out))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: shown_box(window) is not None, timeout=30_000)
    shown_box(window).done(0)
    return [page.extract_text() or "" for page in PdfReader(out).pages]


def test_the_export_dialog_shows_the_default_marking_it_will_print(
    window, qtbot, messages, default_marking: str, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    dialog = export_dialog(window)
    choose_meeting(dialog, TOKYO)  # a meeting without a marking of its own
    assert dialog.classification_edit.text() == "RESTRICTED"
    assert dialog.classification_source.text() == "— your default"
    pages = export(window, qtbot, dialog, tmp_path / "default.pdf")
    assert messages.shown == []  # nothing to ask: the pack is marked
    assert all("RESTRICTED" in page for page in pages)


def test_another_marking_typed_in_the_export_dialog_is_the_one_printed(
    window, qtbot, messages, default_marking: str, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    dialog = export_dialog(window)
    choose_meeting(dialog, TOKYO)
    dialog.classification_edit.selectAll()
    qtbot.keyClicks(dialog.classification_edit, "CONFIDENTIAL")
    assert dialog.classification_source.text() == "— typed here, for this pack"
    choose_meeting(dialog, "Takaichi–Meloni summit meeting, Tokyo")  # another meeting keeps what was typed
    assert dialog.classification_edit.text() == "CONFIDENTIAL"
    pages = export(window, qtbot, dialog, tmp_path / "typed.pdf")
    assert all("CONFIDENTIAL" in page and "RESTRICTED" not in page for page in pages)


def test_a_meetings_own_marking_is_shown_as_the_meetings(window, default_marking: str) -> None:  # type: ignore[no-untyped-def]
    briefing = window.context.briefing
    briefing.create_meeting("Vice-ministerial dialogue", date="2026-03-02", classification="OFFICIAL")
    dialog = export_dialog(window)
    choose_meeting(dialog, "Vice-ministerial dialogue")
    assert (dialog.classification_edit.text(), dialog.classification_source.text()) == (
        "OFFICIAL", "— the meeting's marking")
    choose_meeting(dialog, TOKYO)  # untouched: follows the meeting chosen
    assert (dialog.classification_edit.text(), dialog.classification_source.text()) == (
        "RESTRICTED", "— your default")
    dialog.classification_edit.clear()
    assert dialog.classification_source.text() == "— empty, so your default RESTRICTED is printed"
    dialog.reject()


def test_without_any_default_the_field_says_none(window) -> None:  # type: ignore[no-untyped-def]
    dialog = export_dialog(window)
    choose_meeting(dialog, TOKYO)
    assert dialog.classification_edit.text() == "" and dialog.classification_edit.placeholderText() == "none"
    assert dialog.classification_source.text() == "— no marking (you will be asked)"
    dialog.reject()


def test_a_new_meeting_starts_from_the_default_marking(
    window, qtbot, seeded_path: Path, default_marking: str  # type: ignore[no-untyped-def]
) -> None:
    seen: list[str] = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, MeetingDialog) or not dialog.isActiveWindow():
            QTimer.singleShot(20, fill)
            return
        seen.append(dialog.classification_box.currentText())
        qtbot.keyClicks(dialog.title_edit, "Vice-ministerial dialogue")
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        if dialog.isVisible():
            dialog.done(QDialog.DialogCode.Rejected)

    window.meetings_dock.show()
    QTimer.singleShot(0, fill)
    qtbot.mouseClick(window.meetings_panel.new_button, Qt.MouseButton.LeftButton)
    assert seen == ["RESTRICTED"]
    with Briefing.open(seeded_path, read_only=True, lock=False) as b:
        made = next(m for m in b.meetings() if m.title == "Vice-ministerial dialogue")
        assert made.classification == "RESTRICTED"
