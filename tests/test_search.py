"""Full-text search: what a user types finds what they mean, and never fails."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.briefing.facade import Briefing
from db.model.folding import fold, snippet
from db.search.query import build_query


def refs(briefing: Briefing, query: str) -> set[tuple[str, str]]:
    by_id = {n.id: n.ref for n in briefing.nodes()}
    return {(h.kind, by_id[nid]) for h in briefing.search(query) for nid in h.node_ids}


def test_a_word_finds_its_prefix(seeded: Briefing) -> None:
    assert ("node", "3.3.1") in refs(seeded, "semicond")
    assert ("node", "3.2.1") in refs(seeded, "Critical Min")


def test_accents_may_be_left_out_and_case_does_not_matter(seeded: Briefing) -> None:
    node = seeded.node_by_ref("5.5.1")
    seeded.add_note(node.id, "background", "La città di Cortina ospiterà le gare.")
    assert ("note", "5.5.1") in refs(seeded, "citta")
    assert ("note", "5.5.1") in refs(seeded, "CITTÀ")
    assert ("note", "5.5.1") in refs(seeded, "ospitera")


def test_two_japanese_characters_find_longer_text(seeded: Briefing) -> None:
    node = seeded.node_by_ref("3.2.1")
    seeded.add_note(node.id, "update", "高市早苗首相とメローニ首相が会談した。")
    assert ("note", "3.2.1") in refs(seeded, "高市")
    assert ("note", "3.2.1") in refs(seeded, "メローニ")
    assert ("note", "3.2.1") not in refs(seeded, "岸田")
    hit = next(h for h in seeded.search("高市") if h.kind == "note")
    assert "高市早苗" in hit.snippet


def test_notes_and_sources_lead_to_their_commitments(seeded: Briefing) -> None:
    # "Baton" only occurs in the Japan News report's title, which is linked to 2.1.1.
    assert ("source", "2.1.1") in refs(seeded, "baton")
    node = seeded.node_by_ref("7.3.1")
    seeded.add_note(node.id, "question", "Parmigiano protection status?")
    assert refs(seeded, "parmigiano") == {("note", "7.3.1")}


def test_best_match_comes_first(seeded: Briefing) -> None:
    hits = seeded.search("semiconductor supply chain resilience")
    first = seeded.node(hits[0].node_ids[0])
    assert first.ref == "3.3.2"


def test_deleted_notes_are_not_found(seeded: Briefing) -> None:
    node = seeded.node_by_ref("1.1.1")
    note = seeded.add_note(node.id, "risk", "Zanzibar clause")
    assert refs(seeded, "zanzibar")
    seeded.delete_note(note.id)
    assert not refs(seeded, "zanzibar")
    seeded.restore_note(note.id)
    assert refs(seeded, "zanzibar")


def test_edited_text_is_found_by_its_new_words_only(seeded: Briefing) -> None:
    node = seeded.node_by_ref("1.1.1")
    note = seeded.add_note(node.id, "risk", "Quokka")
    seeded.edit_note(note.id, body="Wombat")
    assert not refs(seeded, "quokka") and refs(seeded, "wombat")


def test_query_syntax_is_never_interpreted() -> None:
    assert build_query('AND( "x" *') == '"and"* "x"*'
    assert build_query("NEAR(a, b)") == '"near"* "a"* "b"*'
    assert build_query('"') is None and build_query("") is None and build_query("*^-") is None


def test_folding() -> None:
    assert fold("Città") == "citta"
    assert fold("ＡＢＣ") == "abc"  # full-width letters
    assert "高  市" in fold("高市")


def test_snippet_centres_on_the_match() -> None:
    text = "word " * 100 + "semiconductors matter " + "tail " * 100
    s = snippet(text, "semicond")
    assert "semiconductors" in s and s.startswith("…") and s.endswith("…")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=40))
def test_any_typed_text_returns_results_or_none(seeded: Briefing, query: str) -> None:
    hits = seeded.search(query)
    assert isinstance(hits, list)
