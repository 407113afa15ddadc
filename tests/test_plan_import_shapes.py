"""Each document shape the importer understands, from texts the tests build."""

from __future__ import annotations

import random
import textwrap

from tests.plan_import_helpers import by_ref, coverage, kinds_per_level, plan_of, recognise_text

WORDS = (
    "cooperation",
    "partners",
    "energy",
    "security",
    "trade",
    "research",
    "students",
    "culture",
    "ministers",
    "dialogue",
    "investment",
    "networks",
    "health",
    "space",
    "maritime",
    "supply",
    "chains",
    "standards",
    "innovation",
    "youth",
    "climate",
)


def sentence(rng: random.Random, n: int = 12) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


# -- numbered areas and items ------------------------------------------------------------


def test_seed_plan_keeps_its_exact_shape() -> None:
    from briefbook.services.paths import SEED_PLAN
    from briefbook.services.plan_import import load_plan

    draft = load_plan(SEED_PLAN).draft
    assert kinds_per_level(draft) == [("area", 7), ("item", 29), ("commitment", 42), ("subcommitment", 6)]
    assert "3.2.1" in by_ref(draft) and "3.1.1.4" in by_ref(draft)


def test_a_tidy_plan_with_text_after_its_closing_date_keeps_its_shape_and_date() -> None:
    """Stray lines after the closing date are reported by number; they do not hand the
    plan to the general recognizer, which would bury them in the last item and lose the date."""
    from briefbook.services.paths import SEED_PLAN

    text = SEED_PLAN.read_text(encoding="utf-8").rstrip() + "\n\nAnnex distributed separately to the delegations.\n"
    result = recognise_text(text)
    draft = result.draft
    assert draft.adopted_on == "2024-06-14"
    assert kinds_per_level(draft) == [("area", 7), ("item", 29), ("commitment", 42), ("subcommitment", 6)]
    assert [(u.text, u.reason) for u in draft.unplaced if not u.reason.startswith("closing line")] == [
        ("Annex distributed separately to the delegations.", "text after the closing date")
    ]
    assert not any("Annex distributed" in n.text for n in draft.walk())


def test_roman_areas_letter_items_and_arabic_entries() -> None:
    text = textwrap.dedent("""\
        Joint Action Plan on Cooperation

        I. Political Dialogue

        A. Summits

        1. The leaders will meet every year in alternate capitals.
        2. Foreign ministers will hold a strategic dialogue.

        B. Consultations

        1. Senior officials will consult twice a year.

        II. Economy

        A. Trade

        1. The sides will launch a trade working group.
        """)
    draft = plan_of(text)
    assert kinds_per_level(draft) == [("area", 2), ("item", 3), ("commitment", 4)]
    nodes = by_ref(draft)
    assert nodes["I"].title == "Political Dialogue" and nodes["II"].title == "Economy"
    assert nodes["I.B"].title == "Consultations"
    assert nodes["I.A.2"].title == "Foreign ministers will hold a strategic dialogue"
    assert nodes["II.A.1"].text == "The sides will launch a trade working group."


def test_dotted_items_letter_entries_and_roman_sub_entries() -> None:
    text = textwrap.dedent("""\
        Action Plan

        1. Energy

        1.1 Renewables

        a. Joint research on offshore wind will start in 2025, with two pilot sites:
            i. A floating platform in the north.
            ii. A fixed platform in the south.
        b. Grid operators will exchange staff.

        1.2 Hydrogen

        (a) The sides will map hydrogen supply chains.
        (b) A hydrogen forum will meet yearly.

        2. Health

        2.1 Pandemics

        - The sides will share genomic data.
        • They will hold a joint exercise.
        ➤ They will fund vaccine research.
        """)
    draft = plan_of(text)
    nodes = by_ref(draft)
    assert kinds_per_level(draft) == [("area", 2), ("item", 3), ("commitment", 7), ("subcommitment", 2)]
    assert [c.ref for c in nodes["1"].children] == ["1.1", "1.2"]
    assert [c.ref for c in nodes["1.1"].children] == ["1.1.a", "1.1.b"]
    assert [c.title for c in nodes["1.1.a"].children] == ["A floating platform in the north",
                                                         "A fixed platform in the south"]
    assert [c.ref for c in nodes["1.2"].children] == ["1.2.a", "1.2.b"]
    assert [c.title for c in nodes["2.1"].children] == ["The sides will share genomic data",
                                                       "They will hold a joint exercise",
                                                       "They will fund vaccine research"]


