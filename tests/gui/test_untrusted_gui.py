"""The window with someone else's file: text shown as text, links only to the web and mail,
attachments copied only inside the temporary folder, FIFOs and devices refused (issue 11 items 1-3, 5, 6)."""

from __future__ import annotations

import json
import re
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt as QtNS
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from untrusted_helpers import tree_bytes

from briefbook.gui import messages
from briefbook.gui.context import AppContext
from briefbook.gui.files import opening
from briefbook.gui.notes.markdown_view import markdown_to_html
from briefbook.gui.sources.panel import SourcesPanel, temporary_copy_path
from db.briefing.facade import Briefing
from db.model import ids

SPOOF = "<font size=7 color=red>URGENT: send the file to x@example.org</font>"
FREEZE = '<img src="/dev/zero">'


def _lock(path: Path, user: str, host: str) -> None:
    now = ids.now()
    record = {"host": host, "user": user, "pid": 4242, "since": now, "heartbeat": now, "token": "t"}
    path.with_name(path.name + ".lock").write_text(json.dumps(record), encoding="utf-8")


def test_the_lock_holders_name_is_shown_as_plain_text_in_the_real_box(qtbot, seeded_path: Path) -> None:  # type: ignore[no-untyped-def]
    _lock(seeded_path, SPOOF, FREEZE)
    seen: list[tuple[QtNS.TextFormat, str]] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        label = box.findChild(QLabel, "qt_msgbox_label")
        seen.append((label.textFormat(), label.text()))
        box.reject()

    QTimer.singleShot(200, answer)
    assert opening.open_briefing(None, seeded_path, "tester") is None  # declined: nothing opened
    ((fmt, text),) = seen
    assert fmt == QtNS.TextFormat.PlainText
    assert SPOOF[:50] in text and FREEZE[:10] in text  # shown as the characters they are (cut short)


@pytest.fixture
def ctx(seeded_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "show_error", lambda _p, title, sentence: shown.append((title, sentence)))
    context = AppContext()
    context.set_briefing(Briefing.open(seeded_path, user="tester"))
    context.errors = shown  # type: ignore[attr-defined]
    yield context
    context.set_briefing(None)


@pytest.fixture
def panel(ctx: AppContext, qtbot) -> SourcesPanel:  # type: ignore[no-untyped-def]
    widget = SourcesPanel(ctx)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _show_source(panel: SourcesPanel, ctx: AppContext, url: str) -> list[object]:
    assert ctx.briefing is not None
    node = ctx.briefing.node_by_ref("1.1.1")
    source = ctx.briefing.add_source("A colleague's source", url="https://example.org/placeholder")
    ctx.briefing.link_source(source.id, node.id, "")
    # Another program (or a merged copy) wrote the URL: the facade itself would refuse it.
    with ctx.briefing.connection() as conn:
        conn.execute("UPDATE source SET url = ? WHERE id = ?", (url, source.id))
    ctx.select_node(node.id)
    panel.reload()
    for row in range(panel.model.rowCount()):
        if panel.model.item(row).source.id == source.id:
            panel.list_view.setCurrentIndex(panel.model.index(row))
    opened: list[object] = []
    panel.open_url = lambda u: opened.append(u) or True
    return opened


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "smb://host/share", " FILE:/x"])
def test_a_source_url_of_another_scheme_is_not_a_link(
    panel: SourcesPanel, ctx: AppContext, url: str, seeded_path: Path
) -> None:
    opened = _show_source(panel, ctx, url)
    before = tree_bytes(seeded_path.parent)
    shown = panel.url_label.text()
    assert "<a " not in shown and "not a web or mail address" in shown
    panel.url_label.linkActivated.emit(url)  # even if something made it a link
    assert opened == []
    assert tree_bytes(seeded_path.parent) == before


def test_a_web_address_stays_a_link_and_a_huge_one_is_shortened(panel: SourcesPanel, ctx: AppContext) -> None:
    url = "https://example.org/" + "a" * 200_000
    opened = _show_source(panel, ctx, url)
    shown = panel.url_label.text()
    assert shown.startswith('<a href="https://example.org/') and len(shown) < 200_000 + 400
    assert len(shown.split(">", 1)[1]) <= 210  # the link holds the whole address; what is shown is cut short
    panel.url_label.linkActivated.emit(url)
    assert len(opened) == 1 and opened[0].toString() == url  # type: ignore[attr-defined]


def test_note_links_open_only_web_and_mail_addresses() -> None:
    html = markdown_to_html(
        "[a](javascript:alert(1)) [b](file:///etc/passwd) [c](smb://h/s) [d](https://example.org) "
        '[e](mailto:x@example.org) <a href="file:///etc/shadow">raw</a> ![img](/dev/zero)'
    )
    hrefs = re.findall(r'<a href="([^"]*)"', html)
    assert hrefs == ["https://example.org", "mailto:x@example.org"]
    assert "<img" not in html and "&lt;a href" in html


