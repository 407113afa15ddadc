"""Typed change notifications: each panel hears the kinds it declares, shows the
row a write returned without reading it again, and re-reads on EVERYTHING.

The values notified here are deliberately not what the file holds: a panel
that showed the file instead of the notified row would fail."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from notes_helpers import shown_notes

from briefbook.gui.context import AppContext, Changed, ChangeKind
from briefbook.gui.meetings.panel import MeetingsPanel
from briefbook.gui.node.panel import NodePanel
from briefbook.gui.node.status_history import StatusHistoryPanel
from briefbook.gui.notes.panel import NotesPanel
from briefbook.gui.sources.panel import SourcesPanel
from db.briefing.facade import Briefing
from db.model.values import StatusChange

TOKYO_2024 = "Kishida–Meloni summit meeting, Tokyo"


@pytest.fixture
def ctx(seeded_path: Path) -> Iterator[AppContext]:
    context = AppContext()
    context.set_briefing(Briefing.open(seeded_path, user="tester"))
    yield context
    context.set_briefing(None)


@pytest.fixture
def panels(ctx: AppContext, qtbot) -> dict[str, object]:  # type: ignore[no-untyped-def]
    made = {
        "node": NodePanel(ctx), "history": StatusHistoryPanel(ctx), "notes": NotesPanel(ctx),
        "sources": SourcesPanel(ctx), "meetings": MeetingsPanel(ctx),
    }
    for widget in made.values():
        qtbot.addWidget(widget)
    assert ctx.briefing is not None
    ctx.select_node(ctx.briefing.node_by_ref("3.2.1").id)
    return made


def test_every_panel_declares_what_it_listens_to() -> None:
    for panel in (NodePanel, StatusHistoryPanel, NotesPanel, SourcesPanel, MeetingsPanel):
        assert panel.LISTENS_TO and all(isinstance(k, ChangeKind) for k in panel.LISTENS_TO)
        assert ChangeKind.SEARCH_INDEX not in panel.LISTENS_TO  # a rebuilt index changes no row they show
    assert Changed(ChangeKind.EVERYTHING).concerns(frozenset())
    assert not Changed(ChangeKind.NOTE).concerns(frozenset({ChangeKind.SOURCE}))


def test_one_typed_signal_carries_every_change(ctx: AppContext) -> None:
    heard: list[Changed] = []
    ctx.notified.connect(heard.append)
    ctx.notify(Changed(ChangeKind.NOTE, "n1"))
    ctx.notify(Changed(ChangeKind.SEARCH_INDEX))
    assert heard == [Changed(ChangeKind.NOTE, "n1"), Changed(ChangeKind.SEARCH_INDEX)]
    assert not hasattr(ctx, "dataChanged") and not hasattr(ctx, "changed")  # no second, string-typed way


def test_node_panel_shows_the_returned_node(ctx: AppContext, panels) -> None:  # type: ignore[no-untyped-def]
    node = panels["node"].node
    ctx.notify(Changed(ChangeKind.NODE, node.id, node._replace(lead_office="Notified office")))
    assert panels["node"].lead_office.text() == "Notified office"


def test_history_panel_puts_the_returned_change_on_top(ctx: AppContext, panels) -> None:  # type: ignore[no-untyped-def]
    node_id = ctx.current_node_id
    change = StatusChange("c1", node_id, "not_started", "achieved", "Notified comment",
                          "2025-01-01T00:00:00.000000Z", "someone")
    ctx.notify(Changed(ChangeKind.STATUS, node_id, change))
    history = panels["history"]
    assert history.currentWidget() is history.table
    assert history.table.topLevelItem(0).text(4) == "Notified comment"


def test_notes_panel_shows_the_returned_note_in_place(ctx: AppContext, panels) -> None:  # type: ignore[no-untyped-def]
    notes = panels["notes"]
    first = notes.notes[0]
    resets: list[bool] = []
    notes.model.modelReset.connect(lambda: resets.append(True))
    ctx.notify(Changed(ChangeKind.NOTE, first.id, first._replace(body="Notified **body**")))
    shown = shown_notes(notes)
    assert shown[[n.id for n in shown].index(first.id)].text == "Notified body"
    assert [n.id for n in notes.notes] == [n.id for n in shown]  # same notes, same order
    assert resets == []  # the one row redrawn, the list not rebuilt


def test_notes_panel_ignores_a_rebuilt_search_index(ctx: AppContext, panels) -> None:  # type: ignore[no-untyped-def]
    notes = panels["notes"]
    shown = [n.id for n in shown_notes(notes)]
    resets: list[bool] = []
    notes.model.modelReset.connect(lambda: resets.append(True))
    ctx.notify(Changed(ChangeKind.SEARCH_INDEX))
    assert resets == []  # not rebuilt
    ctx.notify(Changed(ChangeKind.EVERYTHING))
    assert resets == [True] and [n.id for n in shown_notes(notes)] == shown  # rebuilt, the same notes


def test_sources_panel_shows_the_returned_source(ctx: AppContext, panels) -> None:  # type: ignore[no-untyped-def]
    sources = panels["sources"]
    shown = sources.current_source().source
    ctx.notify(Changed(ChangeKind.SOURCE, shown.id, shown._replace(title="Notified title")))
    assert sources.title_label.text() == "Notified title"
    assert sources.current_source().source.title == "Notified title"  # still the selected one


def test_meetings_panel_shows_returned_points_and_meeting(ctx: AppContext, panels) -> None:  # type: ignore[no-untyped-def]
    meetings = panels["meetings"]
    meetings.select_meeting(next(m.id for m in meetings.meetings_model.items() if m.title == TOKYO_2024))
    item = meetings.current_item()
    ctx.notify(Changed(ChangeKind.AGENDA, item.meeting_id, item._replace(points="- Notified point")))
    assert meetings.points_edit.toPlainText() == "- Notified point"
    assert meetings.agenda_model.item(0).points == "- Notified point"

    meeting = meetings.current_meeting()
    ctx.notify(Changed(ChangeKind.MEETING, meeting.id, meeting._replace(place="Notified place")))
    assert "Notified place" in meetings.details_label.text()
    assert meetings.current_meeting().place == "Notified place"
