"""File > Import Plan… on a revised text of the open plan says what the revision
will change (renumberings, removals) and asks before changing anything."""

from __future__ import annotations

from pathlib import Path

from test_import_dialog import open_dialog

from briefbook.gui.files.import_dialog import ImportDialog
from briefbook.services.paths import SEED_PLAN


def test_a_renumbering_revision_is_told_and_asked_before_it_is_written(
    qtbot, window, messages, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    briefing = window.context.briefing
    pm, mm = briefing.node_by_ref("2.1.1"), briefing.node_by_ref("2.1.2")
    lines = SEED_PLAN.read_text(encoding="utf-8").splitlines()
    revised = tmp_path / "revised.txt"  # the first commitment of 2.1 (the PM Dialogue) is dropped
    revised.write_text("\n".join(line for line in lines if "timeframe for regularly holding the PM" not in line),
                       encoding="utf-8")
    for answer in (False, True):
        messages.answers.append(answer)
        dialog = open_dialog(qtbot, window, revised)
        dialog.import_button.click()
        question = next(text for kind, _, text in reversed(messages.shown) if kind == "question")
        assert "2.1.2 → 2.1.1" in question and "their notes, sources, status and history go with them" in question
        if not answer:  # said no: nothing written
            assert briefing.node_by_ref("2.1.1").id == pm.id
            qtbot.waitUntil(lambda: window.findChild(ImportDialog) is None)  # closed and gone
    qtbot.waitUntil(lambda: briefing.node_by_ref("2.1.1").id == mm.id, timeout=5000)
    kept = briefing.node(pm.id)
    assert kept.retired  # the PM Dialogue carries the shipped notes and citations: it stays, marked
