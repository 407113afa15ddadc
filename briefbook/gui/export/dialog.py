"""File > Export Briefing Book… (Ctrl+E), and the meetings panel's Export button.

The dialog asks what to export (a meeting, the whole plan or one area), the
format, the options (changes since a date, classification, note kinds,
sources, prepared by) and where; the export runs on a worker thread behind
a cancellable progress dialog, on its own read-only connection to the file,
and when it is done the user can open the file or show it in its folder.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from briefbook.gui import messages, settings
from db.briefing.facade import Briefing
from db.model.errors import BriefbookError
from db.model.values import NOTE_KIND_LABELS, NOTE_KINDS

if TYPE_CHECKING:
    from briefbook.gui.context import AppContext
    from briefbook.gui.operations import Work
    from db.model.cancelling import Cancellation

FILTERS = {"pdf": "PDF document (*.pdf)", "docx": "Word document (*.docx)"}


@dataclass(frozen=True)
class ExportRequest:
    """Everything the export needs, read from the dialog (plain values: it crosses to a thread)."""

    db_path: Path
    out: Path
    fmt: str
    meeting_id: str | None
    plan_id: str | None
    area_ref: str | None
    since: str | None
    classification: str | None
    note_kinds: tuple[str, ...] | None
    include_sources: bool
    prepared_by: str
    default_classification: str = ""
    long_note_words: int = 300
    edition: str = "principal"  # a meeting pack: the principal's or the desk's


class ExportDialog(QDialog):
    def __init__(self, briefing: Briefing, meeting_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Briefing Book")
        self.setObjectName("exportDialog")
        self.briefing = briefing
        self.meetings = briefing.meetings()
        self.plans = briefing.plans()
        layout = QVBoxLayout(self)

        # -- what --------------------------------------------------------------------
        scope = QGroupBox("What to export", self)
        grid = QGridLayout(scope)
        self.scope_group = QButtonGroup(self)
        self.meeting_radio = QRadioButton("&Meeting pack:", scope)
        self.meeting_combo = QComboBox(scope)
        self.meeting_combo.setAccessibleName("Meeting")
        for m in self.meetings:
            self.meeting_combo.addItem(f"{m.title} ({m.date or 'date unknown'})", m.id)
        self.plan_radio = QRadioButton("Whole &plan:", scope)
        self.plan_combo = QComboBox(scope)
        self.plan_combo.setAccessibleName("Plan")
        for p in self.plans:
            self.plan_combo.addItem(p.title, p.id)
        self.area_radio = QRadioButton("One &area:", scope)
        self.area_combo = QComboBox(scope)
        self.area_combo.setAccessibleName("Area")
        for row, (radio, combo) in enumerate(
            ((self.meeting_radio, self.meeting_combo), (self.plan_radio, self.plan_combo),
             (self.area_radio, self.area_combo))
        ):
            self.scope_group.addButton(radio, row)
            grid.addWidget(radio, row, 0)
            grid.addWidget(combo, row, 1)
        grid.setColumnStretch(1, 1)
        layout.addWidget(scope)

        # -- options -------------------------------------------------------------------
        options = QGroupBox("Options", self)
        form = QFormLayout(options)
        self.format_combo = QComboBox(options)
        self.format_combo.addItem("PDF document", "pdf")
        self.format_combo.addItem("Word document", "docx")
        self.format_combo.setAccessibleName("Format")
        form.addRow("&Format:", self.format_combo)
        self.edition_combo = QComboBox(options)
        self.edition_combo.addItem("Principal's brief: steering page, one item a page, background annexed",
                                   "principal")
        self.edition_combo.addItem("Desk brief: everything, with bylines, status chart and every change", "desk")
        self.edition_combo.setAccessibleName("Edition")
        self.edition_combo.setToolTip("A meeting pack comes in two editions from the same notes")
        form.addRow("Editio&n:", self.edition_combo)
        since_row = QHBoxLayout()
        self.since_check = QCheckBox("List changes &since", options)
        self.since_date = QDateEdit(QDate.currentDate().addMonths(-1), options)
        self.since_date.setCalendarPopup(True)
        self.since_date.setDisplayFormat("d MMMM yyyy")
        self.since_date.setAccessibleName("Changes since")
        self.since_date.setEnabled(False)
        self.since_check.toggled.connect(self.since_date.setEnabled)
        since_row.addWidget(self.since_check)
        since_row.addWidget(self.since_date, 1)
        form.addRow(since_row)
        # Filled with the marking the pack will carry (the meeting's, else the default from
        # the preferences), said where it comes from; typing another one replaces it.
        self.classification_edit = QLineEdit(options)
        self.classification_edit.setAccessibleName("Classification")
        self.classification_edit.setToolTip("Printed on every page of the pack")
        from briefbook.gui.meetings.dialog import COMMON_MARKINGS

        self.classification_edit.setCompleter(QCompleter([m for m in COMMON_MARKINGS if m], self))
        self.classification_source = QLabel(options)
        self.classification_source.setObjectName("hint")
        self.classification_source.setTextFormat(Qt.TextFormat.PlainText)  # a marking is the user's text
        self.classification_source.setAccessibleName("Where the marking comes from")
        self._suggested_marking = ""
        from briefbook.services import preferences

        self._default_marking = preferences.load().default_classification.strip()
        self.classification_edit.textChanged.connect(self._say_where_marking_comes_from)
        marking_row = QHBoxLayout()
        marking_row.addWidget(self.classification_edit, 1)
        marking_row.addWidget(self.classification_source)
        marking_label = QLabel("&Classification:", options)
        marking_label.setBuddy(self.classification_edit)
        form.addRow(marking_label, marking_row)
        kinds = QGridLayout()  # two rows: eight kinds side by side would widen the dialog past a laptop screen
        self.kind_checks: dict[str, QCheckBox] = {}
        for i, kind in enumerate(NOTE_KINDS):
            box = QCheckBox(NOTE_KIND_LABELS[kind], options)
            box.setChecked(True)
            self.kind_checks[kind] = box
            kinds.addWidget(box, i // 4, i % 4)
        kinds.setColumnStretch(4, 1)
        # A label with a buddy: a row label given as text to a layout shows its "&" literally.
        notes_label = QLabel("&Notes:", options)
        notes_label.setBuddy(self.kind_checks[NOTE_KINDS[0]])
        form.addRow(notes_label, kinds)
        self.sources_check = QCheckBox("Cite sources and add the sources appendix", options)
        self.sources_check.setChecked(True)
        form.addRow("", self.sources_check)
        self.prepared_edit = QLineEdit(settings.author(), options)
        self.prepared_edit.setAccessibleName("Prepared by")
        form.addRow("Prepared &by:", self.prepared_edit)
        layout.addWidget(options)

        # -- where ---------------------------------------------------------------------------
        where = QHBoxLayout()
        self.path_edit = QLineEdit(self)
        self.path_edit.setAccessibleName("Save as")
        browse = QPushButton("&Browse…", self)
        browse.clicked.connect(self.browse)
        where.addWidget(self.path_edit, 1)
        where.addWidget(browse)
        where_box = QGroupBox("Save as", self)
        where_box.setLayout(where)
        layout.addWidget(where_box)

        # Why Export is disabled, or what a Word file will lack (said before the export, not after).
        self.notice = QLabel(self)
        self.notice.setObjectName("hint")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.notice)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.plan_combo.currentIndexChanged.connect(self._fill_areas)
        self.scope_group.idToggled.connect(self._scope_changed)
        self.format_combo.currentIndexChanged.connect(self._suggest_path)
        self.format_combo.currentIndexChanged.connect(self._update_notice)
        self.meeting_combo.currentIndexChanged.connect(self._scope_changed)
        self.area_combo.currentIndexChanged.connect(self._scope_changed)
        self._fill_areas()
        if meeting_id is not None and self.meeting_combo.findData(meeting_id) >= 0:
            self.meeting_combo.setCurrentIndex(self.meeting_combo.findData(meeting_id))
        (self.meeting_radio if self.meetings else self.plan_radio).setChecked(True)
        self.meeting_radio.setEnabled(bool(self.meetings))
        if not self.plans:
            self.plan_radio.setEnabled(False)
            self.area_radio.setEnabled(False)
        self._scope_changed()
        self._update_notice()
        self.resize(640, self.sizeHint().height())

    # -- filling in ------------------------------------------------------------------------------

    def _fill_areas(self) -> None:
        self.area_combo.clear()
        plan_id = self.plan_combo.currentData()
        if plan_id is None:
            return
        for node in self.briefing.tree(plan_id):
            self.area_combo.addItem(f"{node.node.ref} {node.node.title}", node.node.ref)

    def _scope_changed(self, *_args: object) -> None:
        which = self.scope_group.checkedId()
        self.meeting_combo.setEnabled(which == 0)
        self.edition_combo.setEnabled(which == 0)  # a plan book has one edition, the desk's
        self.plan_combo.setEnabled(which in (1, 2))
        self.area_combo.setEnabled(which == 2)
        self._suggest_marking()
        self._suggest_path()

    def _inherited_marking(self) -> tuple[str, str]:
        """(the marking the pack gets when none is typed here, where it comes from)."""
        if self.scope_group.checkedId() == 0 and self.meeting_combo.currentIndex() >= 0:
            own = self.meetings[self.meeting_combo.currentIndex()].classification.strip()
            if own:
                return own, "the meeting's marking"
        return (self._default_marking, "your default") if self._default_marking else ("", "")

    def _suggest_marking(self) -> None:
        """Show the marking that will be printed (until the user types another one)."""
        current = self.classification_edit.text().strip()
        if current and current != self._suggested_marking:
            self._say_where_marking_comes_from()
            return  # the user's own marking: keep it
        self._suggested_marking, _ = self._inherited_marking()
        self.classification_edit.setText(self._suggested_marking)
        self._say_where_marking_comes_from()

    def _say_where_marking_comes_from(self, *_args: object) -> None:
        typed = self.classification_edit.text().strip()
        inherited, source = self._inherited_marking()
        self.classification_edit.setPlaceholderText("none")
        if not typed:
            self.classification_source.setText(
                f"— empty, so {source} {inherited} is printed" if inherited else "— no marking (you will be asked)")
        elif typed == inherited:
            self.classification_source.setText(f"— {source}")
        else:
            self.classification_source.setText("— typed here, for this pack")

    def _update_notice(self, *_args: object) -> None:
        if not self.meetings and not self.plans:
            self.export_button.setEnabled(False)
            self.notice.setText("This file holds no plan and no meeting yet: import a plan (File > Import Plan) "
                                "or create a meeting, then export it.")
            return
        self.export_button.setEnabled(True)
        from exporters.docx_pages import libreoffice

        if self.format() == "docx" and libreoffice() is None:
            self.notice.setText("LibreOffice is not installed, so the Word document's contents and summary page "
                                "will have no page numbers (Word fills them in when you update the fields).")
        else:
            self.notice.setText("")

    def _title(self) -> str:
        which = self.scope_group.checkedId()
        if which == 0 and self.meeting_combo.currentIndex() >= 0:
            m = self.meetings[self.meeting_combo.currentIndex()]
            # A title that already names the year ("... Rome 2027") does not get the date again.
            date = m.date or ""
            if date[:4] and date[:4] in m.title:
                date = ""
            return f"{m.title} {date}".strip()
        if which == 2 and self.area_combo.currentIndex() >= 0:
            return f"{self.plan_combo.currentText()} area {self.area_combo.currentData()}"
        return self.plan_combo.currentText() or "briefing book"

    def _suggest_path(self, *_args: object) -> None:
        """A file name from the title, in the folder of the last export (until the user types one)."""
        current = self.path_edit.text().strip()
        if current and current != getattr(self, "_last_suggestion", ""):
            return  # the user chose a name: keep it
        name = re.sub(r"[^\w\- ]+", "", self._title(), flags=re.UNICODE).strip().replace(" ", "_")[:80] or "briefing"
        folder = Path(str(QSettings().value("exportFolder", str(Path.home()), type=str) or Path.home()))
        suggestion = str(folder / f"{name}.{self.format()}")
        self._last_suggestion = suggestion
        self.path_edit.setText(suggestion)

    def format(self) -> str:
        return str(self.format_combo.currentData())

    def browse(self) -> None:
        fmt = self.format()
        name, _ = QFileDialog.getSaveFileName(self, "Export Briefing Book", self.path_edit.text(), FILTERS[fmt])
        if name:
            path = Path(name)
            if path.suffix.lower() not in (".pdf", ".docx"):
                path = path.with_suffix(f".{fmt}")
            self.path_edit.setText(str(path))

    def request(self) -> ExportRequest:
        """The dialog's values; raises a BriefbookError with a sentence if they do not fit."""
        from db.model.errors import InvalidInput

        text = self.path_edit.text().strip()
        if not text:
            raise InvalidInput("Choose where to save the briefing book.")
        out = Path(text).expanduser()
        suffix = out.suffix.lower().lstrip(".")
        fmt = suffix if suffix in FILTERS else self.format()
        if suffix not in FILTERS:
            out = out.with_name(out.name + f".{fmt}")
        which = self.scope_group.checkedId()
        meeting_id = self.meeting_combo.currentData() if which == 0 else None
        plan_id = self.plan_combo.currentData() if which in (1, 2) else None
        if which == 0 and meeting_id is None:
            raise InvalidInput("Choose a meeting to export.")
        if which in (1, 2) and plan_id is None:
            raise InvalidInput("Choose a plan to export.")
        kinds = tuple(k for k, box in self.kind_checks.items() if box.isChecked())
        classification = self.classification_edit.text().strip()
        from briefbook.services import preferences

        prefs = preferences.load()
        return ExportRequest(
            db_path=self.briefing.path,
            out=out,
            fmt=fmt,
            meeting_id=meeting_id,
            plan_id=plan_id,
            area_ref=self.area_combo.currentData() if which == 2 else None,
            since=self.since_date.date().toString("yyyy-MM-dd") if self.since_check.isChecked() else None,
            classification=classification or None,
            note_kinds=None if len(kinds) == len(NOTE_KINDS) else kinds,
            include_sources=self.sources_check.isChecked(),
            prepared_by=self.prepared_edit.text().strip() or settings.author(),
            default_classification=prefs.default_classification,
            long_note_words=prefs.long_note_words,
            edition=str(self.edition_combo.currentData()) if which == 0 else "desk",
        )

    def marking(self) -> str:
        """The marking the pack will carry: typed, else the meeting's, else the preferences' default."""
        from briefbook.services import preferences

        typed = self.classification_edit.text().strip()
        if typed:
            return typed
        if self.scope_group.checkedId() == 0 and self.meeting_combo.currentIndex() >= 0:
            own = self.meetings[self.meeting_combo.currentIndex()].classification.strip()
            if own:
                return own
        return preferences.load().default_classification.strip()


