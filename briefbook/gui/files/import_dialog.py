"""File > Import Plan: read a document, preview its tree, correct it, then import or cancel.

    run_import_dialog(parent, context, path)

reads `path` (text, Markdown, Word, PDF, web page) on a worker thread behind
a progress dialog that counts a PDF's pages, then opens `ImportDialog` on
the parsed draft. The user can give the title, change what each level of
the document is (area, item, commitment, sub-commitment, or text of the
level above), merge a node into the one before it, split a node at the
text cursor, and then import or cancel. Nothing is written before Import.
All document text is shown as plain text.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefbook.gui.context import AppContext, Changed, ChangeKind
from briefbook.gui.messages import plain_tooltip
from briefbook.plan_import import draft_edits
from briefbook.plan_import.blocks import Document
from briefbook.plan_import.draft_edits import KINDS
from briefbook.plan_import.plan_parser import _parties, _period, short_title
from briefbook.plan_import.recognizer import ImportOptions, Recognition
from db.model.drafts import NodeDraft, PlanDraft

if TYPE_CHECKING:
    from db.model.cancelling import Cancellation
    from db.model.values import ImportPreview, ImportReport

__all__ = ["IMPORT_FILTER", "ImportDialog", "choose_and_import", "run_import_dialog", "unplaced_lines"]

#: The file dialog's filter for File > Import Plan.
IMPORT_FILTER = "Plans (*.txt *.md *.rst *.docx *.pdf *.html *.htm);;All files (*)"

_KIND_LABELS = {
    "area": "Area",
    "item": "Item",
    "commitment": "Commitment",
    "subcommitment": "Sub-commitment",
    "text": "Text of the level above",
}


def _plain(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)  # document text is never markup
    return label


class ImportDialog(QDialog):
    """The preview of a parsed document; `draft()` is the (edited) plan to store once accepted."""

    edited = Signal()

    def __init__(self, document: Document, path: Path, parent: QWidget | None = None,
                 options: ImportOptions | None = None, result: Recognition | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.path = path
        self.options = options or ImportOptions()
        self.setWindowTitle(f"Import Plan – {path.name}")
        self._nodes: dict[int, NodeDraft] = {}  # id(item) -> node
        self._result: Recognition | None = result
        self._undo: list[_Snapshot] = []
        self._redo: list[_Snapshot] = []
        self._filling = False

        self.title_edit = QLineEdit()
        self.title_edit.textChanged.connect(self._update_buttons)
        title_label = QLabel("&Title:")
        title_label.setBuddy(self.title_edit)

        self.levels_form = QFormLayout()
        self.levels_form.setContentsMargins(0, 0, 0, 0)
        self.level_boxes: list[QComboBox] = []
        levels_widget = QWidget()
        levels_widget.setLayout(self.levels_form)
        self.levels_area = QScrollArea()
        self.levels_area.setWidget(levels_widget)
        self.levels_area.setWidgetResizable(True)
        self.levels_area.setFrameShape(QFrame.Shape.NoFrame)
        self.levels_area.setMaximumHeight(96)  # four levels show; more scroll (the buttons stay on screen)

        self.guesses = _plain(QLabel())
        self.guesses.setWordWrap(True)
        self.guesses.setAccessibleName("What the importer guessed")

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Ref", "Kind", "Title", "Check"])
        self.tree.setColumnWidth(0, 90)
        self.tree.setColumnWidth(1, 110)
        self.tree.setColumnWidth(2, 250)  # the "Check" column shows beside it
        self.tree.setAccessibleName("Plan tree")
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # F2 / Shift+F2 ask
        self.tree.currentItemChanged.connect(self._show_text)
        self.tree.itemDoubleClicked.connect(lambda _item, column: self.edit_selected(0 if column == 0 else 2))
        self.text_view = QPlainTextEdit()
        self.text_view.setReadOnly(True)
        self.text_view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.text_view.setAccessibleName("Text of the selected node")
        self.unplaced = QListWidget()
        self.unplaced.setAccessibleName("Lines not placed")
        self.summary = _plain(QLabel())
        self.summary.setWordWrap(True)

        # -- the edits: a button each, and a key --------------------------------------------------------
        self.kind_box = QComboBox()
        for kind in KINDS:
            self.kind_box.addItem(_KIND_LABELS[kind], kind)
        self.kind_box.setAccessibleName("Kind of the selected node")
        self.kind_box.setToolTip("What the selected node is (Ctrl+1 area … Ctrl+4 sub-commitment)")
        self.kind_box.activated.connect(lambda _i: self.set_kind(str(self.kind_box.currentData())))
        edits: list[tuple[str, str, str, Callable[[], None]]] = [
            ("indent", "Indent", "Ctrl+Shift+Right", self.indent_selected),
            ("outdent", "Outdent", "Ctrl+Shift+Left", self.outdent_selected),
            ("up", "Up", "Ctrl+Shift+Up", lambda: self.move_selected(-1)),
            ("down", "Down", "Ctrl+Shift+Down", lambda: self.move_selected(1)),
            ("delete", "Delete…", "Del", self.delete_selected),
            ("preamble", "To Preamble", "Ctrl+Shift+P", self.send_to_preamble),
            ("merge", "&Merge", "Ctrl+M", self.merge_selected),
            ("split", "S&plit", "Ctrl+K", self.split_selected),
            ("undo", "Undo", "Ctrl+Z", self.undo),
            ("redo", "Redo", "Ctrl+Shift+Z", self.redo),
        ]
        tips = {
            "indent": "Put the selected node under the one before it", "outdent": "Move the node up a level",
            "up": "Move the node, with what is under it, up", "down": "Move the node, with what is under it, down",
            "delete": "Remove the node; its text goes to the preamble or the node before (you choose)",
            "preamble": "Send the node, with what is under it, to the preamble",
            "merge": "Join the selected node to the node before it", "split":
            "Start a new node where the cursor is in the text", "undo": "Undo the last change in this preview",
            "redo": "Redo it",
        }
        self.edit_buttons: dict[str, QToolButton] = {}
        edit_row = QHBoxLayout()
        edit_row.setSpacing(2)
        edit_row.addWidget(self.kind_box)
        for name, label, key, slot in edits:
            button = QToolButton()
            button.setText(label)
            button.setToolTip(f"{tips[name]} ({QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)})")
            button.clicked.connect(slot)
            button.setObjectName(f"{name}Button")
            edit_row.addWidget(button)
            self.edit_buttons[name] = button
            shortcut = QShortcut(QKeySequence(key), self.tree if key == "Del" else self, slot)
            if key == "Del":
                shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        edit_row.addStretch(1)
        self.merge_button = self.edit_buttons["merge"]
        self.split_button = self.edit_buttons["split"]
        QShortcut(QKeySequence("Ctrl+Y"), self, self.redo)
        QShortcut(QKeySequence("F2"), self, lambda: self.edit_selected(2))
        QShortcut(QKeySequence("Shift+F2"), self, lambda: self.edit_selected(0))
        QShortcut(QKeySequence("F8"), self, self.next_guess)
        for number, kind in enumerate(KINDS, start=1):
            QShortcut(QKeySequence(f"Ctrl+{number}"), self, lambda kind=kind: self.set_kind(kind))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        top = QFormLayout()
        top.addRow(title_label, self.title_edit)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(_plain(QLabel("Text")))
        right_layout.addWidget(self.text_view, 3)
        not_placed = _plain(QLabel("Not placed"))
        right_layout.addWidget(not_placed)
        right_layout.addWidget(self.unplaced, 1)
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(right)
        splitter.setSizes([560, 340])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.levels_area)
        layout.addWidget(self.guesses)
        layout.addWidget(splitter, 1)
        layout.addLayout(edit_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

        if self._result is None:
            self.recognise()
        else:
            self._build_level_boxes()
            self._fill()
        self.title_edit.setText(self.plan.title)
        self._fit_to_screen()
        self.tree.setFocus()

    def _fit_to_screen(self, room: QRect | None = None) -> None:
        """900x640 where there is room; on a 1024x640 laptop, the screen less its panels, so that the Import
        and Cancel buttons are on it."""
        if room is None:
            screen = self.screen() or QGuiApplication.primaryScreen()
            room = screen.availableGeometry() if screen is not None else None
        width, height = 900, 640
        if room is not None:
            width, height = min(width, room.width() - 24), min(height, room.height() - 48)
            self.move(room.x() + (room.width() - width) // 2, room.y() + max(0, (room.height() - height - 32) // 2))
        self.setMinimumSize(min(560, width), min(420, height))
        self.resize(width, height)

    # -- recognition ------------------------------------------------------------------------

    def recognise(self) -> None:
        """(Re)read the document's structure with the current options; edits start again."""
        from briefbook.services.plan_import import recognize_document

        self._result = recognize_document(self.document, self.options)
        self._build_level_boxes()
        self._fill()

    @property
    def plan(self) -> PlanDraft:
        assert self._result is not None
        return self._result.draft

    def _build_level_boxes(self) -> None:
        assert self._result is not None
        while self.levels_form.rowCount():
            self.levels_form.removeRow(0)
        self.level_boxes = []
        for i, level in enumerate(self._result.levels, start=1):
            box = QComboBox()
            for kind, kind_label in _KIND_LABELS.items():
                box.addItem(kind_label, kind)
            box.setCurrentIndex(list(_KIND_LABELS).index(level.kind) if level.kind in _KIND_LABELS else 0)
            box.setAccessibleName(f"What level {i} is")
            box.currentIndexChanged.connect(self._levels_changed)
            own = f" (“{level.name}”)" if level.name else ""
            label = _plain(QLabel(f"Level {i}{own}: {level.count}, e.g. {level.example[:60]}"))
            label.setBuddy(box)
            self.levels_form.addRow(label, box)
            self.level_boxes.append(box)

    def set_level(self, index: int, kind: str) -> None:
        box = self.level_boxes[index]
        box.setCurrentIndex(box.findData(kind))

    def _levels_changed(self) -> None:
        self._remember()
        kinds = tuple(str(b.currentData()) for b in self.level_boxes)
        self.options = ImportOptions(title=self.options.title, levels=kinds,
                                     numbered_paragraphs=self.options.numbered_paragraphs,
                                     paragraphs=self.options.paragraphs)
        from briefbook.services.plan_import import recognize_document

        self._result = recognize_document(self.document, self.options)
        self._fill()  # keep the boxes: the user is choosing in them

    # -- the tree ----------------------------------------------------------------------------

    def _fill(self, select: NodeDraft | None = None) -> None:
        self._filling = True
        self.tree.clear()
        self._nodes.clear()
        chosen: QTreeWidgetItem | None = None
        doubt_brush = QBrush(QColor("#9a5b00"))

        def add(parent: QTreeWidget | QTreeWidgetItem, node: NodeDraft) -> None:
            nonlocal chosen
            check = "? " + node.doubts[0] if node.doubts else ""
            item = QTreeWidgetItem([node.ref, _KIND_LABELS.get(node.kind, node.kind), node.title, check])
            if node.doubts:
                item.setToolTip(3, plain_tooltip("The importer guessed: " + "; ".join(node.doubts)))
                for column in (2, 3):
                    item.setForeground(column, doubt_brush)
            self._nodes[id(item)] = node
            if isinstance(parent, QTreeWidget):
                parent.addTopLevelItem(item)
            else:
                parent.addChild(item)
            if node is select:
                chosen = item
            for child in node.children:
                add(item, child)

        for area in self.plan.areas:
            add(self.tree, area)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        first = chosen or self.tree.topLevelItem(0)
        self._filling = False
        if first is not None:
            self.tree.setCurrentItem(first)
        self.unplaced.clear()
        for u in self.plan.unplaced:
            self.unplaced.addItem(f"line {u.line_no}: {u.text} ({u.reason})")
        self._show_guesses()
        counts: dict[str, int] = {}
        for n in self.plan.walk():
            counts[n.kind] = counts.get(n.kind, 0) + 1
        parts = [f"{counts[k]} {_KIND_LABELS[k].lower()}{'s' if counts[k] != 1 else ''}"
                 for k in _KIND_LABELS if counts.get(k)]
        unplaced = f"; {len(self.plan.unplaced)} lines not placed" if self.plan.unplaced else ""
        preamble = f"; a preamble of {len(self.plan.preamble.split())} words" if self.plan.preamble else ""
        self.summary.setText(", ".join(parts) + preamble + unplaced + ". Nothing is written before Import.")
        self._update_buttons()
        self.edited.emit()

    def _show_guesses(self) -> None:
        plan_doubts = [d for d in self.plan.doubts if not d.startswith("what each level is")]
        nodes = sum(1 for n in self.plan.walk() if n.doubts)
        lines = []
        if nodes:
            lines.append(f"{nodes} node{'s' if nodes != 1 else ''} marked “?” were guessed: look at them first "
                         "(F8 goes to the next).")
        lines += [d[:1].upper() + d[1:] + "." for d in plan_doubts[:3]]
        self.guesses.setText("\n".join(lines))
        self.guesses.setVisible(bool(lines))
        title_doubt = next((d for d in self.plan.doubts if d.startswith("no title line: ")), "")
        self.title_edit.setPlaceholderText(
            "The plan's title: " + title_doubt.removeprefix("no title line: ") if title_doubt
            else "The plan's title (the document gives none)")

    def selected_node(self) -> NodeDraft | None:
        item = self.tree.currentItem()
        return self._nodes.get(id(item)) if item is not None else None

    def _show_text(self) -> None:
        node = self.selected_node()
        self.text_view.setPlainText(node.text if node is not None else "")
        if node is not None:
            self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(node.kind)))
        self._update_buttons()

    def _update_buttons(self) -> None:
        node = self.selected_node()
        has = node is not None
        first = has and node is not None and self._previous(node) is None
        self.merge_button.setEnabled(has and not first)
        self.split_button.setEnabled(has and node is not None and bool(node.text.strip()))
        self.edit_buttons["indent"].setEnabled(has and not first)
        top_level = node is not None and any(n is node for n in self.plan.areas)
        self.edit_buttons["outdent"].setEnabled(has and not top_level)
        self.edit_buttons["up"].setEnabled(has and not first)
        self.edit_buttons["down"].setEnabled(has and node is not None and self._next(node) is not None)
        for name in ("delete", "preamble"):
            self.edit_buttons[name].setEnabled(has)
        self.kind_box.setEnabled(has)
        self.edit_buttons["undo"].setEnabled(bool(self._undo))
        self.edit_buttons["redo"].setEnabled(bool(self._redo))
        has_title = bool(self.title_edit.text().strip())
        self.import_button.setEnabled(has_title and bool(self.plan.areas))
        self.import_button.setToolTip("" if has_title else "Give the plan a title first.")

    # -- edits ---------------------------------------------------------------------------------

    def _siblings(self, node: NodeDraft) -> list[NodeDraft]:
        try:
            return draft_edits.siblings_of(self.plan, node)
        except draft_edits.EditRefused:
            return []

    def _previous(self, node: NodeDraft) -> NodeDraft | None:
        siblings = self._siblings(node)
        at = next((i for i, n in enumerate(siblings) if n is node), 0)
        return siblings[at - 1] if at > 0 else None

    def _next(self, node: NodeDraft) -> NodeDraft | None:
        siblings = self._siblings(node)
        at = next((i for i, n in enumerate(siblings) if n is node), len(siblings))
        return siblings[at + 1] if at + 1 < len(siblings) else None

    def _remember(self) -> None:
        """Keep the state before an edit, for Undo in this preview."""
        assert self._result is not None
        selected = _path_of(self.plan, self.selected_node())
        self._undo.append(_Snapshot(copy.deepcopy(self._result), self.options, selected))
        self._redo.clear()

    def _restore(self, snap: _Snapshot) -> None:
        levels_before = [g.kind for g in self._result.levels] if self._result is not None else []
        self._result, self.options = snap.result, snap.options
        if [g.kind for g in snap.result.levels] != levels_before or len(self.level_boxes) != len(snap.result.levels):
            for box in self.level_boxes:
                box.blockSignals(True)
            self._build_level_boxes()
        self._fill(select=_node_at(self.plan, snap.selected))

    def undo(self) -> None:
        if not self._undo or self._result is None:
            return
        self._redo.append(_Snapshot(copy.deepcopy(self._result), self.options,
                                    _path_of(self.plan, self.selected_node())))
        self._restore(self._undo.pop())

    def redo(self) -> None:
        if not self._redo or self._result is None:
            return
        self._undo.append(_Snapshot(copy.deepcopy(self._result), self.options,
                                    _path_of(self.plan, self.selected_node())))
        self._restore(self._redo.pop())

    def _edit(self, change: Callable[[NodeDraft], NodeDraft | None], looked_at: bool = True) -> None:
        """Run one edit of the selected node: remembered for Undo, refused with a sentence, tree shown again."""
        node = self.selected_node()
        if node is None:
            return
        self._remember()
        try:
            select = change(node)
        except draft_edits.EditRefused as exc:
            self._undo.pop()
            self.summary.setText(str(exc))
            return
        if looked_at:
            node.doubts.clear()  # the user has seen to it
        self._fill(select=select)

    def indent_selected(self) -> None:
        self._edit(lambda n: draft_edits.indent(self.plan, n))

    def outdent_selected(self) -> None:
        self._edit(lambda n: draft_edits.outdent(self.plan, n))

    def move_selected(self, step: int) -> None:
        self._edit(lambda n: draft_edits.move(self.plan, n, step))

    def set_kind(self, kind: str) -> None:
        node = self.selected_node()
        if node is None or node.kind == kind:
            return
        self._edit(lambda n: draft_edits.set_kind(self.plan, n, kind))

    def send_to_preamble(self) -> None:
        self._edit(lambda n: draft_edits.to_preamble(self.plan, n), looked_at=False)

    def delete_selected(self) -> None:
        """Remove the node: the user says where its text goes (the preamble or the node before)."""
        from briefbook.gui import messages

        node = self.selected_node()
        if node is None:
            return
        choices = ["To the Preamble", "To the Node Before"]
        under = f" The {len(node.children)} nodes under it move up a level." if node.children else ""
        answer = messages.ask_choice(self, "Delete Node", f"Delete “{node.title}”? Where should its text go?{under}",
                                     choices)
        if answer is None:
            return
        where = "preamble" if answer == 0 else "previous"
        self._edit(lambda n: draft_edits.delete(self.plan, n, where), looked_at=False)

    def edit_selected(self, column: int) -> None:
        """F2 (or a double click): type the node's title; Shift+F2 (or a double click on it): its reference."""
        node = self.selected_node()
        if node is None:
            return
        asking = QInputDialog(self)
        asking.setWindowTitle("Reference" if column == 0 else "Title")
        asking.setLabelText(f"Reference of “{node.title[:60]}”:" if column == 0 else "Title of the node:")
        asking.setTextValue(node.ref if column == 0 else node.title)
        asking.setObjectName("refInput" if column == 0 else "titleInput")
        asking.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        asking.textValueSelected.connect(lambda typed: self._apply_typed(node, column, typed))
        asking.open()

    def _apply_typed(self, node: NodeDraft, column: int, typed: str) -> None:
        if typed == (node.ref if column == 0 else node.title):
            return
        if self.selected_node() is not node:
            self._fill(select=node)
        if column == 0:
            self._edit(lambda n: draft_edits.set_ref(self.plan, n, typed))
        else:
            self._edit(lambda n: draft_edits.set_title(self.plan, n, typed))

    def next_guess(self) -> None:
        """F8: the next node the importer guessed about (from the selected one, round to the top)."""
        order = self.plan.walk()
        node = self.selected_node()
        at = next((i for i, n in enumerate(order) if n is node), -1)
        for n in order[at + 1 :] + order[: at + 1]:
            if n.doubts:
                self._fill(select=n)
                return
        self.summary.setText("No node is marked as guessed.")

    def merge_selected(self) -> None:
        """Join the selected node (its text and its children) to the node before it."""
        node = self.selected_node()
        prev = self._previous(node) if node is not None else None
        if node is None or prev is None:
            return
        self._remember()
        own = node.text if node.title.rstrip("…") in node.text else "\n\n".join(p for p in (node.title, node.text) if p)
        prev.text = "\n\n".join(p for p in (prev.text, own) if p)
        if prev.kind in ("commitment", "subcommitment") and not prev.title:
            prev.title = short_title(prev.text)
        for child in node.children:
            _reprefix(child, child.ref, f"{prev.ref}.{_free_segment(prev)}")
            prev.children.append(child)
        siblings = self._siblings(node)
        siblings[:] = [n for n in siblings if n is not node]
        self._fill(select=prev)

    def split_selected(self) -> None:
        """Start a new node, after the selected one, at the text cursor (or at the middle paragraph)."""
        node = self.selected_node()
        if node is None or not node.text.strip():
            return
        at = self.text_view.textCursor().position()
        if not 0 < at < len(node.text):
            at = _middle_break(node.text)
        head, tail = node.text[:at].strip(), node.text[at:].strip()
        if not head or not tail:
            self.summary.setText("Nothing to split there: place the cursor where the new node should start.")
            return
        self._remember()
        old_title = node.title
        node.text = head
        if node.kind in ("commitment", "subcommitment") and old_title == short_title(head + " " + tail):
            node.title = short_title(head)
        new = NodeDraft(kind=node.kind, ref="", title=short_title(tail), text=tail)
        siblings = self._siblings(node)
        index = next(i for i, n in enumerate(siblings) if n is node)
        siblings.insert(index + 1, new)
        _give_ref(siblings, index + 1, self.plan)
        self._fill(select=new)

    # -- result ----------------------------------------------------------------------------------

    def draft(self) -> PlanDraft:
        """The plan as edited, with the title from the title box."""
        plan = self.plan
        title = " ".join(self.title_edit.text().split())
        if title != plan.title:
            plan.title, plan.parties, plan.period = title, _parties(title), _period(title)
        return plan


