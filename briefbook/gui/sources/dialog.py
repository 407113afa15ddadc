"""The dialog that creates a source or edits one (everywhere it is cited)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from briefbook.gui.widgets.basic import problem_label
from briefbook.gui.widgets.guarded_dialog import GuardedDialog
from db.model import rules
from db.model.values import SourceInfo

#: URL schemes a citation may point at (anything else is most likely a typo).
URL_SCHEMES = ("http", "https", "ftp", "file")


@dataclass(frozen=True)
class SourceForm:
    """What the user entered: the source's fields, and the pinpoint quote (None when not asked)."""

    fields: dict[str, str | None]
    quote: str | None


def check_source_fields(fields: dict[str, str | None]) -> str | None:
    """One sentence saying what is wrong, or None when the fields can be saved."""
    problem = rules.source_problem(fields)  # the facade's own rule: title, date
    if problem:
        return problem
    url = (fields.get("url") or "").strip()
    if url:
        parsed = QUrl(url, QUrl.ParsingMode.StrictMode)
        if not parsed.isValid() or parsed.scheme().lower() not in URL_SCHEMES or not (parsed.host() or parsed.path()):
            return f"“{url}” is not a web address: write it like https://example.org/report."
    return None


class SourceDialog(GuardedDialog):
    """Title, outlet, URL, publication date (possibly partial), excerpt; optionally the quote."""

    def __init__(
        self,
        parent: QWidget | None,
        heading: str,
        initial: SourceInfo | None = None,
        quote: str | None = None,
        cited_on: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(heading)
        self.setAccessibleName(heading)
        self.setMinimumWidth(520)

        self.title_edit = QLineEdit(initial.title if initial else "")
        self.title_edit.setAccessibleName("Title")
        self.outlet_edit = QLineEdit(initial.outlet if initial else "")
        self.outlet_edit.setAccessibleName("Outlet")
        self.outlet_edit.setPlaceholderText("e.g. The Japan News")
        self.url_edit = QLineEdit(initial.url if initial else "")
        self.url_edit.setAccessibleName("URL")
        self.url_edit.setPlaceholderText("https://… (optional)")
        self.published_edit = QLineEdit((initial.published or "") if initial else "")
        self.published_edit.setAccessibleName("Publication date")
        self.published_edit.setPlaceholderText("YYYY, YYYY-MM or YYYY-MM-DD; empty if unknown")
        self.excerpt_edit = QPlainTextEdit(initial.excerpt if initial else "")
        self.excerpt_edit.setAccessibleName("Excerpt")
        self.excerpt_edit.setTabChangesFocus(True)
        self.excerpt_edit.setMinimumHeight(90)

        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Outlet:", self.outlet_edit)
        form.addRow("&URL:", self.url_edit)
        form.addRow("&Published:", self.published_edit)
        form.addRow("&Excerpt:", self.excerpt_edit)

        self.quote_edit: QPlainTextEdit | None = None
        if quote is not None:
            self.quote_edit = QPlainTextEdit(quote)
            self.quote_edit.setAccessibleName("Pinpoint quote for this commitment")
            self.quote_edit.setPlaceholderText("The passage that bears on this commitment (optional)")
            self.quote_edit.setTabChangesFocus(True)
            self.quote_edit.setMinimumHeight(60)
            form.addRow("&Quote:", self.quote_edit)

        layout = QVBoxLayout(self)
        if cited_on:
            where = QLabel(f"Changes apply everywhere this source is cited: {', '.join(cited_on)}.")
            where.setWordWrap(True)
            layout.addWidget(where)
        layout.addLayout(form)
        self.error_label = problem_label()
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.title_edit.setFocus()
        self.remember_typed()

    def typed(self) -> object:
        return self.form()

    def form(self) -> SourceForm:
        fields: dict[str, str | None] = {
            "title": self.title_edit.text().strip(),
            "outlet": self.outlet_edit.text().strip(),
            "url": self.url_edit.text().strip(),
            "published": self.published_edit.text().strip() or None,
            "excerpt": self.excerpt_edit.toPlainText().strip(),
        }
        quote = self.quote_edit.toPlainText().strip() if self.quote_edit is not None else None
        return SourceForm(fields, quote)

    def accept(self) -> None:
        problem = check_source_fields(self.form().fields)
        if problem:
            # Stay open with what was typed; say what is wrong in one sentence.
            self.error_label.setText(problem)
            self.error_label.show()
            return
        super().accept()


def ask_source(
    parent: QWidget | None,
    heading: str,
    initial: SourceInfo | None = None,
    quote: str | None = None,
    cited_on: Sequence[str] = (),
) -> SourceForm | None:
    """Show the dialog; the form when the user pressed OK with valid fields, else None."""
    dialog = SourceDialog(parent, heading, initial, quote, cited_on)
    try:
        return dialog.form() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
