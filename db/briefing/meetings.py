"""The facade's meetings and their agendas (the nodes to be discussed, in order, with points)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from db.briefing.access import Access
from db.disk.connections import delete_children, insert_row, restore_children, select_list, update_row
from db.model import ids, rules
from db.model.errors import InvalidInput, NotFound
from db.model.values import AgendaItemInfo, MeetingInfo

_MEETING_COLS = select_list(MeetingInfo)


class MeetingsCombined(NamedTuple):
    """What `combine_meetings` changed, for `separate_meetings` to undo."""

    kept: MeetingInfo
    other_id: str
    moved: tuple[tuple[str, int], ...]  # (agenda item id, its position in the other meeting)
    joined: tuple[tuple[str, str, str], ...]  # (the kept meeting's item id, its points and objective before)
    filled: tuple[tuple[str, str | None], ...]  # the kept meeting's empty fields, as they were

_AGENDA_SELECT = (
    "SELECT a.id, a.meeting_id, a.node_id, n.ref, n.title, a.position, a.points, a.objective, a.deleted_at "
    "FROM agenda_item a JOIN node n ON n.id = a.node_id"
)


class Meetings(Access):
    """Meetings, and the agenda of each."""

    def meetings(self) -> list[MeetingInfo]:
        with self._read() as conn:
            rows = conn.execute(f"SELECT {_MEETING_COLS} FROM meeting WHERE deleted_at IS NULL").fetchall()
        # Dated meetings first, newest first; undated ones after, by title.
        infos = [MeetingInfo(*r) for r in rows]
        return sorted(infos, key=lambda m: (m.date is None, _neg_date(m.date), m.title.casefold()))

    def meeting(self, meeting_id: str) -> MeetingInfo:
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {_MEETING_COLS} FROM meeting WHERE id = ? AND deleted_at IS NULL", (meeting_id,)
            ).fetchone()
        if row is None:
            raise NotFound(f"There is no meeting {meeting_id!r} in this file.")
        return MeetingInfo(*row)

    def create_meeting(self, title: str, row_id: str | None = None, **fields: Any) -> MeetingInfo:
        values = rules.meeting_values({"title": title, **fields})
        meeting_id = row_id or ids.new_id()
        with self._write() as conn:
            insert_row(conn, "meeting", {"id": meeting_id, **values, "deleted_at": None, **self._stamp()})
        return self.meeting(meeting_id)

    def edit_meeting(self, meeting_id: str, **fields: Any) -> MeetingInfo:
        old = self.meeting(meeting_id)
        values = rules.meeting_values({k: fields.get(k, getattr(old, k)) for k in rules.MEETING_FIELDS})
        with self._write() as conn:
            update_row(conn, "meeting", meeting_id, {**values, **self._stamp()})
        return self.meeting(meeting_id)

    def delete_meeting(self, meeting_id: str) -> None:
        self.meeting(meeting_id)
        stamp = self._stamp()
        with self._write() as conn:
            update_row(conn, "meeting", meeting_id, {"deleted_at": stamp["updated_at"], **stamp})
            # Its agenda goes with it (and comes back with it): a live entry after a
            # merge is a colleague's change this deletion never saw.
            delete_children(conn, [("agenda_item", "meeting_id")], meeting_id, stamp)

    def restore_meeting(self, meeting_id: str) -> MeetingInfo:
        with self._write() as conn:
            row = conn.execute("SELECT deleted_at FROM meeting WHERE id = ?", (meeting_id,)).fetchone()
            stamp = self._stamp()
            update_row(conn, "meeting", meeting_id, {"deleted_at": None, **stamp})
            if row and row[0]:
                restore_children(conn, [("agenda_item", "meeting_id")], meeting_id, row[0], stamp)
        return self.meeting(meeting_id)

    def combine_meetings(self, keep_id: str, other_id: str) -> MeetingsCombined:
        """Make two records of one meeting one (two colleagues each created it): the other's
        agenda entries move to `keep_id` (after its own; an entry for a node both have keeps
        both sets of points), `keep_id` takes the other's date, place, participants, marking
        or purpose where it has none, and the other is deleted (it stays in the history).
        Returns what changed, which `separate_meetings` undoes."""
        if keep_id == other_id:
            raise InvalidInput("Choose two different meetings to combine.")
        keep, other = self.meeting(keep_id), self.meeting(other_id)
        mine = {a.node_id: a for a in self.agenda(keep_id)}
        theirs = self.agenda(other_id)
        stamp = self._stamp()
        moved: list[tuple[str, int]] = []
        joined: list[tuple[str, str, str]] = []
        with self._write() as conn:
            position = len(mine)
            for item in theirs:
                same = mine.get(item.node_id)
                if same is None:
                    update_row(conn, "agenda_item", item.id, {"meeting_id": keep_id, "position": position, **stamp})
                    moved.append((item.id, item.position))
                    position += 1
                elif (item.points.strip() and item.points.strip() != same.points.strip()) or (
                        item.objective and not same.objective):
                    points = "\n\n".join(p for p in dict.fromkeys((same.points.strip(), item.points.strip())) if p)
                    update_row(conn, "agenda_item", same.id,
                               {"points": points, "objective": same.objective or item.objective, **stamp})
                    joined.append((same.id, same.points, same.objective))
            filled = rules.gaps_filled(keep, other, tuple(f for f in rules.MEETING_FIELDS if f != "title"))
            if filled:
                update_row(conn, "meeting", keep_id, {**filled, **stamp})
            update_row(conn, "meeting", other_id, {"deleted_at": stamp["updated_at"], **stamp})
            delete_children(conn, [("agenda_item", "meeting_id")], other_id, stamp)
        return MeetingsCombined(self.meeting(keep_id), other_id, tuple(moved), tuple(joined),
                                tuple((f, getattr(keep, f)) for f in filled))

    def separate_meetings(self, combined: MeetingsCombined) -> None:
        """Undo `combine_meetings`: the other meeting is back with its agenda, the kept one as it was."""
        stamp = self._stamp()
        with self._write() as conn:
            gone = conn.execute("SELECT deleted_at FROM meeting WHERE id = ?", (combined.other_id,)).fetchone()
            if gone is None or gone[0] is None:
                raise NotFound("The combined meeting is no longer as the combination left it.")
            for item_id, position in combined.moved:
                update_row(conn, "agenda_item", item_id, {"meeting_id": combined.other_id, "position": position,
                                                         **stamp})
            for item_id, points, objective in combined.joined:
                update_row(conn, "agenda_item", item_id, {"points": points, "objective": objective, **stamp})
            if combined.filled:
                update_row(conn, "meeting", combined.kept.id, {**dict(combined.filled), **stamp})
            update_row(conn, "meeting", combined.other_id, {"deleted_at": None, **stamp})
            restore_children(conn, [("agenda_item", "meeting_id")], combined.other_id, gone[0], stamp)

    def agenda(self, meeting_id: str) -> list[AgendaItemInfo]:
        with self._read() as conn:
            rows = conn.execute(
                f"{_AGENDA_SELECT} WHERE a.meeting_id = ? AND a.deleted_at IS NULL AND n.deleted_at IS NULL "
                "ORDER BY a.position, a.updated_at",
                (meeting_id,),
            ).fetchall()
        return [_agenda_info(r, i) for i, r in enumerate(rows)]

    def agenda_item(self, item_id: str) -> AgendaItemInfo:
        with self._read() as conn:
            row = conn.execute(f"{_AGENDA_SELECT} WHERE a.id = ?", (item_id,)).fetchone()
        if row is None or row[-1] is not None:
            raise NotFound("That agenda item is no longer in the meeting.")
        return _agenda_info(row, row[5])

    def add_agenda_item(
        self, meeting_id: str, node_id: str, points: str = "", index: int | None = None, row_id: str | None = None,
        objective: str = "",
    ) -> AgendaItemInfo:
        """Put a node on the meeting's agenda (at `index`, default: the end); a node already on it is refused."""
        meeting = self.meeting(meeting_id)
        node = self.node(node_id)
        item_id = row_id or ids.new_id()
        agenda = self.agenda(meeting_id)
        if any(a.node_id == node_id for a in agenda):
            raise InvalidInput(f"{node.ref} is already on the agenda of “{meeting.title}”.")
        current = [a.id for a in agenda]
        with self._write() as conn:
            insert_row(
                conn,
                "agenda_item",
                {
                    "id": item_id,
                    "meeting_id": meeting_id,
                    "node_id": node_id,
                    "position": len(current),
                    "points": points,
                    "objective": objective.strip(),
                    "deleted_at": None,
                    **self._stamp(),
                },
            )
        if index is not None and index < len(current):
            self.move_agenda_item(item_id, index)
        return self.agenda_item(item_id)

    def remove_agenda_item(self, item_id: str) -> None:
        stamp = self._stamp()
        with self._write() as conn:
            update_row(conn, "agenda_item", item_id, {"deleted_at": stamp["updated_at"], **stamp})

    def restore_agenda_item(self, item_id: str, index: int | None = None) -> AgendaItemInfo:
        with self._write() as conn:
            update_row(conn, "agenda_item", item_id, {"deleted_at": None, **self._stamp()})
        if index is not None:
            self.move_agenda_item(item_id, index)
        return self.agenda_item(item_id)

    def move_agenda_item(self, item_id: str, index: int) -> None:
        item = self.agenda_item(item_id)
        order = [a.id for a in self.agenda(item.meeting_id) if a.id != item_id]
        index = max(0, min(index, len(order)))
        order.insert(index, item_id)
        stamp = self._stamp()
        with self._write() as conn:
            current = dict(
                conn.execute(
                    "SELECT id, position FROM agenda_item WHERE meeting_id = ?", (item.meeting_id,)
                ).fetchall()
            )
            for position, aid in enumerate(order):
                if current.get(aid) != position:
                    update_row(conn, "agenda_item", aid, {"position": position, **stamp})

    def set_agenda_points(self, item_id: str, points: str) -> AgendaItemInfo:
        self.agenda_item(item_id)
        with self._write() as conn:
            update_row(conn, "agenda_item", item_id, {"points": points, **self._stamp()})
        return self.agenda_item(item_id)

    def set_agenda_objective(self, item_id: str, objective: str) -> AgendaItemInfo:
        """What the desk wants from this item (one line, at the head of its section in the pack)."""
        item = self.agenda_item(item_id)
        objective = " ".join(objective.split())
        if objective != item.objective:
            with self._write() as conn:
                update_row(conn, "agenda_item", item_id, {"objective": objective, **self._stamp()})
        return self.agenda_item(item_id)


def _neg_date(date: str | None) -> str:
    # Sort key that puts later dates first when sorting ascending.
    return "".join(chr(0x10FFFF - ord(c)) for c in (date or ""))


def _agenda_info(r: Sequence[Any], position: int) -> AgendaItemInfo:
    item_id, meeting_id, node_id, ref, title, _stored, points, objective, _deleted = r
    return AgendaItemInfo(
        id=item_id, meeting_id=meeting_id, node_id=node_id, ref=ref, title=title, position=position, points=points,
        objective=objective
    )