class _Snapshot(NamedTuple):
    result: Recognition
    options: ImportOptions
    selected: list[int]


def _path_of(plan: PlanDraft, node: NodeDraft | None) -> list[int]:
    """Where `node` is, as indexes from the top; [] for none."""
    def find(nodes: list[NodeDraft], trail: list[int]) -> list[int] | None:
        for i, n in enumerate(nodes):
            if n is node:
                return [*trail, i]
            found = find(n.children, [*trail, i])
            if found is not None:
                return found
        return None

    return (find(plan.areas, []) or []) if node is not None else []


def _node_at(plan: PlanDraft, path: list[int]) -> NodeDraft | None:
    nodes, node = plan.areas, None
    for i in path:
        if not 0 <= i < len(nodes):
            return node
        node = nodes[i]
        nodes = node.children
    return node


def _reprefix(node: NodeDraft, old: str, new: str) -> None:
    node.ref = new + node.ref[len(old):] if node.ref.startswith(old) else new
    for child in node.children:
        _reprefix(child, old, new)


def _free_segment(parent: NodeDraft) -> str:
    used = {c.ref.rsplit(".", 1)[-1] for c in parent.children}
    n = len(parent.children) + 1
    while str(n) in used:
        n += 1
    return str(n)


def _middle_break(text: str) -> int:
    """A paragraph break near the middle of `text`, else a sentence end near it, else 0."""
    breaks = [m.end() for m in re.finditer(r"\n\n", text)] or [m.end() for m in re.finditer(r"[.;!?。](\s+)", text)]
    breaks = [b for b in breaks if 0 < b < len(text.rstrip())]
    if not breaks:
        return 0
    middle = len(text) / 2
    return min(breaks, key=lambda b: abs(b - middle))