# -- unnumbered headings -----------------------------------------------------------------


def test_all_caps_areas_over_mixed_case_sub_areas() -> None:
    rng = random.Random(3)
    parts = ["Partnership Roadmap", ""]
    for area in ("ECONOMIC SECURITY", "PEOPLE AND CULTURE", "COOPERAZIONE E CITTÀ"):
        parts += [area, ""]
        for sub in ("Supply Chains", "Research Networks"):
            parts += [sub, ""]
            parts += [f"- {sentence(rng)}", f"- {sentence(rng)}", ""]
    draft = plan_of("\n".join(parts))
    assert kinds_per_level(draft) == [("area", 3), ("item", 6), ("commitment", 12)]
    assert [a.title for a in draft.areas] == ["ECONOMIC SECURITY", "PEOPLE AND CULTURE", "COOPERAZIONE E CITTÀ"]
    assert by_ref(draft)["2.1"].title == "Supply Chains"


def test_markdown_and_bold_headings() -> None:
    text = textwrap.dedent("""\
        # Digital Partnership Plan

        Both governments adopt this plan.

        ## Connectivity

        **Undersea cables.** The sides will co-finance two cables.

        **Satellite links.** They will study a joint constellation.

        ## Skills

        **Exchanges.** Universities will exchange 500 students a year.
        """)
    draft = plan_of(text)
    assert draft.title == "Digital Partnership Plan"
    assert draft.preamble == "Both governments adopt this plan."
    assert kinds_per_level(draft) == [("area", 2), ("commitment", 3)]
    nodes = by_ref(draft)
    assert nodes["1.1"].title == "Undersea cables"
    assert nodes["1.1"].text == "Undersea cables. The sides will co-finance two cables."
    text2 = "Plan of Work\n\n**Culture**\n\n- Museums will lend works.\n- Festivals will tour.\n\n**Sport**\n\n- Teams will train together.\n"
    assert kinds_per_level(plan_of(text2)) == [("area", 2), ("commitment", 3)]


# -- a communiqué: paragraphs numbered straight through --------------------------------------


def communique(rng: random.Random) -> tuple[str, list[int]]:
    """21 unnumbered sections over 66 numbered paragraphs, wrapped at 72 columns, with the source's mistakes."""
    sizes = [3] * 3 + [4] * 3 + [3] * 15
    assert sum(sizes) == 66
    lines = ["Leaders' Communiqué", "", "We, the Leaders, met in Hiroshima on 19-21 May 2023.", ""]
    n = 0
    for s, size in enumerate(sizes, start=1):
        lines += [f"{rng.choice(WORDS).capitalize()} and {rng.choice(WORDS).capitalize()} {s}", ""]
        for _ in range(size):
            n += 1
            body = " ".join(sentence(rng) for _ in range(4))
            if n == 40:
                body = "We reaffirm the goal of keeping a limit of 1.5 °C within reach and " + body
            marker = {11: "11, ", 24: "24.", 12: "12.\u00a0\u00a0"}.get(n, f"{n}. ")
            wrapped = textwrap.wrap(marker + body, 72)
            if n == 40:  # put "1.5 °C" at the start of a wrapped line
                joined = " ".join(wrapped)
                at = joined.index("1.5 °C")
                wrapped = [joined[:at].rstrip(), *textwrap.wrap(joined[at:], 72)]
            if n == 30:  # the number run into the end of the previous paragraph
                lines[-2] += " 30."
                wrapped = textwrap.wrap(body, 72)
            lines += [*wrapped, ""]
    return "\n".join(lines), sizes


def test_communique_21_sections_66_paragraphs_with_the_sources_mistakes() -> None:
    text, sizes = communique(random.Random(7))
    draft = plan_of(text)
    assert kinds_per_level(draft) == [("area", 21), ("commitment", 66)]
    assert [len(a.children) for a in draft.areas] == sizes
    numbers = [int(c.ref.split(".")[-1]) for a in draft.areas for c in a.children]
    assert numbers == list(range(1, 67))
    nodes = {int(c.ref.split(".")[-1]): c for a in draft.areas for c in a.children}
    assert "1.5 °C within reach" in nodes[40].text
    assert not nodes[29].text.endswith("30.") and nodes[30].text
    assert "\u00a0" not in nodes[12].text and nodes[12].text[0].isupper()
    assert draft.title == "Leaders' Communiqué"
    assert coverage(text, draft) >= 0.98


