"""The plan tree: the model and its filter pass Qt's model tester, the user
selects 3.2.1 with the mouse and filters by typing."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QInputMethodEvent

from briefbook.gui.context import Changed, ChangeKind
from briefbook.gui.tree.filter import TreeFilter
from briefbook.gui.tree.model import COUNTS_ROLE, NODE_ID_ROLE, NODE_IDS_MIME, STATUS_COLUMN, PlanTreeModel
from db.briefing.facade import Briefing


def visible_refs(win) -> set[str]:  # type: ignore[no-untyped-def]
    refs: set[str] = set()
    proxy = win.tree_pane.proxy

    def walk(parent: QModelIndex) -> None:
        for row in range(proxy.rowCount(parent)):
            index = proxy.index(row, 0, parent)
            refs.add(index.data())
            walk(index)

    walk(QModelIndex())
    return refs


def test_models_pass_the_qt_model_tester(qtmodeltester, seeded: Briefing) -> None:
    model = PlanTreeModel()
    model.set_nodes(seeded.nodes())
    qtmodeltester.check(model)
    proxy = TreeFilter()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_matches(seeded.matching_node_ids("minerals"))
    qtmodeltester.check(proxy)
    proxy.set_matches(None)
    qtmodeltester.check(proxy)


def test_tree_shows_refs_titles_statuses_and_counts(seeded: Briefing) -> None:
    node = seeded.node_by_ref("3.2.1")
    seeded.set_status(node.id, "with_challenges", "Export restrictions")
    model = PlanTreeModel()
    model.set_nodes(seeded.nodes())
    index = model.index_of(node.id)
    assert index.data() == "3.2.1"
    assert model.index(index.row(), STATUS_COLUMN, index.parent()).data() == "With challenges"
    assert model.index(index.row(), STATUS_COLUMN, index.parent()).data(Qt.ItemDataRole.DecorationRole) is not None
    area = model.index_of(seeded.node_by_ref("3").id, STATUS_COLUMN)
    counts = dict(area.data(COUNTS_ROLE))
    assert counts["with_challenges"] == 1
    assert counts["not_started"] == 10  # 3 holds 11 tracked commitments and subcommitments
    assert "1 with challenges" in area.data(Qt.ItemDataRole.ToolTipRole)


def test_drag_carries_node_ids(seeded: Briefing) -> None:
    model = PlanTreeModel()
    model.set_nodes(seeded.nodes())
    a, b = seeded.node_by_ref("3.2.1"), seeded.node_by_ref("1.1.1")
    mime = model.mimeData([model.index_of(a.id), model.index_of(a.id, 1), model.index_of(b.id)])
    assert bytes(mime.data(NODE_IDS_MIME).data()).decode() == f"{a.id}\n{b.id}"
    assert mime.text() == "3.2.1\n1.1.1"


def test_select_321_with_the_mouse(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    pane = window.tree_pane
    source = pane.model.index_of(window.context.briefing.node_by_ref("3.2.1").id)
    index = pane.proxy.mapFromSource(source)
    pane.tree.scrollTo(index)
    rect = pane.tree.visualRect(index)
    qtbot.mouseClick(pane.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.context.current_node_id == source.data(NODE_ID_ROLE)
    assert window.node_panel.heading.text() == "3.2.1"
    assert "critical" in window.node_panel.full_text.text()
    assert "3.2 Cooperation on Critical Minerals" in window.node_panel.breadcrumb.text()
    assert window.notes_panel.summary.text() == "2 notes on 3.2.1"


def test_filter_as_you_type_keeps_matches_with_ancestors(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    search = window.tree_pane.search
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert search.hasFocus()
    qtbot.keyClicks(search, "rare earth")
    refs = visible_refs(window)
    # 3.2.1 and 3.1.1.3 match only through their notes ("rare earth" is not in their text).
    assert {"3.2.1", "3.1.1.3", "3", "3.2", "3.1", "3.1.1"} <= refs
    assert "1.1.1" not in refs and "1" not in refs
    assert "match" in window.tree_pane.match_label.text()
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == ""
    assert {"1.1.1", "7"} <= visible_refs(window)


def test_search_finds_a_note_written_in_japanese(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    briefing = window.context.briefing
    briefing.add_note(briefing.node_by_ref("2.1.1").id, "update", "高市早苗 met Meloni")
    window.context.notify(Changed(ChangeKind.NOTE))
    search = window.tree_pane.search
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert search.hasFocus()
    # Japanese arrives from an input method as a committed string, not key by key.
    event = QInputMethodEvent()
    event.setCommitString("高市")
    QCoreApplication.sendEvent(search, event)
    assert search.text() == "高市"
    refs = visible_refs(window)
    assert "2.1.1" in refs and "3.2.1" not in refs


def test_nothing_matches_says_so(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(window.tree_pane.search, "zzzqqq")
    assert visible_refs(window) == set()
    assert window.tree_pane.match_label.text() == "Nothing matches."


def test_context_menu_offers_meeting_note_and_copying_the_reference(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QMenu

    shown: list[list[str]] = []

    def use_the_menu() -> None:  # runs inside the menu's own event loop
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, use_the_menu)
            return
        shown.append([a.text() for a in menu.actions()])
        copy = next(a for a in menu.actions() if a.text() == "&Copy Reference")
        menu.close()
        copy.trigger()

    pane = window.tree_pane
    QGuiApplication.clipboard().clear()
    index = pane.proxy.mapFromSource(pane.model.index_of(window.context.briefing.node_by_ref("3.2.1").id))
    pane.tree.scrollTo(index)
    QTimer.singleShot(0, use_the_menu)
    pane.tree.customContextMenuRequested.emit(pane.tree.visualRect(index).center())  # a right-click there
    assert shown == [["Add to &Meeting…", "Add &Note…", "", "&Copy Reference"]]
    assert window.context.current_node_id == window.context.briefing.node_by_ref("3.2.1").id
    assert QGuiApplication.clipboard().text() == "3.2.1"
