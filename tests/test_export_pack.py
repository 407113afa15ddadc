"""What a meeting pack says and how it is laid out, read back from the PDF (pypdf, with the
layout positions) and the Word file (python-docx), on the shipped meetings with realistic notes."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from export_helpers import (
    FASANO,
    LONG_BACKGROUND,
    TAKAICHI,
    TOKYO,
    add_realistic,
    all_uris,
    meeting_id,
    pdf_text,
    squash,
)
from pypdf import PdfReader

from db.briefing.facade import Briefing
from db.model.values import STATUS_COLOURS
from exporters.book import BookOptions, build_meeting_book, build_plan_book, full_title
from exporters.docx import render_docx
from exporters.pdf import render_pdf


@pytest.fixture
def realistic(seeded: Briefing) -> dict[str, str]:
    return add_realistic(seeded)


def _pdf(book, tmp_path: Path, name: str = "pack.pdf") -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(render_pdf(book))
    return path


def _docx(book, tmp_path: Path, name: str = "pack.docx") -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(render_docx(book, page_numbers=False))
    return path


def _docx_text(path: Path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _fasano(seeded: Briefing, since: str | None = None) -> object:
    return build_meeting_book(seeded, meeting_id(seeded, FASANO),
                              BookOptions(classification="Restricted", since=since, prepared_by="Maria Rossi",
                                          edition="desk"))


# -- what the pack says -----------------------------------------------------------------------


def test_an_area_on_the_agenda_briefs_the_notes_of_its_commitments(seeded: Briefing, realistic: dict[str, str],
                                                                    tmp_path: Path) -> None:
    book = _fasano(seeded, since="2000-01-01")  # with a change log: the notes must be outside it too
    pages = pdf_text(_pdf(book, tmp_path))
    log_start = next(i for i, p in enumerate(pages) if "Changes since" in p and "1 January 2000" in p and i > 3)
    before_log = squash("".join(pages[:log_start]))
    for text in ("Italy welcomes the yearly strategic dialogue.", "Port calls by the Italian Navy are welcome.",
                 "The dialogue may slip to 2026 if the calendar fills.", "Will Japan host the next round in Tokyo?"):
        assert squash(text) in before_log, text
    word = _docx_text(_docx(book, tmp_path))
    assert "Port calls by the Italian Navy are welcome." in word.split("Changes since")[1]  # after the contents


def test_the_steering_page_follows_the_cover_and_points_to_each_page(seeded: Briefing, realistic: dict[str, str],
                                                                     tmp_path: Path) -> None:
    """No note is marked key: one key message per agenda item (its first line to take, else its first
    talking point), then the risks, each with its reference and the page where it is set out."""
    path = _pdf(_fasano(seeded), tmp_path)
    pages = pdf_text(path)
    summary = pages[1]
    assert "Summary" in summary and "PURPOSE" in summary and "Meeting during the G7 Summit" in summary
    lines = re.findall(r"^(\d+(?:\.\d+)+)\n(.+?)\n(\d+)$", summary, flags=re.M)
    assert [(ref, text) for ref, text, _p in lines] == [
        ("1.1.1", "La città di Roma è pronta a ospitare il dialogo."),  # item 1: its line to take
        ("2.2.1", "Port calls by the Italian Navy are welcome."),  # item 2: no line to take, its talking point
        ("1.1.1", "The dialogue may slip to 2026 if the calendar fills."),
        ("2.2.1", "Open items after the summit:"),
        ("3.2.1", "Japan and Italy rely on China for most of their rare earth imports."),
    ]
    assert summary.index("KEY MESSAGES") < summary.index("La città") < summary.index("MAIN RISKS")
    for _ref, text, page in lines:  # each line's page is where that note is set out
        assert squash(text)[:9] in squash(pages[int(page) - 1])  # (a struck word is printed, not quoted)
    word = Document(str(_docx(_fasano(seeded), tmp_path)))
    heads = [p.text for p in word.paragraphs if p.style.style_id.startswith("Heading")]
    assert heads[:2] == ["Summary", "Agenda"]
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "La città di Roma è pronta a ospitare il dialogo." in cells


def test_notes_in_briefing_order_talking_points_numbered_bylines_alike(seeded: Briefing, realistic: dict[str, str],
                                                                       tmp_path: Path) -> None:
    body = squash("".join(pdf_text(_pdf(_fasano(seeded), tmp_path))[3:]))
    entry = body[body.index(squash("1 Diplomacy › 1.1 Japan-Italy")):]  # 1.1.1's own entry, under area 1
    entry = entry[: entry.index(squash("2 Defense and Security"))]
    order = [entry.index(squash(label)) for label in
             ("TALKING POINTS", "LINE TO TAKE", "QUESTION", "RISK", "UPDATE", "BACKGROUND")]
    assert order == sorted(order)
    assert squash("1.Italy welcomes") in entry and squash("2.高市早苗") in entry
    # Every kind carries its author and date the same way.
    assert entry.count(squash("Maria Rossi · ")) == 5 and entry.count(squash("Luca Bianchi · ")) == 2


def test_a_long_note_is_printed_once_in_the_annex_with_a_pointer(seeded: Briefing, realistic: dict[str, str],
                                                                 tmp_path: Path) -> None:
    pages = pdf_text(_pdf(_fasano(seeded), tmp_path))
    words = re.findall(r"b\d{4}", "".join(pages))
    assert words == re.findall(r"b\d{4}", LONG_BACKGROUND)  # all 3,000 words, once
    pointer = next(re.search(r"Background: see Annex A, page\s*(\d+)", p) for p in pages if "see Annex A" in p)
    assert pointer is not None
    annex = pages[int(pointer.group(1)) - 1]
    assert "Annex A: Background on 1.1.1" in annex and "b0000" in annex
    docx = _docx_text(_docx(_fasano(seeded), tmp_path))
    assert docx.count("b2999") == 1 and "Background: see Annex A, page" in docx


def test_a_shorter_threshold_from_the_preferences_moves_more_notes(seeded: Briefing, realistic: dict[str, str]) -> None:
    options = BookOptions(long_note_words=5)
    book = build_meeting_book(seeded, meeting_id(seeded, FASANO), options)
    annex = next(p for p in book.parts if type(p).__name__ == "AnnexPart")
    assert len(annex.items) > 5  # type: ignore[attr-defined]


def test_changes_are_a_digest_without_undone_changes(seeded: Briefing, realistic: dict[str, str],
                                                     tmp_path: Path) -> None:
    since = "2000-01-01"
    seeded.set_status(realistic["c111"], "achieved", "Second dialogue held.")
    book = _fasano(seeded, since=since)
    pages = pdf_text(_pdf(book, tmp_path))
    start = next(i for i, p in enumerate(pages) if "Changes since 1 January 2000" in p and i > 3)
    digest = "".join(pages[start:])
    digest = digest[: digest.index("Annexes")] if "Annexes" in digest else digest
    assert "Item 1 — Diplomacy (1)" in digest and "Item 2 — Defense and Security (2)" in digest
    assert "Status Not started → On track — tester: Dialogue held in 2024." in digest
    assert "Status On track → Achieved" in digest
    # The 3,000-word note is one line (its first words), not reprinted.
    assert "Background added — Luca Bianchi: Background to the partnership. b0000" in digest
    assert "b0500" not in digest
    assert "Risk added — Luca Bianchi: Open items after the summit:" in digest and "|---" not in digest
    # The change that was undone, and its undo, are not changes.
    assert "With challenges" not in digest and "Undo of the change" not in digest
    docx = _docx_text(_docx(book, tmp_path)).split("Changes since 1 January 2000")[-1]
    assert "Status On track → Achieved" in docx and "With challenges" not in docx


def test_the_history_pairs_an_undo_with_what_it_undid(seeded: Briefing, realistic: dict[str, str]) -> None:
    from db.model.history import without_undone

    history = seeded.status_history(realistic["c221"])
    assert [c.to_status for c in history] == ["with_challenges", "not_started"]  # nothing deleted
    assert without_undone(history) == []


def test_item_headings_number_once_with_a_short_title_and_the_whole_one_beneath(seeded: Briefing,
                                                                               tmp_path: Path) -> None:
    book = build_meeting_book(seeded, meeting_id(seeded, TAKAICHI))
    pages = pdf_text(_pdf(book, tmp_path))
    text = "".join(pages)
    assert not re.search(r"\b\d+\. \d+\.\d+", text)  # no "1. 2.2.1"
    node = seeded.node_by_ref("2.2.1")
    assert node.title.endswith("…")
    whole = full_title(node)
    assert "…" not in whole
    # "Item 1 — Explore avenues … (2.2.1)", the title cut at a word, and the whole of it beneath.
    heading = re.search(r"Item 1 — (.+?)… \(2\.2\.1\)", " ".join(text.split()))
    assert heading is not None and whole.startswith(heading.group(1)) and whole[len(heading.group(1))] == " "
    assert squash(f"(2.2.1) {whole}") in squash(text)
    sub = seeded.node_by_ref("3.1.1.2")
    assert full_title(sub).startswith("Addressing economic coercion")
    assert squash("Lead-in 3.1.1: Building on the relevant G7 commitments") in squash(text)
    word = Document(str(_docx(book, tmp_path)))
    paras = [p.text for p in word.paragraphs]
    at = next(i for i, p in enumerate(paras) if p.startswith("Item 3 — Addressing economic coercion"))
    assert paras[at].endswith("(3.1.1.2)") and paras[at + 1] == full_title(sub)


def test_the_status_table_counts_the_agenda_and_says_so(seeded: Briefing, tmp_path: Path) -> None:
    book = build_meeting_book(seeded, meeting_id(seeded, TOKYO), BookOptions(edition="desk"))
    status = next(p for p in pdf_text(_pdf(book, tmp_path)) if "Status of the agenda" in p and "Total" in p)
    assert "Counts the 4 commitments on the agenda" in status
    assert re.search(r"Total\s*(\S+\s*){6}4\b", status)
    for area in ("1 Diplomacy", "2 Defense and Security"):  # area names on the chart too
        assert status.count(area) >= 2
    plan = pdf_text(_pdf(build_plan_book(seeded, seeded.plans()[0].id), tmp_path, "plan.pdf"))
    assert any("Status of the whole plan" in p and "Counts the whole plan" in p for p in plan)
    assert any("With\nchallenges" in p or "With challenges" in p for p in plan) and not any(
        re.search(r"challeng\s*\n\s*es|start\s*\n\s*ed|pursu\s*\n\s*ed", p, re.IGNORECASE) for p in plan)


def test_no_status_heading_word_breaks_in_two_in_either_format() -> None:
    """The status columns are measured against the shipped bold sans: each heading's widest
    word fits inside the PDF's and Word's cell padding."""
    from reportlab.lib.units import mm

    from db.model.values import STATUS_LABELS, STATUSES
    from exporters import fonts
    from exporters.style import CELL_HEAD, SHORT_STATUS_LABELS, STATUS_COLUMN_DEFAULT_MM, STATUS_COLUMN_MM

    fonts.face(fonts.SANS, bold=True)  # registers the shipped faces
    for status in (*STATUSES, "total"):
        label = SHORT_STATUS_LABELS.get(status, STATUS_LABELS.get(status, "Total"))
        widest = max(fonts.string_width(w, fonts.SANS, CELL_HEAD.size, bold=True) for w in label.split())
        width = STATUS_COLUMN_MM.get(status, STATUS_COLUMN_DEFAULT_MM) * mm
        assert widest + 8 <= width, (status, widest / mm, width / mm)  # PDF: 4 pt a side
        assert widest + 7 <= width, status  # Word: 70 twips a side


def _contrast(colour: str) -> float:
    def channel(c: int) -> float:
        x = c / 255
        return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (lum + 0.05)


def test_badges_reach_wcag_aa_and_the_greens_differ() -> None:
    for status, colour in STATUS_COLOURS.items():
        assert _contrast(colour) >= 4.5, status  # white text on the badge
    import colorsys

    def hue(colour: str) -> float:
        return colorsys.rgb_to_hsv(*(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)))[0] * 360

    assert abs(hue(STATUS_COLOURS["on_track"]) - hue(STATUS_COLOURS["ongoing"])) > 30  # a green and a teal


def test_an_unknown_date_is_to_be_confirmed_and_prepared_by_is_the_users(seeded: Briefing, tmp_path: Path) -> None:
    book = build_meeting_book(seeded, meeting_id(seeded, TAKAICHI), BookOptions(prepared_by="Maria Rossi (MAECI)"))
    cover = pdf_text(_pdf(book, tmp_path))[0]
    assert "DATE\nto be confirmed" in cover and "Maria Rossi (MAECI)" in cover
    assert any("classification marking" in w for w in book.warnings)


def test_an_empty_agenda_and_a_plan_without_notes_say_so(seeded: Briefing, tmp_path: Path) -> None:
    empty = seeded.create_meeting("Working lunch", date="2025-03-01")
    book = build_meeting_book(seeded, empty.id, BookOptions(classification="Restricted"))
    pages = pdf_text(_pdf(book, tmp_path))
    assert "The agenda of this meeting is empty" in pages[1]
    assert len(pages) <= 5 and any("agenda is empty" in w for w in book.warnings)
    from briefbook.services.paths import SEED_PLAN
    from briefbook.services.plan_import import import_plan_file

    with Briefing.create(tmp_path / "bare.sqlite") as bare:
        import_plan_file(bare, SEED_PLAN)
        plan = build_plan_book(bare, bare.plans()[0].id)
        text = "".join(pdf_text(_pdf(plan, tmp_path, "bare.pdf")))
    assert "No notes have been written on this plan yet" in text
    assert any("No notes have been written" in w for w in plan.warnings)
    seeded_plan = build_plan_book(seeded, seeded.plans()[0].id)
    assert not any("No notes have been written" in w for w in seeded_plan.warnings)  # the shipped plan has notes


# -- how it is laid out ----------------------------------------------------------------------


def _page_items(path: Path) -> list[list[tuple[float, str, float, str]]]:
    """Per page, what is drawn in the text block: (height from the foot, face, size, text), lowest first."""
    out = []
    for page in PdfReader(path).pages:
        items: list[tuple[float, str, float, str]] = []

        def visit(text, cm, tm, font, size, items=items) -> None:  # type: ignore[no-untyped-def]
            if text.strip() and not (text.strip() == "DRAFT" and abs(cm[1]) + abs(tm[1]) > 0.1):  # not the watermark
                y = tm[5] * cm[3] + cm[5]
                items.append((y, str(font.get("/BaseFont") if font else ""), size * cm[3], text.strip()))

        page.extract_text(visitor_text=visit)
        # Between the footer rule (22 mm) and the header rule (about 275 mm).
        out.append(sorted(i for i in items if 64 < i[0] < 775))
    return out


def _is_heading(item: tuple[float, str, float, str]) -> bool:
    """A heading (bold sans from 10.5 points) or a label ("TALKING POINTS"), not a status badge."""
    _y, face, size, text = item
    bold_sans = face.endswith("LiberationSans-Bold")
    return bold_sans and (size >= 10.4 or (text.isupper() and len(text) > 3 and size > 8))


def _is_badge(item: tuple[float, str, float, str]) -> bool:
    return item[1].endswith("LiberationSans-Bold") and item[2] < 8 and item[3].isupper()


@pytest.mark.parametrize("which", ["fasano", "plan"])
def test_no_heading_or_label_ends_a_page(seeded: Briefing, realistic: dict[str, str], tmp_path: Path,
                                         which: str) -> None:
    book = _fasano(seeded, since="2000-01-01") if which == "fasano" else build_plan_book(seeded, seeded.plans()[0].id)
    pages = _page_items(_pdf(book, tmp_path))
    assert len(pages) > 10
    for number, items in enumerate(pages[1:], start=2):
        if items and not any(set(i[3]) == {".", " "} for i in items):  # contents lines are not headings
            assert not _is_heading(items[0]), (number, items[0])
            if _is_badge(items[0]) and number < len(pages):
                # A heading with its badge ends a page only when its entry ends there too.
                assert _is_heading(max(pages[number])), (number, items[0], max(pages[number]))


def test_a_new_area_does_not_leave_most_of_a_page_blank(seeded: Briefing, tmp_path: Path) -> None:
    pages = _page_items(_pdf(build_plan_book(seeded, seeded.plans()[0].id), tmp_path))
    breaks = 0
    for number in range(4, len(pages) - 1):
        top = max(pages[number + 1], default=None)
        starts_area = top is not None and top[1].endswith("LiberationSans-Bold") and top[2] >= 16.5
        if starts_area and pages[number]:
            breaks += 1
            # The area went overleaf only because less than a third of this page was left.
            assert pages[number][0][0] < 64 + (775 - 64) / 3 + 20, (number + 1, pages[number][0])
    assert breaks >= 2


def test_markdown_tables_strikethrough_and_tasks_in_both_formats(seeded: Briefing, realistic: dict[str, str],
                                                                  tmp_path: Path) -> None:
    book = _fasano(seeded)
    text = "".join(pdf_text(_pdf(book, tmp_path)))
    assert "| Item |" not in text and "~~" not in text and "[ ]" not in text
    assert re.search(r"Item\s*Owner\s*Due\s*GCAP\s*MoD\s*2025\s*ACSA\s*MOFA\s*2026", text)
    assert "☐ brief the minister" in text and "☑ agree the text" in text
    doc = Document(str(_docx(book, tmp_path)))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    assert [["Item", "Owner", "Due"], ["GCAP", "MoD", "2025"], ["ACSA", "MOFA", "2026"]] in tables
    struck = [r.text for p in doc.paragraphs for r in p.runs if r.font.strike]
    assert struck == ["before"]


def test_bidi_controls_are_shown_not_obeyed_in_both(seeded: Briefing, realistic: dict[str, str],
                                                    tmp_path: Path) -> None:
    book = _fasano(seeded)
    assert "desserts [U+202E]stressed[U+202C]" in "".join(pdf_text(_pdf(book, tmp_path)))
    path = _docx(book, tmp_path)
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert "\u202e" not in xml and "\u202c" not in xml and "desserts [U+202E]stressed" in xml


def test_japanese_bold_uses_the_bold_face(seeded: Briefing, tmp_path: Path) -> None:
    node = seeded.agenda(meeting_id(seeded, TOKYO))[0].node_id
    seeded.add_note(node, "background", "**高市早苗** and 高市", author="tester")
    path = _pdf(build_meeting_book(seeded, meeting_id(seeded, TOKYO)), tmp_path)
    faces = {str(f.get_object()["/BaseFont"]).split("+")[-1]
             for page in PdfReader(path).pages for f in page["/Resources"].get_object().get("/Font", {}).values()}
    assert {"BIZUDPGothic-Bold", "BIZUDPGothic-Regular"} <= faces


def test_the_pdf_opens_with_its_bookmarks_in_its_language(seeded: Briefing, tmp_path: Path) -> None:
    reader = PdfReader(_pdf(build_meeting_book(seeded, meeting_id(seeded, TOKYO)), tmp_path))
    root = reader.trailer["/Root"]
    assert root["/PageMode"] == "/UseOutlines" and root["/Lang"] == "en-GB"
    assert reader.metadata.title == TOKYO and reader.metadata.subject.startswith("Meeting brief")


def test_a_200000_character_address_is_linked_once_and_shortened(seeded: Briefing, tmp_path: Path) -> None:
    import time

    url = "https://example.org/" + "x" * 200_000
    node = seeded.agenda(meeting_id(seeded, TOKYO))[0].node_id
    source = seeded.add_source("A source with an absurd address", url=url)
    seeded.link_source(source.id, node)
    start = time.monotonic()
    path = _pdf(build_meeting_book(seeded, meeting_id(seeded, TOKYO)), tmp_path)
    assert time.monotonic() - start < 10
    assert path.stat().st_size < 1_000_000
    assert all_uris(path).count(url) == 1
    text = "".join(pdf_text(path))
    assert "https://example.org/xxxx" in text and "x" * 200 not in text
    docx = _docx(build_meeting_book(seeded, meeting_id(seeded, TOKYO)), tmp_path)
    assert docx.stat().st_size < 1_000_000 and "x" * 200 not in _docx_text(docx)


def test_word_opens_without_questions_and_with_true_metadata(seeded: Briefing, realistic: dict[str, str],
                                                             tmp_path: Path) -> None:
    path = _docx(_fasano(seeded), tmp_path)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        settings = z.read("word/settings.xml").decode()
        app = z.read("docProps/app.xml").decode()
        table = z.read("word/fontTable.xml").decode()
    assert "updateFields" not in settings and "embedTrueTypeFonts" in settings
    assert "<Application>briefbook</Application>" in app and "<Pages>" not in app and "<Words>" not in app
    assert not any("thumbnail" in n for n in names)
    assert "word/fonts/fontRegular.odttf" in names and 'w:embedRegular r:id=' in table


def test_the_odttf_part_is_the_font_obfuscated_with_its_key(seeded: Briefing, realistic: dict[str, str],
                                                            tmp_path: Path) -> None:
    import uuid

    from exporters.fonts import FONT_DIR

    path = _docx(_fasano(seeded), tmp_path)
    with zipfile.ZipFile(path) as z:
        table = z.read("word/fontTable.xml").decode()
        part = z.read("word/fonts/fontRegular.odttf")
    key = re.search(r'w:embedRegular r:id="[^"]+" w:fontKey="(\{[^}]+\})"', table).group(1)  # type: ignore[union-attr]
    # Undo it the way a reader does (ECMA-376 17.8.1): XOR the first 32 bytes with the key reversed.
    k = uuid.UUID(key).bytes[::-1]
    font = bytes(b ^ k[i % 16] for i, b in enumerate(part[:32])) + part[32:]
    # The face with only the glyphs the pack uses: its Japanese, named as the whole face is.
    import io

    from fontTools.ttLib import TTFont

    face = TTFont(io.BytesIO(font))
    whole = TTFont(FONT_DIR / "BIZUDPGothic-Regular.ttf", lazy=True)
    assert all(ord(c) in face.getBestCmap() for c in "高市早苗総理との会談を歓迎する。")
    assert len(face.getBestCmap()) < 300 < len(whole.getBestCmap())
    assert face["name"].getDebugName(1) == whole["name"].getDebugName(1)
    assert 'w:subsetted="1"' in table and path.stat().st_size < 1_000_000  # mails easily


def test_a_book_without_japanese_embeds_no_font(seeded: Briefing, tmp_path: Path) -> None:
    path = _docx(build_meeting_book(seeded, meeting_id(seeded, TOKYO)), tmp_path)
    names = zipfile.ZipFile(path).namelist()
    assert not any(n.startswith("word/fonts/") for n in names)
