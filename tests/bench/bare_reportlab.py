"""The reference the PDF export is measured against: a bare ReportLab script.

It lays out the same text as the book (headings, paragraphs, bullets, read
from a JSON file the benchmark writes) with no features: one pass, no
contents, no header or footer, no tables, links or bookmarks. It registers
the TrueType faces the text needs (Liberation; IPAexGothic only when the text
holds Japanese, as the export does) and escapes the text.

    python tests/bench/bare_reportlab.py TEXT.json OUT.pdf
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

FONTS = Path(__file__).resolve().parents[2] / "resources" / "fonts"
CJK = re.compile("([\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+)")


def main(src: str, out: str) -> None:
    pdfmetrics.registerFont(TTFont("Serif", str(FONTS / "LiberationSerif-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("Sans-Bold", str(FONTS / "LiberationSans-Bold.ttf")))
    lines = json.loads(Path(src).read_text(encoding="utf-8"))
    if any(CJK.search(text) for _, text in lines):
        pdfmetrics.registerFont(TTFont("Japanese", str(FONTS / "ipaexg.ttf")))
    body = ParagraphStyle("p", fontName="Serif", fontSize=10.5, leading=14.2, spaceAfter=4)
    styles = {
        "h1": ParagraphStyle("h1", fontName="Sans-Bold", fontSize=17, leading=21, spaceAfter=10),
        "h2": ParagraphStyle("h2", fontName="Sans-Bold", fontSize=13, leading=16.5, spaceBefore=12),
        "h3": ParagraphStyle("h3", fontName="Sans-Bold", fontSize=11.5, leading=14.5, spaceBefore=8),
        "h4": ParagraphStyle("h4", fontName="Sans-Bold", fontSize=10.5, leading=13.5, spaceBefore=6),
        "p": body,
        "bullet": ParagraphStyle("b", parent=body, leftIndent=14, bulletIndent=3),
    }
    story = []
    for kind, text in lines:
        markup = CJK.sub(r'<font name="Japanese">\1</font>', escape(text))
        story.append(Paragraph(markup, styles[kind], bulletText="•" if kind == "bullet" else None))
    SimpleDocTemplate(out, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm,
                      topMargin=24 * mm, bottomMargin=22 * mm).build(story)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
