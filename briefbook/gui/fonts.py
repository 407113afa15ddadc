"""The font the project ships (IPAexGothic), registered as a fallback so that
Japanese names render on a machine with no CJK system font.

Only as a fallback: the window's own Latin font comes first for every
character it has. The application font is often a generic name ("Sans
Serif") that is no family of its own; substituting the shipped font for it
made IPAexGothic the whole window's font, and its Latin punctuation is
full-width ("Minister’ s", "Edit···"). So the generic name is first resolved
to the family the system really uses, and that family leads.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication

from briefbook.services.paths import FONT_DIR

SHIPPED_FONT = FONT_DIR / "ipaexg.ttf"
#: Names a widget or a style sheet may ask for that are often no installed family.
GENERIC_NAMES = ("Sans Serif", "SansSerif", "sans-serif", "Helvetica", "Arial")


def install_fallback_font(app: QApplication) -> str | None:
    """Register the shipped font and put it after the Latin family; returns its family."""
    font_id = QFontDatabase.addApplicationFont(str(SHIPPED_FONT))
    if font_id < 0:
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        return None
    family = families[0]
    font = app.font()
    latin = _latin_family(font, family)
    # Qt tries each family in turn for every character the one before cannot draw.
    font.setFamilies([latin, family])
    app.setFont(font)
    for name in GENERIC_NAMES:
        QFont.insertSubstitutions(name, [_latin_family(QFont(name), family), family])
    return family


def _latin_family(font: QFont, shipped: str) -> str:
    """The installed family `font` is drawn with, leaving the shipped fallback out."""
    primary = [f for f in (font.families() or [font.family()]) if f != shipped]
    probe = QFont(font)
    probe.setFamilies(primary[:1] or [font.family()])
    resolved = QFontInfo(probe).family().split(" [")[0]  # "Nimbus Sans [urw]": the foundry is no part of the name
    return resolved if resolved and resolved != shipped else (primary[0] if primary else font.family())