def test_tooltips_with_file_text_show_it_as_text(panel: SourcesPanel, ctx: AppContext) -> None:
    from PySide6.QtCore import Qt

    opened = _show_source(panel, ctx, "https://example.org")
    assert opened == []
    assert ctx.briefing is not None
    with ctx.briefing.connection() as conn:
        conn.execute("UPDATE source SET title = ? WHERE title = ?", (FREEZE, "A colleague's source"))
    panel.reload()
    tips = [panel.model.data(panel.model.index(r), Qt.ItemDataRole.ToolTipRole) for r in range(panel.model.rowCount())]
    (tip,) = [t for t in tips if "img" in t]
    assert "<img" not in tip and "&lt;img src=&quot;/dev/zero&quot;&gt;" in tip


def test_an_attachment_copy_stays_inside_the_temporary_folder(
    panel: SourcesPanel, ctx: AppContext, tmp_path: Path
) -> None:
    victim = tmp_path / "home" / ".ssh"
    victim.mkdir(parents=True)
    (victim / "authorized_keys").write_text("ssh-ed25519 AAAA genuine\n")
    assert ctx.briefing is not None
    node = ctx.briefing.node_by_ref("1.1.1")
    source = ctx.briefing.add_source("Planted")
    ctx.briefing.link_source(source.id, node.id, "")
    ctx.briefing.add_attachment(source.id, "keys.txt", b"ssh-ed25519 AAAA attacker\n")
    ctx.briefing.add_attachment(source.id, "dots.txt", b"dots")
    with ctx.briefing.connection() as conn:  # as a colleague's copy may hold them
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("UPDATE attachment SET id = ?, filename = 'authorized_keys' WHERE filename = 'keys.txt'",
                     (str(victim),))
        conn.execute("UPDATE attachment SET filename = '..' WHERE filename = 'dots.txt'")
    outside = tree_bytes(tmp_path)
    ctx.select_node(node.id)
    panel.reload()
    for row in range(panel.model.rowCount()):
        if panel.model.item(row).source.id == source.id:
            panel.list_view.setCurrentIndex(panel.model.index(row))
    panel.open_url = lambda _u: True
    written = []
    for row in range(panel.attachments_model.rowCount()):
        panel.attachments_view.setCurrentIndex(panel.attachments_model.index(row))
        target = panel.open_attachment()
        assert target is not None
        written.append(target)
    temp = panel._temp_dir
    assert temp is not None
    mode = stat.S_IMODE(temp.stat().st_mode)
    for target in written:
        assert temp.resolve() in target.resolve().parents and target.is_file()
    assert sorted(t.name for t in written) == ["attachment", "authorized_keys"]
    assert stat.S_IMODE(temp.stat().st_mode) == mode == 0o700  # ".." did not make the folder read-only
    assert tree_bytes(tmp_path) == outside  # the real authorized_keys is untouched
    panel.remove_temporary_copies()


@pytest.mark.parametrize("name", ["", ".", "..", "../../x", "a/b\\c", "\x00evil", "x" * 5000 + ".pdf"])
def test_temporary_paths_are_built_from_safe_parts(tmp_path: Path, name: str) -> None:
    target = temporary_copy_path(tmp_path, "../../etc", name)
    assert target.parent.parent == tmp_path and len(target.name) <= 120 and "\x00" not in target.name
    assert target.name not in ("", ".", "..")


def test_attaching_a_device_is_refused_in_one_sentence(panel: SourcesPanel, ctx: AppContext, seeded_path: Path) -> None:
    assert ctx.briefing is not None
    node = ctx.briefing.node_by_ref("3.2.1")
    ctx.select_node(node.id)
    panel.list_view.setCurrentIndex(panel.model.index(0))
    before = len(ctx.briefing.attachments(panel.model.item(0).source.id))
    files = tree_bytes(seeded_path.parent)
    panel.add_attachment(Path("/dev/urandom"))
    assert ctx.errors == [  # type: ignore[attr-defined]
        ("File not attached", "urandom cannot be attached: /dev/urandom is a device, not a regular file.")
    ]
    assert len(ctx.briefing.attachments(panel.model.item(0).source.id)) == before
    assert tree_bytes(seeded_path.parent) == files


def test_file_open_on_a_fifo_is_refused_at_once(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import os

    fifo = tmp_path / "colleague.sqlite"
    os.mkfifo(fifo)
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda _p, _t, sentence: shown.append(sentence))
    result: list[object] = []
    before = tree_bytes(tmp_path)
    worker = threading.Thread(target=lambda: result.append(opening.open_briefing(None, fifo, "tester")), daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "File > Open blocked on a FIFO"
    assert result == [None]
    assert shown == [f"{fifo} is a pipe (FIFO), not a briefing file."]
    assert tree_bytes(tmp_path) == before


def _choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(path), "")))


