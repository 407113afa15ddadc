"""The right-hand panel: where the selected node sits, its full text, status
(with the required comment enforced) and lead office."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from briefbook.gui.commands.base import push
from briefbook.gui.commands.nodes import SetLeadOfficeCommand, SetStatusCommand
from briefbook.gui.context import AppContext, Changed, ChangeKind
from briefbook.gui.node import status_dialog
from briefbook.gui.tree.model import counts_summary, status_icon
from briefbook.gui.widgets.formatting import local_time
from db.model.errors import BriefbookError
from db.model.history import without_undone
from db.model.tree import status_counts_of, status_tally
from db.model.values import STATUS_LABELS, STATUSES, STATUSES_NEEDING_COMMENT, TRACKED_KINDS, NodeInfo, StatusChange

EMPTY_TEXT = (
    "Select a commitment in the plan tree to read its full text, set its implementation "
    "status and keep notes and sources on it."
)


class NodePanel(QStackedWidget):
    LISTENS_TO = frozenset({ChangeKind.NODE, ChangeKind.STATUS, ChangeKind.PLAN})

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.node: NodeInfo | None = None
        self.setAccessibleName("Selected commitment")

        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("emptyState")
        self.empty.setMargin(24)
        self.addWidget(self.empty)

        body = QWidget()
        self.breadcrumb = QLabel()
        self.breadcrumb.setObjectName("breadcrumb")
        self.breadcrumb.setWordWrap(True)
        self.breadcrumb.setTextFormat(Qt.TextFormat.PlainText)  # titles from the file are data, never markup
        self.breadcrumb.setAccessibleName("Where it sits in the plan")
        self.heading = QLabel()
        self.heading.setObjectName("nodeHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.heading.setAccessibleName("Reference and title")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.heading.setFont(font)
        self.full_text = QLabel()
        self.full_text.setWordWrap(True)
        self.full_text.setTextFormat(Qt.TextFormat.PlainText)
        self.full_text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.full_text.setAccessibleName("Full text")
        self.full_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        # A button with a menu, not a combo box: arrowing through a combo box
        # would record every status passed on the way in the history.
        self.status = QPushButton()
        self.status.setObjectName("statusButton")
        self.status.setAccessibleName("Implementation status")
        self.status_menu = QMenu(self.status)
        self.status_actions: dict[str, QAction] = {}
        for s in STATUSES:
            label = STATUS_LABELS[s] + (" (needs a comment)" if s in STATUSES_NEEDING_COMMENT else "")
            action = self.status_menu.addAction(status_icon(s), label)
            action.setCheckable(True)
            action.triggered.connect(lambda _checked=False, s=s: self.choose_status(s))
            self.status_actions[s] = action
        self.status.setMenu(self.status_menu)
        self.lead_office = QLineEdit()
        self.lead_office.setAccessibleName("Lead office")
        self.lead_office.setPlaceholderText("e.g. MOFA European Affairs Bureau")
        self.lead_office.editingFinished.connect(self._lead_office_edited)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.counts.setAccessibleName("Commitments below")
        self.changed = QLabel()
        self.changed.setObjectName("lastChanged")
        self.changed.setWordWrap(True)
        self.changed.setTextFormat(Qt.TextFormat.PlainText)  # names who changed it
        self.changed.setStyleSheet("color: #555555;")
        self.changed.setAccessibleName("Last changed")

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.status_label = QLabel("&Status:")
        self.status_label.setBuddy(self.status)
        self.office_label = QLabel("Lead &office:")
        self.office_label.setBuddy(self.lead_office)
        self.counts_label = QLabel("Commitments:")
        self.form.addRow(self.status_label, self.status)
        self.form.addRow(self.office_label, self.lead_office)
        self.form.addRow(self.counts_label, self.counts)

        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addWidget(self.breadcrumb)
        layout.addWidget(self.heading)
        layout.addWidget(self.full_text)
        layout.addSpacing(4)
        layout.addLayout(self.form)
        layout.addWidget(self.changed)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.addWidget(scroll)
        self.setTabOrder(self.status, self.lead_office)

        context.nodeSelected.connect(self.show_node)
        context.notified.connect(self._on_changed)
        # Another file, or the same one reloaded (a merge, a sync): show what the tree selects
        # in it; the tree may have restored its selection before this runs.
        context.fileChanged.connect(lambda: self.show_node(context.current_node_id))

    # -- showing ---------------------------------------------------------------------

    def show_node(self, node_id: str, node: NodeInfo | None = None) -> None:
        """Show the node (`node`: its row as a write just returned it, not read again)."""
        briefing = self.context.briefing
        if not node_id or briefing is None:
            self.node = None
            self.setCurrentIndex(0)
            return
        try:
            if node is None or node.id != node_id:
                node = briefing.node(node_id)
            ancestors = briefing.ancestors(node_id)
        except BriefbookError:
            self.node = None
            self.setCurrentIndex(0)
            return
        self.node = node
        self.breadcrumb.setText("  ›  ".join(f"{a.ref} {a.title}" for a in ancestors) or "Plan")
        tracked = node.kind in TRACKED_KINDS
        self.heading.setText(node.ref if tracked else f"{node.ref} {node.title}")
        self.full_text.setText(node.text or ("" if not tracked else node.title))
        self.full_text.setVisible(bool(node.text) or tracked)
        for widget in (self.status, self.status_label, self.lead_office, self.office_label):
            widget.setVisible(tracked)
        self.counts.setVisible(not tracked)
        self.counts_label.setVisible(not tracked)
        editable = not briefing.read_only
        self.status.setEnabled(editable)
        self.lead_office.setReadOnly(not editable)
        if tracked:
            self._show_status(node.status)
            self.lead_office.setText(node.lead_office)
        else:
            counts = status_counts_of(briefing.nodes(node.plan_id)).get(node.id)
            summary = counts_summary(status_tally(counts))
            self.counts.setText(summary or "No commitments below this one are tracked.")
        last: StatusChange | None = None
        history: list[StatusChange] = []
        if tracked and node.status_changed_at:
            history = briefing.status_history(node.id)
            kept = without_undone(history)  # an undone change is not a change, nor is its undo
            last = kept[-1] if kept and kept[-1].to_status == node.status else None
        self.changed.setText(self._changed_text(node, last, undone_only=bool(history) and last is None))
        self.setCurrentIndex(1)

    def _show_status(self, status: str | None) -> None:
        status = status or "not_started"
        self.status.setText(STATUS_LABELS.get(status, status))
        self.status.setIcon(status_icon(status, 14))
        for s, action in self.status_actions.items():
            action.setChecked(s == status)
        self.status.setToolTip("Change the implementation status (Space opens the list).")

    def current_status(self) -> str | None:
        return self.node.status if self.node is not None else None

    def _changed_text(self, node: NodeInfo, last: StatusChange | None, undone_only: bool = False) -> str:
        """Who set the current status and why (its last change that was not undone), and
        who changed the node last.

        Plain text (the label shows no markup): names and comments come from the file."""
        lines = []
        if node.kind in TRACKED_KINDS:
            if last is not None:
                lines.append(f"Status set by {last.changed_by or 'unknown'} on {local_time(last.changed_at)}.")
                if last.comment:
                    lines.append(f"Why: {last.comment}")
            elif node.status_changed_at and not undone_only:  # changed where no history was kept
                lines.append(
                    f"Status set by {node.status_changed_by or 'unknown'} on {local_time(node.status_changed_at)}."
                )
            else:
                lines.append("Status never changed since the plan was imported"
                             + (" (the changes made were undone)." if undone_only else "."))
        lines.append(f"Last changed by {node.updated_by} on {local_time(node.updated_at)}.")
        return "\n".join(lines)

    def _on_changed(self, change: Changed) -> None:
        if self.node is None or not change.concerns(self.LISTENS_TO):
            return
        if change.kind in (ChangeKind.STATUS, ChangeKind.NODE) and change.ident not in ("", self.node.id):
            return
        value = change.value if isinstance(change.value, NodeInfo) else None
        self.show_node(self.node.id, value)

    # -- editing ---------------------------------------------------------------------

    def choose_status(self, new: str) -> None:
        node = self.node
        if node is None or new == node.status:
            self._show_status(node.status if node else None)
            return
        comment = ""
        if new in STATUSES_NEEDING_COMMENT:
            answer = status_dialog.ask_status_comment(self, node.ref, new)
            if answer is None:  # cancelled: the box shows the status the file holds
                self._show_status(node.status)
                return
            comment = answer
        command = SetStatusCommand(self.context, node.id, node.ref, node.status or "not_started", new, comment)
        if not push(self.context, command, self):
            self._show_status(node.status)

    def _lead_office_edited(self) -> None:
        node = self.node
        if node is None or self.lead_office.isReadOnly():
            return
        new = self.lead_office.text().strip()
        if new == node.lead_office:
            return
        if not push(self.context, SetLeadOfficeCommand(self.context, node.id, node.ref, node.lead_office, new), self):
            self.lead_office.setText(node.lead_office)
