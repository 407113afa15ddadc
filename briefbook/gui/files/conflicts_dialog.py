"""File > Conflicts…: every version a merge set aside (another meeting purpose, a
note's other text…), each with who wrote it and what was kept; restore it or
dismiss it. Both travel to colleagues' copies with the next merge."""

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
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefbook.gui.context import Changed, ChangeKind
from briefbook.gui.messages import plain_tooltip

if TYPE_CHECKING:
    from briefbook.gui.context import AppContext
    from db.briefing.conflicts import SetAside

COLUMNS = ("What", "Field", "Set-aside version", "By", "Kept")


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
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Versions set aside by merges")
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = QPushButton("&Restore This Version")
        self.restore_button.setToolTip("Put the set-aside version in place of the one kept")
        self.dismiss_button = QPushButton("&Dismiss")
        self.dismiss_button.setToolTip("Keep the version in place and drop the set-aside one")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.dismiss_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(lambda: self._act(restore=True))
        self.dismiss_button.clicked.connect(lambda: self._act(restore=False))
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(buttons)
        self.resize(820, 380)
        self.refresh()

    def refresh(self) -> None:
        briefing = self.context.briefing
        self.items = briefing.set_aside() if briefing is not None else []
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            field = "text" if item.kind == "note" else item.field.replace("_", " ")
            what = item.what[:1].upper() + item.what[1:]
            for col, text in enumerate((what, field, item.value, item.other_by, item.kept)):
                cell = QTableWidgetItem(text)  # plain text: a colleague's words are data
                cell.setToolTip(plain_tooltip(text))  # a tooltip that looks like HTML would be rendered
                self.table.setItem(row, col, cell)
        self.table.resizeRowsToContents()
        n = len(self.items)
        self.summary.setText(
            "No conflicts: nothing any merge set aside is waiting." if not n else
            f"{n} version{'s' if n != 1 else ''} set aside by merges, where two people changed the same "
            "thing. The kept version is in the file; restore the other one, or dismiss it."
        )
        if n:
            self.table.selectRow(0)
        self._selection_changed()

    def _selection_changed(self) -> None:
        chosen = bool(self.table.selectionModel().selectedRows()) and bool(self.items)
        self.restore_button.setEnabled(chosen and not (self.context.briefing and self.context.briefing.read_only))
        self.dismiss_button.setEnabled(self.restore_button.isEnabled())

    def _act(self, restore: bool) -> None:
        briefing = self.context.briefing
        rows = self.table.selectionModel().selectedRows()
        if briefing is None or not rows:
            return
        from briefbook.gui.commands.base import push
        from briefbook.gui.commands.conflicts import SettleSetAsideCommand

        item = self.items[rows[0].row()]
        if not restore and not _dismiss_confirmed(self, item):
            return
        # On the undo stack: Edit > Undo sets the version aside again (and puts back what a restore replaced).
        if not push(self.context, SettleSetAsideCommand(self.context, item, restore), self, "Conflicts"):
            self.context.notify(Changed(ChangeKind.EVERYTHING))  # refused: show the file as it is
        self.refresh()


def _dismiss_confirmed(parent: QWidget, item: SetAside) -> bool:
    """Ask before a set-aside version is dropped, saying which text goes."""
    from briefbook.gui import messages

    text = " ".join(item.value.split())
    shown = text if len(text) <= 300 else text[:299].rstrip() + "…"
    whose = f"{item.other_by}'s" if item.other_by else "the other"
    return messages.ask_yes_no(
        parent, "Dismiss This Version",
        f"Drop {whose} version of {item.what} for good? This text will no longer be kept:\n\n“{shown}”\n\n"
        "The version in place stays as it is.",
        "Dismiss", "Keep Both",
    )


def show_conflicts(parent: QWidget, context: AppContext) -> None:
    ConflictsDialog(context, parent).open()
