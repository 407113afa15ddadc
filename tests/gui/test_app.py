"""`run_window` as a whole: it opens the file named with --db (its tree read on
a thread while Qt loads) or says why it cannot, and the window still runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from briefbook.gui import app as app_module
from briefbook.gui.main_window import MainWindow


def run_and_check(monkeypatch: pytest.MonkeyPatch, path: Path | None, check) -> None:  # type: ignore[no-untyped-def]
    """Run the window up to its event loop; there call check(window) instead of looping.

    (Quitting a real loop would leave the test process's application closing down.)
    """
    shown: list[MainWindow] = []
    real_show = MainWindow.show

    def show(self):  # type: ignore[no-untyped-def]
        shown.append(self)
        real_show(self)

    def exec_(self) -> int:  # type: ignore[no-untyped-def]
        QApplication.processEvents()
        try:
            check(shown[0])
        finally:
            shown[0].close()
        return 0

    monkeypatch.setattr(MainWindow, "show", show)
    monkeypatch.setattr(QApplication, "exec", exec_)
    # Keep the test's settings names (the fixture points them at a temp folder).
    monkeypatch.setattr(app_module, "ORGANISATION", QCoreApplication.organizationName())
    monkeypatch.setattr(app_module, "APPLICATION", QCoreApplication.applicationName())
    import briefbook.gui.error_dialog as error_dialog

    monkeypatch.setattr(error_dialog, "install_excepthook", lambda: None)
    assert app_module.run_window(path) == 0


def test_run_window_opens_the_named_file(qtbot, seeded_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from briefbook.gui import settings

    settings.set_author("Anna")

    def check(win: MainWindow) -> None:
        assert win.context.briefing is not None and win.context.briefing.path == seeded_path
        assert win.context.briefing.user == "Anna"
        assert win.tree_pane.model.rowCount() == 7
        assert win.tree_pane.select_ref("3.2.1")

    run_and_check(monkeypatch, seeded_path, check)


def test_run_window_on_a_bad_file_shows_the_start_page(qtbot, tmp_path: Path, messages, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "notes.txt"
    bad.write_text("not a briefing file")

    def check(win: MainWindow) -> None:
        assert messages.errors() == [f"{bad} is not a briefing file (it is not an SQLite database)."]
        assert win.context.briefing is None and win.pages.currentWidget() is win.start_page

    run_and_check(monkeypatch, bad, check)