def test_communique_options_numbered_paragraphs_as_text() -> None:
    text, _sizes = communique(random.Random(8))
    result = recognise_text(text, numbered_paragraphs="text")
    assert kinds_per_level(result.draft) == [("area", 21)]
    assert "1.5 °C within reach" in by_ref(result.draft)["13"].text
    result = recognise_text(text, levels=("commitment", "subcommitment"))
    assert kinds_per_level(result.draft) == [("commitment", 21), ("subcommitment", 66)]


def test_mid_line_run_in_paragraph_number_is_split() -> None:
    text = ("Joint Statement\n\nEconomy\n\n1. The leaders agreed on trade. 2. They agreed on energy too.\n\n"
            "3. They agreed on a forum.\n\nSecurity\n\n4. They agreed on cyber.\n")
    draft = plan_of(text)
    assert [c.text for c in draft.areas[0].children] == ["The leaders agreed on trade.", "They agreed on energy too.",
                                                        "They agreed on a forum."]


# -- lead-ins and title-only entries --------------------------------------------------------------


def test_title_body_paragraphs_give_the_title() -> None:
    text = textwrap.dedent("""\
        Work Programme

        Energy

        Offshore wind: The two sides will co-finance research on floating turbines and share test data.

        Grid links: The operators will study an interconnector between the two grids by 2026.

        Culture

        Museums: The national museums will lend works to each other for three exhibitions a year.
        """)
    draft = plan_of(text)
    assert kinds_per_level(draft) == [("area", 2), ("commitment", 3)]
    assert [c.title for c in draft.areas[0].children] == ["Offshore wind", "Grid links"]
    assert by_ref(draft)["2.1"].text.startswith("Museums: The national museums")


def national_action_plan(rng: random.Random) -> tuple[str, list[int]]:
    sizes = [8, 7, 7, 7, 7]
    lines = ["National Action Plan for Open Government", "", sentence(rng, 30), ""]
    for t, size in enumerate(sizes, start=1):
        lines += [f"THEME {t}: {rng.choice(WORDS).upper()} AND {rng.choice(WORDS).upper()}", ""]
        for c in range(size):
            lines += [f"• {rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} for {rng.choice(WORDS)} {t}.{c}", ""]
            lines += ["  " + sentence(rng, 25), "", "  " + sentence(rng, 20), ""]
            if (t, c) == (2, 3):
                lines += ["  The agencies will:", "", "  1. Publish the data.", "  2. Consult the public.",
                          "  3. Report every year.", ""]
    return "\n".join(lines), sizes


def test_national_action_plan_title_bullets_with_indented_bodies() -> None:
    text, sizes = national_action_plan(random.Random(5))
    result = recognise_text(text)
    draft = result.draft
    assert kinds_per_level(draft) == [("area", 5), ("commitment", 36), ("subcommitment", 3)]
    assert [len(a.children) for a in draft.areas] == sizes
    first = draft.areas[0].children[0]
    assert first.title.endswith("1.0") and len(first.text.split("\n\n")) == 2
    sub = by_ref(draft)["2.4"]
    assert [c.title for c in sub.children] == ["Publish the data", "Consult the public", "Report every year"]
    assert draft.level_names == {"area": "Theme"}
    assert result.levels[0].name == "Theme"
    assert coverage(text, draft) >= 0.98


# -- one to four levels, generated references -------------------------------------------------------


def test_a_plan_of_bullets_only_has_no_areas() -> None:
    draft = plan_of("Joint Statement on Health\n\n- We will share data.\n- We will fund research.\n")
    assert kinds_per_level(draft) == [("commitment", 2)]
    assert [n.ref for n in draft.areas] == ["1", "2"]


def test_pillars_without_items_and_the_plans_own_level_name() -> None:
    text = ("Framework for Cooperation\n\nPillar 1: Prosperity\n\n- Trade will grow.\n- Investment will grow.\n\n"
            "Pillar 2: Security\n\n- Cyber teams will meet.\n")
    result = recognise_text(text)
    assert kinds_per_level(result.draft) == [("area", 2), ("commitment", 3)]
    assert [a.title for a in result.draft.areas] == ["Prosperity", "Security"]
    assert [a.ref for a in result.draft.areas] == ["1", "2"]
    assert result.draft.level_names == {"area": "Pillar"}
    # a heading that merely starts with such a word keeps its words
    plain = plan_of("Plan of Work\n\nPart 2 of the Agreement\n\n- Trade will grow.\n\nPart 3 of the Agreement\n\n"
                    "- Cyber teams will meet.\n")
    assert [a.title for a in plain.areas] == ["Part 2 of the Agreement", "Part 3 of the Agreement"]
    assert plain.level_names == {}


