"""Meetings and their agendas: create and edit meetings, put plan nodes on an
agenda (drop from the tree, or `add_nodes_to_meeting` from its context menu),
reorder, remove, and write meeting-specific points per agenda item.

Reads go through the facade; every edit is an undo command (gui/commands/meetings.py).
The dialogs are attributes (`ask_meeting`, `choose_meeting`) so tests can
answer them without a modal loop.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QMenu,
    QPlainTextEdit,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from briefbook.gui import messages
from briefbook.gui.commands.base import push
from briefbook.gui.commands.meetings import (
    AddAgendaItemsCommand,
    CreateMeetingCommand,
    DeleteMeetingCommand,
    EditMeetingCommand,
    MoveAgendaItemCommand,
    RemoveAgendaItemCommand,
    SetAgendaObjectiveCommand,
    SetAgendaPointsCommand,
)
from briefbook.gui.context import AppContext, Changed, ChangeKind
from briefbook.gui.meetings.choose_dialog import choose_meeting
from briefbook.gui.meetings.combine import combine_into
from briefbook.gui.meetings.dialog import ask_meeting
from briefbook.gui.meetings.models import AgendaModel, MeetingsModel, meeting_details_html
from briefbook.gui.widgets.basic import FocusOutFilter, button, heading
from briefbook.gui.widgets.fit_width_delegate import elide_rows
from briefbook.gui.widgets.shortcuts import widget_shortcut
from briefbook.gui.widgets.value_list_model import ValueRole
from db.briefing.facade import Briefing
from db.model.errors import BriefbookError, NotFound
from db.model.values import AgendaItemInfo, MeetingInfo

#: Pause in typing after which meeting points are saved.
AUTOSAVE_MS = 1500

HINT = "Drag commitments here from the plan, or right-click them there and choose Add to Meeting…"


class MeetingsPanel(QWidget):
    #: "Export this meeting…" was pressed; carries the meeting id.
    export_requested = Signal(str)
    #: Changes after which the panel shows the file again.
    LISTENS_TO = frozenset({ChangeKind.MEETING, ChangeKind.AGENDA, ChangeKind.NODE, ChangeKind.PLAN})

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setAccessibleName("Meetings")
        self.ask_meeting = ask_meeting
        self.choose_meeting = choose_meeting
        #: The agenda item whose points the editor shows, and its text as saved.
        self._points_item: AgendaItemInfo | None = None
        #: The file the panel last read (still open while fileChanged is emitted).
        self._shown_briefing: Briefing | None = None
        self._reloading = False

        self._build()
        context.fileChanged.connect(self._on_file_changed)
        context.notified.connect(self._on_changed)
        context.nodeSelected.connect(lambda _id: self._update_buttons())
        self.reload()

    # -- building -------------------------------------------------------------------

    def _build(self) -> None:
        self.new_button = button("Ne&w meeting…", "New meeting", "Create a meeting to prepare")
        self.edit_button = button("Edi&t…", "Edit meeting", "Edit the meeting's title, date, place and details")
        self.delete_button = button("&Delete", "Delete meeting", "Delete the meeting and its agenda (undoable)")
        self.export_button = button("E&xport…", "Export this meeting",
                                     "Write the meeting pack as PDF or Word")
        top = QHBoxLayout()
        self.count_label = heading("Meetings", "Number of meetings")
        top.addWidget(self.count_label, 1)
        top.addWidget(self.new_button)

        self.meetings_model = MeetingsModel(self)
        self.meetings_view = QListView()
        self.meetings_view.setModel(self.meetings_model)
        self.meetings_view.setAccessibleName("Meetings list")
        self.meetings_view.setAlternatingRowColors(True)
        self.meetings_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        elide_rows(self.meetings_view)
        # Room for three meetings (two lines each) before it scrolls.
        self.meetings_view.setMinimumHeight(self.fontMetrics().lineSpacing() * 6 + 12)
        self.meetings_view.selectionModel().currentChanged.connect(lambda *_: self._meeting_selected())
        self.meetings_view.activated.connect(lambda _i: self.edit_meeting())
        self.meetings_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.meetings_view.customContextMenuRequested.connect(
            lambda pos: self.meetings_menu().exec(self.meetings_view.viewport().mapToGlobal(pos)))
        widget_shortcut(QKeySequence.StandardKey.Delete, self.meetings_view, self.delete_meeting,
                        "Delete the meeting (asks first)")
        self.no_meetings_label = QLabel("No meetings yet — New meeting… creates one.")
        self.no_meetings_label.setAccessibleName("No meetings")
        self.no_meetings_label.setWordWrap(True)
        meeting_buttons = QHBoxLayout()
        meeting_buttons.addWidget(self.edit_button)
        meeting_buttons.addWidget(self.delete_button)
        meeting_buttons.addStretch(1)
        meeting_buttons.addWidget(self.export_button)

        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(top)
        upper_layout.addWidget(self.meetings_view, 1)
        upper_layout.addWidget(self.no_meetings_label)
        upper_layout.addLayout(meeting_buttons)

        self.stack = QStackedWidget()
        self.none_label = QLabel("No meeting selected")
        self.none_label.setAccessibleName("No meeting selected")
        self.none_label.setStyleSheet("padding: 24px 16px; font-style: italic;")
        self.none_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.stack.addWidget(self.none_label)
        self.stack.addWidget(self._build_meeting_page())

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(upper)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)

        # Top to bottom, as the panel reads (New meeting sits beside the heading).
        chain = [self.new_button, self.meetings_view, self.edit_button, self.delete_button, self.export_button,
                 self.agenda_view, self.add_current_button, self.up_button, self.down_button, self.remove_button,
                 self.points_edit, self.save_points_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

        self.new_button.clicked.connect(self.create_meeting)
        self.edit_button.clicked.connect(self.edit_meeting)
        self.delete_button.clicked.connect(self.delete_meeting)
        self.export_button.clicked.connect(self._export)

    def _build_meeting_page(self) -> QWidget:
        self.details_label = QLabel()
        self.details_label.setAccessibleName("Meeting details")
        self.details_label.setWordWrap(True)
        self.details_label.setTextFormat(Qt.TextFormat.RichText)  # built from escaped user text
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.agenda_model = AgendaModel(self)
        self.agenda_model.on_nodes_dropped = self._nodes_dropped
        self.agenda_model.on_item_moved = self._item_moved
        self.agenda_view = QListView()
        self.agenda_view.setModel(self.agenda_model)
        self.agenda_view.setAccessibleName("Agenda")
        self.agenda_view.setAccessibleDescription(
            "Drop commitments here from the plan tree; Ctrl+Up and Ctrl+Down reorder, Delete removes, "
            "Enter shows the commitment in the plan."
        )
        # One line for the item, one for its first point, each cut short with "…"
        # (the tooltip holds all the points): rows stay the same height.
        elide_rows(self.agenda_view)
        self.agenda_view.setAlternatingRowColors(True)
        self.agenda_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.agenda_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.agenda_view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.agenda_view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.agenda_view.setDragEnabled(True)
        self.agenda_view.setAcceptDrops(True)
        self.agenda_view.setDropIndicatorShown(True)
        self.agenda_view.selectionModel().currentChanged.connect(lambda *_: self._agenda_selected())
        self.agenda_view.doubleClicked.connect(lambda index: self._show_in_plan(index.row()))
        for key, slot, what in (
            (QKeySequence.StandardKey.Delete, self.remove_item, "Take the item off the agenda"),
            (QKeySequence("Ctrl+Up"), lambda: self.move_item(-1), "Move the item up"),
            (QKeySequence("Ctrl+Down"), lambda: self.move_item(+1), "Move the item down"),
            (QKeySequence(Qt.Key.Key_Return), lambda: self._show_in_plan(), "Show the commitment in the plan"),
            (QKeySequence(Qt.Key.Key_Enter), lambda: self._show_in_plan(), ""),
        ):
            widget_shortcut(key, self.agenda_view, slot, what)
        self.agenda_hint = QLabel(HINT)
        self.agenda_hint.setWordWrap(True)
        self.agenda_hint.setAccessibleName("Agenda hint")
        self.agenda_hint.setStyleSheet("font-style: italic;")

        self.add_current_button = button("Add to a&genda", "Add the selected commitment to the agenda",
                                          "Put the commitment selected in the plan at the end of the agenda")
        # Short labels: the dock stays narrow enough for a laptop (the tooltips say the rest).
        self.up_button = button("Up", "Move agenda item up", "Move the item up (Ctrl+Up)")
        self.down_button = button("Down", "Move agenda item down", "Move the item down (Ctrl+Down)")
        self.remove_button = button("Remove", "Remove agenda item", "Take the item off the agenda (Delete)")
        self.objective_button = button("Objective…", "Agenda item objective",
                                       "What we want from this item: one line at the head of its section in the pack")
        agenda_buttons = QHBoxLayout()
        agenda_buttons.addWidget(self.add_current_button)
        agenda_buttons.addStretch(1)
        agenda_buttons.addWidget(self.up_button)
        agenda_buttons.addWidget(self.down_button)
        agenda_buttons.addWidget(self.remove_button)

        self.points_heading = heading("Meeting points", "Meeting points heading")
        self.points_edit = QPlainTextEdit()
        self.points_edit.setAccessibleName("Meeting-specific points (Markdown)")
        self.points_edit.setPlaceholderText(
            "Points for this meeting, in Markdown: - bullets, **bold**, *italic*, [links](https://…)"
        )
        self.points_edit.setTabChangesFocus(True)
        self.points_edit.setMaximumHeight(110)
        self.points_edit.installEventFilter(FocusOutFilter(self.save_points, self))
        self.points_edit.textChanged.connect(self._update_buttons)
        # Points typed are saved after a pause too (consecutive saves of one
        # item merge into one undo step), not only when the editor is left.
        self.points_timer = QTimer(self)
        self.points_timer.setSingleShot(True)
        self.points_timer.setInterval(AUTOSAVE_MS)
        self.points_timer.timeout.connect(self.save_points)
        self.points_edit.textChanged.connect(self.points_timer.start)
        widget_shortcut(QKeySequence("Ctrl+Return"), self.points_edit, self.save_points, "Save the meeting points")
        self.save_points_button = button("Save points", "Save the meeting points",
                                          "Points are also saved when you leave the editor (Ctrl+Enter)")
        # A click saves without taking the focus from the editor (the button is
        # disabled once saved, and a disabled focus holder hands the focus on).
        self.save_points_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        points_row = QHBoxLayout()
        points_row.addWidget(self.points_heading, 1)
        # The item's objective sits with its points (the agenda's own row has no room left at 1024x640).
        points_row.addWidget(self.objective_button)
        points_row.addWidget(self.save_points_button)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.details_label)
        layout.addWidget(heading("Agenda", "Agenda heading"))
        layout.addWidget(self.agenda_view, 1)
        layout.addWidget(self.agenda_hint)
        layout.addLayout(agenda_buttons)
        layout.addLayout(points_row)
        layout.addWidget(self.points_edit)

        self.add_current_button.clicked.connect(self.add_current_node)
        self.up_button.clicked.connect(lambda: self.move_item(-1))
        self.down_button.clicked.connect(lambda: self.move_item(+1))
        self.remove_button.clicked.connect(self.remove_item)
        self.objective_button.clicked.connect(self.edit_objective)
        self.save_points_button.clicked.connect(self.save_points)
        return page

    # -- reading ---------------------------------------------------------------------

    def _on_changed(self, change: Changed) -> None:
        if not change.concerns(self.LISTENS_TO):
            return
        # A write that returned the new row is shown without reading the file again.
        if isinstance(change.value, AgendaItemInfo) and self._show_agenda_item(change.value):
            return
        if isinstance(change.value, MeetingInfo) and self._show_meeting(change.value):
            return
        self.reload()

    def _show_agenda_item(self, item: AgendaItemInfo) -> bool:
        """Put the item's new row in place if its meeting's agenda is shown; False if it is not."""
        row = self.agenda_model.row_of(item.id)
        if self.agenda_model.meeting_id != item.meeting_id or row < 0:
            return False
        self.agenda_model.replace(row, item)
        self._agenda_selected()
        return True

    def _show_meeting(self, meeting: MeetingInfo) -> bool:
        """Put an edited meeting in place, unless its place in the list (date, title) changed."""
        row = self.meetings_model.row_of(meeting.id)
        if row < 0:
            return False
        old = self.meetings_model.item(row)
        if (old.date, old.title) != (meeting.date, meeting.title):
            return False
        self.meetings_model.replace(row, meeting)
        if meeting.id == self.agenda_model.meeting_id:
            self.details_label.setText(meeting_details_html(meeting))
        return True

    def _on_file_changed(self) -> None:
        # The old file is still open while this signal runs: points typed but
        # not yet saved go into it, so closing or switching files loses nothing.
        old, item = self._shown_briefing, self._points_item
        if old is not None and old is not self.context.briefing and item is not None and self.points_dirty():
            try:
                old.set_agenda_points(item.id, self.points_edit.toPlainText())
            except BriefbookError as exc:
                messages.show_error(self, "Points not saved", str(exc))
        self._points_item = None
        self.points_timer.stop()
        self.reload()

    def reload(self) -> None:
        """Read meetings and the selected meeting's agenda again, keeping selections."""
        if self._reloading:
            return
        self._reloading = True
        try:
            briefing = self.context.briefing
            self._shown_briefing = briefing
            keep = self.current_meeting()
            meetings = briefing.meetings() if briefing is not None else []
            self.meetings_model.set_items(meetings)
            row = self.meetings_model.row_of(keep.id) if keep else -1
            if row < 0 and meetings:
                row = 0
            if row >= 0:
                self.meetings_view.selectionModel().setCurrentIndex(
                    self.meetings_model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
            self.no_meetings_label.setVisible(briefing is not None and not meetings)
            self.count_label.setText(f"{len(meetings)} meeting{'s' if len(meetings) != 1 else ''}"
                                     if briefing is not None else "Meetings")
            self.meetings_view.setVisible(bool(meetings) or briefing is None)
        finally:
            self._reloading = False
        self._meeting_selected()

    def current_meeting(self) -> MeetingInfo | None:
        index = self.meetings_view.selectionModel().currentIndex()
        return index.data(ValueRole) if index.isValid() else None

    def current_item(self) -> AgendaItemInfo | None:
        index = self.agenda_view.selectionModel().currentIndex()
        return index.data(ValueRole) if index.isValid() else None

    def select_meeting(self, meeting_id: str) -> None:
        row = self.meetings_model.row_of(meeting_id)
        if row >= 0:
            self.meetings_view.selectionModel().setCurrentIndex(
                self.meetings_model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )

    def _meeting_selected(self) -> None:
        if self._reloading:
            return
        meeting, briefing = self.current_meeting(), self.context.briefing
        keep = self.current_item()
        items: list[AgendaItemInfo] = []
        if meeting is not None and briefing is not None:
            try:
                items = briefing.agenda(meeting.id)
            except NotFound:
                meeting = None
        self.stack.setCurrentIndex(1 if meeting is not None else 0)
        self.details_label.setText(meeting_details_html(meeting) if meeting else "")
        self.agenda_model.set_agenda(meeting.id if meeting else "", items)
        row = self.agenda_model.row_of(keep.id) if keep else -1
        if row < 0 and items:
            row = 0
        if row >= 0:
            self.agenda_view.selectionModel().setCurrentIndex(
                self.agenda_model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        self.agenda_hint.setText(HINT if items else "The agenda is empty. " + HINT)
        # Once items are on it, the agenda gets the hint's lines (a small screen needs them).
        self.agenda_hint.setVisible(not items)
        self.agenda_view.setToolTip(HINT)
        self._agenda_selected()

    def _agenda_selected(self) -> None:
        item = self.current_item()
        if self._points_item is not None and (item is None or item.id != self._points_item.id):
            self.save_points()  # leaving an item: keep what was typed
        if item is not None and self._points_item is not None and item.id == self._points_item.id \
                and self.points_dirty():
            # A reload while typing: keep the text being written, follow the saved value.
            self._points_item = item
        else:
            self._points_item = item
            text = item.points if item else ""
            if self.points_edit.toPlainText() != text:  # same text: keep the cursor where it is
                self.points_edit.blockSignals(True)
                self.points_edit.setPlainText(text)
                self.points_edit.blockSignals(False)
        self.points_heading.setText(f"Meeting points for {item.ref}" if item else "Meeting points")
        self.points_edit.setEnabled(item is not None)
        self._update_buttons()

    def points_dirty(self) -> bool:
        return self._points_item is not None and self.points_edit.toPlainText() != self._points_item.points

    def _update_buttons(self) -> None:
        briefing = self.context.briefing
        writable = briefing is not None and not briefing.read_only
        meeting, item = self.current_meeting(), self.current_item()
        row = self.agenda_view.selectionModel().currentIndex().row() if item else -1
        self.new_button.setEnabled(writable)
        self.edit_button.setEnabled(writable and meeting is not None)
        self.delete_button.setEnabled(writable and meeting is not None)
        self.export_button.setEnabled(meeting is not None)
        self.add_current_button.setEnabled(writable and meeting is not None and bool(self.context.current_node_id))
        self.up_button.setEnabled(writable and item is not None and row > 0)
        self.down_button.setEnabled(writable and item is not None and row < self.agenda_model.rowCount() - 1)
        self.remove_button.setEnabled(writable and item is not None)
        self.objective_button.setEnabled(writable and item is not None)
        self.points_edit.setReadOnly(not writable)
        self.save_points_button.setEnabled(writable and self.points_dirty())

    # -- meetings --------------------------------------------------------------------

    def create_meeting(self) -> None:
        if self.context.briefing is None:
            return
        fields = self.ask_meeting(self, "New meeting", None)
        if fields is None:
            return
        command = CreateMeetingCommand(self.context, fields)
        if push(self.context, command, self, "Meeting not created"):
            self.select_meeting(command.meeting_id)

    def edit_meeting(self) -> None:
        meeting, briefing = self.current_meeting(), self.context.briefing
        if meeting is None or briefing is None or briefing.read_only:
            return
        fields = self.ask_meeting(self, "Edit meeting", meeting)
        if fields is None:
            return
        command = EditMeetingCommand(self.context, meeting, fields)
        if command.new != command.old:
            push(self.context, command, self, "Meeting not changed")

    def delete_meeting(self) -> None:
        meeting, briefing = self.current_meeting(), self.context.briefing
        if meeting is None or briefing is None or briefing.read_only:
            return
        count = self.agenda_model.rowCount()
        agenda = f" and its agenda of {count} item{'s' if count != 1 else ''}" if count else ""
        if not messages.ask_yes_no(self, "Delete meeting",
                                   f"Delete “{meeting.title}”{agenda}? Edit > Undo brings it back.", "Delete"):
            return
        push(self.context, DeleteMeetingCommand(self.context, meeting), self, "Meeting not deleted")

    def meetings_menu(self) -> QMenu:
        """The meetings list's context menu (Combine lives only here: the buttons fill the dock)."""
        menu = QMenu(self)
        others = self.meetings_model.rowCount() > 1  # something to combine with
        for text, slot, enabled in (("Edit…", self.edit_meeting, self.edit_button.isEnabled()),
                                    ("Delete", self.delete_meeting, self.delete_button.isEnabled()),
                                    ("Combine with Another Meeting…", self.combine_meetings,
                                     self.edit_button.isEnabled() and others),
                                    ("Export…", self._export, self.export_button.isEnabled())):
            menu.addAction(text, slot).setEnabled(enabled)
        return menu

    def combine_meetings(self) -> None:
        meeting = self.current_meeting()
        if meeting is not None and combine_into(self, self.context, meeting, self.choose_meeting):
            self.select_meeting(meeting.id)

    def _export(self) -> None:
        meeting = self.current_meeting()
        if meeting is not None:
            self.save_points()
            self.export_requested.emit(meeting.id)

    # -- agenda ------------------------------------------------------------------------

    def add_nodes_to_meeting(self, node_ids: list[str], parent_widget: QWidget | None) -> None:
        """Ask which meeting (the current one preselected) and add the nodes to its agenda.

        The plan tree's "Add to meeting…" calls this.
        """
        briefing = self.context.briefing
        if briefing is None or not node_ids:
            return
        meetings = briefing.meetings()
        if not meetings:
            messages.show_error(parent_widget, "No meeting",
                                "There is no meeting yet: create one with New meeting… in the Meetings panel.")
            return
        current = self.current_meeting()
        what = "1 item" if len(node_ids) == 1 else f"{len(node_ids)} items"
        meeting_id = self.choose_meeting(parent_widget, meetings, current.id if current else "", what)
        if not meeting_id:
            return
        meeting = next((m for m in meetings if m.id == meeting_id), None)
        if meeting is None:
            return
        if self.add_nodes(meeting, node_ids, None, parent_widget):
            self.select_meeting(meeting.id)

    def add_current_node(self) -> None:
        meeting = self.current_meeting()
        if meeting is not None and self.context.current_node_id:
            self.add_nodes(meeting, [self.context.current_node_id], None, self)

    def add_nodes(self, meeting: MeetingInfo, node_ids: Sequence[str], index: int | None,
                  parent_widget: QWidget | None) -> bool:
        """Put nodes on the meeting's agenda (skipping those already on it) as one undoable edit."""
        briefing = self.context.briefing
        if briefing is None:
            return False
        on_agenda = {a.node_id for a in briefing.agenda(meeting.id)}
        fresh: list[str] = []
        refs: list[str] = []
        already: list[str] = []
        for node_id in dict.fromkeys(node_ids):  # keep order, drop repeats
            try:
                node = briefing.node(node_id)
            except NotFound:
                continue  # dragged from a tree that is out of date: nothing to add
            if node_id in on_agenda:
                already.append(node.ref)
            else:
                fresh.append(node_id)
                refs.append(node.ref)
        if not fresh:
            if already:
                which = ", ".join(already)
                verb = "is" if len(already) == 1 else "are"
                messages.show_error(parent_widget, "Already on the agenda",
                                    f"{which} {verb} already on the agenda of “{meeting.title}”.")
            return False
        command = AddAgendaItemsCommand(self.context, meeting, fresh, refs, index)
        return push(self.context, command, parent_widget, "Not added to the agenda")

    def _nodes_dropped(self, node_ids: list[str], row: int) -> bool:
        meeting = self.current_meeting()
        if meeting is None:
            return False
        return self.add_nodes(meeting, node_ids, row, self)

    def _item_moved(self, item_id: str, index: int) -> bool:
        row = self.agenda_model.row_of(item_id)
        if row < 0 or row == index:
            return False
        item = self.agenda_model.item(row)
        command = MoveAgendaItemCommand(self.context, item.meeting_id, item.id, item.ref, row, index)
        done = push(self.context, command, self, "Agenda not reordered")
        if done:
            self._select_item(item.id)
        return done

    def move_item(self, step: int) -> None:
        item = self.current_item()
        if item is None:
            return
        row = self.agenda_model.row_of(item.id)
        target = row + step
        if 0 <= target < self.agenda_model.rowCount():
            self._item_moved(item.id, target)

    def remove_item(self) -> None:
        item, briefing = self.current_item(), self.context.briefing
        if item is None or briefing is None or briefing.read_only:
            return
        row = self.agenda_model.row_of(item.id)
        self._points_item = None  # its points go with it (undo brings them back)
        command = RemoveAgendaItemCommand(self.context, item.meeting_id, item.id, item.ref, row)
        push(self.context, command, self, "Not removed from the agenda")

    def edit_objective(self) -> None:
        """Ask for the selected agenda item's objective (one line) and store it, undoably."""
        item, briefing = self.current_item(), self.context.briefing
        if item is None or briefing is None or briefing.read_only:
            return
        text = self.ask_objective(item)
        if text is None or " ".join(text.split()) == item.objective:
            return
        push(self.context, SetAgendaObjectiveCommand(self.context, item.meeting_id, item.id, item.ref,
                                                     item.objective, text), self, "Objective not saved")

    def ask_objective(self, item: AgendaItemInfo) -> str | None:
        """The objective typed (None: cancelled); a method, so tests can answer it."""
        text, ok = QInputDialog.getText(self, f"Objective for {item.ref}",
                                        "What we want from this item (printed at the head of its section):",
                                        text=item.objective)
        return text if ok else None

    def save_points(self) -> None:
        """Store the points being edited, if they changed (one undoable edit)."""
        self.points_timer.stop()
        item = self._points_item
        if item is None or not self.points_dirty():
            return
        text = self.points_edit.toPlainText()
        command = SetAgendaPointsCommand(self.context, item.meeting_id, item.id, item.ref, item.points, text)
        # Count the text as saved before the push: the push re-reads the panel,
        # which must not try to save the same text again.
        self._points_item = item._replace(points=text)
        had_focus = self.save_points_button.hasFocus()
        if not push(self.context, command, self, "Points not saved"):
            self._points_item = item  # still unsaved: the editor keeps the text
        self._update_buttons()
        if had_focus and not self.save_points_button.isEnabled():
            self.points_edit.setFocus()  # the button pressed from the keyboard: back to the text

    def _select_item(self, item_id: str) -> None:
        row = self.agenda_model.row_of(item_id)
        if row >= 0:
            self.agenda_view.selectionModel().setCurrentIndex(
                self.agenda_model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )

    def _show_in_plan(self, row: int | None = None) -> None:
        if row is None:
            index = self.agenda_view.selectionModel().currentIndex()
            row = index.row() if index.isValid() else -1
        if 0 <= row < self.agenda_model.rowCount():
            self.context.select_node(self.agenda_model.item(row).node_id)