def test_the_windows_merge_refuses_a_copy_with_planted_bytes_naming_the_row(  # type: ignore[no-untyped-def]
    qtbot, window, messages, seeded_path: Path, tmp_path: Path, monkeypatch
) -> None:
    import shutil
    import sqlite3

    from window_helpers import action

    from briefbook.gui.files.merge_dialog import MergeReportDialog

    theirs = tmp_path / "colleague.sqlite"
    shutil.copyfile(seeded_path, theirs)
    conn = sqlite3.connect(theirs)
    conn.execute("UPDATE blob SET data = CAST('planted bytes' AS BLOB), size = 13 WHERE rowid = 1")
    conn.commit()
    conn.close()
    before = tree_bytes(tmp_path)
    _choose_file(monkeypatch, theirs)
    action(window, "mergeAction").trigger()
    qtbot.waitUntil(lambda: bool(messages.errors()), timeout=20000)
    sentence = messages.errors()[-1]
    assert sentence.startswith("colleague.sqlite cannot be merged: row '")
    assert "of table blob holds bytes whose SHA-256 is not the one it is stored under" in sentence
    assert window.findChildren(MergeReportDialog) == []
    assert tree_bytes(tmp_path) == before  # neither file changed, no backup


def test_the_check_dialog_shows_a_spoofing_value_as_text(qtbot, window, messages) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from window_helpers import action, open_dialogs

    from briefbook.gui.files.check_dialog import CheckDialog

    path = window.context.briefing.path
    conn = sqlite3.connect(path)
    conn.execute(f"UPDATE note SET kind = '{SPOOF}' WHERE rowid = (SELECT min(rowid) FROM note)")
    conn.commit()
    conn.close()
    action(window, "checkFileAction").trigger()
    qtbot.waitUntil(lambda: bool(open_dialogs(window, CheckDialog)), timeout=20000)
    [dialog] = open_dialogs(window, CheckDialog)
    (values,) = [dialog.items.item(i) for i in range(dialog.items.count()) if "Values" in dialog.items.item(i).text()]
    assert values.text().startswith("✗  Values: row '") and "<font size=7" in values.text()
    assert "<font" not in values.toolTip() and "&lt;font size=7" in values.toolTip()
    assert dialog.verdict.textFormat() == QtNS.TextFormat.PlainText
    dialog.close()


def test_notes_another_program_wrote_in_another_encoding_are_named_not_hidden(  # type: ignore[no-untyped-def]
    qtbot, window, messages, seeded_path: Path
) -> None:
    import sqlite3

    node = window.context.briefing.node_by_ref("3.2.1")
    assert window.context.briefing.notes(node.id)
    conn = sqlite3.connect(seeded_path)
    conn.execute("UPDATE note SET body = CAST(x'48e96cff' AS TEXT) WHERE node_id = ?", (node.id,))
    conn.commit()
    conn.close()
    before = tree_bytes(seeded_path.parent)
    window.tree_pane.select_ref("3.2.1")

    def said() -> bool:
        shown = [label.text() for label in window.notes_panel.findChildren(QLabel) if not label.isHidden()]
        return any("holds text that is not valid UTF-8" in text and "briefbook check" in text for text in shown)

    qtbot.waitUntil(said, timeout=5000)
    assert tree_bytes(seeded_path.parent) == before


def test_the_conflicts_dialog_shows_a_colleagues_html_as_text(  # type: ignore[no-untyped-def]
    qtbot, window, seeded_path: Path, tmp_path: Path, monkeypatch
) -> None:
    import shutil

    from window_helpers import action, open_dialogs

    from briefbook.gui.files.conflicts_dialog import ConflictsDialog
    from briefbook.gui.files.merge_dialog import MergeReportDialog

    theirs = tmp_path / "ben.sqlite"
    shutil.copyfile(seeded_path, theirs)
    mine = window.context.briefing
    meeting = mine.meetings()[0]
    mine.edit_meeting(meeting.id, purpose="My purpose")
    with Briefing.open(theirs, user="Ben") as ben:
        ben.edit_meeting(meeting.id, purpose=FREEZE)
    _choose_file(monkeypatch, theirs)
    action(window, "mergeAction").trigger()
    qtbot.waitUntil(lambda: bool(open_dialogs(window, MergeReportDialog)), timeout=20000)
    [report] = open_dialogs(window, MergeReportDialog)
    report.close()
    action(window, "conflictsAction").trigger()
    qtbot.waitUntil(lambda: bool(open_dialogs(window, ConflictsDialog)))
    [conflicts] = open_dialogs(window, ConflictsDialog)
    shown = {conflicts.set_aside_text.toPlainText(), conflicts.kept_text.toPlainText()}
    assert FREEZE in shown  # the text as it is, not an image
    html = conflicts.set_aside_text.toHtml() + conflicts.kept_text.toHtml()
    assert "<img" not in html and "&lt;img" in html and "/dev/zero&quot;&gt;" in html
    conflicts.close()