# -- running it ----------------------------------------------------------------------------------


def export_work(request: ExportRequest) -> Work:
    """The work for the worker thread: its own read-only connection, then the export."""
    from exporters.book import BookOptions
    from exporters.book_model import CANCELLED
    from exporters.export import Scope, export

    def work(progress: Callable[[int, int, str], None], cancel: Cancellation) -> Path:
        options = BookOptions(
            since=request.since,
            classification=request.classification,
            note_kinds=request.note_kinds,
            include_sources=request.include_sources,
            prepared_by=request.prepared_by,
            default_classification=request.default_classification,
            long_note_words=request.long_note_words,
            edition=request.edition,
        )
        scope = Scope(meeting_id=request.meeting_id, plan_id=request.plan_id, area_ref=request.area_ref)
        with Briefing.open(request.db_path, read_only=True) as briefing:
            return export(briefing, scope, request.out, request.fmt, options,
                          progress=lambda done, total: progress(done, total, ""), cancelled=cancel.is_cancelled,
                          no_return=lambda: cancel.point_of_no_return(CANCELLED))

    return work


def start_export(window: QWidget, request: ExportRequest) -> None:
    from briefbook.gui.operations import run_operation
    from exporters.output import check_target

    try:
        check_target(request.out)  # say so now, not after the work
    except BriefbookError as exc:
        messages.show_error(window, "Export Briefing Book", str(exc))
        return
    QSettings().setValue("exportFolder", str(request.out.parent))

    def failed(exc: BaseException) -> None:
        if isinstance(exc, BriefbookError):
            messages.show_error(window, "Export Briefing Book", str(exc))
        else:
            sys.excepthook(type(exc), exc, exc.__traceback__)

    run_operation(window, f"Exporting {request.out.name}…", export_work(request),
                  lambda path: finished(window, Path(path)), failed)


