"""File > Export Briefing Book…: the menu entry, the dialog, the export behind a progress
dialog, cancelling, the meetings panel's button and refusals."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtGui import QKeySequence
from window_helpers import action, menu, open_dialogs, shown_box

from briefbook.gui.export import dialog as export_dialog

TOKYO = "Kishida–Meloni summit meeting, Tokyo"


def _dialog(window):  # type: ignore[no-untyped-def]
    action(window, "exportAction").trigger()
    [dialog] = open_dialogs(window, export_dialog.ExportDialog)
    return dialog


def test_menu_entry_with_shortcut(window) -> None:  # type: ignore[no-untyped-def]
    export = action(window, "exportAction")
    assert export in menu(window, "&File").actions()
    assert export.shortcut() == QKeySequence("Ctrl+E")
    assert export.text().replace("&", "") == "Export Briefing Book…"


def test_exports_the_chosen_meeting_and_offers_to_open_it(window, qtbot, messages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(window)
    dialog.meeting_radio.setChecked(True)
    meeting = next(m for m in window.context.briefing.meetings() if m.title == TOKYO)
    dialog.meeting_combo.setCurrentIndex(dialog.meeting_combo.findData(meeting.id))
    dialog.classification_edit.setText("Restricted")
    out = tmp_path / "pack.pdf"
    dialog.path_edit.setText(str(out))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: shown_box(window) is not None, timeout=30_000)
    assert PdfReader(out).metadata.title == TOKYO
    box = shown_box(window)
    assert box is not None and "pack.pdf" in box.text()
    assert messages.errors() == [] and messages.shown == []  # a marking was given: nothing asked
    box.button(box.StandardButton.Close).click()


def test_area_as_word_document(window, qtbot, messages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(window)
    dialog.area_radio.setChecked(True)
    dialog.area_combo.setCurrentIndex(dialog.area_combo.findData("3"))
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("docx"))
    dialog.kind_checks["background"].setChecked(False)
    request = dialog.request()
    assert request.area_ref == "3" and request.fmt == "docx" and "background" not in (request.note_kinds or ())
    out = tmp_path / "area.docx"
    dialog.path_edit.setText(str(out))
    messages.answers.append(True)  # "no classification marking: export without one?" yes
    dialog.export_button.click()
    qtbot.waitUntil(lambda: shown_box(window) is not None and "area.docx" in shown_box(window).text(),
                    timeout=30_000)
    assert out.stat().st_size > 0


def test_missing_folder_is_one_sentence_and_writes_nothing(window, qtbot, messages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(window)
    dialog.path_edit.setText(str(tmp_path / "nowhere" / "pack.pdf"))
    dialog.classification_edit.setText("Restricted")
    dialog.export_button.click()
    qtbot.waitUntil(lambda: bool(messages.errors()), timeout=10_000)
    assert "does not exist" in messages.errors()[0]
    assert not (tmp_path / "nowhere").exists()


def test_cancelling_writes_nothing_and_keeps_the_previous_file(window, qtbot, messages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "pack.pdf"
    out.write_bytes(b"previous")
    request = export_dialog.ExportRequest(
        db_path=window.context.briefing.path, out=out, fmt="pdf", meeting_id=None,
        plan_id=window.context.briefing.plans()[0].id, area_ref=None, since=None, classification=None,
        note_kinds=None, include_sources=True, prepared_by="tester",
    )
    work = export_dialog.export_work(request)
    import pytest

    from db.model.cancelling import Cancellation
    from db.model.errors import Cancelled

    cancel = Cancellation()
    cancel.cancel()
    with pytest.raises(Cancelled):
        work(lambda done, total, label: None, cancel)
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_meetings_panel_button_opens_the_dialog_on_that_meeting(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.ensure_panels()
    meeting = next(m for m in window.context.briefing.meetings() if m.title == TOKYO)
    window.meetings_panel.export_requested.emit(meeting.id)
    [dialog] = open_dialogs(window, export_dialog.ExportDialog)
    assert dialog.meeting_radio.isChecked()
    assert dialog.meeting_combo.currentData() == meeting.id
    dialog.reject()
