"""The three real published plans in tests/fixtures/plans: the whole tree's shape, and nothing dropped."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from briefbook.services.plan_import import load_plan
from tests.plan_import_helpers import by_ref, coverage, kinds_per_level

FIXTURES = Path(__file__).parent / "fixtures" / "plans"
ATLANTIC = FIXTURES / "us_uk_atlantic_declaration_action_plan_2023.txt"
CANADA = FIXTURES / "us_canada_roadmap_renewed_partnership_2021.txt"
OGP = FIXTURES / "us_ogp_nap4_2019.pdf"


def test_atlantic_declaration_five_pillars_sixteen_commitments() -> None:
    draft = load_plan(ATLANTIC).draft
    assert kinds_per_level(draft) == [("area", 5), ("commitment", 16), ("subcommitment", 5)]
    assert [len(a.children) for a in draft.areas] == [3, 4, 3, 3, 3]
    nodes = by_ref(draft)
    assert nodes["1"].title == "Ensuring U.S.-UK Leadership in Critical and Emerging Technologies"
    # the heading's trailing no-break space is gone
    assert nodes["2"].title.endswith("Economic Security Toolkits and Supply Chains")
    assert nodes["1.1"].title == "Launching collaborative work on priority technologies"
    assert len(nodes["1.1"].children) == 5
    assert nodes["4.1"].title == "Launching negotiations on a Critical Minerals Agreement"
    assert nodes["5.3"].title.startswith("Looking to the future")
    # the pillar's intro paragraph is the area's text, not a commitment
    assert nodes["1"].text.startswith("A handful of critical and emerging technologies")
    # the five preamble bullets listing the pillars stay in the preamble
    assert "ensuring U.S.-UK leadership in critical and emerging technologies" in draft.preamble
    assert draft.title.startswith("Action Plan for a Twenty-First Century")
    everything = "".join(n.title + n.text for n in draft.walk()) + draft.preamble + draft.title
    assert "\u200b" not in everything and "\u00a0" not in everything and "###" not in everything
    assert coverage(ATLANTIC.read_text(encoding="utf-8"), draft) >= 0.98


def test_canada_roadmap_six_unnumbered_areas() -> None:
    draft = load_plan(CANADA).draft
    assert kinds_per_level(draft) == [("area", 6), ("commitment", 44)]
    assert [len(a.children) for a in draft.areas] == [9, 8, 11, 3, 7, 6]
    assert [a.title for a in draft.areas][:3] == ["Combating COVID-19", "Building Back Better",
                                                 "Accelerating Climate Ambitions"]
    nodes = by_ref(draft)
    # the second intro paragraph between the two bullet lists belongs to the area, not to bullet 1.7
    assert "coordinated border policies" in nodes["1"].text
    assert "coordinated border policies" not in nodes["1.7"].text
    assert nodes["1.8"].text.startswith("Both leaders agreed to take a coordinated approach")
    assert draft.title == "Roadmap for a Renewed U.S.-Canada Partnership"
    assert draft.adopted_on == "2021-02-23"
    # the signature block is preamble, not areas
    assert "President Joe Biden" in draft.preamble
    assert coverage(CANADA.read_text(encoding="utf-8"), draft) >= 0.98


def test_open_government_pdf_eight_commitments() -> None:
    draft = load_plan(OGP).draft
    assert kinds_per_level(draft) == [("commitment", 8), ("subcommitment", 13)]
    nodes = by_ref(draft)
    assert nodes["1"].title == "Leverage Data as a Strategic Asset: Publish a Comprehensive Federal Data Strategy"
    assert nodes["2"].title == "Ensure Accountability for Grants"
    assert [c.ref for c in nodes["3"].children] == ["3.1", "3.2", "3.3", "3.4"]  # its own (1)..(4)
    assert nodes["6.1"].title == "Data-Driven Innovation for the Opioid Crisis"
    assert nodes["8"].title == "Expand Public Participation in Developing Future U.S. National Action Plans"
    # words broken across line ends are joined; real hyphens stay
    assert "NAP co-creation process" in nodes["8"].text
    assert "ever-important" in draft.preamble
    assert "Federally funded scientific research" in nodes["3"].text
    assert draft.title == "FOURTH OPEN GOVERNMENT NATIONAL ACTION PLAN FOR THE UNITED STATES OF AMERICA"
    assert draft.preamble.startswith("February 2019")
    raw = "\n".join(page.extract_text() for page in pypdf.PdfReader(OGP).pages)
    assert coverage(raw, draft) >= 0.98


@pytest.mark.parametrize("path", [ATLANTIC, CANADA, OGP], ids=lambda p: p.stem)
def test_fixture_imports_and_tree_json_shows_the_preamble(path: Path, tmp_path: Path) -> None:
    import json

    from briefbook.cli.main import main
    from briefbook.services.seeding import init_file

    db = tmp_path / "b.sqlite"
    init_file(db, empty=True).close()
    assert main(["import-plan", str(path), "--db", str(db)]) == 0
    draft = load_plan(path).draft
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["tree", "--db", str(db), "--json"]) == 0
    plans = json.loads(out.getvalue())["plans"]
    assert [p["title"] for p in plans] == [draft.title]
    assert plans[0]["preamble"] == draft.preamble and plans[0]["preamble"]
    count = 0
    stack = list(plans[0]["nodes"])
    while stack:
        n = stack.pop()
        count += 1
        stack.extend(n["children"])
    assert count == len(draft.walk())


def test_open_government_pdf_read_without_its_tags_gives_the_same_tree(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from briefbook.plan_import import pdf_tags

    tagged = load_plan(OGP).draft
    monkeypatch.setattr(pdf_tags, "tagged_blocks", lambda reader, progress: None)
    plain = load_plan(OGP).draft
    assert [(n.ref, n.kind, n.title) for n in plain.walk()] == [(n.ref, n.kind, n.title) for n in tagged.walk()]
    raw = "\n".join(page.extract_text() for page in pypdf.PdfReader(OGP).pages)
    assert coverage(raw, plain) >= 0.98
