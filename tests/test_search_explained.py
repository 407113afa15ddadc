"""Search that explains itself (data layer and command line): status comments are
searched, each node says why it matched, long queries stay fast, and `tree` and
`search` take --status and --kind."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from test_cli import bb

from db.briefing.facade import Briefing
from db.model.folding import MAX_TERMS, highlight_spans
from db.search.index import INDEX_CONTENT_KEY
from db.search.query import build_query


def test_status_comments_are_searchable_and_named_as_the_reason(seeded: Briefing) -> None:
    node = seeded.node_by_ref("3.2.1")
    seeded.set_status(node.id, "with_challenges", "Refinery funding is late")
    (hit,) = seeded.search("refinery")
    assert (hit.kind, hit.node_ids, hit.snippet) == ("node", (node.id,), "Status comment: Refinery funding is late")
    reasons = seeded.match_reasons("refinery")
    assert [(r.what, r.excerpt) for r in reasons[node.id]] == [("a status comment", "Refinery funding is late")]


def test_each_node_says_why_it_matched(seeded: Briefing) -> None:
    refs = {n.id: n.ref for n in seeded.nodes()}
    reasons = {refs[nid]: [r.what for r in rs] for nid, rs in seeded.match_reasons("critical minerals").items()}
    assert reasons["3.2"] == ["its text"]
    assert reasons["3.2.1"][0] == "its text" and "a linked source" in reasons["3.2.1"]
    assert reasons["2.2.1"] == ["a linked source"]  # only through a news report's title
    assert set(reasons) == set(refs[i] for i in seeded.matching_node_ids("critical minerals"))


def test_a_file_indexed_by_an_older_briefbook_is_indexed_again_on_open(seeded_path: Path) -> None:
    with Briefing.open(seeded_path, user="t") as b:
        node = b.node_by_ref("3.2.1")
        b.set_status(node.id, "with_challenges", "Refinery funding is late")
    conn = sqlite3.connect(seeded_path)
    with conn:  # as an older briefbook left it: the entry without its comment, no marker
        conn.execute("DELETE FROM meta WHERE key = ?", (INDEX_CONTENT_KEY,))
        conn.execute("UPDATE search_index SET body = 'x' WHERE row_id = ?", (node.id,))
    conn.close()
    with Briefing.open(seeded_path, read_only=True) as b:
        assert b.search("refinery") == []
    with Briefing.open(seeded_path, user="t") as b:
        assert [h.row_id for h in b.search("refinery")] == [node.id]


def test_repeated_and_thousands_of_words_are_cut_to_a_few_terms(seeded: Briefing) -> None:
    assert build_query("minerals " * 30000) == '"minerals"*'
    many = " ".join(f"w{i}" for i in range(30000))
    assert len((build_query(many) or "").split()) == MAX_TERMS
    started = time.monotonic()
    seeded.search("ab cd " * 30000)
    seeded.match_reasons(many)
    seeded.matching_node_ids("critical " * 3000)
    assert time.monotonic() - started < 2


def test_highlights_follow_the_index_words_and_accents() -> None:
    text = "La città, Critical Minerals and 高市早苗; uncritical"
    assert [text[s:e] for s, e in highlight_spans(text, "citta critic 高市")] == ["città", "Critic", "高市"]


def test_cli_filters_by_status_and_note_kind(seeded_path: Path) -> None:
    db = str(seeded_path)
    bb("status", "3.2.1", "--db", db, "--set", "with_challenges", "--comment", "Refinery funding is late")
    tree = json.loads(bb("tree", "--db", db, "--status", "with_challenges", "--json").stdout)

    def refs(nodes: list[dict]) -> list[str]:  # type: ignore[type-arg]
        return [r for n in nodes for r in [n["ref"], *refs(n["children"])]]

    assert refs(tree["plans"][0]["nodes"]) == ["3", "3.2", "3.2.1"]
    text = bb("tree", "--db", db, "--status", "achieved").stdout
    assert "No node has what --status/--kind ask for." in text
    hits = json.loads(bb("search", "refinery", "--db", db, "--json").stdout)["hits"]
    assert [(h["ref"], h["kind"]) for h in hits] == [("3.2.1", "node")]
    with Briefing.open(seeded_path, read_only=True) as b:
        with_updates = {n.ref for n in b.nodes() if n.id in b.nodes_with_note_kind("update")}
    hits = json.loads(bb("search", "critical minerals", "--db", db, "--kind", "update", "--json").stdout)["hits"]
    assert hits and {h["ref"] for h in hits} <= with_updates
    assert "3.2.1" in {h["ref"] for h in hits if h["kind"] == "note"}
    hits = json.loads(bb("search", "critical minerals", "--db", db, "--status", "with_challenges",
                         "--json").stdout)["hits"]
    assert {h["ref"] for h in hits} == {"3.2.1"}
    refused = bb("search", "x", "--db", db, "--status", "great", check=False)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
