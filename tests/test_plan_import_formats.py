"""Word, PDF and web pages built by the tests; the files that must be refused; the command line."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from briefbook.services.plan_import import PlanTextError, detect_format, load_plan
from tests.plan_import_helpers import by_ref, coverage, kinds_per_level

# -- Word ----------------------------------------------------------------------------------------


def make_docx(path: Path, title_paragraph: bool = True, core_title: str = "") -> None:
    import docx

    d = docx.Document()
    if core_title:
        d.core_properties.title = core_title
    if title_paragraph:
        d.add_paragraph("Italy-Japan Work Plan 2025", style="Title")
    d.add_paragraph("The two governments adopt this work plan.")
    d.add_paragraph("Security", style="Heading 1")
    d.add_paragraph("Defence Industry", style="Heading 2")
    p = d.add_paragraph(style="List Number")
    p.add_run("Joint programmes.").bold = True
    p.add_run(" The ministries will study two joint programmes.")
    d.add_paragraph("Export rules will be aligned.", style="List Number")
    d.add_paragraph("Including dual-use items.", style="List Bullet 2")
    d.add_paragraph("Economy", style="Heading 1")
    d.add_paragraph("Trade", style="Heading 2")
    d.add_paragraph("A trade forum will meet in Milan.", style="List Number")
    d.save(str(path))


def test_word_headings_list_numbering_and_bold_lead_ins(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    make_docx(path)
    draft = load_plan(path).draft
    assert draft.title == "Italy-Japan Work Plan 2025"
    assert draft.preamble == "The two governments adopt this work plan."
    assert kinds_per_level(draft) == [("area", 2), ("item", 2), ("commitment", 3), ("subcommitment", 1)]
    nodes = by_ref(draft)
    assert nodes["1"].title == "Security" and nodes["1.1"].title == "Defence Industry"
    assert nodes["1.1.1"].title == "Joint programmes"
    assert nodes["1.1.1"].text == "Joint programmes. The ministries will study two joint programmes."
    assert nodes["1.1.2"].children[0].title == "Including dual-use items"
    # Word numbers the "List Number" paragraphs straight on across headings, as the reader sees them
    assert nodes["2.1.3"].text == "A trade forum will meet in Milan."


def test_word_without_a_title_paragraph_takes_its_properties_title(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    make_docx(path, title_paragraph=False, core_title="Work Plan from the Properties")
    assert load_plan(path).draft.title == "Work Plan from the Properties"


def test_word_file_named_otherwise_is_still_read_as_word(tmp_path: Path) -> None:
    path = tmp_path / "plan.bin"
    make_docx(path)
    assert detect_format(path.read_bytes(), path.name) == "docx"
    assert load_plan(path).draft.title == "Italy-Japan Work Plan 2025"


# -- PDF -------------------------------------------------------------------------------------------


def make_pdf(path: Path, pages: int = 3, title: str = "", title_line: bool = True) -> str:
    """A multi-page PDF with running headers and footers and hyphenated line ends; returns its body text."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    if title:
        c.setTitle(title)
    body: list[str] = []
    for page in range(1, pages + 1):
        c.setFont("Helvetica", 8)
        c.drawString(72, 800, "Joint Action Plan - Working Draft")
        c.drawString(280, 40, f"Page {page} of {pages}")
        c.setFont("Helvetica", 11)
        lines: list[str] = []
        if page == 1 and title_line:
            lines += ["Danube Cooperation Action Plan", ""]
        lines += [f"{page}. Area Number {page}", ""]
        thing, season, who = [("shared registry", "spring", "experts"), ("joint fund", "autumn", "mayors"),
                              ("common portal", "winter", "students"), ("river survey", "summer", "farmers")][page % 4]
        lines += [
            "- The partners will start the implemen-",
            f"tation of a {thing} and publish",
            f"yearly reports on the {thing}.",
            f"- The {who} will hold a co-ordinated review",
            f"with well-known guests each {season}.",
            "",
        ]
        y = 760
        for ln in lines:
            c.drawString(72, y, ln)
            y -= 16
        body += [ln for ln in lines if ln]
        c.showPage()
    c.save()
    return "\n".join(body).replace("implemen-\ntation", "implementation")


