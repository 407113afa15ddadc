"""File > Sync with Team Store… in the window (the module the menu hooks in)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgcluster import Cluster
from sync_helpers import sync

from db.briefing.facade import Briefing


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from briefbook.gui import messages

    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, title, text: shown.append(text))
    return shown


@pytest.fixture
def window(qtbot, seeded_path: Path, tmp_path: Path, said: list[str]) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication, QSettings

    from briefbook.gui import settings
    from briefbook.gui.main_window import MainWindow

    QCoreApplication.setOrganizationName("briefbook-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    settings.set_author("tester")
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.files.open_path(seeded_path), said
    yield win
    win.close()


def _report(qtbot, window):  # type: ignore[no-untyped-def]
    from briefbook.gui.files.sync_dialog import SyncReportDialog

    def shown() -> list[SyncReportDialog]:
        return [d for d in window.findChildren(SyncReportDialog) if d.isVisible()]

    qtbot.waitUntil(lambda: bool(shown()), timeout=30000)
    [dialog] = shown()
    dialog.close()
    return dialog


def test_the_menu_entry_syncs_and_brings_a_colleagues_note_in(
    qtbot,
    window,
    store: str,
    seeded_path: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from PySide6.QtGui import QAction

    from briefbook.gui.files.sync_dialog import sync_with_store

    action = window.findChild(QAction, "syncAction")
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    assert action in file_menu.actions() and action.isEnabled()
    sync_with_store(window, window.context, store)
    assert _report(qtbot, window).lines[0].startswith("Sent to the team store: plans 1 added")
    colleague = tmp_path / "colleague.sqlite"
    shutil.copyfile(seeded_path, colleague)
    with Briefing.open(colleague, user="bianca") as b:
        node = b.node_by_ref("3.2.1")
        b.add_note(node.id, "question", "Bianca: who leads the minerals dialogue?")
    sync(colleague, store, "bianca")
    window.tree_pane.select_ref("3.2.1")
    sync_with_store(window, window.context, store)
    assert "Brought in from the team store: notes 1 added." in _report(qtbot, window).lines
    assert "Bianca: who leads the minerals dialogue?" in [n.body for n in window.context.briefing.notes(node.id)]
    assert window.context.briefing.meta("store.address") == store


def test_an_unreachable_store_is_one_sentence_and_the_window_keeps_working(
    qtbot,
    window,
    said: list[str],
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    import socket

    from briefbook.gui.files import sync_dialog

    monkeypatch.setattr(sync_dialog, "ask_password", lambda parent, why: None)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    sync_dialog.sync_with_store(window, window.context, f"postgresql://ana@127.0.0.1:{port}/desk?connect_timeout=3")
    qtbot.waitUntil(lambda: bool(said), timeout=30000)
    assert "could not be reached" in said[0] and "keep working on this file offline" in said[0]
    node = window.context.briefing.node_by_ref("3.2.1")
    window.context.briefing.add_note(node.id, "update", "Still working offline.")


def test_a_password_is_asked_for_and_used_once(
    qtbot,
    window,
    pg: Cluster,
    store: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from briefbook.gui.files import sync_dialog

    dbname = store.split("?")[0].rsplit("/", 1)[-1]
    pg.admin(f"CREATE ROLE gui_{dbname} LOGIN PASSWORD 'pw-typed-at-a-prompt'")
    pg.admin(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO gui_{dbname}", dbname)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    asked: list[str] = []
    monkeypatch.setattr(sync_dialog, "ask_password", lambda parent, why: asked.append(why) or "pw-typed-at-a-prompt")
    sync_dialog.sync_with_store(window, window.context, pg.tcp_url(f"gui_{dbname}", dbname))
    report = _report(qtbot, window)
    assert len(asked) == 1 and "refused the login" in asked[0]
    assert report.lines[0].startswith("In step") or "could not be sent" in " ".join(report.lines)
    assert b"pw-typed-at-a-prompt" not in window.context.briefing.path.read_bytes()
