"""The shipped IPAexGothic is registered as a fallback, so Japanese renders
without a CJK system font."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from briefbook.gui.fonts import install_fallback_font


def test_shipped_font_becomes_a_fallback_family(qapp: QApplication) -> None:
    family = install_fallback_font(qapp)
    assert family == "IPAexGothic"
    assert family in QFontDatabase.families()
    assert family in qapp.font().families()
    assert QFontDatabase.WritingSystem.Japanese in QFontDatabase.writingSystems(family)