def test_pdf_text_headers_footers_removed_and_words_joined(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    body = make_pdf(path, pages=3)
    draft = load_plan(path).draft
    assert draft.title == "Danube Cooperation Action Plan"
    assert kinds_per_level(draft) == [("area", 3), ("commitment", 6)]
    nodes = by_ref(draft)
    assert nodes["2"].title == "Area Number 2"
    assert nodes["1.1"].text == ("The partners will start the implementation of a joint fund and publish "
                                "yearly reports on the joint fund.")
    assert nodes["1.2"].text == "The mayors will hold a co-ordinated review with well-known guests each autumn."
    everything = json.dumps([draft.preamble] + [n.title + n.text for n in draft.walk()])
    assert "Working Draft" not in everything and "Page 2 of 3" not in everything
    assert coverage(body, draft) >= 0.98


def test_pdf_without_a_title_line_takes_its_metadata_title(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    make_pdf(path, pages=2, title="Plan Title From Metadata", title_line=False)
    assert load_plan(path).draft.title == "Plan Title From Metadata"


def test_pdf_named_txt_is_read_as_pdf(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    make_pdf(path, pages=2)
    assert load_plan(path).draft.title == "Danube Cooperation Action Plan"


def image_only_pdf(path: Path) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for _ in range(2):
        c.rect(100, 100, 300, 300, fill=1)
        c.circle(200, 600, 50, fill=1)
        c.showPage()
    c.save()


def encrypted_pdf(path: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = tmp_path / "plain.pdf"
    make_pdf(plain, pages=1)
    w = PdfWriter()
    for page in PdfReader(plain).pages:
        w.add_page(page)
    w.encrypt(user_password="secret", algorithm="RC4-128")
    with path.open("wb") as f:
        w.write(f)


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("scan.pdf", lambda p, t: image_only_pdf(p), "no text layer"),
        ("locked.pdf", encrypted_pdf, "encrypted"),
        ("broken.pdf", lambda p, t: p.write_bytes(b"%PDF-1.7\n1 0 obj <<" + b"\x00garbage" * 50), "damaged"),
        ("other.docx", lambda p, t: _zip_of_something_else(p), "zip archive, not a Word document"),
        ("broken.docx", lambda p, t: p.write_bytes(b"PK\x03\x04" + b"\x00" * 100), "damaged"),
        ("empty.txt", lambda p, t: p.write_text("  \n\n"), "empty"),
        ("empty.docx", lambda p, t: _empty_docx(p), "empty"),
        ("prose.txt", lambda p, t: p.write_text("We met. We talked about many things.\n"), "does not look like a plan"),
        ("old.doc", lambda p, t: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600), ".docx"),
    ],
)
def test_files_that_are_refused_with_one_sentence(name: str, make, words: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    make(path, tmp_path)
    with pytest.raises(PlanTextError) as err:
        load_plan(path)
    message = str(err.value)
    assert words in message
    assert "\n" not in message and message.endswith(".")


def _zip_of_something_else(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("photos/holiday.jpg", b"\xff\xd8\xff")


def _empty_docx(path: Path) -> None:
    import docx

    docx.Document().save(str(path))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from briefbook.services import plan_import

    path = tmp_path / "huge.txt"
    path.write_text("1 Area\n\n- x\n" * 1000)
    monkeypatch.setattr(plan_import, "MAX_BYTES", 1000)
    with pytest.raises(PlanTextError, match="too large"):
        load_plan(path)


# -- web pages ------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><title>Fact Sheet: Joint Roadmap | Example Office</title>
<script>var x = "<p>not text</p>";</script><style>p { color: red }</style></head>
<body>
<nav><ul><li>Home</li><li>Briefing Room</li></ul></nav>
<main>
<h1>Joint Roadmap on Space &amp; Science</h1>
<p>The two governments announce this roadmap &lt;today&gt;.</p>
<h2>Earth Observation</h2>
<p>Both agencies share satellite data.</p>
<ul>
<li><strong>Sharing imagery.</strong> The agencies will open their archives.</li>
<li><b>Joint missions.</b> They will study a joint mission
  <ul><li>with a radar instrument;</li><li>with an optical instrument.</li></ul></li>
</ul>
<h2>Exploration</h2>
<ol><li>The partners will sign an agreement.</li><li>They will train astronauts together.</li></ol>
</main>
<footer>Copyright notice</footer>
</body></html>"""


def test_saved_web_page_headings_lists_and_bold_lead_ins(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    draft = load_plan(path).draft
    assert draft.title == "Joint Roadmap on Space & Science"
    assert draft.preamble == "The two governments announce this roadmap <today>."
    assert kinds_per_level(draft) == [("area", 2), ("commitment", 4), ("subcommitment", 2)]
    nodes = by_ref(draft)
    assert nodes["1"].text == "Both agencies share satellite data."
    assert nodes["1.1"].title == "Sharing imagery"
    assert [c.title for c in nodes["1.2"].children] == ["with a radar instrument", "with an optical instrument"]
    assert [c.ref for c in nodes["2"].children] == ["2.1", "2.2"]
    everything = json.dumps([n.title + n.text for n in draft.walk()])
    assert "not text" not in everything and "Briefing Room" not in everything and "color" not in everything


def test_web_page_title_comes_from_its_title_element_when_it_has_no_heading(tmp_path: Path) -> None:
    page = PAGE.replace("<h1>Joint Roadmap on Space &amp; Science</h1>", "")
    path = tmp_path / "page.htm"
    path.write_text(page, encoding="utf-8")
    assert load_plan(path).draft.title == "Fact Sheet: Joint Roadmap | Example Office"


# -- the command line --------------------------------------------------------------------------------


def bb(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefbook", *args], capture_output=True, text=True, timeout=120)


def test_dry_run_prints_the_tree_and_writes_nothing(seeded_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    before = seeded_path.read_bytes()
    proc = bb("import-plan", str(path), "--db", str(seeded_path), "--dry-run", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["title"] == "Joint Roadmap on Space & Science"
    assert [n["title"] for n in out["nodes"]] == ["Earth Observation", "Exploration"]
    assert [lv["kind"] for lv in out["levels"]] == ["area", "commitment", "subcommitment"]
    assert out["preamble"].startswith("The two governments")
    text = bb("import-plan", str(path), "--db", str(seeded_path), "--dry-run", "--levels", "area,text")
    assert text.returncode == 0
    assert "1 [area] Earth Observation" in text.stdout and "1.1" not in text.stdout
    assert "Nothing was written" in text.stdout
    assert seeded_path.read_bytes() == before


def test_a_document_without_any_title_is_refused_unless_given_one(seeded_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "untitled.txt"
    path.write_text("we agreed on the following points, as listed here:\n\n- First point.\n- Second point.\n")
    before = seeded_path.read_bytes()
    proc = bb("import-plan", str(path), "--db", str(seeded_path))
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and "--title" in proc.stderr
    assert seeded_path.read_bytes() == before
    preview = bb("import-plan", str(path), "--db", str(seeded_path), "--dry-run")
    assert "Title: (none found" in preview.stdout
    ok = bb("import-plan", str(path), "--db", str(seeded_path), "--title", "Points Agreed", "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["added"] == 2
    tree = json.loads(bb("tree", "--db", str(seeded_path), "--json").stdout)
    plan = next(p for p in tree["plans"] if p["title"] == "Points Agreed")
    assert [n["title"] for n in plan["nodes"]] == ["First point", "Second point"]
    assert plan["preamble"] == "we agreed on the following points, as listed here:"


def test_cli_refuses_an_encrypted_pdf_with_one_sentence(seeded_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    encrypted_pdf(path, tmp_path)
    before = seeded_path.read_bytes()
    proc = bb("import-plan", str(path), "--db", str(seeded_path))
    assert proc.returncode != 0
    assert proc.stderr.startswith("briefbook: ") and proc.stderr.strip().count("\n") == 0
    assert "encrypted" in proc.stderr
    assert seeded_path.read_bytes() == before


def test_bad_levels_option_is_one_sentence(seeded_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    proc = bb("import-plan", str(path), "--db", str(seeded_path), "--dry-run", "--levels", "area,chapter")
    assert proc.returncode != 0 and "chapter" in proc.stderr and "Traceback" not in proc.stderr




def test_reading_a_pdf_reports_progress_page_by_page(tmp_path: Path) -> None:
    from briefbook.services.plan_import import read_document

    path = tmp_path / "plan.pdf"
    make_pdf(path, pages=4)
    seen: list[tuple[int, int]] = []
    read_document(path, lambda done, total: seen.append((done, total)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_word_national_action_plan_title_bullets_with_indented_bodies(tmp_path: Path) -> None:
    import docx
    from docx.shared import Inches

    d = docx.Document()
    d.add_paragraph("National Action Plan", style="Title")
    for theme in ("Open Data", "Public Participation"):
        d.add_paragraph(theme, style="Heading 1")
        for n in range(1, 3):
            d.add_paragraph(f"{theme} commitment {n}", style="List Bullet")
            body = d.add_paragraph(f"The agencies will deliver {theme.lower()} commitment {n} by 2026.")
            body.paragraph_format.left_indent = Inches(0.5)
            more = d.add_paragraph("They will report on it every year.")
            more.paragraph_format.left_indent = Inches(0.5)
    path = tmp_path / "nap.docx"
    d.save(str(path))
    draft = load_plan(path).draft
    assert kinds_per_level(draft) == [("area", 2), ("commitment", 4)]
    node = by_ref(draft)["2.2"]
    assert node.title == "Public Participation commitment 2"
    assert node.text == ("The agencies will deliver public participation commitment 2 by 2026.\n\n"
                         "They will report on it every year.")


def test_web_page_list_entries_holding_a_title_and_body_paragraphs(tmp_path: Path) -> None:
    page = ("<html><head><title>NAP</title></head><body><h1>National Action Plan</h1>"
            "<h2>Open Data</h2><ul><li><p>Publish a data strategy</p><p>The agencies will publish it.</p>"
            "<p>They will consult on it.</p></li><li><p>Open the archives</p><p>The archives will open.</p></li>"
            "</ul><h2>Participation</h2><ul><li><p>Consult the public</p><p>Twice a year.</p></li></ul></body></html>")
    path = tmp_path / "nap.html"
    path.write_text(page, encoding="utf-8")
    draft = load_plan(path).draft
    assert draft.title == "National Action Plan"
    assert kinds_per_level(draft) == [("area", 2), ("commitment", 3)]
    assert by_ref(draft)["1.1"].title == "Publish a data strategy"
    assert by_ref(draft)["1.1"].text == "The agencies will publish it.\n\nThey will consult on it."


def test_word_underlined_and_all_caps_headings(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("Cooperation Programme", style="Title")
    for area, subs in (("ECONOMIC COOPERATION", ("Trade", "Energy")), ("CULTURE AND CITTÀ", ("Museums",))):
        d.add_paragraph(area)
        for sub in subs:
            d.add_paragraph().add_run(sub).underline = True
            d.add_paragraph(f"The sides will cooperate on {sub.lower()}.", style="List Bullet")
    path = tmp_path / "programme.docx"
    d.save(str(path))
    draft = load_plan(path).draft
    assert kinds_per_level(draft) == [("area", 2), ("item", 3), ("commitment", 3)]
    assert [a.title for a in draft.areas] == ["ECONOMIC COOPERATION", "CULTURE AND CITTÀ"]
    assert by_ref(draft)["1.2"].title == "Energy"


def test_web_page_underlined_headings(tmp_path: Path) -> None:
    page = ("<html><body><h1>Plan of Work</h1><p><u>Energy</u></p><ul><li>Grids will link.</li></ul>"
            "<p><u>Trade</u></p><ul><li>Tariffs will fall.</li><li>Quotas will rise.</li></ul></body></html>")
    path = tmp_path / "plan.html"
    path.write_text(page, encoding="utf-8")
    draft = load_plan(path).draft
    assert [a.title for a in draft.areas] == ["Energy", "Trade"]
    assert kinds_per_level(draft) == [("area", 2), ("commitment", 3)]


def test_tagged_pdf_structure_tree_headings_nested_lists_and_artifacts(tmp_path: Path) -> None:
    from tests.tagged_pdf import make_tagged_pdf

    path = tmp_path / "tagged.pdf"
    make_tagged_pdf(path, [
        [("Artifact", "Running head - page 1", 0), ("H1", "Tagged Cooperation Plan", 0),
         ("P", "The partners adopt this plan.", 0), ("H2", "Energy Links", 0),
         ("LI", "The grids will be con-\nnected by 2027.", 0), ("LI", "Research will cover:", 0),
         ("LI", "offshore wind;", 1), ("LI", "hydrogen.", 1)],
        [("Artifact", "Running head - page 2", 0), ("H2", "Culture", 0), ("LI", "Museums will lend works.", 0)],
    ])
    draft = load_plan(path).draft
    assert draft.title == "Tagged Cooperation Plan"
    assert draft.preamble == "The partners adopt this plan."
    assert kinds_per_level(draft) == [("area", 2), ("commitment", 3), ("subcommitment", 2)]
    nodes = by_ref(draft)
    assert nodes["1.1"].text == "The grids will be connected by 2027."
    assert [c.title for c in nodes["1.2"].children] == ["offshore wind", "hydrogen"]
    assert nodes["1.2"].text == "Research will cover:"
    assert "Running head" not in json.dumps([draft.preamble] + [n.text for n in draft.walk()])


def test_word_tables_are_read_once_per_cell(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("Table Plan", style="Title")
    d.add_paragraph("Energy", style="Heading 1")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Grids will link."
    table.cell(0, 1).text = "Lead: ministries"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "Hydrogen will be traded."
    d.add_paragraph("Trade", style="Heading 1")
    d.add_paragraph("Tariffs will fall.", style="List Bullet")
    path = tmp_path / "table.docx"
    d.save(str(path))
    draft = load_plan(path).draft
    everything = json.dumps([draft.preamble] + [n.title + " " + n.text for n in draft.walk()])
    for words in ("Grids will link.", "Lead: ministries", "Hydrogen will be traded.", "Tariffs will fall."):
        assert everything.count(words) >= 1
    assert everything.count("Hydrogen will be traded.") == 1  # a merged cell is read once


def test_web_page_saved_with_a_leading_comment_and_a_long_head_is_html(tmp_path: Path) -> None:
    page = "<!-- saved from url=(0042)https://example.org/briefing/roadmap -->\n" + PAGE.replace(
        "<style>", "<style>" + "p { margin: 0 }\n" * 400)
    path = tmp_path / "roadmap.txt"
    path.write_text(page, encoding="utf-8")
    assert detect_format(path.read_bytes(), path.name) == "html"
    assert load_plan(path).draft.title == "Joint Roadmap on Space & Science"
    assert detect_format(b"Plan\n\nUse <b> for bold in the portal.\n\n- Item.\n", "notes.txt") == "text"


def test_utf16_web_page_and_windows_1252_text(tmp_path: Path) -> None:
    page = tmp_path / "page.htm"
    page.write_bytes(PAGE.encode("utf-16"))
    assert load_plan(page).draft.title == "Joint Roadmap on Space & Science"
    text = tmp_path / "plan.txt"
    text.write_bytes("Piano d’azione\r\n\r\n1. Città\r\n\r\n- Le università collaboreranno.\r\n".encode("cp1252"))
    draft = load_plan(text).draft
    assert draft.title == "Piano d’azione"
    assert draft.areas[0].title == "Città"


def test_pdf_metadata_title_that_names_a_file_is_not_the_plans_title(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    make_pdf(path, pages=2, title="Microsoft Word - NAP5_final_v3.docx", title_line=False)
    with pytest.raises(PlanTextError, match="--title"):
        from briefbook.services.plan_import import parse_plan_file

        parse_plan_file(path)
    make_pdf(path, pages=2, title="Microsoft Word - Danube Plan.docx", title_line=False)
    assert load_plan(path).draft.title == "Danube Plan"


def test_partly_tagged_pdf_is_read_from_its_pages_so_nothing_is_lost(tmp_path: Path) -> None:
    from tests.tagged_pdf import make_tagged_pdf

    path = tmp_path / "partly.pdf"
    make_tagged_pdf(path, [[("Artifact", "Running head", 0), ("H1", "Partly Tagged Plan", 0), ("H2", "Energy", 0),
                            ("LI", "The grids will be linked.", 0),
                            ("Untagged", "- Untagged bullet about hydrogen trade between the partners.", 0),
                            ("Untagged", "- Another untagged bullet about offshore wind research programmes.", 0),
                            ("H2", "Trade", 0), ("LI", "Tariffs will fall.", 0)]])
    draft = load_plan(path).draft
    everything = json.dumps([n.text for n in draft.walk()])
    assert "hydrogen trade" in everything and "offshore wind" in everything
    assert draft.title == "Partly Tagged Plan"


def test_a_structure_tree_that_loops_falls_back_to_the_pages(tmp_path: Path) -> None:
    import time

    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, NameObject

    from tests.tagged_pdf import make_tagged_pdf

    path = tmp_path / "loop.pdf"
    make_tagged_pdf(path, [[("H1", "Looping Tree Plan", 0), ("H2", "Energy", 0), ("LI", "Grids will link.", 0),
                            ("H2", "Trade", 0), ("LI", "Tariffs will fall.", 0)]])
    w = PdfWriter(clone_from=str(path))
    document_ref = w._root_object["/StructTreeRoot"]["/K"][0]
    document = document_ref.get_object()
    document[NameObject("/K")] = ArrayObject([*document["/K"], document_ref, document_ref])  # holds itself twice
    looping = tmp_path / "looping.pdf"
    with looping.open("wb") as f:
        w.write(f)
    start = time.perf_counter()
    draft = load_plan(looping).draft
    assert time.perf_counter() - start < 10
    assert draft.title == "Looping Tree Plan"
    assert "Tariffs will fall." in json.dumps([n.text for n in draft.walk()])


def _bomb_docx(path: Path, main_name: str, big_name: str, big_mb: int) -> None:
    """A small Word package plus one part that unpacks to `big_mb` MB of zeros (a few hundred kB packed)."""
    make_docx(path)
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    parts[main_name] = parts.pop("word/document.xml")
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b"word/document.xml", main_name.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        with z.open(big_name, "w", force_zip64=True) as big:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(big_mb):
                big.write(chunk)


@pytest.mark.parametrize("main_name,big_name", [("word/document.xml", "word/media/image1.png"),
                                                ("word/document.bin", "word/document.bin.tmp")])
def test_a_word_file_whose_parts_unpack_past_the_limit_is_refused_unread(
    main_name: str, big_name: str, tmp_path: Path, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    """Every part counts toward the limit, whatever its name; the refusal comes before anything is unpacked."""
    path = tmp_path / "bomb.docx"
    _bomb_docx(path, main_name, big_name, 201)
    assert path.stat().st_size < 2 * 1024 * 1024

    def no_unpacking(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a part was unpacked")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_unpacking)
    with pytest.raises(PlanTextError, match="too large to be a plan once unpacked"):
        load_plan(path)


def test_a_word_file_whose_main_part_has_another_name_is_read(tmp_path: Path) -> None:
    path = tmp_path / "renamed.docx"
    _bomb_docx(path, "word/document.bin", "word/media/empty.bin", 0)
    assert load_plan(path).draft.title == "Italy-Japan Work Plan 2025"


def test_a_zip_of_too_many_parts_is_refused_by_counting_them(tmp_path: Path) -> None:
    from briefbook.plan_import import docx_reader

    path = tmp_path / "many.docx"
    make_docx(path)
    with zipfile.ZipFile(path, "a") as z:
        for i in range(docx_reader.MAX_PARTS):
            z.writestr(f"word/media/p{i}.bin", b"")
    with pytest.raises(PlanTextError, match="too many for a Word document"):
        load_plan(path)
