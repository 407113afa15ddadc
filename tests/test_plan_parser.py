"""Tests for briefbook.plan_import.plan_parser: the seed plan, one variant per quirk, properties."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefbook.plan_import.plan_parser import PlanParseError, _parse, parse_date, parse_plan, short_title
from db.model.drafts import NodeDraft, PlanDraft

SEED = Path(__file__).resolve().parents[1] / "resources" / "seed" / "japan-italy-action-plan-2024-2027.txt"

SEED_REFS = [
    "1", "1.1", "1.1.1", "1.2", "1.2.1", "1.3", "1.3.1", "1.3.2",
    "2", "2.1", "2.1.1", "2.1.2", "2.2", "2.2.1", "2.3", "2.3.1", "2.4", "2.4.1",
    "3", "3.1", "3.1.1", "3.1.1.1", "3.1.1.2", "3.1.1.3", "3.1.1.4", "3.1.1.5", "3.1.1.6",
    "3.2", "3.2.1", "3.3", "3.3.1", "3.3.2", "3.4", "3.4.1",
    "4", "4.1", "4.1.1", "4.2", "4.2.1", "4.2.2", "4.2.3", "4.2.4", "4.3", "4.3.1", "4.3.2",
    "4.4", "4.4.1", "4.4.2", "4.5", "4.5.1", "4.5.2", "4.6", "4.6.1", "4.7", "4.7.1",
    "5", "5.1", "5.1.1", "5.1.2", "5.2", "5.2.1", "5.3", "5.3.1", "5.4", "5.4.1", "5.5", "5.5.1",
    "6", "6.1", "6.1.1", "6.1.2", "6.1.3", "6.2", "6.2.1", "6.2.2", "6.3", "6.3.1",
    "7", "7.1", "7.1.1", "7.2", "7.2.1", "7.3", "7.3.1",
]  # fmt: skip

GLYPHS = ("➤", ">", "•", "#", "*")


def refs(draft: PlanDraft) -> list[str]:
    return [n.ref for n in draft.walk()]


def shape(draft: PlanDraft) -> list[tuple[str, str, str]]:
    return [(n.ref, n.kind, n.text) for n in draft.walk()]


def node(draft: PlanDraft, ref: str) -> NodeDraft:
    return next(n for n in draft.walk() if n.ref == ref)


def texts_of(draft: PlanDraft) -> list[str]:
    return [draft.title, draft.preamble] + [s for n in draft.walk() for s in (n.title, n.text)]


# -- the seed ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> PlanDraft:
    return parse_plan(SEED.read_text(encoding="utf-8"))


def test_seed_counts_by_kind(seed: PlanDraft) -> None:
    counts = Counter(n.kind for n in seed.walk())
    assert counts == {"area": 7, "item": 29, "commitment": 42, "subcommitment": 6}


def test_seed_refs_in_order(seed: PlanDraft) -> None:
    assert len(SEED_REFS) == 84
    assert refs(seed) == SEED_REFS


def test_seed_kinds_follow_depth(seed: PlanDraft) -> None:
    depth_kind = {1: "area", 2: "item", 3: "commitment", 4: "subcommitment"}
    assert all(n.kind == depth_kind[len(n.ref.split("."))] for n in seed.walk())


def test_seed_has_no_stray_glyphs(seed: PlanDraft) -> None:
    for text in texts_of(seed):
        assert not any(g in text for g in GLYPHS), text
        assert not text.startswith(("-", " ")), text
        assert text == text.strip()


def test_seed_emphasis_becomes_plain_text(seed: PlanDraft) -> None:
    assert "based on the Principles on resilient and reliable supply chains, namely" in node(seed, "3.1.1.3").text


def test_seed_titles(seed: PlanDraft) -> None:
    assert seed.title == "Japan-Italy Action Plan (2024-2027)"
    assert seed.period == "2024-2027"
    assert seed.parties == ["Japan", "Italy"]
    assert seed.adopted_on == "2024-06-14"
    assert node(seed, "1").title == "Diplomacy"
    assert node(seed, "1.1").title == "Japan-Italy Foreign Ministry Strategic Dialogue"
    assert node(seed, "4.2").title == "Further Promotion of Bilateral Investment, Industrial Cooperation and Trade"
    assert node(seed, "1").text == "" and node(seed, "1.1").text == ""


def test_seed_sentences_broken_across_blank_lines_are_joined(seed: PlanDraft) -> None:
    assert node(seed, "1.1.1").text == (
        'Institutionalize the consultation mechanism as a yearly "Japan-Italy Foreign Ministry '
        'Strategic Dialogue", building on the momentum of the Japan-Italy Vice Foreign Minister - '
        "Secretary General Consultations, which have been held consecutively since 2022."
    )
    assert node(seed, "3.1.1").text == (
        "Building on the relevant G7 commitments, in particular the G7 Leaders' Statement on Economic "
        "Resilience and Economic Security of May 20, 2023, and the G7 Leaders' Statement of June 2024, "
        "further strengthen bilateral coordination in:"
    )


def test_seed_sub_list(seed: PlanDraft) -> None:
    lead_in = node(seed, "3.1.1")
    assert lead_in.text.endswith("in:")
    assert [c.ref for c in lead_in.children] == [f"3.1.1.{k}" for k in range(1, 7)]
    assert lead_in.children[0].text.startswith("upholding the free and open")
    assert node(seed, "3.1.1.6").text.startswith("enhancing security and resilience")
    assert node(seed, "3.2.1").kind == "commitment"


def test_seed_preamble(seed: PlanDraft) -> None:
    assert seed.preamble.startswith("Since the elevation")
    assert seed.preamble.endswith("commitment to;")
    assert seed.preamble.count("\n\n") == 2


def test_seed_commitment_titles_are_short(seed: PlanDraft) -> None:
    for n in seed.walk():
        if n.kind in ("commitment", "subcommitment"):
            assert 0 < len(n.title) <= 71, n.title
            assert n.title == short_title(n.text)
    assert node(seed, "1.2.1").title == "Ensure that existing consultation mechanisms…"
    assert node(seed, "4.6.1").title.endswith("…")


def test_seed_nothing_unplaced(seed: PlanDraft) -> None:
    assert seed.unplaced == []


@pytest.mark.parametrize(
    "variant",
    [
        lambda t: "\ufeff" + t.replace("\n", "\r\n"),
        lambda t: re.sub(r"\n\n+", "\n", t),
        lambda t: re.sub(r"(?m)^#+ ", "", t),
        lambda t: re.sub(r"\n\n+", "\n", re.sub(r"(?m)^#+ ", "", t)),
        lambda t: re.sub(r"(?m)^#+ ", "## ", t),
        lambda t: re.sub(r"(?m)^  ", "\t", t),
        lambda t: re.sub(r"(?m)^(\s*)- ", r"\1* ", t),
    ],
    ids=["crlf-bom", "no-blank-lines", "no-hashes", "no-hashes-no-blank-lines", "all-h2", "tabs", "star-bullets"],
)
def test_seed_variants_give_the_same_plan(seed: PlanDraft, variant) -> None:  # type: ignore[no-untyped-def]
    draft = parse_plan(variant(SEED.read_text(encoding="utf-8")))
    assert [(n.ref, n.kind, n.title, n.text) for n in draft.walk()] == [
        (n.ref, n.kind, n.title, n.text) for n in seed.walk()
    ]
    assert (draft.title, draft.preamble, draft.adopted_on, draft.unplaced) == (
        seed.title,
        seed.preamble,
        seed.adopted_on,
        [],
    )


# -- variants: headings, items, bullets ---------------------------------------------------


@pytest.mark.parametrize("hashes", ["", "# ", "## ", "### ", "#### "])
@pytest.mark.parametrize("number", ["{n} ", "{n}. "])
def test_area_heading_levels(hashes: str, number: str) -> None:
    text = "\n\n".join(
        [
            "# Plan",
            f"{hashes}{number.format(n=1)}Diplomacy",
            "(1) Dialogue",
            "Hold talks.",
            f"{hashes}{number.format(n=2)}Defense and Security",
            "(1) Exercises",
            "Train together.",
        ]
    )
    draft = parse_plan(text)
    assert refs(draft) == ["1", "1.1", "1.1.1", "2", "2.1", "2.1.1"]
    assert [a.title for a in draft.areas] == ["Diplomacy", "Defense and Security"]


def test_heading_levels_mixed_freely() -> None:
    text = "#### 1 Diplomacy\n# (1) Dialogue\nHold talks.\n## (2) Planning\nPlan ahead.\n# 2 Economy\n### (1) Trade\nTrade more.\n"
    assert refs(parse_plan(text)) == ["1", "1.1", "1.1.1", "1.2", "1.2.1", "2", "2.1", "2.1.1"]


@pytest.mark.parametrize(
    "item_line", ["- (1) Dialogue", "(1) Dialogue", "### (1) Dialogue", "* (1) Dialogue", "➤ (1) Dialogue"]
)
def test_item_forms(item_line: str) -> None:
    draft = parse_plan(f"1 Diplomacy\n\n{item_line}\n\n- Hold talks.\n")
    assert shape(draft) == [("1", "area", ""), ("1.1", "item", ""), ("1.1.1", "commitment", "Hold talks.")]
    assert node(draft, "1.1").title == "Dialogue"


def test_item_number_taken_from_text() -> None:
    draft = parse_plan("1 Diplomacy\n(2) Second\n- Do it.\n(5) Fifth\n- Do more.\n")
    assert refs(draft) == ["1", "1.2", "1.2.1", "1.5", "1.5.1"]


def test_repeated_item_number_is_text_not_a_new_item() -> None:
    draft = parse_plan("1 Diplomacy\n(1) Dialogue\n- First.\n- (1) of the agreement applies.\n")
    assert refs(draft) == ["1", "1.1", "1.1.1", "1.1.2"]
    assert node(draft, "1.1.2").text == "(1) of the agreement applies."


def test_item_number_alone_takes_title_from_next_line() -> None:
    draft = parse_plan("1 Diplomacy\n(1)\nDialogue\n- Hold talks.\n")
    assert node(draft, "1.1").title == "Dialogue"
    assert refs(draft) == ["1", "1.1", "1.1.1"]


@pytest.mark.parametrize("glyph", ["-", "*", "•", "➤", ">", "- ➤", "- >", "* •", "▪"])
def test_every_bullet_glyph(glyph: str) -> None:
    draft = parse_plan(f"1 Diplomacy\n(1) Dialogue\n{glyph} Hold talks.\n  {glyph} Meet often.\n")
    assert [n.text for n in node(draft, "1.1").children] == ["Hold talks.", "Meet often."]


def test_typographic_bullet_touching_the_word() -> None:
    draft = parse_plan("1 Diplomacy\n(1) Dialogue\n➤Hold talks.\n•Meet often.\n")
    assert [n.text for n in node(draft, "1.1").children] == ["Hold talks.", "Meet often."]


def test_ascii_glyph_without_space_is_text() -> None:
    draft = parse_plan("1 Diplomacy\n(1) Dialogue\n-5% tariffs for all.\n")
    assert node(draft, "1.1.1").text == "-5% tariffs for all."


def test_markdown_emphasis_removed() -> None:
    draft = parse_plan("## **1 Diplomacy**\n- (1) *Dialogue*\n- Follow the **Principles** and _rules_ of snake_case.\n")
    assert node(draft, "1").title == "Diplomacy"
    assert node(draft, "1.1").title == "Dialogue"
    assert node(draft, "1.1.1").text == "Follow the Principles and rules of snake_case."


def test_emphasis_across_wrapped_lines() -> None:
    draft = parse_plan("1 Diplomacy\n(1) Dialogue\n- Based on the *Principles on\nresilient chains*, act.\n")
    assert node(draft, "1.1.1").text == "Based on the Principles on resilient chains, act."


def test_paragraph_commitments_under_heading_item() -> None:
    draft = parse_plan("1 Diplomacy\n\n### (1) Dialogue\n\nHold talks.\n\nMeet often.\n")
    assert [n.text for n in node(draft, "1.1").children] == ["Hold talks.", "Meet often."]


def test_empty_area_and_item_are_kept() -> None:
    draft = parse_plan("1 Diplomacy\n2 Defense\n(1) Exercises\n(2) Training\n")
    assert shape(draft) == [
        ("1", "area", ""),
        ("2", "area", ""),
        ("2.1", "item", ""),
        ("2.2", "item", ""),
    ]


def test_plain_numbered_line_needs_the_next_number_to_be_an_area() -> None:
    draft = parse_plan("1 Diplomacy\n(1) Dialogue\n- Hold talks.\n\n5 Nations Meet Yearly\n")
    assert refs(draft) == ["1", "1.1", "1.1.1", "1.1.2"]
    assert node(draft, "1.1.2").text == "5 Nations Meet Yearly"


# -- variants: sub-lists ----------------------------------------------------------------------


def test_indented_sub_list() -> None:
    text = (
        "1 Economy\n(1) Coordination\n"
        "- Strengthen coordination in:\n"
        "  - trade;\n"
        "  - supply chains.\n"
        "  - technology.\n"
        "- Hold consultations.\n"
    )
    draft = parse_plan(text)
    assert refs(draft) == ["1", "1.1", "1.1.1", "1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.2"]
    assert node(draft, "1.1.1.3").kind == "subcommitment"
    assert node(draft, "1.1.2").kind == "commitment"


def test_non_indented_sub_list_ends_after_full_stop() -> None:
    text = (
        "1 Economy\n(1) Coordination\n"
        "- Strengthen coordination in:\n"
        "- trade;\n"
        "- supply chains; and\n"
        "- technology.\n"
        "- Hold consultations.\n"
    )
    draft = parse_plan(text)
    assert refs(draft) == ["1", "1.1", "1.1.1", "1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.2"]


def test_non_indented_sub_list_ends_at_next_item() -> None:
    text = "1 Economy\n- (1) Coordination\n  - Coordinate in:\n- trade;\n- energy;\n- (2) Minerals\n- Secure supply.\n"
    draft = parse_plan(text)
    assert refs(draft) == ["1", "1.1", "1.1.1", "1.1.1.1", "1.1.1.2", "1.2", "1.2.1"]


def test_sub_list_after_a_paragraph_lead_in() -> None:
    draft = parse_plan("1 Economy\n(1) Coordination\n\nCoordinate in:\n\n- trade;\n- energy.\n\nMeet yearly.\n")
    assert shape(draft)[2:] == [
        ("1.1.1", "commitment", "Coordinate in:"),
        ("1.1.1.1", "subcommitment", "trade;"),
        ("1.1.1.2", "subcommitment", "energy."),
        ("1.1.2", "commitment", "Meet yearly."),
    ]


def test_deeper_bullets_without_lead_in_stay_commitments() -> None:
    draft = parse_plan("1 Economy\n(1) Coordination\n- Coordinate.\n    - Meet.\n")
    assert refs(draft) == ["1", "1.1", "1.1.1", "1.1.2"]


# -- variants: wrapping ---------------------------------------------------------------------------


def test_wrapped_without_blank_lines() -> None:
    text = "1 Diplomacy\n(1) Dialogue\n- Hold talks at\nminister level,\nevery year.\n- Meet often.\n"
    draft = parse_plan(text)
    assert [n.text for n in node(draft, "1.1").children] == ["Hold talks at minister level, every year.", "Meet often."]


def test_wrapped_with_blank_lines() -> None:
    text = "1 Diplomacy\n\n(1) Dialogue\n\nHold talks at\n\nminister level,\n\nevery year.\n\nMeet often.\n"
    draft = parse_plan(text)
    assert [n.text for n in node(draft, "1.1").children] == ["Hold talks at minister level, every year.", "Meet often."]


def test_line_after_a_full_sentence_is_a_new_commitment() -> None:
    draft = parse_plan("1 Diplomacy\n(1) Dialogue\nHold talks.\nMeet often.\n")
    assert [n.text for n in node(draft, "1.1").children] == ["Hold talks.", "Meet often."]


def test_line_indented_under_its_bullet_continues_it() -> None:
    draft = parse_plan("1 Diplomacy\n(1) Dialogue\n- Hold talks.\n  Also meet often.\n- Write.\n")
    assert [n.text for n in node(draft, "1.1").children] == ["Hold talks. Also meet often.", "Write."]


def test_wrapped_preamble_and_area_text() -> None:
    text = "# Plan\n\nBoth nations\nagree.\n\nThey act.\n\n1 Diplomacy\n\nDiplomacy\nmatters.\n\n(1) Dialogue\n"
    draft = parse_plan(text)
    assert draft.preamble == "Both nations agree.\n\nThey act."
    assert node(draft, "1").text == "Diplomacy matters."


def test_plain_area_line_glued_to_an_open_sentence_is_a_continuation() -> None:
    draft = parse_plan("1 Diplomacy\n(1) Dialogue\n- Meet the\n2 Nations Council\n")
    assert refs(draft) == ["1", "1.1", "1.1.1"]
    assert node(draft, "1.1.1").text == "Meet the 2 Nations Council"


# -- variants: encodings and whitespace ------------------------------------------------------------------


SMALL = "# A-B Action Plan (2025-2028)\n\nIntro.\n\n## 1 Diplomacy\n\n- (1) Dialogue\n  - Hold talks in:\n    - Rome;\n    - Tokyo.\n\n1 June 2025\n"
SMALL_SHAPE = [
    ("1", "area", ""),
    ("1.1", "item", ""),
    ("1.1.1", "commitment", "Hold talks in:"),
    ("1.1.1.1", "subcommitment", "Rome;"),
    ("1.1.1.2", "subcommitment", "Tokyo."),
]


@pytest.mark.parametrize(
    "variant",
    [
        lambda t: t,
        lambda t: t.replace("\n", "\r\n"),
        lambda t: t.replace("\n", "\r"),
        lambda t: "\ufeff" + t,
        lambda t: "\ufeff" + t.replace("\n", "\r\n"),
        lambda t: t.replace("    ", "\t\t").replace("  ", "\t"),
        lambda t: t.replace("\n", "  \n"),
    ],
    ids=["lf", "crlf", "cr", "bom", "bom-crlf", "tabs", "trailing-space"],
)
def test_line_endings_bom_tabs(variant) -> None:  # type: ignore[no-untyped-def]
    draft = parse_plan(variant(SMALL))
    assert shape(draft) == SMALL_SHAPE
    assert draft.title == "A-B Action Plan (2025-2028)"
    assert (draft.parties, draft.period, draft.adopted_on) == (["A", "B"], "2025-2028", "2025-06-01")
    assert draft.preamble == "Intro."
    assert draft.unplaced == []


def test_tab_indented_sub_list() -> None:
    draft = parse_plan("1 Economy\n(1) Trade\n- Act in:\n\t- ports;\n\t- roads.\n- Report.\n")
    assert refs(draft) == ["1", "1.1", "1.1.1", "1.1.1.1", "1.1.1.2", "1.1.2"]


# -- variants: plan title, parties, closing date ---------------------------------------------------------


def test_plain_first_line_is_the_title_without_headings() -> None:
    draft = parse_plan("United Kingdom-Japan Action Plan 2023-27\n\nIntro.\n\n1 Trade\n(1) Ports\n- Build.\n")
    assert draft.title == "United Kingdom-Japan Action Plan 2023-27"
    assert draft.parties == ["United Kingdom", "Japan"]
    assert draft.period == "2023-2027"
    assert draft.preamble == "Intro."


def test_no_parties_period_or_date() -> None:
    draft = parse_plan("# Joint Statement\n\n1 Trade\n(1) Ports\n- Build.\n")
    assert (draft.title, draft.parties, draft.period, draft.adopted_on) == ("Joint Statement", [], None, None)


def test_no_title_at_all() -> None:
    draft = parse_plan("1 Trade\n(1) Ports\n- Build.\n")
    assert (draft.title, draft.preamble) == ("", "")


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("14th June 2024", "2024-06-14"),
        ("14 June 2024", "2024-06-14"),
        ("June 14, 2024", "2024-06-14"),
        ("2024-06-14", "2024-06-14"),
        ("June 2024", "2024-06"),
        ("1st Sept. 2024", "2024-09-01"),
        ("*14 June 2024*", "2024-06-14"),
        ("## 14 June 2024", "2024-06-14"),
    ],
)
def test_closing_date_formats(line: str, iso: str) -> None:
    draft = parse_plan(f"1 Trade\n(1) Ports\n- Build.\n\n{line}\n")
    assert draft.adopted_on == iso
    assert refs(draft) == ["1", "1.1", "1.1.1"]
    assert draft.unplaced == []


def test_closing_line_with_a_place_keeps_the_date_and_reports_the_line() -> None:
    draft = parse_plan("1 Trade\n(1) Ports\n- Build.\n\nTokyo, 14 June 2024\n")
    assert draft.adopted_on == "2024-06-14"
    assert [(u.line_no, u.text) for u in draft.unplaced] == [(5, "Tokyo, 14 June 2024")]


def test_impossible_date_is_text() -> None:
    draft = parse_plan("1 Trade\n(1) Ports\n- Build.\n\n31 February 2024\n")
    assert draft.adopted_on is None
    assert node(draft, "1.1.2").text == "31 February 2024"


def test_date_line_before_more_structure_is_not_the_closing() -> None:
    draft = parse_plan("1 Trade\n(1) Ports\nJune 2024\n(2) Roads\n- Pave.\n")
    assert draft.adopted_on is None
    assert node(draft, "1.1.1").text == "June 2024"


def test_sentence_ending_with_a_date_is_not_a_closing() -> None:
    draft = parse_plan("1 Trade\n(1) Ports\n- Build.\n\nMeet in June 2024\n")
    assert draft.adopted_on is None
    assert node(draft, "1.1.2").text == "Meet in June 2024"


@pytest.mark.parametrize(
    ("text", "iso"),
    [("14th June 2024", "2024-06-14"), ("June 14 2024", "2024-06-14"), ("jun 2024.", "2024-06"), ("Rome, 1 May 2024", None),
     ("June", None), ("13 Smarch 2024", None), ("2024-13-01", None)],
)  # fmt: skip
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


# -- variants: lines that cannot be placed ---------------------------------------------------------------


def test_unplaceable_lines_are_reported() -> None:
    text = "\n".join(
        [
            "# Plan",  # 1
            "- a bullet before any area",  # 2
            "(1) An item before any area",  # 3
            "1 Trade",  # 4
            "Trade matters to both.",  # 5: area text
            "- a bullet before any item",  # 6
            "(1) Ports",  # 7
            "- Build.",  # 8
            "## Annex",  # 9
            "",
            "14 June 2024",  # 11
            "Signed twice.",  # 12
        ]
    )
    draft = parse_plan(text)
    assert refs(draft) == ["1", "1.1", "1.1.1"]
    assert node(draft, "1").text == "Trade matters to both."
    assert draft.adopted_on == "2024-06-14"
    got = {u.line_no: (u.text, u.reason) for u in draft.unplaced}
    assert sorted(got) == [2, 3, 6, 9, 12]
    assert got[2] == ("- a bullet before any area", "bullet before the first area")
    assert got[3][1] == "numbered item before the first area"
    assert got[6][1] == "bullet under area 1 before its first item"
    assert got[9] == ("## Annex", "heading that is not a numbered area or item")
    assert got[12] == ("Signed twice.", "text after the closing date")


def test_continuation_of_an_unplaced_bullet_is_reported_too() -> None:
    draft = parse_plan("- a bullet that goes\non and on\n\n1 Trade\n")
    assert [(u.line_no, u.reason) for u in draft.unplaced] == [
        (1, "bullet before the first area"),
        (2, "continues an unplaced line"),
    ]


# -- errors -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t\n", "\ufeff", "---\n***\n", "Just a letter.\nNothing numbered here.", "# Title only", "(1) Item\n- bullet"],
)
def test_no_plan_structure_raises(text: str) -> None:
    with pytest.raises(PlanParseError) as info:
        parse_plan(text)
    message = str(info.value)
    assert message.endswith(".") and message.count(". ") == 0 and "\n" not in message


def test_non_string_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        parse_plan(None)  # type: ignore[arg-type]


# -- short titles -------------------------------------------------------------------------------------------


def test_short_title() -> None:
    assert short_title("Hold talks. Then more.") == "Hold talks"
    assert short_title("Coordinate in:") == "Coordinate in"
    assert short_title("Use e.g. ports. Then more.") == "Use e.g. ports"
    long = "Promote " + "very " * 30 + "much."
    title = short_title(long)
    assert title.endswith("…") and len(title) <= 71 and not title.endswith(" …")
    assert short_title("x" * 100) == "x" * 70 + "…"


# -- property tests ---------------------------------------------------------------------------------------

WORD = re.compile(r"[^\W_]+")

FRAGMENTS = [
    "# Japan-Italy Action Plan (2024-2027)", "## 1 Diplomacy", "2. Trade", "#### 3 Energy", "- (1) Dialogue",
    "(2) Energy", "### (3) Space", "(1)", "  - ➤ Hold talks.", "- lead-in:", "- item;", "* foo bar", "• baz",
    "> quote", "➤Tight", "- > both", "14th June 2024", "June 14, 2024", "Tokyo, 2024-06-14", "June 2024", "",
    "   ", "\t- tabbed", "*emph* text", "_under_ line", "continued line", "ends here.", "#", "---", "1", "(01) x",
    "Statement of June 2024, further strengthen in:", "upholding; and", "**", "- ", "\ufeff",
]  # fmt: skip
plan_like_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=30
).flatmap(lambda lines: st.sampled_from(["\n", "\r\n", "\n\n", "\r"]).map(lambda sep: sep.join(lines)))
any_text = st.one_of(st.text(), plan_like_text)


def _parse_or_error(text: str) -> PlanDraft | None:
    try:
        return _parse(text)  # the unguarded core: no internal error may hide
    except PlanParseError as exc:
        assert str(exc).endswith(".")
        return None


def _assert_no_word_lost(text: str, draft: PlanDraft) -> None:
    kept = texts_of(draft) + [u.text for u in draft.unplaced] + [n.ref for n in draft.walk()]
    if draft.adopted_on is not None:  # the bare closing date line goes into adopted_on
        lines = text.replace("\ufeff", " ").splitlines()
        kept += [line for line in lines if parse_date(re.sub(r"^\W+|[^\w.]+$", "", line))]
    words = set(WORD.findall("\n".join(kept)))
    for word in WORD.findall(text):
        assert word in words or (word.isdigit() and word.isascii() and str(int(word)) in words), word


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_any_text_gives_a_draft_or_plan_parse_error(text: str) -> None:
    draft = _parse_or_error(text)
    try:
        guarded = parse_plan(text)
    except PlanParseError:
        guarded = None
    assert (draft is None) == (guarded is None)


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_no_word_is_lost_without_report(text: str) -> None:
    draft = _parse_or_error(text)
    if draft is not None:
        _assert_no_word_lost(text, draft)


# A random plan and a random rendering of it ---------------------------------------------------------------

VOCAB = [
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "kilo", "lima", "oscar",
    "papa", "romeo", "sierra", "tango", "uniform", "victor", "whiskey", "zulu", "trade", "energy", "space", "youth",
]  # fmt: skip
RENDER_GLYPHS = ["-", "*", "•", "➤", ">", "- ➤", "- >", "* •"]


@dataclass
class Rendered:
    lines: list[str] = field(default_factory=list)
    expected: list[tuple[str, str, str]] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)


@st.composite
def sentence(draw: st.DrawFn, end: str, capital: bool = True) -> str:
    words = draw(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=14))
    commas = draw(st.lists(st.booleans(), min_size=len(words), max_size=len(words)))
    words = [w + ("," if c and i < len(words) - 1 else "") for i, (w, c) in enumerate(zip(words, commas))]
    if capital:
        words[0] = words[0].capitalize()
    return " ".join(words) + end


@st.composite
def title_words(draw: st.DrawFn) -> str:
    return " ".join(w.capitalize() for w in draw(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=6)))


def emit(draw: st.DrawFn, out: Rendered, first: str, text: str, cont_col: int, blank_before: bool) -> None:
    """Write `first` + text wrapped over random lines, with or without blank lines between."""
    words = text.split(" ")
    cuts = sorted(set(draw(st.lists(st.integers(1, max(1, len(words) - 1)), max_size=3)))) if len(words) > 1 else []
    chunks = [words[a:b] for a, b in zip([0, *cuts], [*cuts, len(words)])]
    if blank_before:
        out.lines.append("")
    out.lines.append(first + " ".join(chunks[0]))
    for chunk in chunks[1:]:
        if draw(st.booleans()):
            out.lines.append("")
        indent = draw(st.sampled_from([0, cont_col]))
        out.lines.append(" " * indent + " ".join(chunk))


@st.composite
def rendered_plan(draw: st.DrawFn) -> tuple[str, Rendered, str, str | None]:
    out = Rendered()
    gap = lambda: draw(st.booleans())  # noqa: E731 - a blank line or not
    if draw(st.booleans()):
        out.lines += [draw(st.sampled_from(["# ", "## ", ""])) + "Alpha-Bravo Action Plan (2024-2027)", ""]
    preamble = draw(st.lists(sentence("."), max_size=2))
    for para in preamble:
        emit(draw, out, "", para, 0, gap())
    for a in range(1, draw(st.integers(1, 3)) + 1):
        area_title = draw(title_words())
        hashes = draw(st.sampled_from(["", "# ", "## ", "### ", "#### "]))
        out.lines += [""] * gap() + [f"{hashes}{a}{draw(st.sampled_from([' ', '. ']))}{area_title}"]
        out.expected.append((str(a), "area", ""))
        out.titles[str(a)] = area_title
        for i in range(1, draw(st.integers(0, 3)) + 1):
            item_ref, item_title = f"{a}.{i}", draw(title_words())
            form = draw(st.sampled_from(["bullet", "heading", "plain"]))
            prefix = {"bullet": draw(st.sampled_from(RENDER_GLYPHS)) + " ", "heading": "### ", "plain": ""}[form]
            out.lines += [""] * gap() + [f"{prefix}({i}) {item_title}"]
            out.expected.append((item_ref, "item", ""))
            out.titles[item_ref] = item_title
            ci = draw(st.sampled_from([0, 2]))  # the item's commitment indent
            for c in range(1, draw(st.integers(0, 3)) + 1):
                c_ref = f"{item_ref}.{c}"
                subs = draw(st.lists(sentence(";", capital=False), max_size=3))
                text = draw(sentence(":" if subs else draw(st.sampled_from([".", ";", "!"]))))
                if draw(st.booleans()):  # bullet
                    glyph = draw(st.sampled_from(RENDER_GLYPHS)) + " "
                    emit(draw, out, " " * ci + glyph, text, ci + len(glyph), gap())
                else:  # paragraph; a blank line keeps it off the previous bullet
                    emit(draw, out, " " * ci, text, ci, ci > 0 or gap())
                out.expected.append((c_ref, "commitment", text))
                if subs:
                    subs[-1] = subs[-1][:-1] + "."  # an un-indented sub-list ends on a full stop
                    sub_indent = draw(st.sampled_from([0, ci + 2, ci + 4]))
                    for s, sub in enumerate(subs, start=1):
                        glyph = draw(st.sampled_from(RENDER_GLYPHS)) + " "
                        emit(draw, out, " " * sub_indent + glyph, sub, sub_indent + len(glyph), gap())
                        out.expected.append((f"{c_ref}.{s}", "subcommitment", sub))
    closing = draw(st.sampled_from([None, ("14th June 2024", "2024-06-14"), ("June 2025", "2025-06")]))
    if closing is not None:
        out.lines += ["", closing[0]]
    text = "\n".join(out.lines) + "\n"
    quirk = draw(st.sampled_from(["none", "crlf", "bom", "tabs"]))
    if quirk == "crlf":
        text = text.replace("\n", "\r\n")
    elif quirk == "bom":
        text = "\ufeff" + text
    elif quirk == "tabs":
        text = re.sub(r"(?m)^((?:  )+)", lambda m: "\t" * (len(m.group(1)) // 2), text)
    return text, out, "\n\n".join(preamble), closing[1] if closing else None


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(rendered_plan())
def test_random_plan_round_trips(case: tuple[str, Rendered, str, str | None]) -> None:
    text, out, preamble, adopted = case
    draft = parse_plan(text)
    assert shape(draft) == out.expected, text
    for n in draft.walk():
        if n.kind in ("area", "item"):
            assert n.title == out.titles[n.ref]
        else:
            assert n.title == short_title(n.text)
    assert draft.preamble == preamble
    assert draft.adopted_on == adopted
    assert draft.unplaced == []
    _assert_no_word_lost(text, draft)
