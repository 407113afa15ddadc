"""How a note row is drawn: a card with the byline (author, date, whether a
merge kept it as a conflicting copy), the buttons ↑ ↓ Edit… Delete, and the
note rendered from its Markdown as the pack prints it; a heading row is the
kind's name in bold.

Nothing here is a widget: the view asks for a row's height and paints the
rows on screen, so 10,000 notes cost 10,000 heights (cached per width) and a
few dozen rendered documents (an LRU of the rows painted last). The same
geometry answers "what is under the mouse" (`hit`) for the view's clicks.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QFont, QFontMetrics, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionToolButton, QStyleOptionViewItem

from briefbook.gui.notes.markdown_view import markdown_to_html
from briefbook.gui.notes.model import FIRST_ROLE, LAST_ROLE, NOTE_ROLE, byline, marks
from db.model.values import NoteInfo

AnyIndex = QModelIndex | QPersistentModelIndex

#: The card's buttons: key, text, tooltip (also what the keyboard and the context menu do).
BUTTONS = (
    ("up", "↑", "Move up (Ctrl+Up)"),
    ("down", "↓", "Move down (Ctrl+Down)"),
    ("edit", "Edit…", "Edit this note (Enter, or a double click)"),
    ("delete", "Delete", "Delete this note (Delete; Edit > Undo brings it back)"),
)
#: Space between cards, and the gap kept free of the scroll bar on the right.
GAP, RIGHT = 3, 4
#: Inside a card: left, top, right, bottom.
PAD = (10, 6, 10, 8)
#: Rendered notes kept for painting (the rows on screen, and those just scrolled past).
DOCUMENTS_KEPT = 300


class Card(NamedTuple):
    """Where the parts of one note's card are, relative to the row's top left."""

    height: int
    buttons: dict[str, QRect]
    meta: QRect
    conflict: QRect  # the line saying a merge kept this copy (empty when it did not)
    body: QRect


class NoteCardDelegate(QStyledItemDelegate):
    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self.view = view
        #: (row, part) under the mouse, and the button held down: drawn raised / sunken.
        self.hovered: tuple[int, str] | None = None
        self.pressed: tuple[int, str] | None = None
        self._html: dict[NoteInfo, str] = {}
        self._documents: OrderedDict[tuple[NoteInfo, int], QTextDocument] = OrderedDict()
        self._heights: dict[int, dict[NoteInfo, int]] = {}  # per width, the last few widths
        self._sizes: list[QSize] = []
        self._font_key = ""

    # -- sizes ------------------------------------------------------------------------------

    def width(self) -> int:
        """The width of a card: the view's, less the gap on the right and the room of the
        scroll bar, whether it shows or not. The view does not measure the rows again when
        its scroll bar appears (only when the view itself is resized), so a width that
        followed the bar would leave the first rows measured for a wider card."""
        view = self.view
        bar = view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, view.verticalScrollBar())
        return max(120, view.width() - 2 * view.frameWidth() - bar - RIGHT)

    def forget(self) -> None:
        """Drop every cached rendering (the notes shown changed, or the font did)."""
        self._html.clear()
        self._documents.clear()
        self._heights.clear()
        self._sizes = []

    def keep_only(self, notes: list[NoteInfo]) -> None:
        """Forget the renderings of notes no longer shown (an edited note's old version,
        a deleted one), so that `measured` counts the notes shown."""
        shown = set(notes)
        for width, heights in self._heights.items():
            if len(heights) != len(shown) or not shown.issuperset(heights):
                self._heights[width] = {n: h for n, h in heights.items() if n in shown}
        self._html = {n: h for n, h in self._html.items() if n in shown}
        for key in [k for k in self._documents if k[0] not in shown]:
            del self._documents[key]

    def measured(self) -> int:
        """How many note heights are known for the current width (the benchmark waits on it)."""
        return len(self._heights.get(self.width(), {}))

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        width = self.width()
        note = index.data(NOTE_ROLE)
        if not isinstance(note, NoteInfo):
            return QSize(width, self._heading_metrics().height() + 14)
        self._check_font()
        heights = self._heights.get(width)
        if heights is None:
            if len(self._heights) >= 3:
                self._heights.pop(next(iter(self._heights)))
            heights = self._heights[width] = {}
        height = heights.get(note)
        if height is None:
            height = heights[note] = self.card(note, width).height
        return QSize(width, height)

    def _check_font(self) -> None:
        key = self.view.font().key()
        if key != self._font_key:  # zoomed: every height changes
            self._font_key = key
            self.forget()

    def _heading_metrics(self) -> QFontMetrics:
        font = QFont(self.view.font())
        font.setBold(True)
        return QFontMetrics(font)

    def _button_option(self, key: str, text: str, rect: QRect, row: int, enabled: bool) -> QStyleOptionToolButton:
        opt = QStyleOptionToolButton()
        opt.initFrom(self.view)
        opt.rect = rect
        opt.text = text
        opt.font = self.view.font()
        opt.toolButtonStyle = Qt.ToolButtonStyle.ToolButtonTextOnly
        opt.subControls = QStyle.SubControl.SC_ToolButton
        state = QStyle.StateFlag.State_AutoRaise
        state |= QStyle.StateFlag.State_Enabled if enabled else QStyle.StateFlag.State_None
        if not enabled:
            opt.palette.setCurrentColorGroup(QPalette.ColorGroup.Disabled)
        elif self.pressed == (row, key):
            state |= QStyle.StateFlag.State_Sunken | QStyle.StateFlag.State_MouseOver
        elif self.hovered == (row, key):
            state |= QStyle.StateFlag.State_MouseOver | QStyle.StateFlag.State_Raised
        opt.state = state
        return opt

    def _button_sizes(self) -> list[QSize]:
        if self._sizes:
            return self._sizes
        metrics = self.view.fontMetrics()
        style = self.view.style()
        out = []
        for key, text, _ in BUTTONS:
            opt = self._button_option(key, text, QRect(), -1, True)
            content = QSize(metrics.horizontalAdvance(text), metrics.height())
            out.append(style.sizeFromContents(QStyle.ContentsType.CT_ToolButton, opt, content, self.view))
        self._sizes = out
        return out

    def meta_text(self, note: NoteInfo) -> tuple[str, str]:
        return byline(note), marks(note)

    def card(self, note: NoteInfo, width: int) -> Card:
        """The geometry of `note`'s card at `width` (renders the note once for its height)."""
        left, top, right, bottom = PAD
        inner = width - left - right
        sizes = self._button_sizes()
        buttons_width = sum(s.width() for s in sizes) + 2 * (len(sizes) - 1)
        button_height = max(s.height() for s in sizes)
        meta_width = max(60, inner - buttons_width - 8)
        metrics = self.view.fontMetrics()
        plain, conflict = self.meta_text(note)
        flags = int(Qt.TextFlag.TextWordWrap)
        y0 = GAP + top
        if metrics.horizontalAdvance(plain) <= meta_width:
            meta = QRect(left, y0, meta_width, metrics.height())
            header = max(meta.height(), button_height)
        else:  # too narrow beside the buttons (a laptop): the byline goes under them, the card's width
            meta_height = metrics.boundingRect(QRect(0, 0, inner, 100000), flags, plain).height()
            meta = QRect(left, y0 + button_height, inner, meta_height)
            header = button_height + meta_height
        x = left + inner - buttons_width
        rects: dict[str, QRect] = {}
        for (key, _, _), size in zip(BUTTONS, sizes, strict=True):
            rects[key] = QRect(x, y0, size.width(), button_height)
            x += size.width() + 2
        conflict_rect = QRect(left, y0 + header, inner, 0)
        if conflict:  # under the byline and the buttons, the card's whole width
            bold = QFont(self.view.font())
            bold.setBold(True)
            conflict_rect.setHeight(QFontMetrics(bold).boundingRect(QRect(0, 0, inner, 100000), flags,
                                                                    conflict).height())
        body = self.document(note, inner)
        body_top = conflict_rect.bottom() + 1 + 2
        body_height = int(body.size().height() + 0.999)
        height = body_top + body_height + bottom + GAP
        return Card(height, rects, meta, conflict_rect,
                    QRect(left, body_top, inner, body_height))

    def document(self, note: NoteInfo, width: int) -> QTextDocument:
        """The note rendered at `width` (kept while it is among the last ones drawn)."""
        key = (note, width)
        doc = self._documents.get(key)
        if doc is not None:
            self._documents.move_to_end(key)
            return doc
        html = self._html.get(note)
        if html is None:
            html = markdown_to_html(note.body)
            if note.response:  # an "if raised" note: their ask, then our response
                html += "<p><b>Response:</b></p>" + markdown_to_html(note.response)
            self._html[note] = html
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(self.view.font())
        doc.setHtml(html)
        doc.setTextWidth(width)
        self._documents[key] = doc
        if len(self._documents) > DOCUMENTS_KEPT:
            self._documents.popitem(last=False)
        return doc

    # -- painting ----------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        note = index.data(NOTE_ROLE)
        rect = option.rect
        palette = option.palette
        painter.save()
        if not isinstance(note, NoteInfo):
            font = QFont(self.view.font())
            font.setBold(True)
            painter.setFont(font)
            # A heading row is not selectable, so Qt hands it the disabled colours: use the active ones.
            painter.setPen(palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText))
            text_rect = rect.adjusted(2, 8, -RIGHT, 0)
            painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                             str(index.data()))
            painter.restore()
            return
        self._check_font()
        width = self.width()
        card = self.card(note, width)
        origin = rect.topLeft()
        frame = QRect(rect.left(), rect.top() + GAP, width, card.height - 2 * GAP)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        border = palette.color(QPalette.ColorRole.Highlight) if selected else palette.color(QPalette.ColorRole.Mid)
        pen = painter.pen()
        pen.setColor(border)
        pen.setWidthF(2.0 if selected else 1.0)
        painter.setPen(pen)
        painter.drawRoundedRect(QRectF(frame).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)

        # The byline (plain text: the author comes from a colleague's file), then the mark of a kept copy.
        plain, conflict = self.meta_text(note)
        meta = card.meta.translated(origin)
        painter.setFont(self.view.font())
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        flags = int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        painter.drawText(meta, flags, plain)
        if conflict:
            bold = QFont(self.view.font())
            bold.setBold(True)
            painter.setFont(bold)
            painter.drawText(card.conflict.translated(origin), flags, conflict)
            painter.setFont(self.view.font())

        style = self.view.style()
        editable = bool(getattr(index.model(), "editable", False))
        enabled = {"up": editable and not index.data(FIRST_ROLE), "down": editable and not index.data(LAST_ROLE),
                   "edit": editable, "delete": editable}
        for key, text, _ in BUTTONS:
            opt = self._button_option(key, text, card.buttons[key].translated(origin), index.row(), enabled[key])
            style.drawComplexControl(QStyle.ComplexControl.CC_ToolButton, opt, painter, self.view)

        doc = self.document(note, card.body.width())
        painter.translate(QPointF(card.body.translated(origin).topLeft()))
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette = QPalette(palette)
        context.palette.setColor(QPalette.ColorRole.Text, palette.color(QPalette.ColorRole.Text))
        context.clip = QRectF(0, 0, card.body.width(), card.body.height())
        doc.documentLayout().draw(painter, context)
        painter.restore()

    # -- what is under the mouse -----------------------------------------------------------

    def hit(self, index: AnyIndex, pos: QPoint) -> tuple[str, str]:
        """What `pos` (viewport coordinates) is on in the row `index`: ("button", key),
        ("link", href), ("note", "") or ("", "")."""
        note = index.data(NOTE_ROLE)
        if not isinstance(note, NoteInfo):
            return "", ""
        rect = self.view.visualRect(index)
        card = self.card(note, self.width())
        local = pos - rect.topLeft()
        for key, button in card.buttons.items():
            if button.contains(local):
                return "button", key
        if card.body.contains(local):
            doc = self.document(note, card.body.width())
            href = doc.documentLayout().anchorAt(QPointF(local - card.body.topLeft()))
            if href:
                return "link", href
        return "note", ""

    def button_enabled(self, index: AnyIndex, key: str) -> bool:
        if not bool(getattr(index.model(), "editable", False)):
            return False
        if key == "up":
            return not index.data(FIRST_ROLE)
        if key == "down":
            return not index.data(LAST_ROLE)
        return True
