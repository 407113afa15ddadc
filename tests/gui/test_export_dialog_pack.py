"""The export dialog's own content: labels, the suggested name, the finished box, an empty file,
and the question before a pack without a classification marking goes out."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QMessageBox
from window_helpers import action, open_dialogs, shown_box

from briefbook.gui.export.dialog import ExportDialog
from db.briefing.facade import Briefing

TOKYO = "Kishida–Meloni summit meeting, Tokyo"


def _dialog(window):  # type: ignore[no-untyped-def]
    """File > Export Briefing Book…, and the dialog it opens (the newest one shown)."""
    action(window, "exportAction").trigger()
    return open_dialogs(window, ExportDialog)[-1]


def test_the_notes_row_label_is_a_mnemonic_not_a_literal_ampersand(window) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(window)
    labels = [w for w in dialog.findChildren(QLabel) if w.text().replace("&", "") == "Notes:"]
    assert len(labels) == 1 and labels[0].buddy() is dialog.kind_checks["talking_point"]
    dialog.reject()


def test_the_suggested_name_names_the_year_once(window) -> None:  # type: ignore[no-untyped-def]
    briefing = window.context.briefing
    rome = briefing.create_meeting("Leaders meeting Rome 2027", date="2027")
    dated = briefing.create_meeting("Leaders meeting", date="2027-05-03")
    dialog = _dialog(window)  # a new dialog lists the new meetings
    dialog.meeting_combo.setCurrentIndex(dialog.meeting_combo.findData(rome.id))
    assert Path(dialog.path_edit.text()).name == "Leaders_meeting_Rome_2027.pdf"
    dialog.meeting_combo.setCurrentIndex(dialog.meeting_combo.findData(dated.id))
    assert Path(dialog.path_edit.text()).name == "Leaders_meeting_2027-05-03.pdf"
    dialog.reject()


def test_the_finished_box_informs_and_offers_open_show_and_close(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(window)
    dialog.classification_edit.setText("Restricted")
    out = tmp_path / "pack <b>bold<b>.pdf"
    dialog.path_edit.setText(str(out))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: shown_box(window) is not None, timeout=30_000)
    box = shown_box(window)
    assert box.icon() == QMessageBox.Icon.Information
    assert sorted(b.text().replace("&", "") for b in box.buttons()) == ["Close", "Open", "Show in Folder"]
    assert box.textFormat().name == "PlainText" and "<b>bold<b>" in box.text()
    box.button(QMessageBox.StandardButton.Close).click()
    assert not box.isVisible() and out.stat().st_size > 0


def test_export_is_disabled_on_a_file_with_nothing_to_export(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty.sqlite"
    Briefing.create(empty).close()
    assert window.files.open_path(empty)
    dialog = _dialog(window)
    assert not dialog.export_button.isEnabled()
    assert "no plan and no meeting" in dialog.notice.text()
    dialog.reject()


def test_a_pack_without_a_marking_is_asked_about_first(window, qtbot, messages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(window)
    meeting = next(m for m in window.context.briefing.meetings() if m.title == TOKYO)
    dialog.meeting_combo.setCurrentIndex(dialog.meeting_combo.findData(meeting.id))
    out = tmp_path / "unmarked.pdf"
    dialog.path_edit.setText(str(out))
    messages.answers.append(False)  # "Export it without a marking?" no
    dialog.export_button.click()
    qtbot.waitUntil(lambda: bool(messages.shown), timeout=5_000)
    assert "no classification marking" in messages.shown[0][2]
    qtbot.wait(200)
    assert not out.exists() and dialog.isVisible()  # back in the dialog to type one
    dialog.reject()


def test_a_default_marking_from_the_preferences_is_used_without_asking(window, qtbot, messages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    from briefbook.services import preferences

    preferences.update(default_classification="Official-Sensitive")
    try:
        dialog = _dialog(window)
        out = tmp_path / "marked.pdf"
        dialog.path_edit.setText(str(out))
        dialog.export_button.click()
        qtbot.waitUntil(lambda: shown_box(window) is not None, timeout=30_000)
        assert messages.shown == []
        assert all("OFFICIAL-SENSITIVE" in (p.extract_text() or "") for p in PdfReader(out).pages)
        shown_box(window).done(0)
    finally:
        preferences.update(default_classification="")


def test_the_dialog_says_when_word_page_numbers_cannot_be_computed(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from exporters import docx_pages

    monkeypatch.setattr(docx_pages, "libreoffice", lambda: None)
    dialog = _dialog(window)
    assert dialog.notice.text() == ""  # a PDF numbers its own pages
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("docx"))
    assert "LibreOffice is not installed" in dialog.notice.text() and "no page numbers" in dialog.notice.text()
    monkeypatch.setattr(docx_pages, "libreoffice", lambda: "/usr/bin/soffice")
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("pdf"))
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("docx"))
    assert dialog.notice.text() == ""
    dialog.reject()
