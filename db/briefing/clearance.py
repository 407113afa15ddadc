"""The facade's clearance: each part of a meeting's brief cleared by a named person, and the pack approved.

A part is an agenda entry (its objective, meeting points and the notes of its
commitment, as one unit) or the meeting's front matter (objectives, key
messages, press line). A clearance row holds the SHA-256 of the part's text
when it was cleared, and that text: a part is cleared only while its text is
the text someone cleared, so an edit made later (here, or on a laptop whose
copy is merged in) returns it to draft and is named. Rows are only ever added,
one per act, so a merge keeps every colleague's clearances (schema 6).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import NamedTuple

from db.briefing.access import Access
from db.disk.connections import insert_row
from db.model import ids
from db.model.errors import InvalidInput, NotFound

FRONT = "front matter"


class Change(NamedTuple):
    """One part of an entry's text that differs from the text cleared, and who last wrote it."""

    what: str  # "objective", "meeting points", "note “…”"
    by: str


class EntryClearance(NamedTuple):
    """The state of one part of a meeting's brief."""

    agenda_item_id: str | None  # None: the front matter
    ref: str  # the agenda entry's reference, or "front matter"
    title: str
    state: str  # draft | submitted | cleared
    clearer: str  # who cleared it (or it was submitted to); "" for a draft never cleared
    made_at: str
    comment: str
    content_sha256: str  # of the text now
    edited_after: str  # "cleared" / "submitted": the act that the text changed after ("" if none)
    changes: tuple[Change, ...]  # what changed since that act, and who changed it

    def describe(self) -> str:
        """The state in words, as the command line and the window show it."""
        when = self.made_at[:16].replace("T", " ")
        if self.state == "cleared":
            text = f"cleared by {self.clearer} on {when}"
            return text + (f" ({self.comment})" if self.comment else "")
        if self.state == "submitted":
            return f"submitted to {self.clearer} on {when}"
        if self.edited_after:
            what = "; ".join(f"{c.what} changed by {c.by}" for c in self.changes) or "text changed"
            return f"draft — edited after {'clearance' if self.edited_after == 'cleared' else 'submission'}" \
                   f" ({self.edited_after} by {self.clearer} on {when}): {what}"
        return "draft"


class PackClearance(NamedTuple):
    """Every part's state, and whether the pack as it stands is approved."""

    meeting_id: str
    entries: tuple[EntryClearance, ...]
    approved: bool  # approved, and nothing changed since
    approver: str  # of the newest approval ("" if none)
    approved_at: str
    approval_stale: bool  # approved once, but the text changed since

    @property
    def still_to_clear(self) -> tuple[EntryClearance, ...]:
        return tuple(e for e in self.entries if e.state != "cleared")


def _sha(content: object) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _short(text: str) -> str:
    one = " ".join(text.split())
    return one if len(one) <= 40 else one[:39].rstrip() + "…"


