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


def test_clean_leaves_out_what_pdf_and_word_cannot_hold() -> None:
    assert clean("a\x00b\x0bc\ufffed") == "abcd"
