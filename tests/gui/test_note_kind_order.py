"""Note kinds come in one order everywhere: the meeting pack sets an entry's notes
out as talking points, lines to take, if raised, questions, risks, press lines, updates, background, and
the window's notes panel, note dialog, tree filter and export dialog list them the
same way."""

from __future__ import annotations

from notes_helpers import shown_notes
from window_helpers import action, open_dialogs

from briefbook.gui.export.dialog import ExportDialog
from briefbook.gui.notes.dialog import NoteDialog
from briefbook.gui.notes.model import KIND_HEADINGS
from db.briefing.facade import Briefing
from db.model.values import NOTE_KIND_LABELS, NOTE_KINDS
from exporters.book import BookOptions, build_meeting_book

#: The pack's order, as the README and the issue state it.
PACK_ORDER = ["talking_point", "line_to_take", "if_raised", "question", "risk", "press_line", "update", "background"]
TOKYO = "Kishida–Meloni summit meeting, Tokyo"


def tokyo_entry_ref(briefing: Briefing) -> str:
    meeting = next(m for m in briefing.meetings() if m.title == TOKYO)
    node_id = briefing.agenda(meeting.id)[0].node_id
    return next(n.ref for plan in briefing.plans() for n in briefing.nodes(plan.id) if n.id == node_id)


def test_the_window_shows_notes_in_the_packs_order(qtbot, window, seeded_path) -> None:  # type: ignore[no-untyped-def]
    briefing = window.context.briefing
    ref = tokyo_entry_ref(briefing)
    node_id = briefing.node_by_ref(ref).id
    for kind in reversed(PACK_ORDER):  # written in the opposite order
        briefing.add_note(node_id, kind, f"A {kind} note", author="tester")
    meeting = next(m for m in briefing.meetings() if m.title == TOKYO)
    # The desk's edition sets every kind out under the entry (the principal's annexes the background).
    book = build_meeting_book(briefing, meeting.id, BookOptions(edition="desk"))
    entry = next(e for e in book.entries() if e.ref == ref)
    pack = [g.kind for g in entry.note_groups]
    assert pack == PACK_ORDER

    window.tree_pane.select_ref("1.1.1")
    window.tree_pane.select_ref(ref)  # the panel reads the notes written above
    shown = shown_notes(window.notes_panel)  # the seeded notes there too
    assert list(dict.fromkeys(n.heading for n in shown)) == [KIND_HEADINGS[k] for k in pack]
    assert list(dict.fromkeys(n.kind for n in briefing.notes(node_id))) == pack  # what `note list` prints


def test_every_list_of_kinds_in_the_window_follows_the_pack(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    assert list(NOTE_KINDS) == PACK_ORDER and list(NOTE_KIND_LABELS) == PACK_ORDER
    labels = [NOTE_KIND_LABELS[k] for k in PACK_ORDER]

    dialog = NoteDialog("New note")
    qtbot.addWidget(dialog)
    assert [dialog.kind.itemText(i) for i in range(dialog.kind.count())] == labels

    kind_filter = window.tree_pane.kind_filter
    assert [kind_filter.itemData(i) for i in range(1, kind_filter.count())] == PACK_ORDER

    action(window, "exportAction").trigger()
    [export] = open_dialogs(window, ExportDialog)
    def reading_order(box):  # type: ignore[no-untyped-def]
        at = box.mapTo(export, box.rect().topLeft())
        return (at.y(), at.x())

    boxes = sorted(export.kind_checks.values(), key=reading_order)
    assert [box.text() for box in boxes] == labels  # as read on screen: row by row, left to right
    export.close()


def test_the_empty_notes_panel_names_the_kinds_in_that_order(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.tree_pane.select_ref("1.1.1")
    panel = window.notes_panel
    assert panel.pages.currentWidget() is panel.message
    assert panel.message.text() == ("No notes on 1.1.1 yet. Add talking points, lines to take, if raised, questions, "
                                    "risks, press lines, updates or background with “Add note…”.")
