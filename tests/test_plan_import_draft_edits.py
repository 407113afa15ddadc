"""The preview's corrections, on the draft itself: structure moves with its children, references follow
the tree and stay unique, and no word is ever dropped."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from briefbook.plan_import import draft_edits as edits
from db.model.drafts import NodeDraft, PlanDraft
from tests.plan_import_helpers import words


def sample() -> PlanDraft:
    def c(ref: str, text: str, *children: NodeDraft) -> NodeDraft:
        return NodeDraft("commitment", ref, text.rstrip("."), text, list(children))

    areas = [
        NodeDraft("area", "1", "Trade", "", [c("1.1", "Ports open.", c("1.1.1", "Dredging starts.")),
                                              c("1.2", "Rail links.")]),
        NodeDraft("area", "2", "Energy", "", [c("2.6", "Grids link."), c("2.7", "Hydrogen trial.")]),
    ]
    for n in areas[0].children[0].children:
        n.kind = "subcommitment"
    return PlanDraft("Plan", [], None, None, "Intro.", areas)


def content(plan: PlanDraft) -> str:
    """The plan's words: the preamble, each node's text, and its title where the text does not hold it."""
    parts = [plan.preamble]
    for n in plan.walk():
        parts += [n.text] + ([n.title] if not n.text.startswith(n.title.rstrip("…")) else [])
    return "\n".join(parts)


def rows(plan: PlanDraft) -> list[tuple[str, str, str]]:
    return [(n.ref, n.kind, n.title) for n in plan.walk()]


def by_title(plan: PlanDraft, title: str) -> NodeDraft:
    return next(n for n in plan.walk() if n.title == title)


def test_indent_outdent_and_move_carry_children_and_keep_the_documents_numbers() -> None:
    plan = sample()
    edits.indent(plan, by_title(plan, "Rail links"))  # under "Ports open", after its own child
    assert rows(plan)[:4] == [("1", "area", "Trade"), ("1.1", "commitment", "Ports open"),
                              ("1.1.1", "subcommitment", "Dredging starts"), ("1.1.2", "subcommitment", "Rail links")]
    edits.outdent(plan, by_title(plan, "Dredging starts"))  # up a level; "Rail links" after it becomes its child
    assert rows(plan)[:4] == [("1", "area", "Trade"), ("1.1", "commitment", "Ports open"),
                              ("1.2", "commitment", "Dredging starts"), ("1.2.2", "subcommitment", "Rail links")]
    edits.move(plan, by_title(plan, "Energy"), -1)  # the area with its children; its own numbers stay
    assert [r[0] for r in rows(plan)] == ["2", "2.6", "2.7", "1", "1.1", "1.2", "1.2.2"]
    with pytest.raises(edits.EditRefused, match="already the first"):
        edits.move(plan, by_title(plan, "Energy"), -1)
    with pytest.raises(edits.EditRefused, match="top level"):
        edits.outdent(plan, by_title(plan, "Trade"))


def test_delete_puts_the_words_where_the_user_says_and_keeps_the_children() -> None:
    plan = sample()
    edits.delete(plan, by_title(plan, "Ports open"), "previous")
    assert by_title(plan, "Trade").text == "Ports open."
    assert rows(plan)[:3] == [("1", "area", "Trade"), ("1.1", "subcommitment", "Dredging starts"),
                              ("1.2", "commitment", "Rail links")]
    edits.delete(plan, by_title(plan, "Grids link"), "preamble")
    assert plan.preamble == "Intro.\n\nGrids link."
    edits.to_preamble(plan, by_title(plan, "Energy"))
    assert plan.preamble == "Intro.\n\nGrids link.\n\nEnergy\n\nHydrogen trial."
    assert [n.title for n in plan.areas] == ["Trade"]


def test_title_reference_and_kind_of_one_node() -> None:
    plan = sample()
    node = by_title(plan, "Rail links")
    edits.set_title(plan, node, "  Rail   links to the port ")
    edits.set_ref(plan, node, "1.2b")
    edits.set_kind(plan, by_title(plan, "Dredging starts"), "commitment")
    assert rows(plan)[1:4] == [("1.1", "commitment", "Ports open"), ("1.1.1", "commitment", "Dredging starts"),
                               ("1.2b", "commitment", "Rail links to the port")]
    with pytest.raises(edits.EditRefused, match="already has the reference 1"):
        edits.set_ref(plan, node, "1")
    with pytest.raises(edits.EditRefused, match="without spaces"):
        edits.set_ref(plan, node, "1 2")
    with pytest.raises(edits.EditRefused, match="needs a title"):
        edits.set_title(plan, node, "  ")


OPS = st.lists(st.tuples(st.sampled_from(["indent", "outdent", "up", "down", "delete_prev", "delete_pre",
                                          "preamble", "kind"]), st.integers(0, 50)), max_size=25)


@settings(max_examples=150, deadline=None)
@given(OPS)
@example([("outdent", 38), ("outdent", 2)])  # a node moved to the top kept "1.2", which a child of 1 then held
def test_no_sequence_of_edits_loses_a_word_or_repeats_a_reference(ops: list[tuple[str, int]]) -> None:
    plan = sample()
    before = words(content(plan))
    for op, pick in ops:
        nodes = plan.walk()
        if not nodes:
            break
        node = nodes[pick % len(nodes)]
        try:
            if op == "indent":
                edits.indent(plan, node)
            elif op == "outdent":
                edits.outdent(plan, node)
            elif op in ("up", "down"):
                edits.move(plan, node, -1 if op == "up" else 1)
            elif op == "delete_prev":
                edits.delete(plan, node, "previous")
            elif op == "delete_pre":
                edits.delete(plan, node, "preamble")
            elif op == "preamble":
                edits.to_preamble(plan, node)
            else:
                edits.set_kind(plan, node, edits.KINDS[pick % 4])
        except edits.EditRefused:
            pass
        refs = [n.ref for n in plan.walk()]
        assert len(refs) == len(set(refs))
    after = words(content(plan))
    assert all(after[w] >= n for w, n in before.items())  # every word of the titles and texts is still there