def finished(window: QWidget, path: Path) -> None:
    """Say where the book was saved, with Open and Show in Folder (an information, not a question)."""
    box = QMessageBox(QMessageBox.Icon.Information, "Export Briefing Book",
                      f"The briefing book was saved as {path.name}.", QMessageBox.StandardButton.Close, window)
    box.setTextFormat(Qt.TextFormat.PlainText)  # a file name is never markup
    open_button = box.addButton("&Open", QMessageBox.ButtonRole.ActionRole)
    folder_button = box.addButton("Show in &Folder", QMessageBox.ButtonRole.ActionRole)
    box.setDefaultButton(open_button)

    def clicked(button: QAbstractButton) -> None:
        if button is open_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        elif button is folder_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))

    box.buttonClicked.connect(clicked)
    box.open()


def open_export_dialog(parent: QWidget, context: AppContext, meeting_id: str | None = None) -> ExportDialog | None:
    briefing = context.briefing
    if briefing is None:
        messages.show_error(parent, "Export Briefing Book", "Open a briefing file first.")
        return None
    dialog = ExportDialog(briefing, meeting_id, parent)

    def accepted() -> None:
        try:
            request = dialog.request()
        except BriefbookError as exc:
            messages.show_error(parent, "Export Briefing Book", str(exc))
            dialog.open()
            return
        if not dialog.marking() and not messages.ask_yes_no(
            parent, "Export Briefing Book",
            "The pack has no classification marking (neither typed here, nor the meeting's, nor a default in "
            "Preferences): its pages will say NOT MARKED. Export it without a marking?", "Export &Without Marking",
        ):
            dialog.open()
            return
        start_export(parent, request)

    dialog.accepted.connect(accepted)
    dialog.open()
    return dialog
