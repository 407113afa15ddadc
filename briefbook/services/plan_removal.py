"""What removing a plan takes with it, in words: the window's confirmation and the command line's."""

from __future__ import annotations

from db.model.values import PlanContents

__all__ = ["goes_with", "listed"]


def goes_with(c: PlanContents) -> str:
    return (f"It takes with it {listed(c)}. The sources and meetings themselves stay. Copies merged or synced "
            "with this file lose it too, unless a colleague changed something in it there.")


def listed(c: PlanContents) -> str:
    """"5 nodes (3 commitments, 1 with a status set), 1 note, 0 citations of sources and 0 agenda entries"."""

    def n(count: int, one: str, many: str) -> str:
        return f"{count} {one if count == 1 else many}"

    agenda = n(c.agenda_entries, "agenda entry", "agenda entries")
    if c.agenda_entries:
        agenda += f" in {n(c.meetings, 'meeting', 'meetings')}"
    return (f"{n(c.nodes, 'node', 'nodes')} ({n(c.commitments, 'commitment', 'commitments')}, "
            f"{c.statuses} with a status set), {n(c.notes, 'note', 'notes')}, "
            f"{n(c.citations, 'citation of a source', 'citations of sources')} and {agenda}")
