"""What the window shows with no file open: a sentence on what a briefing file
is, and the two ways to get one (New…, Open…)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from briefbook.gui.files.actions import FileActions


class StartPage(QWidget):
    def __init__(self, files: FileActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("No briefing file is open")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        text = QLabel(
            "A briefing file holds a plan, your notes and sources on it, implementation statuses and "
            "meetings. Create a new one (with the Japan-Italy Action Plan 2024-2027 or empty), or open "
            "one a colleague gave you."
        )
        text.setWordWrap(True)
        new = QPushButton("&New Briefing File…")
        new.clicked.connect(files.new_file)
        open_ = QPushButton("&Open…")
        open_.clicked.connect(files.open_file_dialog)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(new)
        buttons.addWidget(open_)
        buttons.addStretch(1)
        inner = QVBoxLayout()
        inner.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        inner.addWidget(text)
        inner.addLayout(buttons)
        box = QWidget()
        box.setMaximumWidth(560)
        box.setLayout(inner)
        # Centred by stretches, not by an alignment flag: an aligned widget gets its size hint,
        # whose height is too small for the wrapped text (it showed two lines of three, cut).
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 4)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
