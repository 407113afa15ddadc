"""File > Merge a Colleague's Copy…: bring a colleague's copy of the file in,
with progress, then show what came in: each collision of two people's work in
words, what was deleted, and the counts per kind of row."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefbook.gui import messages

if TYPE_CHECKING:
    from briefbook.gui.context import AppContext
    from db.briefing.facade import Briefing
    from db.model.cancelling import Cancellation
    from db.sharing.merge import MergeReport, Progress

COLUMNS = ("Added", "Updated", "Conflicting copies kept", "Deleted")


class MergeReportDialog(QDialog):
    """What a merge did: a sentence, a table per kind of row, where the backup is."""

    def __init__(self, report: MergeReport, parent: QWidget | None = None,
                 context: AppContext | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge Report")
        self.setObjectName("mergeReportDialog")
        layout = QVBoxLayout(self)
        name = Path(report.theirs).name
        if not report.changed:
            headline = f"Nothing new in {name}: this file already had everything in it."
        elif report.collisions:
            n = len(report.collisions)
            headline = (f"Merged {name}. Two people's work met in {n} place{'s' if n != 1 else ''}; "
                        "nothing was lost:")
        else:
            headline = f"Merged {name}."
        self.headline = QLabel(headline)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setWordWrap(True)
        layout.addWidget(self.headline)
        # Each collision and what was deleted, in words (plain text: names and
        # titles come from a colleague's file).
        told = [c.sentence for c in report.collisions]
        if report.deletions:
            told.append(f"Deleted, as in {name}: " + "; ".join(report.deletions) + ".")
        told += report.changes_in_words()  # where each thing added or changed is, and who did it
        self.collisions = QPlainTextEdit("\n\n".join(told))
        self.collisions.setReadOnly(True)
        self.collisions.setAccessibleName("What collided, what was deleted, and what came in")
        self.collisions.setVisible(bool(told))
        layout.addWidget(self.collisions)

        rows = [(kind, k) for kind, k in report.kinds.items() if k.total]
        self.table = QTableWidget(len(rows) + (1 if report.status_changes_added else 0), len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        labels = []
        for r, (kind, k) in enumerate(rows):
            labels.append(kind.replace("_", " ").capitalize())
            for c, value in enumerate((k.added, k.updated, k.conflicts, k.deleted)):
                item = QTableWidgetItem(str(value) if value else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        if report.status_changes_added:
            labels.append("Status changes")
            item = QTableWidgetItem(str(report.status_changes_added))
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(len(rows), 0, item)
        self.table.setVerticalHeaderLabels(labels)
        self.table.setVisible(bool(labels))
        layout.addWidget(self.table)

        self.backup = QLabel(
            f"The file as it was before the merge is saved beside it as {Path(report.backup).name}."
            if report.backup
            else ""
        )
        self.backup.setWordWrap(True)
        self.backup.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.backup.setVisible(bool(report.backup))
        layout.addWidget(self.backup)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.conflicts_button = QPushButton("Show &Conflicts…")
        self.conflicts_button.setToolTip("The versions set aside: restore or dismiss each")
        set_aside = any(c.kind in ("set_aside", "set_aside_both", "note_copy") for c in report.collisions)
        self.conflicts_button.setVisible(set_aside and context is not None)
        if context is not None:
            from briefbook.gui.files.conflicts_dialog import show_conflicts

            self.conflicts_button.clicked.connect(lambda: show_conflicts(self, context))
        buttons.addButton(self.conflicts_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(buttons)
        self.resize(640, 420 if told else 320)


def merge_file(parent: QWidget, context: AppContext, theirs: Path, reselect: Callable[[str], object]) -> None:
    """Merge `theirs` into the open file behind a progress dialog, then report.
    `reselect(node_id)` shows the node that was selected again after the reload."""
    from briefbook.gui.operations import run_operation

    briefing = context.briefing
    if briefing is None:
        return
    if briefing.read_only:
        messages.show_error(
            parent, "Merge", f"{briefing.path.name} is open read-only: a colleague's copy cannot be merged into it."
        )
        return
    selected = context.current_node_id

    def done(report: MergeReport) -> None:
        if report.changed:
            # Everything may have changed: reload the whole window (undo history
            # refers to the file as it was, so it is cleared too).
            context.set_briefing(briefing)
            if selected:
                reselect(selected)  # nothing shown if the merge removed it
        MergeReportDialog(report, parent, context).open()

    run_operation(
        parent,
        "Merging a colleague's copy…",
        lambda progress, cancel: _merge_into(briefing, theirs, progress, cancel),
        done,
    )


def _merge_into(briefing: Briefing, theirs: Path, progress: Progress, cancel: Cancellation) -> MergeReport:
    # The merge code loads when a merge starts, not with the window.
    from db.sharing.merge import merge_into

    return merge_into(briefing, theirs, progress, cancel)
