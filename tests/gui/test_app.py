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


def test_first_start_asks_the_name_then_makes_the_file_one_dialog_at_a_time(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No file yet and no name: the name is asked over the drawn window before the file is
    made (so it is opened as that user), and the progress of making it never stacks on that
    question."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QDialog

    from briefbook.gui.preferences_dialog import PreferencesDialog
    from briefbook.services import paths, preferences
    from db.briefing.facade import Briefing

    preferences.update(author="")
    default = tmp_path / "data" / "briefbook.sqlite"
    monkeypatch.setattr(paths, "default_file", lambda: default)
    seen: list[list[str]] = []  # the dialogs on screen, each time the timer looked
    folder_when_asked: list[bool] = []

    def look() -> None:
        seen.append([w.windowTitle() for w in QApplication.topLevelWidgets()
                     if isinstance(w, QDialog) and w.isVisible()])
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, PreferencesDialog) and not folder_when_asked:
            folder_when_asked.append(default.parent.exists())
            dialog.author.setText("Maria Rossi")
            qtbot.keyClick(dialog.author, Qt.Key.Key_Return)

    timer = QTimer()
    timer.timeout.connect(look)
    timer.start(10)

    def check(win: MainWindow) -> None:
        qtbot.waitUntil(lambda: win.context.briefing is not None, timeout=120_000)
        timer.stop()
        briefing = win.context.briefing
        assert briefing is not None and briefing.path == default and briefing.user == "Maria Rossi"
        briefing.add_note(briefing.node_by_ref("1.1.1").id, "background", "Mine")
        assert folder_when_asked == [False]  # asked before anything was made
        assert max(len(dialogs) for dialogs in seen) == 1, [d for d in seen if len(d) > 1][:3]
        asked = [i for i, dialogs in enumerate(seen) if any("your name" in t for t in dialogs)]
        making = [i for i, dialogs in enumerate(seen) if any("Creating your briefing file" in t for t in dialogs)]
        assert asked and (not making or min(making) > max(asked))

    run_and_check(monkeypatch, None, check)
    with Briefing.open(default, read_only=True) as b:
        assert [n.author for n in b.notes(b.node_by_ref("1.1.1").id) if n.body == "Mine"] == ["Maria Rossi"]
