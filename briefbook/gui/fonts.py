"""The font the project ships (IPAexGothic), registered as a fallback so that
Japanese names render on a machine with no CJK system font."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from briefbook.services.paths import FONT_DIR

SHIPPED_FONT = FONT_DIR / "ipaexg.ttf"


def install_fallback_font(app: QApplication) -> str | None:
    """Register the shipped font and put it after the default family; returns its family."""
    font_id = QFontDatabase.addApplicationFont(str(SHIPPED_FONT))
    if font_id < 0:
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        return None
    family = families[0]
    font = app.font()
    primary = font.families() or [font.family()]
    if family not in primary:
        # Qt tries each family in turn for every character it cannot draw.
        font.setFamilies([*primary, family])
        app.setFont(font)
    for base in {font.family(), "Sans Serif", "Helvetica", "Arial", "DejaVu Sans"}:
        QFont.insertSubstitution(base, family)
    return family
