"""Plain typed values that cross the layers.

The facade (`db.briefing.facade.Briefing`) hands these out instead of ORM rows, so the
GUI, the command line and the exporters never hold a session-bound object.
They are NamedTuples: a value is an immutable snapshot (to change the file,
call the facade), and a NamedTuple is cheap to define, where 40 frozen
dataclasses cost every command some 20 ms at start-up. The plan importer's drafts,
built up step by step, are in `db.model.drafts`.
"""

from __future__ import annotations

from typing import NamedTuple

# -- statuses ---------------------------------------------------------------

#: Implementation statuses, in the order a tracker lists them.
STATUSES: tuple[str, ...] = (
    "not_started",
    "on_track",
    "ongoing",
    "with_challenges",
    "achieved",
    "not_pursued",
)
STATUS_LABELS: dict[str, str] = {
    "not_started": "Not started",
    "on_track": "On track",
    "ongoing": "Ongoing",
    "with_challenges": "With challenges",
    "achieved": "Achieved",
    "not_pursued": "Not pursued",
}
#: RAG-style colours (hex), shared by the window and the exports. White text on
#: each reaches WCAG AA (4.5:1; a test checks), and "ongoing" is a teal, not a
#: second green beside "on track".
STATUS_COLOURS: dict[str, str] = {
    "not_started": "#5c636e",
    "on_track": "#2e8540",
    "ongoing": "#0e6b70",
    "with_challenges": "#a35a00",
    "achieved": "#1f5fa8",
    "not_pursued": "#c0392b",
}
#: Statuses that may only be set together with a comment.
STATUSES_NEEDING_COMMENT: frozenset[str] = frozenset({"with_challenges", "not_pursued"})

# -- note kinds ---------------------------------------------------------------

#: Note kinds in the order a briefing pack presents them (talking points first).
NOTE_KINDS: tuple[str, ...] = (
    "talking_point",
    "line_to_take",
    "if_raised",
    "press_line",
    "background",
    "update",
    "risk",
    "question",
)
NOTE_KIND_LABELS: dict[str, str] = {
    "talking_point": "Talking point",
    "line_to_take": "Line to take",
    "if_raised": "If raised",
    "press_line": "Press line",
    "background": "Background",
    "update": "Update",
    "risk": "Risk",
    "question": "Question",
}
#: The kind whose note is their ask, answered by the note's `response`.
ASK_KIND = "if_raised"

NODE_KINDS: tuple[str, ...] = ("area", "item", "commitment", "subcommitment")
#: Node kinds that carry an implementation status.
TRACKED_KINDS: frozenset[str] = frozenset({"commitment", "subcommitment"})


# -- what the plan importer reports ------------------------------------------


class UnplacedLine(NamedTuple):
    """A line of the input the importer could not put in the tree."""

    line_no: int  # 1-based
    text: str
    reason: str


# -- what the facade hands out ---------------------------------------------------


class PlanInfo(NamedTuple):
    id: str
    title: str
    parties: tuple[str, ...]
    period: str | None
    adopted_on: str | None
    preamble: str
    updated_at: str
    updated_by: str


class NodeInfo(NamedTuple):
    id: str
    plan_id: str
    parent_id: str | None
    kind: str
    ref: str
    position: int
    title: str
    text: str
    status: str | None  # None for areas and items
    lead_office: str
    status_changed_at: str | None
    status_changed_by: str | None
    updated_at: str
    updated_by: str
    #: When a revised plan text dropped it (it stays while things hang on it).
    retired_at: str | None = None

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


#: How a node a revised plan text dropped is marked wherever it is shown (window, command line, packs).
RETIRED_MARK = "(removed from the plan)"


class TreeNode(NamedTuple):
    """A node with its children, for whole-tree reads (tree view, exports)."""

    node: NodeInfo
    children: tuple[TreeNode, ...]


class StatusChange(NamedTuple):
    id: str
    node_id: str
    from_status: str | None
    to_status: str
    comment: str
    changed_at: str
    changed_by: str


class NoteInfo(NamedTuple):
    id: str
    node_id: str
    kind: str
    body: str
    author: str
    position: int
    created_at: str
    updated_at: str
    updated_by: str
    conflict_of: str | None  # set on a conflicting copy kept by a merge
    response: str = ""  # an "if raised" note: our response to the ask its body holds
    is_key: int = 0  # 1: chosen as a key message (the pack's steering page lists it)


class AttachmentInfo(NamedTuple):
    id: str
    source_id: str
    filename: str
    media_type: str
    sha256: str
    size: int
    added_at: str


class SourceInfo(NamedTuple):
    id: str
    title: str
    outlet: str
    url: str
    published: str | None  # "2024", "2024-06" or "2024-06-16"; None if unknown
    excerpt: str
    updated_at: str
    updated_by: str


class LinkedSource(NamedTuple):
    """A source as linked to one node, with the pinpoint quote of that link."""

    link_id: str
    source: SourceInfo
    node_id: str
    quote: str
    attachments: tuple[AttachmentInfo, ...]


class MeetingInfo(NamedTuple):
    id: str
    title: str
    date: str | None  # ISO date, possibly partial
    place: str
    participants: str
    classification: str
    purpose: str
    updated_at: str
    updated_by: str
    objectives: str = ""  # what the desk wants from the meeting, one a line
    press_line: str = ""  # what may be said to the press


class AgendaItemInfo(NamedTuple):
    id: str
    meeting_id: str
    node_id: str
    ref: str
    title: str
    position: int
    points: str  # meeting-specific points (Markdown)
    objective: str = ""  # what the desk wants from this item


class SearchHit(NamedTuple):
    """One search result. `node_ids` are the nodes the hit belongs to."""

    kind: str  # "node", "note" or "source"
    row_id: str
    node_ids: tuple[str, ...]
    snippet: str
    rank: float


class ImportReport(NamedTuple):
    plan_id: str
    added: int
    updated: int
    unchanged: int
    removed: int
    unplaced: tuple[UnplacedLine, ...]
    #: Of the removed nodes, those kept visible (marked removed from the plan)
    #: because notes, citations or agenda entries hang on them.
    kept_removed: int = 0
    #: Nodes a revision renumbered (matched by their words; they keep their notes).
    renumbered: int = 0


class StatusCounts(NamedTuple):
    """How many tracked commitments below a node are in each status."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class MatchReason(NamedTuple):
    """Why a node matched the tree filter: `what` in words ("its text", "a note", "a
    linked source", "a status comment") and `excerpt`, the passage holding the words."""

    what: str
    excerpt: str


class ImportPreview(NamedTuple):
    """What importing a draft would change in a file, told before anything is written."""

    plan_exists: bool
    added: tuple[str, ...]  # refs
    updated: tuple[str, ...]
    renumbered: dict[str, str]  # new ref -> old ref
    removed: tuple[str, ...]  # refs of stored nodes the text no longer has
    kept: tuple[str, ...]  # of those, the ones that stay (things hang on them)
    would_replace: bool  # mostly another plan under this title: refused without replace


class PlanContents(NamedTuple):
    """What removing a plan takes with it, counted for the confirmation (`db.plans.removal`)."""

    plan_id: str
    title: str
    nodes: int
    commitments: int  # of the nodes, those that carry a status
    notes: int
    statuses: int  # commitments whose status was set (not "not started")
    citations: int
    agenda_entries: int
    meetings: int  # meetings with one of those agenda entries


class PlanRemoval(NamedTuple):
    """A removal done: enough to undo exactly it."""

    plan_id: str
    title: str
    deleted_at: str  # the stamp every row removed with the plan carries
    contents: PlanContents
