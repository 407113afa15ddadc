"""Real published documents of the shapes plans come in (joint statements, fact sheets, communiqués, national
action plans; Markdown, reStructuredText, tagged PDF; English and Italian): for each, the tree it must give
(counts per level, the first ten titles and references) and that it keeps the document's words.

The documents are public domain or CC0; where each comes from is in the README beside them. They are looked
for in tests/fixtures/plans, then in the shared folder beside the checkout (../shared/plans), then in the
folder BRIEFBOOK_PLAN_DOCUMENTS names; a document found in none is skipped, saying where to put it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

import pytest

from briefbook.services.plan_import import load_plan
from tests.plan_import_helpers import coverage, kinds_per_level

ROOT = Path(__file__).resolve().parent.parent
PLACES = [ROOT / "tests" / "fixtures" / "plans", ROOT.parent / "shared" / "plans"]
if os.environ.get("BRIEFBOOK_PLAN_DOCUMENTS"):
    PLACES.append(Path(os.environ["BRIEFBOOK_PLAN_DOCUMENTS"]))


def find(name: str) -> Path:
    for place in PLACES:
        if (place / name).is_file():
            return place / name
    pytest.skip(f"{name} is not in tests/fixtures/plans or ../shared/plans (see the README there)")


def reference_text(path: Path) -> str:
    """The document's words as a reader sees them: a PDF's text as pypdf extracts it; a Markdown or
    reStructuredText file without its front matter and with links by their text."""
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(path).pages)
    from briefbook.plan_import.text_reader import front_matter, markdown_inline, rst_inline

    text, _ = front_matter(path.read_text(encoding="utf-8"))
    inline = rst_inline if path.suffix == ".rst" else markdown_inline
    return "\n".join(inline(line) for line in text.splitlines())


class Expect(NamedTuple):
    title: str
    levels: list[tuple[str, int]]
    refs: list[str]
    titles: list[str]


EXPECTED = {
    'g7_apulia_fact_sheet_2024.md': Expect(
        title='FACT SHEET: The 2024 G7 Summit in Apulia, Italy',
        levels=[('area', 9), ('commitment', 21), ('subcommitment', 1)],
        refs=['1', '1.1', '1.2', '1.3', '2', '2.1', '2.2', '2.3', '3', '3.1'],
        titles=['Supporting Ukraine’s Fight for Freedom', 'Unlocking $50 billion for Ukraine', 'Driving Up Costs for the Russian War Machine', 'Supporting Ukraine Now and in the Future', 'Advancing International Peace, Security, and Prosperity', 'Calling for a Comprehensive Deal in Gaza', 'Standing with Allies and Partners in the Indo-Pacific', 'Deepening Cooperation with Partners in Africa', 'Promoting Economic Resilience and Economic Security', 'Working Together to Level the Playing Field and Protect Economic Security'],
    ),
    'g7_carbis_bay_communique_2021.md': Expect(
        title='CARBIS BAY G7 SUMMIT COMMUNIQUÉ',
        levels=[('area', 9), ('commitment', 70), ('subcommitment', 32)],
        refs=['1', '1.1', '1.2', '1.3', '1.4', '1.5', '2', '2.6', '2.7', '2.8'],
        titles=['INTRODUCTION', 'We, the Leaders of the Group of Seven, met together in Cornwall…', 'We acknowledge the ongoing impacts of COVID-19 in our own societies…', 'United as open societies and economies and guided by our shared values…', 'Our agenda for global action is built on our commitment…', 'We were joined in Cornwall by the Leaders of Australia, India…', 'HEALTH', 'Our immediate focus is beating COVID-19 and we set a collective goal…', 'We recognise that the pandemic has left no one untouched…', 'Recognising that ending the pandemic in 2022 will require vaccinating…'],
    ),
    'g7_hiroshima_leaders_communique_2023.md': Expect(
        title='G7 Hiroshima Leaders’ Communiqué',
        levels=[('area', 22), ('commitment', 66), ('subcommitment', 36)],
        refs=['1', '1.1', '1.1.1', '1.1.2', '1.1.3', '1.1.4', '1.1.5', '1.1.6', '1.1.7', '1.1.8'],
        titles=['Preamble', 'We, the Leaders of the Group of Seven (G7)…', 'support Ukraine for as long as it takes in the face of Russia’s…', 'strengthen disarmament and non-proliferation efforts…', 'coordinate our approach to economic resilience and economic security…', 'drive the transition to clean energy economies of the future through…', 'launch the Hiroshima Action Statement for Resilient Global Food…', 'deliver our goal of mobilizing $600 billion in financing for quality…', 'support a free and open Indo-Pacific and oppose any unilateral…', 'foster a strong and resilient global economic recovery…'],
    ),
    'it_piano_triennale_2020_dati_cosa_devono_fare_le_pa.rst': Expect(
        title='Cosa devono fare le PA',
        levels=[('area', 3), ('commitment', 13)],
        refs=['1', '1.1', '1.2', '1.3', '1.4', '1.5', '2', '2.1', '2.2', '2.3'],
        titles=['OB.2.1 - Favorire la condivisione e il riutilizzo dei dati tra le PA e il riutilizzo da parte di cittadini e imprese', 'Le PA individuano i dataset di tipo dinamico da rendere disponibili…', 'Le PA rendono disponibili i dati territoriali attraverso i servizi di…', 'Le PA avviano le procedure di apertura dei dati di tipo dinamico…', 'Le PA avviano l’adeguamento dei sistemi che si interfacciano alle…', 'Le PA documentano le API coerenti con il modello di interoperabilità…', 'OB.2.2 - Aumentare la qualità dei dati e dei metadati', 'Le PA uniformano i propri sistemi di metadati relativi ai dati…', 'Le PA uniformano i propri sistemi di metadati relativi ai dati non…', 'Le PA forniscono indicazioni sul livello di qualità dei dati per le…'],
    ),
    'it_piano_triennale_2020_dati_obiettivi.rst': Expect(
        title='Obiettivi e risultati attesi',
        levels=[('area', 3), ('commitment', 7), ('subcommitment', 21)],
        refs=['1', '1.1', '1.1.1', '1.1.2', '1.1.3', '1.2', '1.2.1', '1.2.2', '1.2.3', '1.3'],
        titles=['OB.2.1 - Favorire la condivisione e il riutilizzo dei dati tra le PA e il riutilizzo da parte di cittadini e imprese', 'R.A.2.1a - Aumento del numero di basi dati di interesse nazionale che…', 'Target 2020 - Baseline', 'Target 2021 - Aumento del 25% rispetto alla baseline', 'Target 2022 - Aumento del 40% rispetto alla baseline', 'R.A.2.1b - Aumento del numero di dataset aperti di tipo dinamico…', 'Target 2020 - Baseline', 'Target 2021 - Incremento del 5% rispetto alla baseline', 'Target 2022 - Incremento del 10% rispetto alla baseline', 'R.A.2.1c - Aumento del numero di dataset resi disponibili attraverso i…'],
    ),
    'it_piano_triennale_2020_piattaforme_cosa_devono_fare_le_pa.rst': Expect(
        title='Cosa devono fare le PA',
        levels=[('area', 3), ('commitment', 19)],
        refs=['1', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '2', '2.1', '2.2'],
        titles=['OB.3.1 - Favorire l’evoluzione delle piattaforme esistenti', 'Le PA che intendono aderire a NoiPA esprimono manifestazione di…', 'Regioni, Enti Locali e Strutture sanitarie elaborano piani regionali…', 'Le strutture sanitarie pubbliche e private accreditate alimentano il…', 'Le PA interessate compilano il questionario per la raccolta delle…', 'Le strutture sanitarie pubbliche e private accreditate devono essere…', 'Le strutture sanitarie pubbliche e private accreditate devono inserire…', 'OB.3.2 - Aumentare il grado di adozione delle piattaforme abilitanti esistenti da parte delle pubbliche amministrazioni', 'Le PA e i gestori di pubblici servizi proseguono il percorso di…', 'Le PA e i gestori di pubblici servizi interessati comunicano al…'],
    ),
    'japan_us_joint_leaders_statement_2022.md': Expect(
        title='Japan-U.S. Joint Leaders’ Statement: Strengthening the Free and Open International Order',
        levels=[('area', 7), ('commitment', 26)],
        refs=['1', '1.1', '2', '2.1', '2.2', '2.3', '3', '3.1', '3.2', '3.3'],
        titles=['Advancing a “Free and Open Indo-Pacific”', 'Notwithstanding the ongoing crisis in Europe…', 'Regional Issues: Responding to an Increasingly Challenging Regional Security Environment', 'Prime Minister Kishida and President Biden called on China to stand…', 'Prime Minister Kishida and President Biden condemned the coup…', 'The two leaders expressed concern about the increasing activities…', 'The Japan-U.S. Alliance: Strengthening Deterrence and Response Capabilities', 'The two leaders renewed their commitment to strengthening…', 'President Biden reiterated the U.S. commitment to the defense of Japan…', 'Prime Minister Kishida and President Biden affirmed their intent…'],
    ),
    'new_atlantic_charter_2021.md': Expect(
        title='The New Atlantic Charter',
        levels=[('commitment', 10)],
        refs=['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
        titles=['Today, the President of the United States and Prime Minister…', 'Our revitalised Atlantic Charter, building on the commitments…', 'First, we resolve to defend the principles, values…', 'Second, we intend to strengthen the institutions, laws…', 'Third, we remain united behind the principles of sovereignty…', 'Fourth, we resolve to harness and protect our innovative edge…', 'Fifth, we affirm our shared responsibility for maintaining our…', 'Sixth, we commit to continue building an inclusive, fair…', 'Seventh, the world has reached a critical point where it must act…', 'Eighth, we recognise the catastrophic impact of health crises…'],
    ),
    'us_italy_joint_leaders_statement_2025.md': Expect(
        title='United States – Italy Joint Leaders’ Statement',
        levels=[('area', 4), ('commitment', 16)],
        refs=['1', '1.1', '1.2', '1.3', '1.4', '1.5', '2', '2.1', '2.2', '2.3'],
        titles=['U.S.- Italy Cooperation for Security', 'The U.S. and Italy underscore that the war in Ukraine must end…', 'The U.S. and Italy reiterate the unwavering commitment to NATO…', 'Our defense cooperation must rely on a deep and extensive…', 'The U.S. and Italy reaffirm their shared commitment to counter illegal…', 'The U.S. and Italy confirm their joint effort to fight the production…', 'U.S. – Italy Cooperation for Shared Prosperity', 'The United States and Italy agree to work to ensure that trade between…', 'We highlight the importance of information technology to enabling free…', 'We welcome American investments in AI computing and cloud services…'],
    ),
    'us_italy_joint_statement_2023.md': Expect(
        title='Joint Statement from President Biden and Prime Minister Meloni',
        levels=[('commitment', 15)],
        refs=['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
        titles=['Today, the President of the United States, Joseph R. Biden…', 'President Biden and Prime Minister Meloni both affirm that the NATO…', 'The United States and Italy note the vital importance of shared…', 'The United States and Italy reaffirm their shared commitment…', 'The United States and Italy are firmly committed to a free, open…', 'The United States and Italy pledge to continue coordination…', 'President Biden and Prime Minister Meloni committed to advance work…', 'The United States welcomes the participation of Italy in the Minerals…', 'The United States and Italy share a mutual intent to enhance relations…', 'The United States and Italy share a focus on the role of emerging…'],
    ),
    'us_japan_core_partnership_fact_sheet_2021.md': Expect(
        title='Fact Sheet: U.S.-Japan Competitiveness and Resilience (CoRe) Partnership',
        levels=[('area', 3), ('commitment', 21)],
        refs=['1', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '2', '2.1'],
        titles=['Competitiveness and Innovation', 'Advance secure and open 5G networks, including Open Radio Access…', 'Strengthen competitiveness in the digital field by investing…', 'Build on successful U.S.-Japan cooperation in third-countries…', 'Strengthen collaboration and information exchange between U.S.…', 'Cooperate on sensitive supply chains, including semi-conductors…', 'Advance biotechnology for the global good by focusing on genome…', 'Reinforce collaboration and partnerships between research institutions…', 'COVID-19 Response, Global Health, and Health Security', 'Enhance our support to the Access to COVID-19 Tools Accelerator…'],
    ),
    'us_japan_joint_leaders_statement_2021.md': Expect(
        title='U.S.- Japan Joint Leaders’ Statement: “U.S. – JAPAN GLOBAL PARTNERSHIP FOR A NEW ERA”',
        levels=[('area', 3), ('commitment', 12)],
        refs=['1', '1.1', '1.2', '1.3', '1.4', '1.5', '2', '2.1', '2.2', '2.3'],
        titles=['THE ALLIANCE: FORGING A FREE AND OPEN INDO-PACIFIC', 'The U.S.-Japan Alliance is unwavering, and we are more prepared than…', 'President Biden and Prime Minister Suga committed to further…', 'President Biden and Prime Minister Suga exchanged views on the impact…', 'The United States and Japan reaffirmed their commitment…', 'Together, we will continue to work with allies and partners…', 'AN ALLIANCE FOR A NEW ERA', 'Recognizing that our shared security and prosperity requires new forms…', 'The United States and Japan recognize that digital economy…', 'The United States and Japan are committed to maintaining and further…'],
    ),
    'us_japan_joint_statement_2023.md': Expect(
        title='Joint Statement of the United States and Japan',
        levels=[('commitment', 4)],
        refs=['1', '2', '3', '4'],
        titles=['President Joseph R. Biden, Jr. of the United States and Prime Minister…', 'Our security Alliance has never been stronger', 'The United States and Japan also reaffirm our economic leadership', 'With an unbreakable bilateral relationship as our foundation…'],
    ),
    'us_ogp_nap1_2011.pdf': Expect(
        title='NATIONAL ACTION PLAN FOR THE UNITED STATES OF AMERICA',
        levels=[('area', 4), ('commitment', 15), ('item', 18), ('commitment', 26)],
        refs=['1', '1.1', '1.2', '1.3', '2', '2.1', '2.2', '2.3', '2.4', '2.5'],
        titles=['INTRODUCTION', 'Open Government promotes accountability, which can improve performance', 'Transparency enables people to find information that they “can readily…', 'In many domains, government should develop policies, rules…', 'U.S. OPEN GOVERNMENT EFFORTS TO DATE', 'Open Government Directive and Agency Plans', 'Data Availability', 'Disclosure to Increase Accountability and to Promote Informed Consumer…', 'Data Communities to Spark Breakthroughs for National Priorities', 'Enforcement and Compliance Data'],
    ),
    'us_ogp_nap2_2013.pdf': Expect(
        title='SECOND OPEN GOVERNMENT NATIONAL ACTION PLAN FOR THE UNITED STATES OF AMERICA',
        levels=[('area', 3), ('item', 23), ('commitment', 46)],
        refs=['1', '1.1', '1.1.1', '1.1.2', '1.2', '1.3', '1.3.1', '1.3.2', '1.3.3', '1.3.4'],
        titles=['Open Government to Increase Public Integrity', 'Improve Public Participation in Government', 'Expand and Simplify the Use of We the People', 'Publish Best Practices and Metrics for Public Participation', 'Modernize Management of Government Records', 'Modernize the Freedom of Information Act', 'Improve the Customer Experience through a Consolidated Online FOIA…', 'Develop Common FOIA Regulations and Practices for Federal Agencies', 'Improve Internal Agency FOIA Processes', 'Establish a FOIA Modernization Advisory Committee'],
    ),
    'us_ogp_nap3_2015.pdf': Expect(
        title='THIRD OPEN GOVERNMENT NATIONAL ACTION PLAN FOR THE UNITED STATES OF AMERICA',
        levels=[('area', 8), ('commitment', 45), ('subcommitment', 53)],
        refs=['1', '1.1', '1.2', '1.2.1', '1.2.2', '1.2.3', '1.3', '1.4', '1.5', '1.6'],
        titles=['Open Government to Improve Public Services', 'Reconstitute USA.gov as the Front Door to the U.S. Government', 'Increase Accessibility of Government Information Online', 'Implement and Improve Upon the U.S. Web Design Standards', 'Review and Report Accessibility Compliance of Federal Websites', 'Develop Limited-English-Proficiency Policies and Programs', 'Expand Access to Educational Resources through Open Licensing and Technology', 'Launch a Process to Create a Consolidated Public Listing of Every Address in the United States', 'Help Students Make Informed Decisions About Higher Education', 'Make it Easier for Individuals to Access Their Own Information'],
    ),
    'us_ogp_nap5_2022.md': Expect(
        title='Fifth U.S. Open Government National Action Plan',
        levels=[('area', 5), ('commitment', 36), ('subcommitment', 3)],
        refs=['1', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '2'],
        titles=['Improve Access to Government Data, Research, and Information', "Expand the Federal Government's Production, Dissemination…", 'Revise the Federal Standards for Collecting and Reporting Race…', 'Ensure Transparency in Federal Procurement through Made in America…', 'Broaden Public Access to Federally-Funded Research Findings and Data', 'Streamline Researcher Access to Confidential Federal Data for Evidence…', 'Expand Online Access to the National Archives…', 'Set Government-Wide Federal Sustainability Goals and Establish Agency…', 'Building Public Tools and Data to Advance Environmental Justice', 'Increase Civic Space to Engage the Public'],
    ),
    'us_ogp_nap5_2022.pdf': Expect(
        title='FIFTH U.S. OPEN GOVERNMENT NATIONAL ACTION PLAN',
        levels=[('area', 5), ('commitment', 36), ('subcommitment', 3)],
        refs=['1', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '2'],
        titles=['Improve Access to Government Data, Research, and Information', 'Expand the Federal Government’s Production, Dissemination…', 'Revise the Federal Standards for Collecting and Reporting Race…', 'Ensure Transparency in Federal Procurement through Made in America…', 'Broaden Public Access to Federally-Funded Research Findings and Data', 'Streamline Researcher Access to Confidential Federal Data for Evidence…', 'Expand Online Access to the National Archives…', 'Set Government-Wide Federal Sustainability Goals and Establish Agency…', 'Building Public Tools and Data to Advance Environmental Justice', 'Increase Civic Space to Engage the Public'],
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_published_document_gives_its_tree_and_keeps_its_words(name: str) -> None:
    path = find(name)
    draft = load_plan(path).draft
    want = EXPECTED[name]
    nodes = draft.walk()
    assert draft.title == want.title
    assert kinds_per_level(draft) == want.levels
    assert [n.ref for n in nodes[:10]] == want.refs
    assert [n.title for n in nodes[:10]] == want.titles
    refs = [n.ref for n in nodes]
    assert len(refs) == len(set(refs))
    assert coverage(reference_text(path), draft) >= 0.98


def test_the_nap5_markdown_page_and_its_pdf_give_the_same_themes_and_commitments() -> None:
    """The same plan as a web page's Markdown and as the published PDF: one tree (apostrophes aside)."""
    text, pdf = load_plan(find("us_ogp_nap5_2022.md")).draft, load_plan(find("us_ogp_nap5_2022.pdf")).draft

    def shape(draft):  # type: ignore[no-untyped-def]
        return [(n.ref, n.kind, re.sub(r"[’']", "'", n.title)) for n in draft.walk()]

    assert shape(text) == shape(pdf)
    assert len(text.areas) == 5 and sum(len(a.children) for a in text.areas) == 36
    # the list restating the five themes is text of the plan, not a sixth area or five commitments
    assert "Increase Civic Space to Engage the Public" in text.preamble
    assert any("restates the plan's headings" in what for _, what in text.guesses())


