"""Notes are written in a small Markdown subset and shown rendered.

User text is data, never markup: raw HTML in a note stays visible text
(MarkdownNoHTML), and images are not loaded (`![..](file:...)` would read
local files), so `![` is shown as typed.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QTextDocument

_FEATURES = QTextDocument.MarkdownFeature(
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub.value | QTextDocument.MarkdownFeature.MarkdownNoHTML.value
)
_IMAGE = re.compile(r"!\[")


def safe_markdown(text: str) -> str:
    return _IMAGE.sub(r"!\\[", text)


def markdown_to_html(text: str) -> str:
    """HTML for a QLabel/QTextBrowser; nothing in `text` becomes live markup."""
    doc = QTextDocument()
    doc.setMarkdown(safe_markdown(text), _FEATURES)
    return doc.toHtml()


def markdown_to_plain(text: str) -> str:
    doc = QTextDocument()
    doc.setMarkdown(safe_markdown(text), _FEATURES)
    return doc.toPlainText()