# -- scripts and characters ------------------------------------------------------------------------


def test_japanese_numbering_and_full_width_spaces() -> None:
    text = textwrap.dedent("""\
        日伊行動計画

        １．政治・安全保障

        （１）首脳会談

        ①　両首脳は毎年会談する。
        ②　外相は戦略対話を行う。

        （２）防衛協力

        ア　共同訓練を実施する。
        イ　装備品協力を進める。

        ２．経済

        （１）投資

        ①　投資フォーラムを開催する。
        """)
    draft = plan_of(text)
    assert draft.title == "日伊行動計画"
    assert kinds_per_level(draft) == [("area", 2), ("item", 3), ("commitment", 5)]
    nodes = by_ref(draft)
    assert nodes["1"].title == "政治・安全保障"
    assert nodes["1.1.2"].text == "外相は戦略対話を行う。"
    assert nodes["1.2.イ"].title == "装備品協力を進める。".rstrip("。") or nodes["1.2.イ"].title
    assert "\u3000" not in "".join(n.title + n.text for n in draft.walk())


def test_invisible_characters_quotes_and_end_marks_are_cleaned() -> None:
    text = ("Plan of Action\n\n1. Trade\u00a0\n\n- \u200bLaunching a dialogue.\u200b We will meet.\n"
            "- “Quoted lead” – with an en dash.\n\n2. “Energy”\n\n- Building grids.\n\n###\n")
    draft = plan_of(text)
    nodes = by_ref(draft)
    assert nodes["1"].title == "Trade"
    assert nodes["2"].title == "Energy"
    assert nodes["1.1"].title == "Launching a dialogue"
    for n in draft.walk():
        assert "\u200b" not in n.title + n.text and "\u00a0" not in n.title + n.text
        assert "###" not in n.text


def test_numbered_areas_over_paragraphs_numbered_again_from_one() -> None:
    text = ("Work Plan\n\n1. Economy\n\n1. The sides will hold a trade dialogue every year.\n\n"
            "2. They will open an investment desk.\n\n2. Culture\n\n1. The museums will lend works to each other.\n")
    draft = plan_of(text)
    assert kinds_per_level(draft) == [("area", 2), ("commitment", 3)]
    assert [n.ref for n in draft.walk()] == ["1", "1.1", "1.2", "2", "2.1"]


def test_sentence_case_italian_headings() -> None:
    text = ("Piano di lavoro\n\nCooperazione nel settore della difesa\n\n- Le parti terranno consultazioni annuali.\n"
            "- Le industrie studieranno programmi comuni.\n\nCultura e città d'arte\n\n"
            "- I musei scambieranno opere.\n")
    draft = plan_of(text)
    assert [a.title for a in draft.areas] == ["Cooperazione nel settore della difesa", "Cultura e città d'arte"]
    assert kinds_per_level(draft) == [("area", 2), ("commitment", 3)]


def test_an_indented_numbered_sub_list_under_numbered_themes() -> None:
    text = ("National Action Plan\n\n1. Open Data\n\n- Publish the data strategy\n\n"
            "    The agencies will publish a strategy.\n\n    1. Inventory the data.\n    2. Publish a catalogue.\n\n"
            "2. Participation\n\n- Consult the public\n\n    The agencies will consult.\n")
    draft = plan_of(text)
    assert kinds_per_level(draft) == [("area", 2), ("commitment", 2), ("subcommitment", 2)]
    nodes = by_ref(draft)
    assert nodes["1.1"].title == "Publish the data strategy"
    assert nodes["1.1"].text == "The agencies will publish a strategy."
    assert [c.ref for c in nodes["1.1"].children] == ["1.1.1", "1.1.2"]
    assert nodes["2.1"].text == "The agencies will consult."


def test_japanese_entries_take_their_first_sentence_as_title() -> None:
    draft = plan_of("日伊行動計画\n\n１．経済\n\n①　両国は投資を促進する。さらに、フォーラムを毎年開催する。\n")
    node = by_ref(draft)["1.1"]
    assert node.title == "両国は投資を促進する"
    assert node.text == "両国は投資を促進する。さらに、フォーラムを毎年開催する。"