def test_a_joint_statement_of_headings_over_paragraphs_gives_a_commitment_per_paragraph() -> None:
    draft = load_plan(find("us_italy_joint_leaders_statement_2025.md")).draft
    assert [a.title for a in draft.areas][:2] == ["U.S.- Italy Cooperation for Security",
                                                  "U.S. – Italy Cooperation for Shared Prosperity"]
    assert all(not c.children for a in draft.areas for c in a.children)
    joined = load_plan(find("us_italy_joint_leaders_statement_2025.md"), _paragraphs_text()).draft
    assert [n.kind for n in joined.walk()] == ["commitment"] * len(draft.areas)


def _paragraphs_text():  # type: ignore[no-untyped-def]
    from briefbook.plan_import.recognizer import ImportOptions

    return ImportOptions(paragraphs="text")


def test_a_tagged_word_pdf_keeps_words_split_over_marked_content_whole() -> None:
    draft = load_plan(find("us_ogp_nap2_2013.pdf")).draft
    text = " ".join(f"{n.title} {n.text}" for n in draft.walk())
    assert "agency-specific" in text and not re.search(r"\w - \w", text)


def test_an_italian_plan_in_restructuredtext_keeps_its_objectives_over_their_actions() -> None:
    draft = load_plan(find("it_piano_triennale_2020_dati_cosa_devono_fare_le_pa.rst")).draft
    assert [a.title.split(" - ")[0] for a in draft.areas] == ["OB.2.1", "OB.2.2", "OB.2.3"]
    first = draft.areas[0].children[0]
    # the deadline in bold opens the text, the action is the title; the plan's own code stays in the text
    assert first.title.startswith("Le PA individuano i dataset di tipo dinamico")
    assert first.text.startswith("Da gennaio 2021 - Le PA individuano") and first.text.endswith("CAP2.PA.LA01")
    assert draft.preamble == ""
