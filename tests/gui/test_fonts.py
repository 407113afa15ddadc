"""The shipped IPAexGothic is registered as a fallback, so Japanese renders
without a CJK system font."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QTextLayout
from PySide6.QtWidgets import QApplication, QLabel

from briefbook.gui.fonts import install_fallback_font


def test_shipped_font_becomes_a_fallback_family(qapp: QApplication) -> None:
    family = install_fallback_font(qapp)
    assert family == "IPAexGothic"
    assert family in QFontDatabase.families()
    assert family in qapp.font().families()
    assert QFontDatabase.WritingSystem.Japanese in QFontDatabase.writingSystems(family)


def glyph_families(label: QLabel) -> dict[str, str]:
    """Each character of the label's text and the family its glyph is drawn from."""
    layout = QTextLayout(label.text(), label.font())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    out: dict[str, str] = {}
    for run in layout.glyphRuns(-1, -1, QTextLayout.GlyphRunRetrievalFlag.RetrieveAll):
        family = run.rawFont().familyName()
        for start in run.stringIndexes():
            out[label.text()[start]] = family
    return out


def test_latin_punctuation_is_drawn_with_the_latin_font_and_japanese_with_the_shipped_one(
    qapp: QApplication, qtbot  # type: ignore[no-untyped-def]
) -> None:
    """"Minister’s" without a full-width gap: only what the Latin font lacks falls back."""
    family = install_fallback_font(qapp)
    label = QLabel("The Minister’s “view” — Edit… 高市早苗")
    qtbot.addWidget(label)
    label.show()
    drawn = glyph_families(label)
    assert {drawn[c] for c in "’“”—…M"} == {drawn["M"]}
    assert drawn["M"].lower() != str(family).lower()
    assert {drawn[c] for c in "高市早苗"} == {family}
    # The apostrophe is as narrow as the Latin font draws it, not a full-width cell.
    metrics = label.fontMetrics()
    assert metrics.horizontalAdvance("’") < metrics.horizontalAdvance("M")
    # A widget asking for a common family by name gets the same treatment.
    label.setFont(QFont("Helvetica", label.font().pointSize()))
    drawn = glyph_families(label)
    assert drawn["’"].lower() != str(family).lower() and drawn["高"] == family