def test_a_joint_statement_in_paragraphs_only() -> None:
    text = ("Joint Statement of Japan and Italy\n\nThe two leaders met in Rome on 5 May 2025.\n\n"
            "They agreed to deepen cooperation on energy security and critical minerals.\n\n"
            "They decided to hold a ministerial dialogue every year.\n")
    draft = plan_of(text)
    assert draft.title == "Joint Statement of Japan and Italy"
    assert kinds_per_level(draft) == [("commitment", 3)]
    assert by_ref(draft)["3"].title == "They decided to hold a ministerial dialogue every year"


def test_a_joint_statement_of_headed_paragraphs() -> None:
    text = ("Joint Statement on the Strategic Partnership\n\nThe leaders met in Tokyo.\n\nSecurity Cooperation\n\n"
            "They agreed to hold a 2+2 dialogue.\n\nThey will exercise together.\n\nEconomic Security\n\n"
            "They will protect critical technologies.\n\nPeople to People Ties\n\nStudents will be exchanged.\n")
    draft = plan_of(text)
    assert draft.title == "Joint Statement on the Strategic Partnership"
    assert draft.preamble == "The leaders met in Tokyo."
    # each paragraph is a commitment under its heading: the grain a tracker gives a status to
    assert kinds_per_level(draft) == [("area", 3), ("commitment", 4)]
    assert by_ref(draft)["1"].title == "Security Cooperation"
    assert [c.text for c in by_ref(draft)["1"].children] == ["They agreed to hold a 2+2 dialogue.",
                                                            "They will exercise together."]
    # --paragraphs text: a heading and its paragraphs are one commitment
    joined = plan_of(text, paragraphs="text")
    assert kinds_per_level(joined) == [("commitment", 3)]
    assert by_ref(joined)["1"].text == "They agreed to hold a 2+2 dialogue.\n\nThey will exercise together."


def test_bare_numbered_areas_over_bullets() -> None:
    text = ("Action Plan 2025\n\n1 Diplomacy\n\n- Ministers will meet yearly.\n- Envoys will consult.\n\n"
            "2 Economy\n\n- A business forum will meet.\n\nTokyo, 14 June 2025\n")
    draft = plan_of(text)
    assert kinds_per_level(draft) == [("area", 2), ("commitment", 3)]
    assert [a.title for a in draft.areas] == ["Diplomacy", "Economy"]
    assert draft.adopted_on == "2025-06-14"
    assert [u.text for u in draft.unplaced] == ["Tokyo, 14 June 2025"]  # only its date was kept


def test_levels_option_also_applies_to_a_tidy_numbered_text() -> None:
    from briefbook.services.paths import SEED_PLAN

    text = SEED_PLAN.read_text(encoding="utf-8")
    result = recognise_text(text, levels=("area", "text"))
    assert kinds_per_level(result.draft) == [("area", 7)]
    assert [lv.kind for lv in result.levels[:2]] == ["area", "text"]
    assert coverage(text, result.draft) >= 0.98
    relabelled = recognise_text(text, levels=("area", "item", "commitment", "commitment"))
    assert kinds_per_level(relabelled.draft)[3] == ("commitment", 6)


def test_the_opening_title_line_wins_over_a_later_plan_heading() -> None:
    text = ("Joint Statement by Japan and Italy\n\nThe leaders adopted an action plan.\n\nAction Plan 2024-2027\n\n"
            "1. Economy\n\n- Trade will grow.\n\n2. Culture\n\n- Museums will lend works.\n")
    draft = plan_of(text)
    assert draft.title == "Joint Statement by Japan and Italy"
    assert "Action Plan 2024-2027" in draft.preamble


def test_one_paragraph_a_line_with_indented_bodies_and_no_blank_lines() -> None:
    rng = random.Random(9)
    lines = ["National Action Plan", "", sentence(rng, 40)]
    for theme in ("Open Data", "Public Participation"):
        lines += ["", theme, ""]
        for n in range(1, 3):
            lines += [f"- {theme} commitment {n}", "    " + sentence(rng, 40), "    " + sentence(rng, 35)]
    draft = plan_of("\n".join(lines))
    assert kinds_per_level(draft) == [("area", 2), ("commitment", 4)]
    node = by_ref(draft)["2.1"]
    assert node.title == "Public Participation commitment 1"
    assert len(node.text.split("\n\n")) == 2


