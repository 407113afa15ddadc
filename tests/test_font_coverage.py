"""The shipped glyph-coverage table matches the shipped fonts, and faces are read only when used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from exporters import fonts

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("file_name", sorted(set(fonts._FACE_FILES.values())))
def test_coverage_file_matches_each_font(file_name: str) -> None:
    # If this fails after a font was replaced: python -m exporters.fonts
    assert fonts.file_coverage(file_name) == fonts.measure_coverage(fonts.FONT_DIR / file_name)


def test_a_font_that_no_longer_matches_the_table_is_measured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A table written for another version of the file (size differs) is not trusted.
    table = tmp_path / "coverage.json"
    table.write_text('{"DejaVuSans.ttf": {"size": 1, "ranges": [[65, 65]]}}', encoding="utf-8")
    monkeypatch.setattr(fonts, "COVERAGE_FILE", table)
    fonts._coverage_data.cache_clear()
    try:
        got = fonts.file_coverage("DejaVuSans.ttf")
    finally:
        fonts._coverage_data.cache_clear()
    assert ord("→") in got and len(got) > 1000


def test_only_the_faces_a_book_uses_are_read() -> None:
    # In a fresh process: laying out Latin text reads no Japanese, emoji or symbol font.
    code = (
        "from reportlab.pdfbase import pdfmetrics\n"
        "from exporters import fonts\n"
        "from reportlab.pdfgen.canvas import Canvas\n"
        "import io\n"
        "c = Canvas(io.BytesIO())\n"
        "fonts.draw_string(c, 10, 10, 'Città di Roma', fonts.SERIF, 10)\n"
        "print(sorted(n for n in pdfmetrics.getRegisteredFontNames() if n.startswith('BB-')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['BB-Serif']"


def test_a_japanese_run_is_drawn_in_the_japanese_face() -> None:
    parts = fonts.runs("Meeting with 高市早苗 in Tokyo", fonts.SERIF)
    assert parts == [(fonts.SERIF, "Meeting with "), (fonts.JAPANESE, "高市早苗"), (fonts.SERIF, " in Tokyo")]
