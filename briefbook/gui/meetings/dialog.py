"""The dialog that creates or edits a meeting."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from briefbook.gui.widgets.basic import problem_label
from briefbook.gui.widgets.guarded_dialog import GuardedDialog
from db.model import rules
from db.model.values import MeetingInfo

#: Offered in the marking box; any other text may be typed.
COMMON_MARKINGS = ("", "UNCLASSIFIED", "OFFICIAL", "OFFICIAL-SENSITIVE", "RESTRICTED", "CONFIDENTIAL")


def _default_marking() -> str:
    from briefbook.services import preferences

    return preferences.load().default_classification.strip()


def check_meeting_fields(fields: dict[str, Any]) -> str | None:
    """One sentence saying what is wrong, or None when the fields can be saved."""
    return rules.meeting_problem(fields)


class MeetingDialog(GuardedDialog):
    def __init__(self, parent: QWidget | None, heading: str, initial: MeetingInfo | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(heading)
        self.setAccessibleName(heading)
        self.setMinimumWidth(520)

        self.title_edit = QLineEdit(initial.title if initial else "")
        self.title_edit.setAccessibleName("Title")
        self.title_edit.setPlaceholderText("e.g. Vice-ministerial dialogue, Rome")
        self.date_edit = QLineEdit((initial.date or "") if initial else "")
        self.date_edit.setAccessibleName("Date")
        self.date_edit.setPlaceholderText("YYYY-MM-DD (or YYYY-MM, YYYY); empty if not fixed")
        self.place_edit = QLineEdit(initial.place if initial else "")
        self.place_edit.setAccessibleName("Place")
        self.participants_edit = QPlainTextEdit(initial.participants if initial else "")
        self.participants_edit.setAccessibleName("Participants")
        self.participants_edit.setPlaceholderText("Names and positions, separated by semicolons or lines")
        self.participants_edit.setTabChangesFocus(True)
        self.participants_edit.setMaximumHeight(70)
        self.classification_box = QComboBox()
        self.classification_box.setEditable(True)
        self.classification_box.addItems(list(COMMON_MARKINGS))
        self.classification_box.setAccessibleName("Classification marking")
        self.classification_box.setToolTip("Printed on every page of the meeting pack")
        # A new meeting starts from the default marking of the preferences (the one an export would print).
        self.classification_box.setCurrentText(initial.classification if initial else _default_marking())
        self.purpose_edit = QPlainTextEdit(initial.purpose if initial else "")
        self.purpose_edit.setAccessibleName("Purpose")
        self.purpose_edit.setTabChangesFocus(True)
        self.purpose_edit.setMinimumHeight(80)
        self.objectives_edit = QPlainTextEdit(initial.objectives if initial else "")
        self.objectives_edit.setAccessibleName("Objectives")
        self.objectives_edit.setPlaceholderText("What we want from the meeting, one a line (the pack's first page)")
        self.objectives_edit.setTabChangesFocus(True)
        self.objectives_edit.setMinimumHeight(70)
        self.press_line_edit = QPlainTextEdit(initial.press_line if initial else "")
        self.press_line_edit.setAccessibleName("Press line")
        self.press_line_edit.setPlaceholderText("What may be said to the press afterwards")
        self.press_line_edit.setTabChangesFocus(True)
        self.press_line_edit.setMaximumHeight(60)

        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Date:", self.date_edit)
        form.addRow("P&lace:", self.place_edit)
        form.addRow("Partic&ipants:", self.participants_edit)
        form.addRow("&Marking:", self.classification_box)
        form.addRow("P&urpose:", self.purpose_edit)
        form.addRow("&Objectives:", self.objectives_edit)
        form.addRow("P&ress line:", self.press_line_edit)

        self.error_label = problem_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.title_edit.setFocus()
        self.remember_typed()

    def typed(self) -> object:
        return self.fields()

    def fields(self) -> dict[str, Any]:
        return {
            "title": self.title_edit.text().strip(),
            "date": self.date_edit.text().strip() or None,
            "place": self.place_edit.text().strip(),
            "participants": self.participants_edit.toPlainText().strip(),
            "classification": self.classification_box.currentText().strip(),
            "purpose": self.purpose_edit.toPlainText().strip(),
            "objectives": "\n".join(line.strip() for line in self.objectives_edit.toPlainText().splitlines()
                                    if line.strip()),
            "press_line": self.press_line_edit.toPlainText().strip(),
        }

    def accept(self) -> None:
        problem = check_meeting_fields(self.fields())
        if problem:
            self.error_label.setText(problem)
            self.error_label.show()
            return
        super().accept()


def ask_meeting(parent: QWidget | None, heading: str, initial: MeetingInfo | None = None) -> dict[str, Any] | None:
    """Show the dialog; the fields when the user pressed OK with valid values, else None."""
    dialog = MeetingDialog(parent, heading, initial)
    try:
        return dialog.fields() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