def _give_ref(siblings: list[NodeDraft], index: int, plan: PlanDraft) -> None:
    """A reference for the node inserted at `index`: renumber generated (1, 2, 3...) siblings, else add a letter."""
    node = siblings[index]
    neighbour = siblings[index - 1]
    prefix = neighbour.ref.rsplit(".", 1)[0] + "." if "." in neighbour.ref else ""
    others = [n for i, n in enumerate(siblings) if i != index]
    segments = [n.ref.rsplit(".", 1)[-1] for n in others]
    if segments == [str(i) for i in range(1, len(others) + 1)]:
        for i, n in enumerate(siblings, start=1):
            if n is node:
                n.ref = f"{prefix}{i}"
            else:
                _reprefix(n, n.ref, f"{prefix}{i}")
        return
    used = {n.ref for n in plan.walk()}
    for letter in "abcdefghijklmnopqrstuvwxyz":
        candidate = f"{neighbour.ref}{letter}"
        if candidate not in used:
            node.ref = candidate
            return
    node.ref = f"{neighbour.ref}-{len(used)}"


def run_import_dialog(parent: QWidget, context: AppContext, path: Path,
                      on_imported: Callable[[str], object] | None = None) -> None:
    """Read `path` (with progress), show the preview, and import the edited plan if the user says Import."""
    from briefbook.gui.operations import run_operation
    from briefbook.services.plan_import import read_and_recognize

    if context.briefing is None:
        return

    def work(progress: Callable[[int, int, str], None], cancel: Cancellation) -> tuple[Document, Recognition]:
        said = "Import cancelled; nothing was read into this file."

        def pages(done: int, total: int) -> None:
            progress(done, total, f"Reading page {done} of {total}…")
            cancel.check(said)

        cancel.check(said)

        return read_and_recognize(path, None, pages)  # a file that holds no plan: one sentence, no dialog

    def show(read: tuple[Document, Recognition]) -> None:
        document, result = read
        dialog = ImportDialog(document, path, parent, result=result)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: _store(parent, context, dialog.draft(), on_imported))
        dialog.open()

    run_operation(parent, "Reading the plan…", work, show)


