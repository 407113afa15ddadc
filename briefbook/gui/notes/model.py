"""The selected node's notes as a list model: a heading row before each kind's
notes (talking points first), then one row per note, in briefing order.

The view draws the rows (briefbook/gui/notes/delegate.py), so a commitment
with 10,000 notes costs 10,000 small tuples here, not 10,000 widgets.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from briefbook.gui.widgets.formatting import local_time
from db.model.values import NOTE_KIND_LABELS, NOTE_KINDS, NoteInfo

KIND_HEADINGS = {
    "talking_point": "Talking points",
    "line_to_take": "Lines to take",
    "if_raised": "If raised",
    "press_line": "Press lines",
    "background": "Background",
    "update": "Updates",
    "risk": "Risks",
    "question": "Questions",
}

#: The NoteInfo of a note row (None on a heading row).
NOTE_ROLE = Qt.ItemDataRole.UserRole + 1
#: Whether the note is the first (`FIRST_ROLE`) or last (`LAST_ROLE`) of its kind: it cannot move further.
FIRST_ROLE = Qt.ItemDataRole.UserRole + 2
LAST_ROLE = Qt.ItemDataRole.UserRole + 3

AnyIndex = QModelIndex | QPersistentModelIndex


class Row(NamedTuple):
    heading: str  # "" on a note row
    note: NoteInfo | None
    first: bool = False
    last: bool = False


def byline(note: NoteInfo) -> str:
    """"Aiko Tanaka · 3 Mar 2025 10:00 (edited)": who wrote the note and when (plain text)."""
    when = local_time(note.updated_at if note.updated_at != note.created_at else note.created_at)
    when = when.replace(" ", "\u00a0")  # a narrow card wraps the byline after the name, not inside the date
    text = f"{note.author} · {when}"
    if note.updated_at != note.created_at:
        text += " (edited)"
    return text


#: Said after the byline of a conflicting copy a merge kept.
CONFLICT_MARK = "kept from a colleague's copy (both versions are here)"
#: Said after the byline of a note chosen as a key message of the brief.
KEY_MARK = "key message"


def marks(note: NoteInfo) -> str:
    """What is said in bold after the byline: a key message, a conflicting copy."""
    return " · ".join(m for m in (KEY_MARK if note.is_key else "", CONFLICT_MARK if note.conflict_of else "") if m)


class NotesModel(QAbstractListModel):
    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.rows: list[Row] = []
        self._row_of: dict[str, int] = {}
        #: False on a read-only file: the cards' buttons are drawn disabled.
        self.editable = False

    # -- filling ------------------------------------------------------------------------

    def set_notes(self, notes: list[NoteInfo], editable: bool) -> None:
        """Show `notes` (in briefing order, as `Briefing.notes` returns them)."""
        self.beginResetModel()
        self.editable = editable
        by_kind: dict[str, list[NoteInfo]] = {}
        for note in notes:
            by_kind.setdefault(note.kind, []).append(note)
        rows: list[Row] = []
        kinds = [k for k in NOTE_KINDS if k in by_kind] + sorted(k for k in by_kind if k not in NOTE_KINDS)
        for kind in kinds:
            group = by_kind[kind]
            rows.append(Row(KIND_HEADINGS.get(kind, NOTE_KIND_LABELS.get(kind, kind)), None))
            last = len(group) - 1
            rows.extend(Row("", note, i == 0, i == last) for i, note in enumerate(group))
        self.rows = rows
        self._row_of = {r.note.id: i for i, r in enumerate(rows) if r.note is not None}
        self.endResetModel()

    def replace_note(self, note: NoteInfo) -> bool:
        """Show the changed `note` in its row (same kind, same place); False if it is not shown."""
        row = self._row_of.get(note.id)
        if row is None or self.rows[row].note is None or self.rows[row].note.kind != note.kind:  # type: ignore[union-attr]
            return False
        self.rows[row] = self.rows[row]._replace(note=note)
        index = self.index(row)
        self.dataChanged.emit(index, index)
        return True

    # -- reading ------------------------------------------------------------------------

    def notes(self) -> list[NoteInfo]:
        return [r.note for r in self.rows if r.note is not None]

    def note_count(self) -> int:
        return len(self._row_of)

    def row_of(self, note_id: str) -> int:
        """The row showing the note, or -1."""
        return self._row_of.get(note_id, -1)

    def note_at(self, index: AnyIndex) -> NoteInfo | None:
        return self.rows[index.row()].note if index.isValid() and index.row() < len(self.rows) else None

    # -- the model ------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.rows[index.row()].note is None:
            return Qt.ItemFlag.NoItemFlags  # a heading: the keyboard passes over it
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        note = row.note
        if note is None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return row.heading
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return note.body
        if role == NOTE_ROLE:
            return note
        if role == FIRST_ROLE:
            return row.first
        if role == LAST_ROLE:
            return row.last
        if role == Qt.ItemDataRole.AccessibleTextRole:
            kind = NOTE_KIND_LABELS.get(note.kind, note.kind)
            said = f", {marks(note)}" if marks(note) else ""
            response = f" Response: {note.response}" if note.response else ""
            return f"{kind} note by {byline(note)}{said}: {note.body}{response}"
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return note.body
        return None
