"""Files from outside are untrusted: whatever the bytes, one sentence or a plan, never a traceback or a hang."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefbook.services.plan_import import PlanTextError, load_plan
from tests.plan_import_helpers import plan_of

PREFIXES = [b"", b"%PDF-1.7\n", b"PK\x03\x04", b"<!DOCTYPE html><html><body>", b"\xd0\xcf\x11\xe0", b"\xff\xfe",
            b"# Plan\n\n1 Area\n\n(1) Item\n\n- "]


def _check(path: Path) -> None:
    start = time.perf_counter()
    try:
        draft = load_plan(path).draft
    except PlanTextError as exc:
        message = str(exc)
        assert message and "\n" not in message and "Traceback" not in message
    else:
        assert draft.areas
    assert time.perf_counter() - start < 10


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=2000))
def test_random_bytes_are_refused_or_read(prefix: bytes, body: bytes, tmp_path: Path) -> None:
    path = tmp_path / "input.bin"
    path.write_bytes(prefix + body)
    _check(path)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["1 Area", "(1) Item", "- bullet text.", "I. Roman", "a. letter", "1.1 Dotted",
                                 "**Bold.** body", "ALL CAPS HEADING", "Title Case Line", "plain text here",
                                 "Lead: body of it here", "", "   indented body.", "①　丸数字", "###", "24.We",
                                 "14 June 2024", "\u200b", "• glyph", "<b>markup</b>"]), max_size=40))
def test_any_arrangement_of_plan_lines_parses_without_error(lines: list[str]) -> None:
    draft = plan_of("\n".join(lines))
    refs = [n.ref for n in draft.walk()]
    assert len(refs) == len(set(refs))  # the store refuses a reference given twice
    for n in draft.walk():
        assert n.kind in ("area", "item", "commitment", "subcommitment")


def test_a_docx_whose_document_part_is_garbage(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<not-xml")
    path = tmp_path / "bad.docx"
    path.write_bytes(buf.getvalue())
    _check(path)


def test_markup_in_a_document_stays_text() -> None:
    draft = plan_of("Plan <i>One</i>\n\n1. Area <b>bold</b> &amp; more\n\n- <script>alert(1)</script> stays.\n")
    assert draft.title == "Plan <i>One</i>"
    assert draft.areas[0].title == "Area <b>bold</b> &amp; more"
    assert draft.areas[0].children[0].text == "<script>alert(1)</script> stays."


def test_a_huge_paragraph_of_broken_words_stays_linear(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    lines = "\n".join("word word word word word word word word word word com-" for _ in range(20000))
    path.write_text(f"Plan\n\n1. Area\n\n- {lines}\nend.\n")
    start = time.perf_counter()
    draft = load_plan(path).draft
    assert time.perf_counter() - start < 15
    assert draft.areas[0].children[0].text.count("comword") == 19999  # the broken words made whole


def test_tens_of_thousands_of_heading_like_lines_stay_linear(tmp_path: Path) -> None:
    path = tmp_path / "titles.txt"
    path.write_text("Plan\n\n" + "\n\n".join(f"Title Case Line {i} Here" for i in range(20000)) + "\n\n- One bullet.\n")
    start = time.perf_counter()
    draft = load_plan(path).draft
    assert time.perf_counter() - start < 15
    assert draft.walk()[-1].title == "One bullet"