class Clearances(Access):
    """Clearing the parts of a meeting's brief, and approving its pack."""

    # -- the text of each part ----------------------------------------------------

    def _parts(self, conn: sqlite3.Connection, meeting_id: str) -> list[tuple[str | None, str, str, dict[str, str],
                                                                              dict[str, str]]]:
        """(agenda item id, ref, title, content part -> text, content part -> who last wrote it) of each part."""
        meeting = conn.execute(
            "SELECT title, objectives, press_line, updated_by FROM meeting WHERE id = ? AND deleted_at IS NULL",
            (meeting_id,),
        ).fetchone()
        if meeting is None:
            raise NotFound(f"There is no meeting {meeting_id!r} in this file.")
        items = conn.execute(
            "SELECT a.id, n.ref, n.title, a.objective, a.points, a.updated_by, a.node_id FROM agenda_item a "
            "JOIN node n ON n.id = a.node_id WHERE a.meeting_id = ? AND a.deleted_at IS NULL "
            "AND n.deleted_at IS NULL ORDER BY a.position, a.updated_at",
            (meeting_id,),
        ).fetchall()
        notes: dict[str, list[tuple[str, str, str, str, int, str]]] = {}
        for node_id in {i[6] for i in items}:
            notes[node_id] = conn.execute(
                "SELECT id, kind, body, response, is_key, updated_by FROM note "
                "WHERE node_id = ? AND deleted_at IS NULL ORDER BY position, id",
                (node_id,),
            ).fetchall()
        front: dict[str, str] = {"objectives": meeting[1], "press line": meeting[2]}
        front_by = {"objectives": meeting[3], "press line": meeting[3]}
        out: list[tuple[str | None, str, str, dict[str, str], dict[str, str]]] = []
        for item_id, ref, title, objective, points, by, node_id in items:
            content = {"objective": objective, "meeting points": points}
            who = {"objective": by, "meeting points": by}
            for note_id, kind, body, response, is_key, note_by in notes[node_id]:
                key = f"note {note_id}"
                content[key] = json.dumps([kind, body, response, is_key], ensure_ascii=False)
                who[key] = note_by
                if is_key:
                    front[f"key message {note_id}"] = body
                    front_by[f"key message {note_id}"] = note_by
            out.append((item_id, ref, title, content, who))
        return [(None, FRONT, meeting[0], front, front_by), *out]

    def _label(self, conn: sqlite3.Connection, key: str, old: str | None, new: str | None) -> str:
        if key.startswith(("note ", "key message ")):
            text = json.loads(new or old or '["","",""]')[1] if key.startswith("note ") else (new or old or "")
            word = "note" if key.startswith("note ") else "key message"
            return f"{word} “{_short(text)}”" + (" (removed)" if new is None else " (added)" if old is None else "")
        return key

    def _who_removed(self, conn: sqlite3.Connection, key: str) -> str:
        row = conn.execute("SELECT updated_by FROM note WHERE id = ?", (key.split(" ", 2)[-1],)).fetchone()
        return str(row[0]) if row else "someone"

    # -- reading -------------------------------------------------------------------

    def clearance(self, meeting_id: str) -> PackClearance:
        """The state of every part of the meeting's brief, front matter first, and the pack's approval."""
        with self._read() as conn:
            parts = self._parts(conn, meeting_id)
            acts = conn.execute(
                "SELECT agenda_item_id, state, clearer, made_at, comment, content_sha256, content FROM clearance "
                "WHERE meeting_id = ? AND deleted_at IS NULL ORDER BY made_at DESC, updated_at DESC, id DESC",
                (meeting_id,),
            ).fetchall()
            approval = conn.execute(
                "SELECT approver, made_at, content_sha256 FROM approval WHERE meeting_id = ? AND deleted_at IS NULL "
                "ORDER BY made_at DESC, updated_at DESC, id DESC LIMIT 1",
                (meeting_id,),
            ).fetchone()
            entries = tuple(self._entry(conn, part, [a for a in acts if a[0] == part[0]]) for part in parts)
        pack_sha = _sha([e.content_sha256 for e in entries])
        all_cleared = all(e.state == "cleared" for e in entries)
        approved = approval is not None and approval[2] == pack_sha and all_cleared
        return PackClearance(meeting_id, entries, approved, approval[0] if approval else "",
                             approval[1] if approval else "", approval is not None and not approved)

    def _entry(self, conn: sqlite3.Connection, part: tuple[str | None, str, str, dict[str, str], dict[str, str]],
               acts: list[tuple[str | None, str, str, str, str, str, str]]) -> EntryClearance:
        item_id, ref, title, content, who = part
        sha = _sha(content)
        # The newest act on this very text counts; an act on another text only says the text changed since.
        same = next((a for a in acts if a[5] == sha), None)
        if same is not None:
            return EntryClearance(item_id, ref, title, same[1], same[2], same[3], same[4], sha, "", ())
        if not acts:
            return EntryClearance(item_id, ref, title, "draft", "", "", "", sha, "", ())
        newest = acts[0]
        try:
            before = json.loads(newest[6])
            before = before if isinstance(before, dict) else {}
        except ValueError:
            before = {}
        changes = []
        for key in [*content, *(k for k in before if k not in content)]:
            old, new = before.get(key), content.get(key)
            if old != new:
                by = who[key] if key in who else self._who_removed(conn, key)
                changes.append(Change(self._label(conn, key, old, new), by))
        return EntryClearance(item_id, ref, title, "draft", newest[2], newest[3], newest[4], sha, newest[1],
                              tuple(changes))

    # -- writing -------------------------------------------------------------------

    def _act(self, meeting_id: str, agenda_item_id: str | None, state: str, clearer: str, comment: str) -> None:
        clearer = " ".join(clearer.split())
        if not clearer:
            raise InvalidInput("Say who clears it: a name.")
        if len(clearer) > 200:
            raise InvalidInput("A clearer's name is at most 200 characters.")
        with self._write() as conn:
            part = next((p for p in self._parts(conn, meeting_id) if p[0] == agenda_item_id), None)
            if part is None:
                raise NotFound("That entry is not on the meeting's agenda.")
            stamp = self._stamp()
            insert_row(conn, "clearance", {
                "id": ids.new_id(), "meeting_id": meeting_id, "agenda_item_id": agenda_item_id, "state": state,
                "clearer": clearer, "made_at": stamp["updated_at"], "comment": comment.strip(),
                "content_sha256": _sha(part[3]), "content": json.dumps(part[3], ensure_ascii=False),
                "deleted_at": None, **stamp,
            })

    def clear_entry(self, meeting_id: str, agenda_item_id: str | None, by: str, comment: str = "") -> EntryClearance:
        """Record that `by` cleared the entry's text as it stands (None: the front matter)."""
        self._act(meeting_id, agenda_item_id, "cleared", by, comment)
        return next(e for e in self.clearance(meeting_id).entries if e.agenda_item_id == agenda_item_id)

    def submit_entry(self, meeting_id: str, agenda_item_id: str | None, to: str) -> EntryClearance:
        """Record that the entry's text as it stands went to `to` for clearance."""
        self._act(meeting_id, agenda_item_id, "submitted", to, "")
        return next(e for e in self.clearance(meeting_id).entries if e.agenda_item_id == agenda_item_id)

    def approve_pack(self, meeting_id: str, by: str, comment: str = "") -> PackClearance:
        """Approve the meeting's pack as it stands; refused while any part is not cleared."""
        by = " ".join(by.split())
        if not by:
            raise InvalidInput("Say who approves the pack: a name.")
        with self.one_transaction():
            state = self.clearance(meeting_id)
            left = state.still_to_clear
            if left:
                raise InvalidInput(f"The pack cannot be approved yet: {len(left)} part{'s' if len(left) != 1 else ''}"
                                   f" still to clear ({', '.join(e.ref for e in left)}).")
            with self._write() as conn:
                stamp = self._stamp()
                insert_row(conn, "approval", {
                    "id": ids.new_id(), "meeting_id": meeting_id, "approver": by[:200], "made_at": stamp["updated_at"],
                    "comment": comment.strip(), "content_sha256": _sha([e.content_sha256 for e in state.entries]),
                    "deleted_at": None, **stamp,
                })
        return self.clearance(meeting_id)

    def is_approved(self, meeting_id: str) -> bool:
        return self.clearance(meeting_id).approved
