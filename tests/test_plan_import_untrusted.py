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
    # formatting tags a converter left in a title are dropped; nothing is interpreted (the entity stays as typed)
    assert draft.title == "Plan One"
    assert draft.areas[0].title == "Area bold &amp; more"
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


# -- hostile documents: limits counted, work linear, symbols kept ---------------------------------------


def _depth(draft) -> int:  # type: ignore[no-untyped-def]
    deepest, level = 0, list(draft.areas)
    while level:
        deepest += 1
        level = [c for n in level for c in n.children]
    return deepest


def test_a_web_page_of_thousands_of_nested_lists_is_read_as_a_few_levels(tmp_path: Path) -> None:
    path = tmp_path / "nested.html"
    path.write_text("<html><body><h1>Nested Plan</h1>"
                    + "".join(f"<ul><li>Entry {i} of the nest." for i in range(5000)) + "</body></html>")
    draft = load_plan(path).draft
    texts = [n.text for n in draft.walk()]
    assert len(texts) == 5000 and "Entry 4999 of the nest." in texts  # every entry placed
    assert _depth(draft) <= 9  # the nesting beyond eight levels is read as the eighth


def test_a_web_page_of_unclosed_list_entries_gives_one_entry_each(tmp_path: Path) -> None:
    path = tmp_path / "unclosed.html"
    path.write_text("<html><body><h1>Unclosed Plan</h1><ul>"
                    + "".join(f"<li>Entry {i} stands alone." for i in range(3000)) + "</ul></body></html>")
    draft = load_plan(path).draft
    assert len(draft.walk()) == 3000
    assert draft.walk()[-1].text == "Entry 2999 stands alone."


def test_a_text_indented_by_thousands_of_spaces_stays_a_few_levels() -> None:
    lines = ["Deep Plan", "", "1. Area", ""] + [" " * (2 * i) + f"- Entry {i}." for i in range(400)]
    draft = plan_of("\n".join(lines))
    assert sum(1 for n in draft.walk() if n.text.startswith("Entry ")) == 400
    assert _depth(draft) <= 11


def test_symbol_and_emoji_bullets_are_placed_never_dropped(tmp_path: Path) -> None:
    text = "Emoji Plan\n\n1. Area One\n\n- ✅\n- 🔹 Strengthen cooperation on ports.\n- ★ ★\n- Plain entry.\n"
    draft = plan_of(text)
    placed = " ".join(f"{n.title} {n.text}" for n in draft.walk())
    for symbol in ("✅", "★ ★", "Strengthen cooperation on ports."):
        assert symbol in placed
    page = tmp_path / "emoji.html"
    page.write_text("<html><body><h1>Emoji Plan</h1><h2>Area One</h2><ul><li>✅</li><li>🇮🇹 🇯🇵</li>"
                    "<li>Plain entry.</li></ul><h2>Area Two</h2><ul><li>⭐</li></ul></body></html>")
    draft = load_plan(page).draft
    assert [n.title for n in draft.walk()] == ["Area One", "✅", "🇮🇹 🇯🇵", "Plain entry", "Area Two", "⭐"]
    # a rule of ASCII marks is still nothing to read
    assert "---" not in " ".join(n.text for n in plan_of("Plan\n\n1. Area\n\n- One.\n\n---\n\n- Two.\n").walk())


def test_symbol_only_entries_of_a_word_list_are_placed(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("Emoji Work Plan", style="Title")
    for area in ("Ports", "Roads"):
        d.add_paragraph(area, style="Heading 1")
        d.add_paragraph("✅", style="List Bullet")
        d.add_paragraph("Dredging will start.", style="List Bullet")
    path = tmp_path / "emoji.docx"
    d.save(str(path))
    assert [n.title for n in load_plan(path).draft.walk()][:3] == ["Ports", "✅", "Dredging will start"]


def test_a_long_word_file_is_read_whole_with_each_style_looked_up_once(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """20,000 paragraphs: every one read, and the styles table built once (not a scan per paragraph)."""
    import docx

    from briefbook.plan_import import docx_reader

    d = docx.Document()
    d.add_paragraph("Long Work Plan", style="Title")
    d.add_paragraph("Area", style="Heading 1")
    d.add_paragraph("First entry.", style="List Number")
    path = tmp_path / "long.docx"
    d.save(str(path))
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    xml = parts["word/document.xml"].decode()
    entry = xml[xml.rindex("<w:p>", 0, xml.index("First entry.")):xml.index("</w:p>", xml.index("First entry.")) + 6]
    more = "".join(entry.replace("First entry.", f"Entry {i} will be done.") for i in range(20000))
    parts["word/document.xml"] = xml.replace(entry, entry + more).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    built = []
    original = docx_reader._Styles.__init__

    def counting(self, root):  # type: ignore[no-untyped-def]
        built.append(1)
        original(self, root)

    monkeypatch.setattr(docx_reader._Styles, "__init__", counting)
    draft = load_plan(path).draft
    assert len(built) == 1
    entries = draft.areas  # one heading over the whole plan is the plan itself
    assert len(entries) == 20001 and entries[-1].text == "Entry 19999 will be done."
    assert entries[-1].ref == "20001"
