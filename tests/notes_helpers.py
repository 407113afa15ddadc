"""Reading the notes panel as a user sees it, and clicking its cards.

The cards are drawn by the view's delegate, not widgets: what a card shows is
the document the delegate paints (and its byline), and a button is a place on
the card that a mouse click reaches through the view's viewport."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextDocument

from briefbook.gui.notes.model import NOTE_ROLE
from briefbook.gui.notes.panel import NotesPanel
from db.model.values import NoteInfo


class ShownNote(NamedTuple):
    id: str
    byline: str  # as drawn above the text: author · date, and the mark of a merge's conflicting copy
    text: str  # the rendered note's text, as drawn (no Markdown marks)
    document: QTextDocument
    buttons: dict[str, bool]  # enabled?
    heading: str  # the kind heading it is under


def shown_notes(panel: NotesPanel) -> list[ShownNote]:
    """Every note the panel shows, top to bottom (empty when it shows a message instead)."""
    if panel.pages.currentWidget() is not panel.view:
        return []
    out = []
    delegate = panel.view.delegate
    heading = ""
    for row in range(panel.model.rowCount()):
        index = panel.model.index(row, 0)
        note = index.data(NOTE_ROLE)
        if not isinstance(note, NoteInfo):
            heading = str(index.data())
            continue
        card = delegate.card(note, delegate.width())
        document = delegate.document(note, card.body.width())
        buttons = {key: delegate.button_enabled(index, key) for key in ("up", "down", "edit", "delete")}
        by, conflict = delegate.meta_text(note)
        out.append(ShownNote(note.id, f"{by}\n{conflict}" if conflict else by, document.toPlainText(), document,
                             buttons, heading))
    return out


def card_point(panel: NotesPanel, note_id: str, part: str) -> QPoint:
    """Where on the viewport the card's `part` is ("edit", "delete", "up", "down", or "body"),
    scrolled into view first."""
    view = panel.view
    row = panel.model.row_of(note_id)
    assert row >= 0, f"note {note_id} is not shown"
    index = panel.model.index(row, 0)
    view.scrollTo(index)
    rect = view.visualRect(index)
    note = index.data(NOTE_ROLE)
    card = view.delegate.card(note, view.delegate.width())
    local = card.body if part == "body" else card.buttons[part]
    return rect.topLeft() + local.center()


def link_point(panel: NotesPanel, note_id: str, href: str) -> QPoint:
    """Where on the viewport the note's link to `href` is drawn (its first character)."""
    view = panel.view
    row = panel.model.row_of(note_id)
    index = panel.model.index(row, 0)
    view.scrollTo(index)
    note = index.data(NOTE_ROLE)
    card = view.delegate.card(note, view.delegate.width())
    document = view.delegate.document(note, card.body.width())
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().anchorHref() == href:
                at = fragment.position() - block.position()
                line = block.layout().lineForTextPosition(at)
                origin = document.documentLayout().blockBoundingRect(block).topLeft()
                x = line.cursorToX(at)[0] + 3
                y = line.y() + line.height() / 2
                local = QPoint(int(origin.x() + x), int(origin.y() + y))
                return view.visualRect(index).topLeft() + card.body.topLeft() + local
            it += 1
        block = block.next()
    raise AssertionError(f"no link to {href} in note {note_id}")


def click_card(qtbot, panel: NotesPanel, note_id: str, part: str, double: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Click (or double-click) the card's button or text with the mouse."""
    pos = card_point(panel, note_id, part)
    viewport = panel.view.viewport()
    qtbot.mouseMove(viewport, pos)
    if double:
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=pos)
    else:
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pos)


def bold_and_struck(document: QTextDocument) -> tuple[list[str], list[str]]:
    """The document's bold fragments and its struck-through ones."""
    bold, struck = [], []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().fontWeight() >= 700:
                bold.append(fragment.text())
            if fragment.charFormat().fontStrikeOut():
                struck.append(fragment.text())
            it += 1
        block = block.next()
    return bold, struck