def choose_and_import(parent: QWidget, context: AppContext,
                      on_imported: Callable[[str], object] | None = None) -> None:
    """File > Import Plan: ask for the document, then `run_import_dialog` on it.
    `on_imported(plan_id)` shows the plan just imported."""
    from PySide6.QtWidgets import QFileDialog

    if context.briefing is None:
        return
    name, _ = QFileDialog.getOpenFileName(parent, "Import Plan", str(Path.home()), IMPORT_FILTER)
    if name:
        run_import_dialog(parent, context, Path(name), on_imported)


#: At most this many unplaced lines are quoted in the import's message.
UNPLACED_SHOWN = 10


def unplaced_lines(report: ImportReport) -> str:
    """The lines an import could not place, quoted with their numbers (empty if none)."""
    if not report.unplaced:
        return ""
    n = len(report.unplaced)
    head = f"\n\n{'1 line' if n == 1 else f'{n} lines'} could not be placed in the tree:"
    quoted = [f"line {u.line_no}: {u.text if len(u.text) <= 100 else u.text[:99] + '…'}"
              for u in report.unplaced[:UNPLACED_SHOWN]]
    if n > UNPLACED_SHOWN:
        quoted.append(f"and {n - UNPLACED_SHOWN} more ('briefbook import-plan' lists them all)")
    return "\n".join([head, *quoted])


