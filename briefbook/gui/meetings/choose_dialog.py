""""Add to which meeting?" — asked when nodes are added from the plan tree; also
"Combine with which meeting?" (the same list, other words)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListView, QVBoxLayout, QWidget

from briefbook.gui.meetings.models import MeetingsModel
from db.model.values import MeetingInfo


class ChooseMeetingDialog(QDialog):
    def __init__(self, parent: QWidget | None, meetings: Sequence[MeetingInfo], preselect_id: str, what: str,
                 title: str = "Add to meeting", question: str = "", ok: str = "Add") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumSize(460, 320)
        self.model = MeetingsModel(self)
        self.model.set_items(meetings)
        self.list_view = QListView()
        self.list_view.setModel(self.model)
        self.list_view.setAccessibleName("Meetings")
        self.list_view.setAlternatingRowColors(True)
        asked = QLabel(question or f"Add {what} to the agenda of which &meeting?")
        asked.setWordWrap(True)
        asked.setBuddy(self.list_view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list_view.doubleClicked.connect(lambda _i: self.accept())

        layout = QVBoxLayout(self)
        layout.addWidget(asked)
        layout.addWidget(self.list_view, 1)
        layout.addWidget(buttons)

        row = self.model.row_of(preselect_id) if preselect_id else -1
        self.list_view.selectionModel().setCurrentIndex(
            self.model.index(max(row, 0)), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.list_view.setFocus()

    def chosen_id(self) -> str | None:
        index = self.list_view.selectionModel().currentIndex()
        return self.model.item(index.row()).id if index.isValid() else None


def choose_meeting(
    parent: QWidget | None, meetings: Sequence[MeetingInfo], preselect_id: str, what: str, **words: str
) -> str | None:
    """The id of the meeting chosen, or None when the user cancelled (`words`: title, question, ok)."""
    dialog = ChooseMeetingDialog(parent, meetings, preselect_id, what, **words)
    try:
        return dialog.chosen_id() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
