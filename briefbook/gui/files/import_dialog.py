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

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefbook.gui.context import AppContext, Changed, ChangeKind
from briefbook.plan_import.blocks import Document
from briefbook.plan_import.recognizer import ImportOptions, Recognition
from briefbook.plan_parser import _parties, _period, short_title
from db.model.drafts import NodeDraft, PlanDraft

if TYPE_CHECKING:
    from db.model.cancelling import Cancellation
    from db.model.values import ImportPreview, ImportReport

__all__ = ["IMPORT_FILTER", "ImportDialog", "choose_and_import", "run_import_dialog", "unplaced_lines"]

#: The file dialog's filter for File > Import Plan.
IMPORT_FILTER = "Plans (*.txt *.md *.docx *.pdf *.html *.htm);;All files (*)"

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
        self.resize(900, 640)
        self._nodes: dict[int, NodeDraft] = {}  # id(item) -> node
        self._result: Recognition | None = result

        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("The plan's title (the document gives none)")
        self.title_edit.textChanged.connect(self._update_buttons)
        title_label = QLabel("&Title:")
        title_label.setBuddy(self.title_edit)

        self.levels_form = QFormLayout()
        self.level_boxes: list[QComboBox] = []

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Ref", "Kind", "Title"])
        self.tree.setColumnWidth(0, 90)
        self.tree.setColumnWidth(1, 120)
        self.tree.setAccessibleName("Plan tree")
        self.tree.currentItemChanged.connect(self._show_text)
        self.text_view = QPlainTextEdit()
        self.text_view.setReadOnly(True)
        self.text_view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.text_view.setAccessibleName("Text of the selected node")
        self.unplaced = QListWidget()
        self.unplaced.setAccessibleName("Lines not placed")
        self.summary = _plain(QLabel())

        self.merge_button = QPushButton("&Merge into previous")
        self.merge_button.setToolTip("Join the selected node to the node before it (Ctrl+M)")
        self.merge_button.clicked.connect(self.merge_selected)
        self.split_button = QPushButton("S&plit at cursor")
        self.split_button.setToolTip("Start a new node where the cursor is in the text (Ctrl+K)")
        self.split_button.clicked.connect(self.split_selected)
        QShortcut(QKeySequence("Ctrl+M"), self, self.merge_selected)
        QShortcut(QKeySequence("Ctrl+K"), self, self.split_selected)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        top = QFormLayout()
        top.addRow(title_label, self.title_edit)
        edit_row = QHBoxLayout()
        edit_row.addWidget(self.merge_button)
        edit_row.addWidget(self.split_button)
        edit_row.addStretch(1)
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
        splitter.setSizes([520, 380])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.levels_form)
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
        self.tree.setFocus()

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
        kinds = tuple(str(b.currentData()) for b in self.level_boxes)
        self.options = ImportOptions(title=self.options.title, levels=kinds,
                                     numbered_paragraphs=self.options.numbered_paragraphs)
        from briefbook.services.plan_import import recognize_document

        self._result = recognize_document(self.document, self.options)
        self._fill()  # keep the boxes: the user is choosing in them

    # -- the tree ----------------------------------------------------------------------------

    def _fill(self, select: NodeDraft | None = None) -> None:
        self.tree.clear()
        self._nodes.clear()
        chosen: QTreeWidgetItem | None = None

        def add(parent: QTreeWidget | QTreeWidgetItem, node: NodeDraft) -> None:
            nonlocal chosen
            item = QTreeWidgetItem([node.ref, _KIND_LABELS.get(node.kind, node.kind), node.title])
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
        if first is not None:
            self.tree.setCurrentItem(first)
        self.unplaced.clear()
        for u in self.plan.unplaced:
            self.unplaced.addItem(f"line {u.line_no}: {u.text} ({u.reason})")
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

    def selected_node(self) -> NodeDraft | None:
        item = self.tree.currentItem()
        return self._nodes.get(id(item)) if item is not None else None

    def _show_text(self) -> None:
        node = self.selected_node()
        self.text_view.setPlainText(node.text if node is not None else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        node = self.selected_node()
        self.merge_button.setEnabled(node is not None and self._previous(node) is not None)
        self.split_button.setEnabled(node is not None and bool(node.text.strip()))
        has_title = bool(self.title_edit.text().strip())
        self.import_button.setEnabled(has_title and bool(self.plan.areas))
        self.import_button.setToolTip("" if has_title else "Give the plan a title first.")

    # -- edits ---------------------------------------------------------------------------------

    def _siblings(self, node: NodeDraft) -> list[NodeDraft]:
        if any(n is node for n in self.plan.areas):
            return self.plan.areas
        for parent in self.plan.walk():
            if any(c is node for c in parent.children):
                return parent.children
        return []

    def _previous(self, node: NodeDraft) -> NodeDraft | None:
        siblings = self._siblings(node)
        at = next(i for i, n in enumerate(siblings) if n is node) if siblings else 0
        return siblings[at - 1] if at > 0 else None

    def merge_selected(self) -> None:
        """Join the selected node (its text and its children) to the node before it."""
        node = self.selected_node()
        prev = self._previous(node) if node is not None else None
        if node is None or prev is None:
            return
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
        try:
            report = briefing.import_plan(draft)
        except PlanWouldBeReplaced as exc:
            if not messages.ask_yes_no(parent, "Replace the plan?", f"{exc} Replace it?", "Replace"):
                return
            report = briefing.import_plan(draft, replace=True)
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
    # The plan's title stays out of the message: a message box may read text as markup.
    messages.show_info(parent, "Plan imported",
                       f"{report.added} nodes added, {report.updated} updated, {report.removed} removed.{note}"
                       + unplaced_lines(report))
