"""The sources cited on the selected node: read them, cite, uncite, edit, attach files.

Reads go through the facade; every edit is an undo command (gui/commands/sources.py).
The dialogs are attributes (`ask_link`, `ask_combine`, `ask_source`, `ask_quote`, `ask_file`,
`open_url`) so tests can answer them without a modal loop.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import stat
import sys
import tempfile
import unicodedata
import uuid
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from briefbook.gui import messages
from briefbook.gui.commands.base import push
from briefbook.gui.commands.sources import (
    AddAttachmentCommand,
    CombineSourcesCommand,
    CreateSourceCommand,
    EditSourceCommand,
    LinkSourceCommand,
    RemoveAttachmentCommand,
    SetLinkQuoteCommand,
    UnlinkSourceCommand,
)
from briefbook.gui.context import AppContext, Changed, ChangeKind
from briefbook.gui.sources.combine_dialog import choose_duplicate
from briefbook.gui.sources.dialog import ask_source
from briefbook.gui.sources.link_dialog import choose_source
from briefbook.gui.sources.models import AttachmentsModel, LinkedSourcesModel, ValueRole, source_byline
from briefbook.gui.widgets.basic import heading
from briefbook.gui.widgets.shortcuts import widget_shortcut
from db.briefing.files import read_attachment
from db.model.errors import BriefbookError, NotFound
from db.model.values import AttachmentInfo, LinkedSource, NodeInfo, SourceInfo
from exporters.markdown import safe_href


def _ref_key(ref: str) -> list[int | str]:
    # "2.10.1" after "2.9.1"
    return [int(p) if p.isdigit() else p for p in ref.split(".")]


def ask_quote(parent: QWidget | None, node_ref: str, current: str) -> str | None:
    text, ok = QInputDialog.getMultiLineText(
        parent, f"Quote for {node_ref}", f"The passage of the source that bears on {node_ref}:", current
    )
    return text.strip() if ok else None


def ask_file(parent: QWidget | None) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "Attach a file to the source")
    return Path(name) if name else None


def _plain_label(name: str) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)  # user text is data, never markup
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    return label


class SourcesPanel(QWidget):
    #: Changes after which the list is shown again.
    LISTENS_TO = frozenset(
        {ChangeKind.SOURCE, ChangeKind.LINK, ChangeKind.ATTACHMENT, ChangeKind.NODE, ChangeKind.PLAN}
    )

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setAccessibleName("Sources")
        self.node: NodeInfo | None = None
        self._temp_dir: Path | None = None

        # Dialog hooks (see the module docstring).
        self.ask_link = choose_source
        self.ask_combine = choose_duplicate
        self.ask_source = ask_source
        self.ask_quote = ask_quote
        self.ask_file = ask_file
        self.open_url = QDesktopServices.openUrl

        self._build()
        context.fileChanged.connect(self.reload)
        context.nodeSelected.connect(lambda _id: self.reload())
        context.notified.connect(self._on_changed)
        self.reload()

    # -- building ---------------------------------------------------------------

    def _build(self) -> None:
        self.heading = heading("Sources")
        self.heading.setAccessibleName("Sources heading")
        self.link_button = QPushButton("&Link existing…")
        self.link_button.setAccessibleName("Link an existing source")
        self.link_button.setToolTip("Cite a source already in this file on the selected commitment")
        self.create_button = QPushButton("New sour&ce…")
        self.create_button.setAccessibleName("Create a new source")
        self.create_button.setToolTip("Create a source and cite it on the selected commitment")
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.link_button)
        top.addWidget(self.create_button)

        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.empty_label.setAccessibleName("No sources")
        self.empty_label.setStyleSheet("padding: 24px 16px; font-style: italic;")

        self.model = LinkedSourcesModel(self)
        self.list_view = QListView()
        self.list_view.setModel(self.model)
        self.list_view.setAccessibleName("Sources cited")
        self.list_view.setWordWrap(True)
        self.list_view.setAlternatingRowColors(True)
        self.list_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        # Room for four sources (two lines each) before it scrolls.
        self.list_view.setMinimumHeight(self.fontMetrics().lineSpacing() * 8 + 12)
        self.list_view.selectionModel().currentChanged.connect(lambda *_: self._show_detail())
        self.list_view.activated.connect(lambda _i: self.edit_source())
        widget_shortcut(QKeySequence.StandardKey.Delete, self.list_view, self.unlink,
                        "Unlink the source from the commitment")

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.list_view)
        self.splitter.addWidget(self._build_detail())
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self.splitter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)

        self.link_button.clicked.connect(self.link_existing)
        self.create_button.clicked.connect(self.create_source)

    def _build_detail(self) -> QWidget:
        self.title_label = _plain_label("Source title")
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title_label.setFont(font)
        self.byline_label = _plain_label("Outlet and date")
        self.url_label = QLabel()
        self.url_label.setAccessibleName("URL")
        self.url_label.setWordWrap(True)
        self.url_label.setTextFormat(Qt.TextFormat.RichText)
        self.url_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.url_label.linkActivated.connect(self._follow_link)
        self.cited_label = _plain_label("Also cited on")
        self.excerpt_label = _plain_label("Excerpt")
        self.quote_heading = heading("Quote")
        self.quote_label = _plain_label("Pinpoint quote")
        self.quote_label.setStyleSheet("font-style: italic; border-left: 3px solid palette(mid); padding-left: 6px;")

        self.edit_button = QPushButton("Ed&it source…")
        self.edit_button.setAccessibleName("Edit the source everywhere it is cited")
        self.quote_button = QPushButton("Edit &quote…")
        self.quote_button.setAccessibleName("Edit the pinpoint quote")
        self.unlink_button = QPushButton("&Unlink")
        self.unlink_button.setAccessibleName("Unlink the source from this commitment")
        self.unlink_button.setToolTip("Stop citing this source here (Delete); the source stays in the file")
        self.combine_button = QPushButton("Com&bine with…")
        self.combine_button.setAccessibleName("Combine with another record of the same report")
        self.combine_button.setToolTip("Two colleagues each added this report: make their two records one")
        source_buttons = QHBoxLayout()
        source_buttons.addWidget(self.edit_button)
        source_buttons.addWidget(self.quote_button)
        source_buttons.addWidget(self.unlink_button)
        source_buttons.addStretch(1)
        combine_row = QHBoxLayout()  # a row of its own: four buttons overflow a laptop-sized pane
        combine_row.addWidget(self.combine_button)
        combine_row.addStretch(1)

        self.attachments_model = AttachmentsModel(self)
        self.attachments_view = QListView()
        self.attachments_view.setModel(self.attachments_model)
        self.attachments_view.setAccessibleName("Attachments")
        self.attachments_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.attachments_view.activated.connect(lambda _i: self.open_attachment())
        widget_shortcut(QKeySequence.StandardKey.Delete, self.attachments_view, self.remove_attachment,
                        "Remove the attachment")
        self.attachments_empty = QLabel("No files attached.")
        self.attachments_empty.setAccessibleName("No attachments")
        self.attach_button = QPushButton("Add attach&ment…")
        self.attach_button.setAccessibleName("Attach a file to the source")
        self.open_button = QPushButton("O&pen")
        self.open_button.setAccessibleName("Open the attachment")
        self.remove_attachment_button = QPushButton("&Remove")
        self.remove_attachment_button.setAccessibleName("Remove the attachment")
        attachment_buttons = QHBoxLayout()
        attachment_buttons.addWidget(self.attach_button)
        attachment_buttons.addWidget(self.open_button)
        attachment_buttons.addWidget(self.remove_attachment_button)
        attachment_buttons.addStretch(1)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.title_label)
        layout.addWidget(self.byline_label)
        layout.addWidget(self.url_label)
        layout.addWidget(self.cited_label)
        layout.addLayout(source_buttons)
        layout.addLayout(combine_row)
        layout.addWidget(heading("Excerpt"))
        layout.addWidget(self.excerpt_label)
        layout.addWidget(self.quote_heading)
        layout.addWidget(self.quote_label)
        layout.addWidget(heading("Attachments"))
        layout.addWidget(self.attachments_view)
        layout.addWidget(self.attachments_empty)
        layout.addLayout(attachment_buttons)
        layout.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setAccessibleName("Source details")

        self.edit_button.clicked.connect(self.edit_source)
        self.quote_button.clicked.connect(self.edit_quote)
        self.unlink_button.clicked.connect(self.unlink)
        self.combine_button.clicked.connect(self.combine)
        self.attach_button.clicked.connect(lambda: self.add_attachment())
        self.open_button.clicked.connect(self.open_attachment)
        self.remove_attachment_button.clicked.connect(self.remove_attachment)
        self.attachments_view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        return scroll

    # -- reading -------------------------------------------------------------------

    def _on_changed(self, change: Changed) -> None:
        if not change.concerns(self.LISTENS_TO):
            return
        edited = change.value if isinstance(change.value, SourceInfo) else None
        items = self.model.items()
        if edited is not None and any(ls.source.id == edited.id for ls in items):
            # An edit of a listed source returned the new row: show it, no re-read.
            self._show_items([ls._replace(source=edited) if ls.source.id == edited.id else ls
                              for ls in items])
        else:
            self.reload()

    def reload(self) -> None:
        """Read the selected node's sources again, keeping the selected one."""
        briefing = self.context.briefing
        self.node = None
        items: list[LinkedSource] = []
        if briefing is not None and self.context.current_node_id:
            try:
                self.node = briefing.node(self.context.current_node_id)
                items = briefing.node_sources(self.node.id)
            except NotFound:
                self.node = None
        self._show_items(items)

    def _show_items(self, items: list[LinkedSource]) -> None:
        keep = self.current_source()
        keep_id = keep.link_id if keep else ""
        self.model.set_items(items)
        row = self.model.row_of(keep_id) if keep_id else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self.list_view.selectionModel().setCurrentIndex(
                self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        self._show_state()
        self._show_detail()

    def _show_state(self) -> None:
        briefing = self.context.briefing
        if briefing is None:
            self.heading.setText("Sources")
            self.empty_label.setText("No file is open.")
        elif self.node is None:
            self.heading.setText("Sources")
            self.empty_label.setText("Select a commitment in the plan to see its sources.")
        else:
            self.heading.setText(f"Sources on {self.node.ref}")
            self.empty_label.setText(
                f"No sources cited on {self.node.ref} yet — Link existing… or create a New source…"
            )
        self.stack.setCurrentIndex(1 if self.model.rowCount() else 0)
        writable = briefing is not None and not briefing.read_only and self.node is not None
        self.link_button.setEnabled(writable)
        self.create_button.setEnabled(writable)

    def current_source(self) -> LinkedSource | None:
        index = self.list_view.selectionModel().currentIndex()
        return index.data(ValueRole) if index.isValid() else None

    def current_attachment(self) -> AttachmentInfo | None:
        index = self.attachments_view.selectionModel().currentIndex()
        return index.data(ValueRole) if index.isValid() else None

    def _show_detail(self) -> None:
        linked = self.current_source()
        if linked is None:
            for label in (self.title_label, self.byline_label, self.excerpt_label, self.quote_label,
                          self.cited_label):
                label.clear()
            self.url_label.clear()
            self.attachments_model.set_items([])
            self._update_buttons()
            return
        source = linked.source
        ref = self.node.ref if self.node else ""
        self.title_label.setText(source.title)
        self.byline_label.setText(source_byline(source))
        if source.url:
            self.url_label.setText(url_html(source.url))
        else:
            self.url_label.setText("<i>No URL recorded.</i>")
        self.cited_label.setText(self._cited_elsewhere(linked))
        self.excerpt_label.setText(source.excerpt or "No excerpt.")
        self.quote_heading.setText(f"Quote for {ref}")
        self.quote_label.setText(f"“{linked.quote}”" if linked.quote else f"No pinpoint quote for {ref}.")
        keep = self.current_attachment()
        self.attachments_model.set_items(linked.attachments)
        row = self.attachments_model.row_of(keep.id) if keep else -1
        if row < 0 and self.attachments_model.rowCount():
            row = 0
        if row >= 0:
            self.attachments_view.selectionModel().setCurrentIndex(
                self.attachments_model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        self._update_buttons()

    def _follow_link(self, url: str) -> None:
        # The label only links safe addresses; check again, as the exports do (http, https, mailto).
        href = safe_href(url)
        if href:
            self.open_url(QUrl(href))

    def _cited_elsewhere(self, linked: LinkedSource) -> str:
        briefing = self.context.briefing
        if briefing is None:
            return ""
        refs = sorted((n.ref for n, _q in briefing.source_nodes(linked.source.id) if n.id != linked.node_id),
                      key=_ref_key)
        return f"Also cited on {', '.join(refs)}." if refs else "Cited only here."

    def _update_buttons(self) -> None:
        briefing = self.context.briefing
        writable = briefing is not None and not briefing.read_only
        has_source = self.current_source() is not None
        has_attachment = self.current_attachment() is not None
        for button in (self.edit_button, self.quote_button, self.unlink_button, self.combine_button,
                       self.attach_button):
            button.setEnabled(writable and has_source)
        self.open_button.setEnabled(has_attachment)
        self.remove_attachment_button.setEnabled(writable and has_attachment)
        rows = self.attachments_model.rowCount()
        has_files = rows > 0
        if has_files:  # as tall as its rows (up to four), no empty box below them
            row_height = self.attachments_view.sizeHintForRow(0)
            frame = 2 * self.attachments_view.frameWidth()
            self.attachments_view.setFixedHeight(min(rows, 4) * row_height + frame + 2)
        self.attachments_view.setVisible(has_files)
        self.attachments_empty.setVisible(has_source and not has_files)

    def _select_link(self, link_id: str) -> None:
        row = self.model.row_of(link_id)
        if row >= 0:
            self.list_view.selectionModel().setCurrentIndex(
                self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )

    # -- editing ---------------------------------------------------------------------

    def link_existing(self) -> None:
        briefing, node = self.context.briefing, self.node
        if briefing is None or node is None:
            return
        linked_ids = [m.source.id for m in self.model.items()]
        choice = self.ask_link(self, node.ref, briefing.sources, linked_ids)
        if choice is None:
            return
        command = LinkSourceCommand(self.context, choice.source, node.id, node.ref, choice.quote)
        if push(self.context, command, self, "Source not linked"):
            self._select_link(command.link_id)

    def create_source(self) -> None:
        node = self.node
        if self.context.briefing is None or node is None:
            return
        form = self.ask_source(self, f"New source on {node.ref}", None, "", ())
        if form is None:
            return
        command = CreateSourceCommand(self.context, form.fields, node.id, node.ref, form.quote or "")
        if push(self.context, command, self, "Source not created"):
            self._select_link(command.link_id)

    def edit_source(self) -> None:
        briefing, linked = self.context.briefing, self.current_source()
        if briefing is None or linked is None or briefing.read_only:
            return
        cited_on = [n.ref for n, _quote in briefing.source_nodes(linked.source.id)]
        form = self.ask_source(self, "Edit source", linked.source, None, cited_on if len(cited_on) > 1 else ())
        if form is None:
            return
        command = EditSourceCommand(self.context, linked.source, form.fields)
        if command.new != command.old:
            push(self.context, command, self, "Source not changed")

    def edit_quote(self) -> None:
        linked, node = self.current_source(), self.node
        if linked is None or node is None:
            return
        quote = self.ask_quote(self, node.ref, linked.quote)
        if quote is None or quote == linked.quote:
            return
        command = SetLinkQuoteCommand(self.context, linked.link_id, node.ref, linked.quote, quote)
        push(self.context, command, self, "Quote not changed")

    def unlink(self) -> None:
        linked, node = self.current_source(), self.node
        briefing = self.context.briefing
        if linked is None or node is None or briefing is None or briefing.read_only:
            return
        command = UnlinkSourceCommand(self.context, linked.link_id, linked.source, node.id, node.ref, linked.quote)
        push(self.context, command, self, "Source not unlinked")

    def combine(self) -> None:
        linked, briefing = self.current_source(), self.context.briefing
        if linked is None or briefing is None or briefing.read_only:
            return
        other = self.ask_combine(self, linked.source, briefing.sources)
        if other is not None:
            push(self.context, CombineSourcesCommand(self.context, linked.source, other), self, "Sources not combined")

    def add_attachment(self, path: Path | None = None) -> None:
        linked = self.current_source()
        if linked is None:
            return
        path = path or self.ask_file(self)
        if path is None:
            return
        try:
            data = read_attachment(path)  # regular files only, within the one limit (stat() sizes lie)
        except BriefbookError as exc:
            messages.show_error(self, "File not attached", str(exc))
            return
        command = AddAttachmentCommand(self.context, linked.source.id, path.name, data)
        push(self.context, command, self, "File not attached")

    def remove_attachment(self) -> None:
        attachment = self.current_attachment()
        briefing = self.context.briefing
        if attachment is None or briefing is None or briefing.read_only:
            return
        push(self.context, RemoveAttachmentCommand(self.context, attachment.id, attachment.filename),
                     self, "Attachment not removed")

    def remove_temporary_copies(self) -> None:
        """Delete the copies `open_attachment` wrote (when the program quits). A viewer
        that still shows one keeps it open; where the system refuses, it stays."""
        folder, self._temp_dir = self._temp_dir, None
        if folder is not None:
            if sys.version_info >= (3, 12):
                shutil.rmtree(folder, onexc=_make_writable_and_retry)
            else:  # onexc is new in 3.12; onerror's third argument differs, but it is not used
                shutil.rmtree(folder, onerror=_make_writable_and_retry)

    def open_attachment(self) -> Path | None:
        """Write the attachment to a temporary file and hand it to the system viewer."""
        attachment, briefing = self.current_attachment(), self.context.briefing
        if attachment is None or briefing is None:
            return None
        try:
            data = briefing.attachment_data(attachment.id)
            if self._temp_dir is None:
                self._temp_dir = Path(tempfile.mkdtemp(prefix="briefbook-attachments-"))
                # Copies of attachments must not outlive the session in a shared temp folder.
                app = QCoreApplication.instance()
                if app is not None:
                    app.aboutToQuit.connect(self.remove_temporary_copies)
            # One folder per attachment keeps the original name (viewers show it)
            # without two attachments of the same name overwriting each other.
            target = temporary_copy_path(self._temp_dir, attachment.id, attachment.filename)
            target.parent.mkdir(exist_ok=True)
            if target.exists():
                os.chmod(target, stat.S_IRUSR | stat.S_IWUSR)
            target.write_bytes(data)
            # Read-only: edits in the viewer would not reach the briefing file.
            os.chmod(target, stat.S_IRUSR)
        except BriefbookError as exc:
            messages.show_error(self, "Attachment not opened", str(exc))
            return None
        except OSError as exc:
            messages.show_error(self, "Attachment not opened",
                                f"{attachment.filename} cannot be written to a temporary folder ({exc.strerror}).")
            return None
        if not self.open_url(QUrl.fromLocalFile(str(target))):
            messages.show_error(self, "Attachment not opened",
                                f"No program on this computer opens {attachment.filename}; it was saved as {target}.")
        return target


#: A URL is shown up to this many characters (the link still holds all of it).
URL_SHOWN_CHARS = 200


def url_html(url: str) -> str:
    """The URL label's rich text: a link only for web and mail addresses, the rest as inert text."""
    shown = url if len(url) <= URL_SHOWN_CHARS else url[: URL_SHOWN_CHARS - 1] + "…"
    href = safe_href(url)
    if href is None:
        return f"{html.escape(shown)} <i>(not a web or mail address: not opened from here)</i>"
    return f'<a href="{html.escape(href, quote=True)}">{html.escape(shown)}</a>'


def safe_file_name(name: str) -> str:
    """A file name from the file's record that names one file in one folder, nothing else."""
    name = re.split(r"[/\\]", name)[-1]
    name = "".join("_" if unicodedata.category(ch) in ("Cc", "Cf", "Cs") else ch for ch in name).strip()
    if name.strip(".") == "":
        return "attachment"  # "", "." and ".." would name the folder itself or its parent
    if len(name) > 120:  # a name the file system refuses; keep the suffix the viewer goes by
        stem, dot, suffix = name.rpartition(".")
        name = stem[: 120 - len(suffix) - 1] + dot + suffix if dot and len(suffix) <= 16 else name[:120]
    return name


def temporary_copy_path(temp_dir: Path, attachment_id: str, filename: str) -> Path:
    """Where an attachment's temporary copy goes: built from safe parts only, and inside `temp_dir`.

    The id and the name come from the file, which a colleague (or anyone) may have written.
    """
    try:
        folder_name = str(uuid.UUID(attachment_id))
    except ValueError:
        folder_name = hashlib.sha256(attachment_id.encode("utf-8", "replace")).hexdigest()[:32]
    target = temp_dir / folder_name / safe_file_name(filename)
    resolved = target.resolve()
    if resolved.parent != (temp_dir / folder_name).resolve() or temp_dir.resolve() not in resolved.parents:
        raise BriefbookError("That attachment's name cannot be used for a temporary copy.")
    return target


def _make_writable_and_retry(func: Callable[[str], object], path: str, _exc: object) -> None:
    # The copies are read-only (edits would not reach the briefing file); some
    # systems refuse to delete such a file until it is writable again.
    try:
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        func(path)
    except OSError:
        pass  # still in use (Windows): the system's temp cleaning takes it later