def _changes_told(changes: ImportPreview) -> str:
    """A revision's renumberings and removals in words ("" when it only adds or rewords)."""
    if not changes.plan_exists or not (changes.renumbered or changes.removed):
        return ""
    parts = []
    if changes.renumbered:
        pairs = ", ".join(f"{old} → {new}" for new, old in list(changes.renumbered.items())[:8])
        more = "…" if len(changes.renumbered) > 8 else ""
        parts.append(f"{len(changes.renumbered)} commitments get new numbers ({pairs}{more}); their notes, "
                     "sources, status and history go with them.")
    if changes.removed:
        kept = f" {len(changes.kept)} of them stay, marked as removed from the plan, because notes, sources or " \
               "agenda entries hang on them." if changes.kept else ""
        parts.append(f"{len(changes.removed)} are no longer in the text ({', '.join(changes.removed[:8])})."
                     + kept)
    return "This file already holds this plan. " + " ".join(parts)


def _store(parent: QWidget, context: AppContext, draft: PlanDraft,
           on_imported: Callable[[str], object] | None = None) -> None:
    from briefbook.gui import messages
    from db.model.errors import BriefbookError, PlanWouldBeReplaced

    briefing = context.briefing
    if briefing is None:
        return
    try:
        # Say what a revision will change before changing it.
        changes = briefing.preview_import(draft)
        told = _changes_told(changes)
        if told and not changes.would_replace and not messages.ask_yes_no(
            parent, "Import the revised plan?", told + " Import it?", "Import"
        ):
            return
        if not changes.plan_exists:
            # A new plan: Edit > Undo removes it again (a plan imported by mistake).
            from briefbook.gui.commands.base import push
            from briefbook.gui.commands.plans import ImportNewPlanCommand

            command = ImportNewPlanCommand(context, draft)
            if not push(context, command, parent, "Import Plan"):
                return
            assert command.report is not None
            report = command.report
        else:
            try:
                report = briefing.import_plan(draft)
            except PlanWouldBeReplaced as exc:
                if not messages.ask_yes_no(parent, "Replace the plan?", f"{exc} Replace it?", "Replace"):
                    return
                report = briefing.import_plan(draft, replace=True)
            # A revision rewrites nodes the undo history's commands hold: that history ends here.
            context.undo_stack.clear()
    except BriefbookError as exc:
        messages.show_error(parent, "Import Plan", str(exc))
        return
    context.notify(Changed(ChangeKind.PLAN, report.plan_id))
    if on_imported is not None:
        on_imported(report.plan_id)
    note = ""
    if report.renumbered:
        note += f" {report.renumbered} renumbered commitments kept their notes."
    if report.kept_removed:
        note += (f" {report.kept_removed} nodes no longer in the text stay, marked as removed from the plan, "
                 "because notes, sources or agenda entries hang on them.")
    if not changes.plan_exists:
        note += " Edit > Undo removes it again."
    # The plan's title stays out of the message: a message box may read text as markup.
    messages.show_info(parent, "Plan imported",
                       f"{report.added} nodes added, {report.updated} updated, {report.removed} removed.{note}"
                       + unplaced_lines(report))