def test_body_paragraph_after_an_indented_numbered_sub_list_belongs_to_the_entry() -> None:
    rng = random.Random(4)
    intro, after, other, last = (sentence(rng, 30) for _ in range(4))
    text = (f"National Action Plan\n\nOpen Data\n\n- Publish the data strategy\n    {intro} The agencies will:\n"
            "    1. Inventory the data.\n    2. Publish a catalogue.\n    3. Report every year.\n"
            f"    {after}\n- Open the archives\n    {other}\n\nParticipation\n\n- Consult the public\n    {last}\n")
    draft = plan_of(text)
    nodes = by_ref(draft)
    assert [c.title for c in nodes["1.1"].children] == ["Inventory the data", "Publish a catalogue",
                                                       "Report every year"]
    assert nodes["1.1"].text == f"{intro} The agencies will:\n\n{after}"
    assert nodes["1.1.3"].text == "Report every year."
    assert kinds_per_level(draft) == [("area", 2), ("commitment", 3), ("subcommitment", 3)]


def test_communique_paragraph_with_lead_in_bullet_lists() -> None:
    rng = random.Random(12)
    long = [sentence(rng, 30) for _ in range(6)]
    text = "\n\n".join([
        "Leaders' Communiqué", "May 20, 2023", "Preamble",
        f"1. We, the Leaders, met in Hiroshima. {long[0]}",
        "We are taking concrete steps to:",
        "• support partners for as long as it takes;\n• strengthen disarmament efforts;\n• deliver our goal of financing",
        "as outlined in the reference documents of this Communiqué.",
        "We are determined to work together to:",
        "• uphold the international order;\n• address climate change.",
        f"2. {long[1]}", "Ukraine", f"3. {long[2]}", f"4. {long[3]}",
    ])
    draft = plan_of(text)
    assert kinds_per_level(draft) == [("area", 2), ("commitment", 4), ("subcommitment", 5)]
    first = by_ref(draft)["1.1"]
    assert [c.ref for c in first.children] == ["1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5"]
    assert "We are determined to work together to:" in first.text
    assert draft.adopted_on == "2023-05-20"
    assert [a.title for a in draft.areas] == ["Preamble", "Ukraine"]
    assert coverage(text, draft) >= 0.98


def test_japanese_chapters_kanji_numbers_and_katakana_in_brackets() -> None:
    text = ("日本国とイタリア共和国の行動計画\n\n第１章　政治\n\n一、首脳対話\n\n（ア）首脳は毎年会談する。\n（イ）外相は戦略対話を行う。\n\n"
            "二、防衛\n\n（ア）共同訓練を行う。\n\n第２章　経済\n\n一、投資\n\n・投資フォーラムを開く。\n")
    draft = plan_of(text)
    assert kinds_per_level(draft) == [("area", 2), ("item", 3), ("commitment", 4)]
    nodes = by_ref(draft)
    assert nodes["1"].title == "政治" and nodes["1.2"].title == "防衛"
    assert nodes["1.1.イ"].text == "外相は戦略対話を行う。"
    assert nodes["2.1.1"].title == "投資フォーラムを開く"


def test_bullets_from_a_word_made_pdf_with_second_level_o() -> None:
    text = ("Action Plan\n\n1. Energy\n\n\uf0b7 The grids will be linked by 2027.\no Two interconnectors will be built.\n"
            "o A market study will follow.\n\uf0b7 Hydrogen will be traded.\n\n2. Trade\n\n\uf0b7 Tariffs will fall.\n")
    draft = plan_of(text)
    assert kinds_per_level(draft) == [("area", 2), ("commitment", 3), ("subcommitment", 2)]
    assert by_ref(draft)["1.1.2"].title == "A market study will follow"


def test_areas_of_which_some_hold_only_paragraphs_stay_areas() -> None:
    text = ("Partnership Roadmap\n\nEnergy\n\nThe leaders discussed energy and grids at length.\n\n- Grids will link.\n- Hydrogen will flow.\n\n"
            "Trade\n\nThe leaders discussed trade at length.\n\nCulture\n\nThe leaders discussed culture and the arts at length.\n\n"
            "Health\n\nThe leaders discussed health.\n\n- Vaccines will be shared.\n")
    draft = plan_of(text)
    assert [a.title for a in draft.areas] == ["Energy", "Trade", "Culture", "Health"]
    assert kinds_per_level(draft) == [("area", 4), ("commitment", 3)]
