"""The dialog that cites an existing source on a node: search by title, pick one, add a quote."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from briefbook.gui.sources.models import SourceSearchModel, ValueRole
from db.model.values import SourceInfo

SourceSearch = Callable[[str], list[SourceInfo]]


@dataclass(frozen=True)
class LinkChoice:
    source: SourceInfo
    quote: str


class LinkSourceDialog(QDialog):
    def __init__(self, parent: QWidget | None, node_ref: str, search: SourceSearch, linked_ids: Iterable[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Link a source to {node_ref}")
        self.setAccessibleName(f"Link a source to {node_ref}")
        self.setMinimumSize(560, 420)
        self._search = search
        self._linked = frozenset(linked_ids)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search sources by title")
        self.search_edit.setAccessibleName("Search sources by title")
        self.search_edit.setClearButtonEnabled(True)
        self.model = SourceSearchModel(self)
        self.list_view = QListView()
        self.list_view.setModel(self.model)
        self.list_view.setAccessibleName("Sources found")
        self.list_view.setWordWrap(True)
        self.list_view.setAlternatingRowColors(True)
        self.empty_label = QLabel("")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAccessibleName("Search result")
        self.quote_edit = QPlainTextEdit()
        self.quote_edit.setAccessibleName(f"Pinpoint quote for {node_ref}")
        self.quote_edit.setPlaceholderText(f"The passage that bears on {node_ref} (optional)")
        self.quote_edit.setTabChangesFocus(True)
        self.quote_edit.setMaximumHeight(80)

        search_label = QLabel("&Find:")
        search_label.setBuddy(self.search_edit)
        quote_label = QLabel("&Quote:")
        quote_label.setBuddy(self.quote_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Link")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(search_label)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.list_view, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(quote_label)
        layout.addWidget(self.quote_edit)
        layout.addWidget(self.buttons)

        self.search_edit.textChanged.connect(self.refresh)
        self.list_view.doubleClicked.connect(lambda _index: self.accept())
        self.list_view.selectionModel().selectionChanged.connect(lambda *_: self._update_ok())
        self.refresh()
        self.search_edit.setFocus()

    def refresh(self) -> None:
        text = self.search_edit.text()
        self.model.set_results(self._search(text), self._linked)
        if self.model.rowCount() == 0:
            self.empty_label.setText(
                f"No source has a title containing “{text.strip()}”." if text.strip()
                else "This file has no sources yet: create one instead."
            )
            self.empty_label.show()
        else:
            self.empty_label.hide()
        # Preselect the first choosable row so Enter links it.
        for row in range(self.model.rowCount()):
            if not self.model.is_linked(row):
                self.list_view.selectionModel().setCurrentIndex(
                    self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
                break
        self._update_ok()

    def chosen(self) -> SourceInfo | None:
        for index in self.list_view.selectionModel().selectedIndexes():
            if not self.model.is_linked(index.row()):
                return index.data(ValueRole)
        return None

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.chosen() is not None)

    def accept(self) -> None:
        if self.chosen() is None:
            return
        super().accept()

    def choice(self) -> LinkChoice | None:
        source = self.chosen()
        return LinkChoice(source, self.quote_edit.toPlainText().strip()) if source else None


def choose_source(
    parent: QWidget | None, node_ref: str, search: SourceSearch, linked_ids: Iterable[str]
) -> LinkChoice | None:
    dialog = LinkSourceDialog(parent, node_ref, search, linked_ids)
    try:
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
