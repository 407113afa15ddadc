"""The dialog that combines two records of one report (two colleagues each added it):
find the other record by title, and its citations, quotes and files move to this one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from briefbook.gui.sources.models import SourceSearchModel, ValueRole
from db.model.values import SourceInfo

SourceSearch = Callable[[str], list[SourceInfo]]


class CombineSourceDialog(QDialog):
    def __init__(self, parent: QWidget | None, keep: SourceInfo, search: SourceSearch) -> None:
        super().__init__(parent)
        self.setWindowTitle("Combine sources")
        self.setAccessibleName("Combine sources")
        self.setMinimumSize(560, 420)
        self._keep, self._search = keep, search
        intro = QLabel(
            f"Combine “{keep.title}” with another record of the same report. The other record's "
            "citations, quotes and files move to this one, which also takes its outlet, address, date "
            "or excerpt where this one has none; the other is then deleted (Edit > Undo brings it back)."
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)  # titles come from the file
        intro.setWordWrap(True)
        # The first words only: the other record's title seldom matches to the letter.
        self.search_edit = QLineEdit(" ".join(keep.title.split()[:3]))
        self.search_edit.setAccessibleName("Search sources by title")
        self.search_edit.setClearButtonEnabled(True)
        self.model = SourceSearchModel(self)
        self.list_view = QListView()
        self.list_view.setModel(self.model)
        self.list_view.setAccessibleName("Sources to combine with")
        self.list_view.setWordWrap(True)
        self.list_view.setAlternatingRowColors(True)
        self.empty_label = QLabel("")
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setWordWrap(True)
        find = QLabel("&Find the other record:")
        find.setBuddy(self.search_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Combine")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, find, self.search_edit):
            layout.addWidget(widget)
        layout.addWidget(self.list_view, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.buttons)
        self.search_edit.textChanged.connect(self.refresh)
        self.list_view.doubleClicked.connect(lambda _index: self.accept())
        self.list_view.selectionModel().selectionChanged.connect(lambda *_: self._update_ok())
        self.refresh()
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def refresh(self) -> None:
        text = self.search_edit.text().strip()
        found = [s for s in self._search(text) if s.id != self._keep.id]
        self.model.set_results(found, ())
        self.empty_label.setText("" if found else (f"No other source has a title containing “{text}”." if text
                                                   else "This file has no other source."))
        self.empty_label.setVisible(not found)
        if found:  # Enter combines with the first one found
            self.list_view.selectionModel().setCurrentIndex(
                self.model.index(0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self._update_ok()

    def chosen(self) -> SourceInfo | None:
        for index in self.list_view.selectionModel().selectedIndexes():
            value: SourceInfo = index.data(ValueRole)
            return value
        return None

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.chosen() is not None)

    def accept(self) -> None:
        if self.chosen() is not None:
            super().accept()


def choose_duplicate(parent: QWidget | None, keep: SourceInfo, search: SourceSearch) -> SourceInfo | None:
    """The other record of `keep`'s report the user picks, or None."""
    dialog = CombineSourceDialog(parent, keep, search)
    try:
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
