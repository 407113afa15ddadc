"""Paints the status column of areas and items as compact coloured counts
(● 3 ● 1), the full words stay in the tooltip and the accessible text."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from briefbook.gui.tree.model import COUNTS_ROLE
from db.model.values import STATUS_COLOURS

Index = QModelIndex | QPersistentModelIndex


class StatusCountsDelegate(QStyledItemDelegate):
    DOT = 9
    GAP = 4

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        counts = index.data(COUNTS_ROLE)
        if not counts:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_colour = opt.palette.highlightedText().color() if selected else opt.palette.text().color()
        fm = opt.fontMetrics
        x = opt.rect.left() + 4
        mid = opt.rect.center().y()
        for status, count in counts:
            label = str(count)
            width = self.DOT + 3 + fm.horizontalAdvance(label)
            if x + width > opt.rect.right():
                break
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(STATUS_COLOURS.get(status, "#999999")))
            painter.drawEllipse(x, mid - self.DOT // 2, self.DOT, self.DOT)
            painter.setPen(text_colour)
            rect = QRect(x + self.DOT + 3, opt.rect.top(), width, opt.rect.height())
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), label)
            x += width + self.GAP * 2
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        counts = index.data(COUNTS_ROLE)
        if counts:
            fm = option.fontMetrics
            width = sum(self.DOT + 3 + fm.horizontalAdvance(str(c)) + self.GAP * 2 for _, c in counts) + 8
            size.setWidth(width)
        return size
