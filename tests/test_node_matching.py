"""The tree filter's query: nodes whose own text, notes or sources match."""

from __future__ import annotations


def test_matches_node_text_notes_and_sources(seeded) -> None:
    ref = {n.id: n.ref for n in seeded.nodes()}
    node = seeded.node_by_ref("3.2.1")
    note = seeded.add_note(node.id, "background", "A note about zanzibarite deposits")
    assert {ref[i] for i in seeded.matching_node_ids("zanzibarite")} == {"3.2.1"}
    source = seeded.add_source("Report on quokkas")
    seeded.link_source(source.id, seeded.node_by_ref("1.1.1").id)
    seeded.link_source(source.id, seeded.node_by_ref("4.5.1").id)
    assert {ref[i] for i in seeded.matching_node_ids("quokkas")} == {"1.1.1", "4.5.1"}
    seeded.delete_note(note.id)
    assert seeded.matching_node_ids("zanzibarite") == set()


def test_japanese_and_empty_queries(seeded) -> None:
    node = seeded.node_by_ref("2.1.1")
    seeded.add_note(node.id, "update", "高市早苗 met Meloni")
    assert node.id in seeded.matching_node_ids("高市")
    assert seeded.matching_node_ids("") == set()
    seeded.matching_node_ids("\"*(AND")  # odd syntax is only text: no exception
