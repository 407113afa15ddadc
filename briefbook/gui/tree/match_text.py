"""Why a row of the plan tree matched a search, shown in the row itself.

Loaded with the first search, not at start-up (it brings Qt's rich-text classes).

The title column of a matching row found through something else than its
title reads "in a note: …the words… · Title", the searched words highlighted. File text is escaped first and only then
wrapped in highlight markup, so a note holding `<b>` shows those characters.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from briefbook.gui.tree.model import MATCH_HTML_ROLE
from db.model import folding
from db.model.values import MatchReason

Index = QModelIndex | QPersistentModelIndex


#: Secondary text; dropped on a selected row, whose text takes the selection's colour.
GREY = "color:#6b7280;"
_MARK = "<span style='background-color:#ffe58a; color:#1f2328; font-weight:600'>"


def highlighted(text: str, query: str) -> str:
    """`text` as HTML: escaped, with the query's words marked."""
    out: list[str] = []
    at = 0
    for start, end in folding.highlight_spans(text, query):
        out.append(html.escape(text[at:start]))
        out.append(f"{_MARK}{html.escape(text[start:end])}</span>")
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


def first_other_reason(title: str, reasons: Sequence[MatchReason], query: str) -> MatchReason | None:
    """The reason to show beside the title: none when the title itself holds the words."""
    if not reasons:
        return None
    if reasons[0].what == "its text" and folding.contains_words(title, query):
        return None
    return reasons[0]


def match_html(title: str, reasons: Sequence[MatchReason], query: str) -> str:
    """The title column of a matching row: its title and, unless the title itself
    holds the words, where they were found."""
    reason = first_other_reason(title, reasons, query)
    if reason is None:
        return highlighted(title, query)
    # The reason first, where a narrow column still shows it; the title after it.
    excerpt = f" {highlighted(_lead_in(reason.excerpt, query), query)}" if reason.excerpt else ""
    more = f" (+{len(reasons) - 1} more)" if len(reasons) > 1 else ""
    return (f"<span style='{GREY} font-style:italic'>in {html.escape(reason.what)}{more}:</span>"
            f"{excerpt}<span style='{GREY}'> · {html.escape(title)}</span>")


def _lead_in(text: str, query: str, before: int = 6) -> str:
    """The text from a few characters before the first searched word: in a
    narrow column the word itself shows."""
    flat = " ".join(text.split())
    spans = folding.highlight_spans(flat, query)
    if not spans or spans[0][0] <= before:
        return flat
    cut = flat.rfind(" ", 0, spans[0][0] - before) + 1
    return "…" + flat[cut:].lstrip("…")


def match_tooltip(reasons: Sequence[MatchReason], query: str) -> str:
    """Every reason, one a paragraph (rich text built from escaped file text)."""
    lines = [f"<b>Found in {html.escape(r.what)}</b>" + (f": {highlighted(r.excerpt, query)}" if r.excerpt else "")
             for r in reasons]
    return "<p>" + "</p><p>".join(lines) + "</p>"


class MatchDelegate(QStyledItemDelegate):
    """Paints MATCH_HTML_ROLE on one line (cut at the cell's edge); other rows as usual."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        shown = index.data(MATCH_HTML_ROLE)
        if not isinstance(shown, str):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(opt.font)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        doc.setHtml(f"<span style='white-space:pre'>{shown.replace(GREY, '') if selected else shown}</span>")
        context = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.setClipRect(text_rect)
        top = text_rect.top() + max(0.0, (text_rect.height() - doc.size().height()) / 2)
        painter.translate(text_rect.left(), top)
        context.clip = QRectF(0, 0, text_rect.width(), text_rect.height())
        doc.documentLayout().draw(painter, context)
        painter.restore()
