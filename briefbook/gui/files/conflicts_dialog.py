"""File > Conflicts…: every version a merge set aside (another meeting purpose, a
note's other text…), to restore or dismiss. Both travel to colleagues'
copies with the next merge.

One line per conflict in the list; below it, the chosen one in full: where it
is in the plan, and the version in the file beside the version set aside,
each with who wrote it and when, the words that differ marked. Everything
shown is text from someone's file: plain text, or escaped (text_diff.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from briefbook.gui.context import Changed, ChangeKind
from briefbook.gui.files.text_diff import marked
from briefbook.gui.messages import plain_tooltip
from briefbook.gui.widgets.formatting import local_time

if TYPE_CHECKING:
    from briefbook.gui.context import AppContext
    from db.briefing.conflicts import SetAside

COLUMNS = ("What", "Field", "Set aside, written by")
LEGEND = "Marked: the words that differ from the other version."


def one_line(text: str) -> str:
    """A list cell's text: every line of it on one line."""
    return " ".join(text.split())


def written(by: str, at: str) -> str:
    """"by Marco Rossi, 3 Mar 2025 10:00" (plain text)."""
    when = local_time(at) if at else ""
    return ", ".join(p for p in (f"by {by}" if by else "", when) if p) or "by someone unknown"


class VersionPane(QWidget):
    """One version: a heading saying which and who wrote it when, then the whole text."""

    def __init__(self, title: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)  # the writer's name is from a file
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.setAccessibleName(name)
        self.heading.setBuddy(self.text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.text, 1)

    def show_version(self, who: str, html: str, plain: str) -> None:
        self.heading.setText(f"{self.title} — {who}")
        self.text.setHtml(html)
        self.text.setAccessibleDescription(plain)


class ConflictsDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.items: list[SetAside] = []
        self.setWindowTitle("Conflicts")
        self.setObjectName("conflictsDialog")
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        # The list: one line per conflict, however long its texts.
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setAccessibleName("Versions set aside by merges")

        # The chosen conflict in full.
        details = QWidget()
        dl = QVBoxLayout(details)
        dl.setContentsMargins(0, 0, 0, 0)
        self.where = QLabel()
        self.where.setTextFormat(Qt.TextFormat.PlainText)
        self.where.setWordWrap(True)
        self.where.setAccessibleName("Where it is")
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kept_pane = VersionPane("In the file now", "The version in the file")
        self.set_aside_pane = VersionPane("Set aside", "The version set aside")
        versions = QSplitter(Qt.Orientation.Horizontal)
        versions.addWidget(self.kept_pane)
        versions.addWidget(self.set_aside_pane)
        versions.setChildrenCollapsible(False)
        self.legend = QLabel(LEGEND)
        self.legend.setObjectName("hint")
        dl.addWidget(self.where)
        dl.addWidget(versions, 1)
        dl.addWidget(self.legend)
        self.details = details

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(details)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        layout.addWidget(split, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = QPushButton("&Restore This Version")
        self.restore_button.setToolTip("Put the set-aside version (on the right) in place of the one in the file")
        self.dismiss_button = QPushButton("&Dismiss")
        self.dismiss_button.setToolTip("Keep the version in the file (on the left) and drop the set-aside one")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.dismiss_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(lambda: self._act(restore=True))
        self.dismiss_button.clicked.connect(lambda: self._act(restore=False))
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(buttons)
        self.kept_text = self.kept_pane.text
        self.set_aside_text = self.set_aside_pane.text
        self._fit(900, 640)
        self.refresh()

    def _fit(self, width: int, height: int) -> None:
        """This size, or nine tenths of a smaller screen (a 1024x640 laptop)."""
        screen = (self.parentWidget() or self).screen()
        room = screen.availableGeometry() if screen is not None else None
        if room is not None:
            width, height = min(width, room.width() * 9 // 10), min(height, room.height() * 9 // 10)
        self.resize(width, height)

    def refresh(self) -> None:
        briefing = self.context.briefing
        self.items = briefing.set_aside() if briefing is not None else []
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            field = "text" if item.kind == "note" else item.field.replace("_", " ")
            what = item.what[:1].upper() + item.what[1:]
            for col, text in enumerate((what, field, written(item.other_by, item.other_at))):
                cell = QTableWidgetItem(one_line(text))  # plain text: a colleague's words are data
                cell.setToolTip(plain_tooltip(text))  # a tooltip that looks like HTML would be rendered
                self.table.setItem(row, col, cell)
        n = len(self.items)
        self.summary.setText(
            "No conflicts: nothing any merge set aside is waiting." if not n else
            f"{n} version{'s' if n != 1 else ''} set aside by merges, where two people changed the same "
            "thing. The version in the file is on the left, the one set aside on the right: restore it, "
            "or dismiss it."
        )
        if n:
            self.table.selectRow(0)
        self._selection_changed()

    def current(self) -> SetAside | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows and self.items else None

    def _selection_changed(self) -> None:
        item = self.current()
        chosen = item is not None
        self.restore_button.setEnabled(chosen and not (self.context.briefing and self.context.briefing.read_only))
        self.dismiss_button.setEnabled(self.restore_button.isEnabled())
        self.details.setVisible(chosen)
        if item is not None:
            self._show(item)

    def _show(self, item: SetAside) -> None:
        briefing = self.context.briefing
        if briefing is None:
            return
        from db.model.errors import BriefbookError

        try:
            details = briefing.set_aside_details(item)
        except BriefbookError as exc:
            self.where.setText(str(exc))
            return
        field = "its text" if item.kind == "note" else f"its {item.field.replace('_', ' ')}"
        what = item.what[:1].upper() + item.what[1:]
        self.where.setText(f"{what} — {field}\nWhere: {details.place or 'no longer in the plan'}")
        kept_html, other_html = marked(details.kept_now, item.value)
        self.kept_pane.show_version(written(details.kept_by, details.kept_at), kept_html, details.kept_now)
        self.set_aside_pane.show_version(written(item.other_by, item.other_at), other_html, item.value)

    def _act(self, restore: bool) -> None:
        briefing = self.context.briefing
        item = self.current()
        if briefing is None or item is None:
            return
        from briefbook.gui.commands.base import push
        from briefbook.gui.commands.conflicts import SettleSetAsideCommand

        # On the undo stack: Edit > Undo sets the version aside again (and puts back what a restore replaced).
        if not push(self.context, SettleSetAsideCommand(self.context, item, restore), self, "Conflicts"):
            self.context.notify(Changed(ChangeKind.EVERYTHING))  # refused: show the file as it is
        self.refresh()


def show_conflicts(parent: QWidget, context: AppContext) -> None:
    ConflictsDialog(context, parent).open()
