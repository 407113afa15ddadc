"""A revised plan text: commitments are matched by content as well as by number,
so a renumbering keeps every note, source, status and history where it belongs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from share_helpers import content

from db.briefing.facade import Briefing
from db.model.drafts import NodeDraft, PlanDraft
from db.model.errors import PlanWouldBeReplaced
from db.sharing.merge import merge_into

TEXTS = {
    "1.1.1": "Promote Italian wine in Japan.",
    "1.1.2": "Promote Japanese cheese imports in Italy.",
    "1.1.3": "Hold a yearly food safety dialogue.",
    "1.2.1": "Exchange students between the two countries.",
}


def plan(texts: dict[str, str], title: str = "Food Plan") -> PlanDraft:
    items: dict[str, list[NodeDraft]] = {}
    for ref, text in texts.items():
        items.setdefault(ref.rsplit(".", 1)[0], []).append(NodeDraft("commitment", ref, text, text))
    area = NodeDraft("area", "1", "Food", "", [NodeDraft("item", i, f"Item {i}", "", c) for i, c in items.items()])
    return PlanDraft(title, ["Japan", "Italy"], "2024-2027", "2024-06-14", "", [area])


def revised_without_wine() -> PlanDraft:
    return plan({"1.1.1": TEXTS["1.1.2"], "1.1.2": TEXTS["1.1.3"], "1.2.1": TEXTS["1.2.1"]})


@pytest.fixture
def file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.sqlite"
    with Briefing.create(path, user="maker") as b:
        b.import_plan(plan(TEXTS))
        b.add_note(b.node_by_ref("1.1.1").id, "talking_point", "Wine: push for lower tariffs.")
        b.add_note(b.node_by_ref("1.1.2").id, "talking_point", "Cheese: ask about the quota.")
        b.set_status(b.node_by_ref("1.1.3").id, "achieved")
    return path


def test_a_renumbering_revision_keeps_notes_and_status_on_their_commitments(file: Path) -> None:
    with Briefing.open(file, user="maker") as b:
        cheese_id = b.node_by_ref("1.1.2").id
        report = b.import_plan(revised_without_wine())
        assert (report.renumbered, report.removed, report.kept_removed) == (2, 1, 1)
        cheese, safety = b.node_by_ref("1.1.1"), b.node_by_ref("1.1.2")
        assert cheese.id == cheese_id and cheese.text == TEXTS["1.1.2"]
        assert [n.body for n in b.notes(cheese.id)] == ["Cheese: ask about the quota."]
        assert safety.status == "achieved" and [h.to_status for h in b.status_history(safety.id)] == ["achieved"]
        # The dropped wine commitment carries a note: it stays, marked as removed from the plan.
        wine = next(n for n in b.nodes(report.plan_id) if n.text == TEXTS["1.1.1"])
        assert wine.retired and [n.body for n in b.notes(wine.id)] == ["Wine: push for lower tariffs."]


def test_a_reworded_commitment_at_its_number_is_the_same_commitment(file: Path) -> None:
    with Briefing.open(file, user="maker") as b:
        old = b.node_by_ref("1.1.2")
        b.import_plan(plan({**TEXTS, "1.1.2": "Promote Japanese cheese and butter imports in Italy."}))
        now = b.node_by_ref("1.1.2")
        assert now.id == old.id and "butter" in now.text
        assert [n.body for n in b.notes(now.id)] == ["Cheese: ask about the quota."]


def test_two_files_that_import_the_same_revision_still_merge_node_for_node(file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    shutil.copyfile(file, other)
    for path in (file, other):
        with Briefing.open(path, user=path.stem) as b:
            b.import_plan(revised_without_wine())
    with Briefing.open(file, user="merger") as b:
        report = merge_into(b, other)
        assert report.collisions == [] and all(k.added == 0 for k in report.kinds.values())
        nodes = b.nodes(b.plans()[0].id)
        # Area, two items, three commitments and the retired wine one (it has a note): nothing doubled.
        assert len(nodes) == 7 and len({(n.kind, n.title, n.text) for n in nodes}) == 7
    with Briefing.open(other, user="merger") as b:
        merge_into(b, file)
    assert content(file) == content(other)


def test_another_plan_under_the_same_title_is_refused_unless_replacing(file: Path) -> None:
    different = plan({"1.1.1": "Build a joint space station.", "1.1.2": "Launch a satellite together.",
                      "1.2.1": "Share weather data."})
    with Briefing.open(file, user="maker") as b:
        before = [(n.ref, n.text) for n in b.nodes(b.plans()[0].id)]
        with pytest.raises(PlanWouldBeReplaced, match="looks like another plan"):
            b.import_plan(different)
        assert [(n.ref, n.text) for n in b.nodes(b.plans()[0].id)] == before  # nothing written
        b.import_plan(different, replace=True)
        assert b.node_by_ref("1.1.1").text == "Build a joint space station."


def test_a_plan_without_a_title_is_refused(tmp_path: Path) -> None:
    with Briefing.create(tmp_path / "x.sqlite") as b, pytest.raises(Exception, match="no title"):
        b.import_plan(plan(TEXTS, title="  "))


def test_the_command_line_previews_a_revision_then_keeps_the_talking_point_on_cheese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from briefbook.cli.main import main

    first = tmp_path / "plan.txt"
    first.write_text("Food Plan\n\n1 Food\n\n(1) Trade\n\n- Promote Italian wine in Japan.\n"
                     "- Promote Japanese cheese imports in Italy.\n- Hold a yearly food safety dialogue.\n",
                     encoding="utf-8")
    revised = tmp_path / "revised.txt"
    revised.write_text("Food Plan\n\n1 Food\n\n(1) Trade\n\n- Promote Japanese cheese imports in Italy.\n"
                       "- Hold a yearly food safety dialogue.\n", encoding="utf-8")
    db = tmp_path / "b.sqlite"
    assert main(["init", str(db), "--empty"]) == 0
    assert main(["import-plan", str(first), "--db", str(db)]) == 0
    with Briefing.open(db) as b:
        b.add_note(b.node_by_ref("1.1.2").id, "talking_point", "Cheese: ask about the quota.")
        b.set_status(b.node_by_ref("1.1.3").id, "achieved")
    capsys.readouterr()
    assert main(["import-plan", str(revised), "--db", str(db), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "1.1.2 → 1.1.1" in out and "1.1.3 → 1.1.2" in out and "removed: 1.1.1" in out
    assert "Nothing was written" in out
    with Briefing.open(db) as b:
        assert b.node_by_ref("1.1.1").text.startswith("Promote Italian wine")  # the dry run wrote nothing
    assert main(["import-plan", str(revised), "--db", str(db)]) == 0
    assert "2 renumbered, with their notes" in capsys.readouterr().out
    with Briefing.open(db) as b:
        cheese, safety = b.node_by_ref("1.1.1"), b.node_by_ref("1.1.2")
        assert "cheese" in cheese.text and [n.body for n in b.notes(cheese.id)] == ["Cheese: ask about the quota."]
        assert safety.status == "achieved"


def test_the_command_line_refuses_another_plan_under_the_same_title_without_replace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from briefbook.cli.main import main

    db = tmp_path / "b.sqlite"
    main(["init", str(db), "--empty"])
    for name, bullets in (("a.txt", ["Promote wine.", "Promote cheese.", "Talk about food."]),
                          ("b.txt", ["Build a space station.", "Launch satellites.", "Share weather data."])):
        (tmp_path / name).write_text("Action Plan\n\n1 Cooperation\n\n(1) Work\n\n"
                                     + "".join(f"- {b}\n" for b in bullets), encoding="utf-8")
    assert main(["import-plan", str(tmp_path / "a.txt"), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["import-plan", str(tmp_path / "b.txt"), "--db", str(db)]) != 0
    err = capsys.readouterr().err
    assert "looks like another plan" in err and "--replace" in err and "Traceback" not in err
    with Briefing.open(db) as b:
        assert b.node_by_ref("1.1.1").text == "Promote wine."
    assert main(["import-plan", str(tmp_path / "b.txt"), "--db", str(db), "--replace"]) == 0


def test_a_dropped_commitment_kept_for_its_note_is_marked_everywhere_and_its_number_freed(
    file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The revision gives 1.1.1 to the cheese commitment: the dropped wine one, kept for its note, is
    "1.1.1-removed" and "(removed from the plan)" in the tree, the command line and the pack."""
    import json

    from briefbook.cli.main import main
    from tests.export_helpers import pdf_text

    with Briefing.open(file, user="maker") as b:
        b.import_plan(revised_without_wine())
        live = b.nodes()
        refs = [n.ref for n in live]
        assert len(refs) == len(set(refs))  # unique among the nodes the file shows
        wine = next(n for n in live if n.text == TEXTS["1.1.1"])
        assert wine.ref == "1.1.1-removed" and wine.retired
        assert b.node_by_ref("1.1.1").text == TEXTS["1.1.2"]
        plan_id = wine.plan_id
    capsys.readouterr()
    assert main(["tree", "--db", str(file)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [ln.strip() for ln in lines if "1.1.1" in ln] == [
        "1.1.1 Promote Japanese cheese imports in Italy. [Not started]",
        "1.1.1-removed Promote Italian wine in Japan. (removed from the plan) [Not started]",
    ]
    assert main(["tree", "--db", str(file), "--json"]) == 0
    nodes = json.loads(capsys.readouterr().out)["plans"][0]["nodes"][0]["children"][0]["children"]
    assert [(n["ref"], n["removed_from_plan"]) for n in nodes] == [
        ("1.1.1", False), ("1.1.1-removed", True), ("1.1.2", False)]
    out = tmp_path / "pack.pdf"
    assert main(["export", "--db", str(file), "--plan", plan_id, "--format", "pdf", "-o", str(out),
                 "--classification", "RESTRICTED"]) == 0
    text = "\n".join(pdf_text(out))
    assert "1.1.1-removed Promote Italian wine in Japan. (removed from the plan)" in text
    # A second revision that drops cheese too: each kept node has a number of its own.
    with Briefing.open(file, user="maker") as b:
        b.add_note(b.node_by_ref("1.1.1").id, "background", "Cheese quota history.")
        b.import_plan(plan({"1.1.1": TEXTS["1.1.3"], "1.2.1": TEXTS["1.2.1"]}))
        refs = [n.ref for n in b.nodes()]
        assert len(refs) == len(set(refs)) and "1.1.1-removed-2" in refs


def test_a_revised_text_with_items_out_of_order_reports_them_and_keeps_their_entries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """"(2) Rail" then "(1) Shipping": Shipping is an item of its own with its entry, and the dry run says
    the numbering is out of order (it is not a commitment of Rail)."""
    import json

    from briefbook.cli.main import main

    text = tmp_path / "revised.txt"
    text.write_text("Port Plan\n\n1. Trade\n\n(2) Rail\n\n- Rail links to the port will be studied.\n\n"
                    "(1) Shipping\n\n- A shipping forum will meet yearly.\n\n2. Energy\n\n(1) Grids\n\n"
                    "- Grid operators will exchange data.\n", encoding="utf-8")
    assert main(["import-plan", str(text), "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    trade = out["nodes"][0]
    assert [(c["ref"], c["kind"], c["title"]) for c in trade["children"]] == [
        ("1.2", "item", "Rail"), ("1.1", "item", "Shipping")]
    assert [c["text"] for c in trade["children"][1]["children"]] == ["A shipping forum will meet yearly."]
    assert out["guesses"] == [{"ref": "1.1", "what": "numbered (1) after (2): out of order in the text"}]
    assert main(["import-plan", str(text), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "1.1 [item] Shipping   ← check: numbered (1) after (2)" in printed
