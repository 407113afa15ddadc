"""The tree's search explains itself: each matching row says where the words
were found, highlighted; a reference goes to its node; the status and note-kind
filters narrow the tree."""

from __future__ import annotations

from PySide6.QtCore import Qt

from briefbook.gui.context import Changed, ChangeKind
from briefbook.gui.tree.match_text import MATCH_HTML_ROLE
from briefbook.gui.tree.model import NODE_ID_ROLE, TITLE_COLUMN


def visible_rows(pane) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """ref -> what the title column shows (match text, else the title), for every visible row."""
    out: dict[str, str] = {}
    proxy = pane.proxy

    def walk(parent) -> None:  # type: ignore[no-untyped-def]
        for row in range(proxy.rowCount(parent)):
            index = proxy.index(row, 0, parent)
            title = proxy.index(row, TITLE_COLUMN, parent)
            node = pane.model.node(index.data(NODE_ID_ROLE))
            out[node.ref] = title.data(MATCH_HTML_ROLE) or title.data()
            walk(index)

    walk(proxy.index(-1, -1))
    return out


def type_search(qtbot, pane, text: str) -> None:  # type: ignore[no-untyped-def]
    pane.search.setFocus()
    pane.search.clear()
    qtbot.keyClicks(pane.search, text)


def test_each_match_says_where_the_words_were_found(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    pane = window.tree_pane
    type_search(qtbot, pane, "critical minerals")
    label = pane.match_label.text()
    assert label.startswith("8 matches: 2 in their own text, 6 only in a linked source"), label
    rows = visible_rows(pane)
    assert "in a linked source" in rows["2.2.1"]
    assert "background-color:#ffe58a" in rows["2.2.1"] and ">Critical Minerals</span>" not in rows["2.2.1"]
    assert ">Critical</span>" in rows["3.2"] and ">Minerals</span>" in rows["3.2"]
    assert "in its text" not in rows["3.2"] and "in a" not in rows["3.2"]  # its own title holds the words: nothing more to say
    tip = pane.proxy.index(0, TITLE_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert tip is None or "Found in" in tip


def test_file_text_is_escaped_before_it_is_highlighted(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    briefing = window.context.briefing
    node = briefing.node_by_ref("1.1.1")
    briefing.add_note(node.id, "risk", "Watch <b>zanzibar</b> & <img src=x>")
    type_search(qtbot, window.tree_pane, "zanzibar")
    shown = visible_rows(window.tree_pane)["1.1.1"]
    assert "&lt;b&gt;" in shown and "&lt;img src=x&gt;" in shown and "&amp;" in shown
    assert "<img" not in shown and "in a note (risk)" in shown


def test_a_status_comment_is_found_in_the_window(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    briefing = window.context.briefing
    briefing.set_status(briefing.node_by_ref("3.2.1").id, "with_challenges", "Refinery funding is late")
    type_search(qtbot, window.tree_pane, "refinery")
    rows = visible_rows(window.tree_pane)
    assert "in a status comment" in rows["3.2.1"]
    assert window.tree_pane.match_label.text().startswith("1 match: 1 only in a status comment")


def test_a_reference_typed_in_the_box_goes_to_that_node(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    pane = window.tree_pane
    count = len(visible_rows(pane))
    type_search(qtbot, pane, "3.2.1")
    assert pane.model.node(window.context.current_node_id).ref == "3.2.1"
    assert len(visible_rows(pane)) == count  # nothing filtered away
    assert pane.match_label.text().startswith("Went to commitment 3.2.1")
    assert pane.search.hasFocus()
    qtbot.keyClick(pane.search, Qt.Key.Key_Down)
    assert pane.tree.hasFocus() and pane.tree.currentIndex().data() == "3.2.1"


def test_status_and_note_kind_filters_narrow_the_tree(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    pane = window.tree_pane
    briefing = window.context.briefing
    node = briefing.node_by_ref("3.2.1")
    briefing.set_status(node.id, "with_challenges", "Refinery funding is late")
    window.context.notify(Changed(ChangeKind.STATUS, node.id))  # as the status panel does
    pane.status_filter.setFocus()
    while pane.status_filter.currentData() != "with_challenges":
        qtbot.keyClick(pane.status_filter, Qt.Key.Key_Down)
    assert list(visible_rows(pane)) == ["3", "3.2", "3.2.1"]
    assert pane.match_label.text().startswith("1 match")
    pane.status_filter.setCurrentIndex(0)
    pane.kind_filter.setCurrentIndex(pane.kind_filter.findData("update"))
    with_updates = {n.ref for n in briefing.nodes() if n.id in briefing.nodes_with_note_kind("update")}
    shown = visible_rows(pane)
    assert with_updates <= set(shown) and "1.1.1" not in shown
    type_search(qtbot, pane, "critical minerals")  # both: a search within the filter
    matches = {pane.model.node(i).ref for i in briefing.matching_node_ids("critical minerals")} & with_updates
    assert pane.match_label.text().startswith(f"{len(matches)} match")
    pane.select_ref("1.1.1")  # going to a node the filter hides shows everything again
    assert pane.kind_filter.currentData() == "" and "1.1.1" in visible_rows(pane)
