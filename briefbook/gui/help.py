"""The Help menu's windows: the keyboard shortcuts (read from the window's own
actions and shortcuts, so the list never goes stale), the user guide shipped
in resources/guide/, and About with the versions and the fonts' licences."""

from __future__ import annotations

import html
import platform
import sqlite3
from importlib import metadata
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QUrl, qVersion
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from briefbook.services.paths import FONT_DIR, RESOURCES

GUIDE = RESOURCES / "guide" / "index.html"

#: Every font the program ships (files in resources/fonts/): (name, what it is used for,
#: licence, licence file, font files). The PDF embeds the subsets it uses of the first
#: four; the Word file embeds BIZ UDPGothic whole. tests/gui/test_help.py checks that
#: every font file and every face the exporters embed is named here.
FONTS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("Liberation Serif and Liberation Sans", "the text of PDF packs", "SIL Open Font License 1.1",
     "Liberation_License.txt",
     tuple(f"Liberation{family}-{face}.ttf" for family in ("Serif", "Sans")
           for face in ("Regular", "Bold", "Italic", "BoldItalic"))),
    ("BIZ UDPGothic, regular and bold", "Japanese in PDF and Word packs, embedded in both",
     "SIL Open Font License 1.1", "BIZUDGothic_License.txt",
     ("BIZUDPGothic-Regular.ttf", "BIZUDPGothic-Bold.ttf")),
    ("DejaVu Sans", "symbols and arrows in PDF packs",
     "Bitstream Vera licence; DejaVu changes in the public domain", "DejaVu_License.txt", ("DejaVuSans.ttf",)),
    ("Symbola", "emoji in PDF packs", "free for any use (see the licence file)", "Symbola_License.txt",
     ("Symbola.ttf",)),
    ("IPAexGothic", "Japanese in the window", "IPA Font License Agreement v1.0", "IPA_Font_License.txt",
     ("ipaexg.ttf",)),
)
#: Libraries named in About, by their distribution names.
LIBRARIES = ("PySide6", "reportlab", "python-docx", "SQLAlchemy", "alembic", "platformdirs")


def _plain(text: str) -> str:
    """Menu text without its mnemonic ampersands ("&File" -> "File", "&&" -> "&")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _keys(sequences: list[QKeySequence]) -> str:
    """The sequences as the user reads them, each once (two standard keys may be one)."""
    texts = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences if not s.isEmpty()]
    return ", ".join(dict.fromkeys(texts))


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(where, keys, what) for every shortcut of the window: its menu entries, the
    shortcuts of its lists and editors, the search box's keys and the dialogs'."""
    from briefbook.gui.tree.pane import _SearchKeys
    from briefbook.gui.widgets.guarded_dialog import SHORTCUTS as DIALOG_KEYS

    rows: list[tuple[str, str, str]] = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{path} > {_plain(sub.title())}")
            elif not action.isSeparator() and _keys(action.shortcuts()):
                rows.append((path, _keys(action.shortcuts()), _plain(action.text()).rstrip(".…")))

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, _plain(menu.title()))
    for shortcut in window.findChildren(QShortcut):
        owner = shortcut.parent()
        if shortcut.whatsThis() and isinstance(owner, QWidget):
            rows.append((owner.accessibleName() or "", _keys([shortcut.key()]), shortcut.whatsThis()))
    rows.extend(("Search box", keys, what) for keys, what in _SearchKeys.SHORTCUTS)
    rows.extend(("Dialogs", keys, what) for keys, what in DIALOG_KEYS)
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard Shortcuts")
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 3)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Where", "Keys", "What it does"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))  # items hold plain text
        self.table.resizeRowsToContents()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(640, 560)


class GuideDialog(QDialog):
    """The user guide (HTML with screenshots, shipped with the program)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("briefbook — User Guide")
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("User guide")
        self.browser.setOpenExternalLinks(False)  # the guide's own pages only; no network
        self.browser.setSource(QUrl.fromLocalFile(str(GUIDE)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(820, 700)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def about_html() -> str:
    from briefbook import __version__

    e = html.escape
    libraries = [f"Python {platform.python_version()}", f"Qt {qVersion()} (PySide6 {pyside_version})",
                 f"SQLite {sqlite3.sqlite_version}"]
    libraries += [f"{name} {_version(name)}" for name in LIBRARIES if name != "PySide6"]
    fonts = "".join(
        f"<li><b>{e(name)}</b> ({e(use)}): {e(licence)} — "
        f"<a href='{QUrl.fromLocalFile(str(FONT_DIR / file)).toString()}'>{e(file)}</a></li>"
        for name, use, licence, file, _ in FONTS if (FONT_DIR / file).exists()
    )
    return (
        f"<h2>briefbook {e(__version__)}</h2>"
        "<p>Briefing books for bilateral action plans: notes, sources, implementation status and "
        "meeting packs. It works offline; everything is kept in one file.</p>"
        f"<h3>Libraries</h3><p>{e(' · '.join(libraries))}</p>"
        f"<h3>Fonts shipped with briefbook</h3><ul>{fonts}</ul>"
        f"<p>The licence texts are in {e(str(FONT_DIR))}.</p>"
    )


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About briefbook")
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("About briefbook")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._show_licence)
        self.browser.setHtml(about_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(600, 480)

    def _show_licence(self, url: QUrl) -> None:
        """A licence file of resources/fonts, shown as plain text in place."""
        path = Path(url.toLocalFile())
        if url.isLocalFile() and path.parent == FONT_DIR and path.is_file():
            self.browser.setPlainText(path.read_text(encoding="utf-8", errors="replace"))
