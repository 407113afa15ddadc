"""Text helpers shared by both exporters."""

from __future__ import annotations

from xml.sax.saxutils import escape as sax_escape

from hypothesis import given
from hypothesis import strategies as st

from exporters.text import clean, escape


@given(st.text())
def test_escape_is_what_the_xml_library_does(text: str) -> None:
    assert escape(text) == sax_escape(text)
    assert escape(text, quote=True) == sax_escape(text, {'"': "&quot;"})


def test_markup_in_user_text_becomes_entities() -> None:
    assert escape('<img src="/etc/passwd"> & <font name=x>') == '&lt;img src="/etc/passwd"&gt; &amp; &lt;font name=x&gt;'
    assert escape('a"b', quote=True) == "a&quot;b"


def test_clean_shows_what_pdf_and_word_cannot_hold_or_would_obey_as_marks() -> None:
    assert clean("a\x00b\x0bc\ufffed\x7f") == "a␀b␋c[U+FFFE]d␡"
    # Bidi overrides and isolates are shown, not obeyed: "desserts" stays "desserts".
    assert clean("\u202edesserts\u202c \u2067x\u2069") == "[U+202E]desserts[U+202C] [U+2067]x[U+2069]"
    assert clean("tab\tand\nnewline città 高市") == "tab\tand\nnewline città 高市"
