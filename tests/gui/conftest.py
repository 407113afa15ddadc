"""Fixtures for the window tests: settings in a temp dir, message boxes recorded
instead of shown (a modal box would block the test), a main window on a copy
of the seeded file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, qapp) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """QSettings (author, recent files, geometry) go to this test's own folder."""
    QCoreApplication.setOrganizationName("briefbook-tests")
    QCoreApplication.setApplicationName("briefbook-tests")
    folder = tmp_path / "settings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder


class Messages:
    """What the window said: (kind, title, text) tuples; `answers` feed the questions."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.answers: list[object] = []

    def errors(self) -> list[str]:
        return [text for kind, _, text in self.shown if kind == "error"]

    def _answer(self, default: object) -> object:
        return self.answers.pop(0) if self.answers else default


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> Messages:
    from briefbook.gui import messages as module

    record = Messages()
    monkeypatch.setattr(module, "show_error", lambda parent, title, text: record.shown.append(("error", title, text)))
    monkeypatch.setattr(module, "show_info", lambda parent, title, text: record.shown.append(("info", title, text)))

    def ask_yes_no(parent, title, question, yes, no="Cancel", safe_default=False):  # type: ignore[no-untyped-def]
        record.shown.append(("question", title, question))
        return bool(record._answer(False))

    def ask_choice(parent, title, question, choices):  # type: ignore[no-untyped-def]
        record.shown.append(("question", title, question))
        return record._answer(None)

    monkeypatch.setattr(module, "ask_yes_no", ask_yes_no)
    monkeypatch.setattr(module, "ask_choice", ask_choice)
    return record


@pytest.fixture
def window(qtbot, seeded_path: Path, messages: Messages):  # type: ignore[no-untyped-def]
    """The main window with a copy of the seeded file open (user "tester")."""
    from briefbook.gui import settings
    from briefbook.gui.main_window import MainWindow

    settings.set_author("tester")
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.files.open_path(seeded_path), messages.shown
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
