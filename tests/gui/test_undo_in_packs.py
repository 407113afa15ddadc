"""A status change undone in the window is not a change: the pack's digest leaves it (and its
undo) out, while the file keeps every row (copies merge their histories as a union)."""

from __future__ import annotations

from pathlib import Path

from test_status import choose_status
from window_helpers import action

from db.briefing.facade import Briefing
from db.model.history import without_undone
from exporters.book import BookOptions, build_plan_book


def test_an_undone_status_change_is_left_out_of_the_digest(qtbot, window, seeded_path: Path) -> None:  # type: ignore[no-untyped-def]
    window.tree_pane.select_ref("3.2.1")
    choose_status(qtbot, window, "on_track")
    action(window, "undoAction").trigger()
    window.tree_pane.select_ref("3.3.1")
    choose_status(qtbot, window, "achieved")  # a change that stays
    with Briefing.open(seeded_path, read_only=True) as b:
        node = b.node_by_ref("3.2.1")
        assert len(b.status_history(node.id)) == 2 and without_undone(b.status_history(node.id)) == []
        book = build_plan_book(b, b.plans()[0].id, options=BookOptions(since="2000-01-01"))
    digest = next(p for p in book.parts if type(p).__name__ == "ChangesPart")
    lines = [(c.ref, c.what) for c in digest.changes if c.what.startswith("Status")]  # type: ignore[attr-defined]
    assert lines == [("3.3.1", "Status Not started → Achieved")]
    # Redo, then the change is one again.
    window.tree_pane.select_ref("3.2.1")
    action(window, "undoAction").trigger()  # undo the 3.3.1 change
    action(window, "redoAction").trigger()
    with Briefing.open(seeded_path, read_only=True) as b:
        assert without_undone(b.status_history(b.node_by_ref("3.3.1").id)) != []
