"""Help > Check File…: the checks on the open file, a verdict, and a repair
(after a backup copy) when the problems found are safe to repair."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from briefbook.gui import messages
from briefbook.gui.context import Changed, ChangeKind
from briefbook.gui.messages import plain_tooltip
from db.briefing import checking

if TYPE_CHECKING:
    from briefbook.gui.context import AppContext
    from db.briefing.checking import CheckReport, RepairReport


class CheckDialog(QDialog):
    """One line per check (✓ or ✗ with what was found), the counts, the verdict."""

    def __init__(self, report: CheckReport, can_repair: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Check File — {Path(report.path).name}")
        self.setObjectName("checkDialog")
        layout = QVBoxLayout(self)
        self.items = QListWidget(self)
        for check in report.items:
            mark = "✓" if check.ok else "✗"
            item = QListWidgetItem(f"{mark}  {check.name.capitalize()}: {check.detail}")
            item.setData(Qt.ItemDataRole.UserRole, check.ok)
            item.setToolTip(plain_tooltip(check.detail))
            self.items.addItem(item)
        layout.addWidget(self.items)
        if report.counts:
            c = report.counts
            deleted = sum(v["deleted"] for v in c.values())
            self.counts = QLabel(
                f"{checking.plural(c['node']['live'], 'plan entry').replace('entrys', 'entries')}, "
                f"{checking.plural(c['note']['live'], 'note')}, {checking.plural(c['source']['live'], 'source')}, "
                f"{checking.plural(c['attachment']['live'], 'attachment')}, "
                f"{checking.plural(c['meeting']['live'], 'meeting')}, "
                f"{checking.plural(c['status_change']['live'], 'status change')}; "
                f"{checking.plural(deleted, 'deleted row')} kept for merging."
            )
            self.counts.setWordWrap(True)
            layout.addWidget(self.counts)
        if report.open_by:
            open_by = QLabel(report.open_by)
            open_by.setTextFormat(Qt.TextFormat.PlainText)  # quotes the lock file's user and host
            layout.addWidget(open_by)
        self.verdict = QLabel(report.sentence)
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict.setWordWrap(True)
        font = self.verdict.font()
        font.setBold(True)
        self.verdict.setFont(font)
        layout.addWidget(self.verdict)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.repair_button: QPushButton | None = None
        if report.verdict == checking.REPAIRABLE and can_repair:
            self.repair_button = buttons.addButton("&Repair", QDialogButtonBox.ButtonRole.ActionRole)
            self.repair_button.setToolTip("Saves a backup copy first, then fixes what was found")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 360)


def check(parent: QWidget, context: AppContext, path: Path) -> None:
    """Check `path` behind a progress dialog and show the result (with a repair
    offered when it is the file open for writing)."""
    from briefbook.gui.operations import run_operation

    briefing = context.briefing
    can_repair = briefing is not None and path == briefing.path and not briefing.read_only

    def show(report: CheckReport) -> None:
        dialog = CheckDialog(report, can_repair, parent)
        if dialog.repair_button is not None:
            dialog.repair_button.clicked.connect(lambda: _repair(parent, context, dialog))
        dialog.open()

    run_operation(parent, "Checking the file…", lambda progress, cancel: checking.check_file(path, cancel), show)


def _repair(parent: QWidget, context: AppContext, dialog: CheckDialog) -> None:
    from briefbook.gui.operations import run_operation

    briefing = context.briefing
    if briefing is None:
        return
    dialog.accept()

    def done(result: RepairReport) -> None:
        context.notify(Changed(ChangeKind.SEARCH_INDEX))
        messages.show_info(parent, "Check File", result.sentence())
        check(parent, context, briefing.path)

    run_operation(
        parent,
        "Repairing the file…",
        lambda progress, cancel: checking.repair(briefing, lambda label: progress(0, 0, label), cancel),
        done,
    )
