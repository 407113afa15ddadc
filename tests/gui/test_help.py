"""Help that helps: the keyboard shortcuts come from the actions themselves, the
user guide ships with the program and opens from Help, About names the versions
and the fonts' licences, and the text size zooms and is remembered."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog
from window_helpers import action, menu

from briefbook.gui.help import GUIDE, AboutDialog, GuideDialog, ShortcutsDialog
from briefbook.gui.main_window import MainWindow


def shown_while(qtbot, trigger, check) -> list[str]:  # type: ignore[no-untyped-def]
    """Trigger a menu entry that opens a modal dialog, run `check` on it, close it."""
    failures: list[str] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(20, run)
            return
        try:
            check(dialog)
        except Exception as exc:
            failures.append(repr(exc))
        dialog.reject()

    QTimer.singleShot(0, run)
    trigger()
    return failures


def test_keyboard_shortcuts_list_every_shortcut_of_the_menus(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    def check(dialog: QDialog) -> None:
        assert isinstance(dialog, ShortcutsDialog)
        table = dialog.table
        rows = [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]
        keys = {r[1] for r in rows}
        for a in window.findChildren(QAction):
            if not a.shortcut().isEmpty() and a.menu() is None and a.associatedObjects():
                assert a.shortcut().toString(QKeySequence.SequenceFormat.NativeText) in " ".join(keys), a.text()
        assert ("Edit", "Ctrl+Shift+N", "Add Note") in rows
        assert any(r[0] == "Agenda" and r[1] == "Ctrl+Up" and r[2] == "Move the item up" for r in rows)
        assert any(r[0] == "Dialogs" and r[1] == "Ctrl+Enter" for r in rows)

    assert "&Keyboard Shortcuts" in [a.text() for a in menu(window, "&Help").actions()]
    assert shown_while(qtbot, action(window, "shortcutsAction").trigger, check) == []


def test_the_user_guide_ships_with_screenshots_and_opens_from_help(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    assert GUIDE.is_file()
    html = GUIDE.read_text(encoding="utf-8")
    images = [part.split('"')[0] for part in html.split('<img src="')[1:]]
    assert len(images) >= 3 and all((GUIDE.parent / i).is_file() for i in images)

    def check(dialog: QDialog) -> None:
        assert isinstance(dialog, GuideDialog)
        text = dialog.browser.toPlainText()
        assert "Find a commitment" in text and "Prepare a meeting" in text

    assert shown_while(qtbot, action(window, "guideAction").trigger, check) == []


def test_about_names_versions_and_font_licences(qtbot) -> None:  # type: ignore[no-untyped-def]
    from briefbook import __version__

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    assert f"briefbook {__version__}" in text
    for name in ("Python", "Qt", "SQLite", "reportlab", "python-docx"):
        assert name in text
    assert "IPA Font License" in text and "SIL Open Font License" in text
    licence = next(a for a in dialog.browser.document().toHtml().split("href=\"")[1:]).split('"')[0]
    dialog._show_licence(QUrl(licence))
    assert "License" in dialog.browser.toPlainText() or "Licence" in dialog.browser.toPlainText()


def test_zoom_changes_the_text_size_and_is_remembered(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    normal = QApplication.font().pointSizeF()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.font().pointSizeF() == normal + 2
    window.close()
    font = QApplication.font()
    font.setPointSizeF(normal)
    QApplication.setFont(font)  # as at a new start: the new window restores the size itself
    again = MainWindow()
    qtbot.addWidget(again)
    assert QApplication.font().pointSizeF() == normal + 2
    action(again, "zoomOutAction").trigger()
    assert QApplication.font().pointSizeF() == normal + 1
    action(again, "zoomResetAction").trigger()
    assert QApplication.font().pointSizeF() == normal
    again.close()


def test_about_names_every_font_the_exports_embed_with_its_licence(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Each font file shipped, and each face the PDF and Word exports embed, belongs to a
    font About names, beside its licence file (BIZ UDPGothic, the Japanese of both, was missing)."""
    from briefbook.gui.help import FONTS
    from briefbook.services.paths import FONT_DIR
    from exporters import docx_package, fonts

    named = {file: name for name, _, _, _, files in FONTS for file in files}
    shipped = {p.name for p in FONT_DIR.glob("*.ttf")}
    embedded = {f for faces in fonts._FAMILIES.values() for f in faces if f} | set(docx_package.EMBEDDED.values())
    assert embedded <= shipped
    assert shipped <= set(named), shipped - set(named)
    assert all((FONT_DIR / licence).is_file() for _, _, _, licence, _ in FONTS)

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    for name, use, licence, file, _ in FONTS:
        assert f"{name} ({use}): {licence} — {file}" in text
    assert "BIZ UDPGothic" in text and "BIZUDGothic_License.txt" in text


def test_the_user_guide_names_only_menu_entries_that_exist(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Every "Menu > Entry" the guide names is in the menu bar, written as the menu shows it
    (the guide once sent readers to "File > Import Plan Text…", which never existed)."""
    import html
    import re

    from PySide6.QtWidgets import QMenu

    from briefbook.gui.help import _plain

    text = html.unescape(re.sub(r"<[^>]+>", "", GUIDE.read_text(encoding="utf-8")))
    text = re.sub(r"\s+", " ", text)
    tops = {_plain(a.text()): a.menu() for a in window.menuBar().actions() if isinstance(a.menu(), QMenu)}
    paths = [m.start() for m in re.finditer(rf"\b(?:{'|'.join(tops)}) > ", text)]
    assert len(paths) >= 10
    wrong = []
    for start in paths:
        top, rest = text[start:].split(" > ", 1)
        menu: QMenu | None = tops[top]
        while menu is not None:
            entries = {_plain(a.text()): a for a in menu.actions() if not a.isSeparator()}
            # As the menu writes it, or without its "…" where a bracket or punctuation follows
            # ("Edit > Preferences)"); "Import Plan Text…" matches neither form of "Import Plan…".
            forms = [(n, n, "") for n in entries] + [(n[:-1], n, ")],.;:") for n in entries if n.endswith("…")]
            found = next((
                (written, name) for written, name, after in sorted(forms, key=lambda f: -len(f[0]))
                if rest.startswith(written)
                and (rest[len(written):len(written) + 1] in after if after else not rest[len(written):][:1].isalnum())
            ), None)
            if found is None:
                wrong.append(f"{top} > {rest[:40]}")
                break
            entry = entries[found[1]]
            rest = rest[len(found[0]):]
            menu = entry.menu() if rest.startswith(" > ") and isinstance(entry.menu(), QMenu) else None
            rest = rest[3:] if menu is not None else rest
    assert wrong == []
    assert "Sync with Team Store" in text and "team store" in text
