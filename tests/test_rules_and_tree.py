"""db.model.rules (what a field may hold) and db.model.tree (walks and status counts): the
facade, the dialogs and the exports share them, so they must say what the
facade does."""

from __future__ import annotations

from typing import Any

import pytest

from db.briefing.facade import Briefing
from db.model import rules, tree
from db.model.errors import InvalidInput
from db.model.values import STATUSES, TRACKED_KINDS


@pytest.mark.parametrize(
    "fields",
    [{"title": "  "}, {"title": "Report", "published": "2024-13"}, {"title": "Report", "published": "June"}],
)
def test_the_source_rule_gives_the_sentence_the_facade_refuses_with(seeded: Briefing, fields: dict[str, Any]) -> None:
    problem = rules.source_problem(fields)
    assert problem
    with pytest.raises(InvalidInput) as refused:
        seeded.add_source(**fields)
    assert str(refused.value) == problem


def test_valid_source_and_meeting_fields_have_no_problem() -> None:
    assert rules.source_problem({"title": "Report", "published": "2024-06", "url": ""}) is None
    assert rules.meeting_problem({"title": "Dialogue", "date": None, "place": "Rome"}) is None


@pytest.mark.parametrize("fields", [{"title": ""}, {"title": "Dialogue", "date": "2024-02-30"}])
def test_the_meeting_rule_gives_the_sentence_the_facade_refuses_with(seeded: Briefing, fields: dict[str, Any]) -> None:
    problem = rules.meeting_problem(fields)
    assert problem
    with pytest.raises(InvalidInput) as refused:
        seeded.create_meeting(**fields)
    assert str(refused.value) == problem


@pytest.mark.parametrize(
    ("status", "comment"), [("with_challenges", "  "), ("not_pursued", ""), ("finished", "done")]
)
def test_the_status_rule_gives_the_sentence_the_facade_refuses_with(
    seeded: Briefing, status: str, comment: str
) -> None:
    node = seeded.node_by_ref("1.1.1")
    problem = rules.status_problem(status, comment)
    assert problem
    with pytest.raises(InvalidInput) as refused:
        seeded.set_status(node.id, status, comment)
    assert str(refused.value) == problem
    assert seeded.node(node.id).status == node.status


def test_a_status_with_its_comment_passes_the_rule_and_is_set(seeded: Briefing) -> None:
    node = seeded.node_by_ref("1.1.1")
    assert rules.needs_comment("with_challenges") and not rules.needs_comment("on_track")
    assert rules.status_problem("with_challenges", "Funding is late.") is None
    seeded.set_status(node.id, "with_challenges", "Funding is late.")
    assert seeded.node(node.id).status == "with_challenges"


def test_the_note_rule_wants_text_and_a_known_kind() -> None:
    assert rules.note_problem("risk", "Delays.") is None
    assert rules.note_problem("risk", "   ") == "A note needs some text."
    assert rules.note_problem("gossip", "Delays.") == (
        "'gossip' is not a note kind; use one of: talking_point, line_to_take, if_raised, press_line, background, "
        "update, risk, question."
    )


def test_status_counts_are_the_tracked_nodes_below_each_area_and_item(seeded: Briefing) -> None:
    plan = seeded.plans()[0]
    node = seeded.node_by_ref("1.1.1", plan.id)
    seeded.set_status(node.id, "on_track")
    nodes = seeded.nodes(plan.id)
    counts = tree.status_counts_of(nodes)
    children = tree.children_of(nodes)
    by_id = {n.id: n for n in nodes}
    untracked = [n for n in nodes if n.kind not in TRACKED_KINDS]
    assert untracked
    for n in untracked:
        # Counted the other way round: walk down from the node.
        below = [by_id[d] for d in tree.with_descendants(children, [n.id])[1:]]
        expected = tuple(
            (s, c) for s in STATUSES if (c := sum(1 for b in below if b.kind in TRACKED_KINDS and b.status == s))
        )
        assert tree.status_tally(counts.get(n.id)) == expected, n.ref
    area = seeded.node_by_ref("1", plan.id)
    assert dict(tree.status_tally(counts[area.id]))["on_track"] >= 1
    assert seeded.status_counts(plan.id) == counts


def test_depth_first_puts_parents_first_and_siblings_in_order(seeded: Briefing) -> None:
    nodes = seeded.nodes()
    assert tree.depth_first(reversed(nodes)) == nodes
    seen: set[str] = set()
    for n in nodes:
        assert n.parent_id is None or n.parent_id in seen
        seen.add(n.id)
    roots = tree.build_tree(nodes)
    assert [r.node.ref for r in roots] == [n.ref for n in nodes if n.parent_id is None]
