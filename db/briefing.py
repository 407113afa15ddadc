"""The facade over one open briefing file.

`Briefing.open(path)` checks the file (see `db.file`), migrates it if it is
older, and then hands out typed values (`db.values`) for every read and takes
plain arguments for every change. Each change is its own transaction,
committed before the method returns: there is no "save", so nothing is lost
when the program stops.

The SQL is written out against the tables `db.models` declares (the schema's
one definition, with Alembic migrations) and runs through the standard
library's sqlite3 (`db.connections`): a command that opens a file once does
not pay for loading SQLAlchemy.
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db import file as dbfile
from db import ids, search
from db.connections import ConnectionPool, insert_rows, is_busy, transaction, update_rows
from db.errors import FileBusy, InvalidInput, NotFound, WriteRefused
from db.synced import SYNCED_TABLES
from db.values import (
    NODE_KINDS,
    NOTE_KINDS,
    STATUS_LABELS,
    STATUSES,
    STATUSES_NEEDING_COMMENT,
    TRACKED_KINDS,
    AgendaItemInfo,
    AttachmentInfo,
    ImportReport,
    LinkedSource,
    MeetingInfo,
    NodeInfo,
    NoteInfo,
    PlanDraft,
    PlanInfo,
    SearchHit,
    SourceInfo,
    StatusChange,
    TreeNode,
)

if TYPE_CHECKING:
    from db.lock import FileLock

MEETING_FIELDS = ("title", "date", "place", "participants", "classification", "purpose")
SOURCE_FIELDS = ("title", "outlet", "url", "published", "excerpt")

@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _columns(cls: type, alias: str = "", **override: str) -> str:
    """The SELECT list that yields `cls`'s fields in order (each value's fields are named like its columns)."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(override.get(name, prefix + name) for name in _field_names(cls))


_NODE_COLS = _columns(NodeInfo)
_NODE_COLS_N = _columns(NodeInfo, "n")
_STATUS_COLS = _columns(StatusChange)
_NOTE_COLS = _columns(NoteInfo)
_NOTE_COLS_N = _columns(NoteInfo, "nt")
_SOURCE_COLS = _columns(SourceInfo)
_SOURCE_COLS_S = _columns(SourceInfo, "s")
_MEETING_COLS = _columns(MeetingInfo)
_ATTACH_COLS = _columns(AttachmentInfo, "a", size="b.size")
_PLAN_COLS = "id, title, parties, period, adopted_on, preamble, updated_at, updated_by"
_AGENDA_SELECT = (
    "SELECT a.id, a.meeting_id, a.node_id, n.ref, n.title, a.position, a.points, a.deleted_at "
    "FROM agenda_item a JOIN node n ON n.id = a.node_id"
)


class Briefing:
    """One open briefing file."""

    def __init__(self, path: Path, pool: ConnectionPool, read_only: bool, user: str) -> None:
        self.path = path
        self.read_only = read_only
        self.user = user
        self._pool = pool
        self.migration_backup: Path | None = None
        self._lock: FileLock | None = None
        #: Set by whoever opened the file read-only because it was locked: the sentence naming the holder.
        self.locked_by: str | None = None

    # -- opening and closing ----------------------------------------------------

    @classmethod
    def open(
        cls, path: Path | str, read_only: bool = False, user: str | None = None, lock: bool = True
    ) -> Briefing:
        """Open an existing file; raises a `FileRefused` with a sentence if it cannot be.

        Opening for writing takes the file's lock (`db.lock`): if another
        briefbook has it open this raises `FileLocked` naming who, and the file
        can still be opened read-only. `lock=False` is for tests and tools that
        deliberately share a file with a running briefbook.
        """
        path = Path(path)
        facts = dbfile.inspect(path)
        if not read_only:
            dbfile.require_writable(facts)
        held = None
        if lock and not read_only:
            from db import lock as dblock  # only writers take the lock

            held = dblock.acquire(path, user)
        try:
            backup = None
            if facts.needs_migration:
                if read_only:
                    raise WriteRefused(
                        f"{path} was made by an older briefbook and must be updated before it can be "
                        "read; open it for writing once."
                    )
                backup = dbfile.migrate_if_needed(facts)
        except BaseException:
            if held is not None:
                held.release()
            raise
        briefing = cls(path, ConnectionPool(path, read_only), read_only, user or ids.current_user())
        briefing.migration_backup = backup
        briefing._lock = held
        return briefing

    @classmethod
    def create(cls, path: Path | str, user: str | None = None) -> Briefing:
        """Create a new empty file at `path` (which must not exist) and open it."""
        path = Path(path)
        if path.exists():
            raise InvalidInput(f"{path} already exists; choose another name.")
        if not path.parent.is_dir():
            raise InvalidInput(f"The folder {path.parent} does not exist.")
        try:
            dbfile.create(path)
        except OSError as exc:
            raise InvalidInput(f"{path} cannot be created ({exc.strerror}).") from exc
        briefing = cls.open(path, user=user)
        briefing.set_meta("created_by", briefing.user)
        briefing.set_meta("created_at", ids.now())
        return briefing

    def close(self) -> None:
        self._pool.close()
        held, self._lock = getattr(self, "_lock", None), None
        if held is not None:
            held.release()

    def __enter__(self) -> Briefing:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        try:
            with self._pool.borrow() as conn:
                yield conn
        except sqlite3.OperationalError as exc:
            raise self._busy_or(exc) from exc

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            if self.locked_by:  # opened read-only because another briefbook holds the file
                raise WriteRefused(f"Changes cannot be saved: {self.locked_by}")
            raise WriteRefused(f"{self.path.name} is open read-only: changes cannot be saved.")
        try:
            with self._pool.borrow() as conn, transaction(conn):
                yield conn
        except sqlite3.OperationalError as exc:
            raise self._busy_or(exc) from exc

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """A connection of the file's own, with no transaction (the merge attaches the other file to it)."""
        with self._pool.borrow() as conn:
            yield conn

    def _busy_or(self, exc: sqlite3.OperationalError) -> Exception:
        if is_busy(exc):
            return FileBusy(
                f"{self.path.name} is busy: another program is writing to it. Try again in a moment."
            )
        return exc

    def _stamp(self) -> dict[str, Any]:
        return {"updated_at": ids.now(), "updated_by": self.user}

    # -- meta ---------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        with self._read() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM meta WHERE key = ?", (key,))
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- plans and the tree -----------------------------------------------------------

    def plans(self) -> list[PlanInfo]:
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_PLAN_COLS} FROM plan WHERE deleted_at IS NULL ORDER BY title"
            ).fetchall()
        return [_plan_info(r) for r in rows]

    def plan(self, plan_id: str) -> PlanInfo:
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {_PLAN_COLS} FROM plan WHERE id = ? AND deleted_at IS NULL", (plan_id,)
            ).fetchone()
        if row is None:
            raise NotFound(f"There is no plan {plan_id!r} in this file.")
        return _plan_info(row)

    def nodes(self, plan_id: str | None = None) -> list[NodeInfo]:
        """All live nodes (of one plan), parents before children, siblings in order."""
        sql = f"SELECT {_NODE_COLS} FROM node WHERE deleted_at IS NULL"
        params: tuple[str, ...] = ()
        if plan_id is not None:
            sql += " AND plan_id = ?"
            params = (plan_id,)
        with self._read() as conn:
            rows = conn.execute(sql, params).fetchall()
        return _depth_first([NodeInfo(*r) for r in rows])

    def tree(self, plan_id: str) -> list[TreeNode]:
        """The plan's areas with their descendants."""
        nodes = self.nodes(plan_id)
        children: dict[str | None, list[NodeInfo]] = defaultdict(list)
        for n in nodes:
            children[n.parent_id].append(n)

        def build(n: NodeInfo) -> TreeNode:
            return TreeNode(n, tuple(build(c) for c in children.get(n.id, ())))

        return [build(n) for n in children.get(None, ())]

    def node(self, node_id: str) -> NodeInfo:
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {_NODE_COLS} FROM node WHERE id = ? AND deleted_at IS NULL", (node_id,)
            ).fetchone()
        if row is None:
            raise NotFound("That commitment is no longer in the file.")
        return NodeInfo(*row)

    def node_by_ref(self, ref: str, plan_id: str | None = None) -> NodeInfo:
        """The node with reference `ref` ("3.2.1"); `plan_id` narrows it when several plans exist."""
        ref = ref.strip().rstrip(".")
        sql = f"SELECT {_NODE_COLS} FROM node WHERE ref = ? AND deleted_at IS NULL"
        params: tuple[str, ...] = (ref,)
        if plan_id is not None:
            sql += " AND plan_id = ?"
            params += (plan_id,)
        with self._read() as conn:
            rows = conn.execute(sql, params).fetchall()
        if not rows:
            raise NotFound(f"There is no commitment with reference {ref!r} in this file.")
        if len(rows) > 1:
            raise InvalidInput(
                f"Reference {ref!r} exists in {len(rows)} plans; name the plan with --plan."
            )
        return NodeInfo(*rows[0])

    def ancestors(self, node_id: str) -> list[NodeInfo]:
        """The node's ancestors, the area first (not the node itself)."""
        out: list[NodeInfo] = []
        current = self.node(node_id)
        while current.parent_id is not None:
            current = self.node(current.parent_id)
            out.append(current)
        return list(reversed(out))

    def status_counts(self, plan_id: str) -> dict[str, dict[str, int]]:
        """For each area and item: how many tracked nodes below it are in each status."""
        nodes = self.nodes(plan_id)
        return status_counts_of(nodes)

    def import_plan(self, draft: PlanDraft) -> ImportReport:
        """Add a parsed plan, or update the plan of the same title in place.

        Node IDs derive from the plan title and the reference, so nodes keep
        their notes, sources and status across a re-import; nodes that are no
        longer in the text get a tombstone (their notes stay with them).
        """
        pid = ids.plan_id(draft.title)
        stamp = self._stamp()
        with self._write() as conn:
            plan_values = {
                "title": draft.title,
                "parties": "\n".join(draft.parties),
                "period": draft.period,
                "adopted_on": draft.adopted_on,
                "preamble": draft.preamble,
            }
            existing_plan = next(_dicts(conn.execute("SELECT * FROM plan WHERE id = ?", (pid,))), None)
            if existing_plan is None:
                _insert(conn, "plan", {"id": pid, **plan_values, **stamp, "deleted_at": None})
            elif existing_plan["deleted_at"] is not None or any(
                existing_plan[k] != v for k, v in plan_values.items()
            ):
                _update(conn, "plan", pid, {**plan_values, **stamp, "deleted_at": None})

            existing = {
                r["id"]: r
                for r in _dicts(
                    conn.execute(
                        "SELECT id, parent_id, kind, ref, position, title, text, status, deleted_at "
                        "FROM node WHERE plan_id = ?",
                        (pid,),
                    )
                )
            }
            new_rows: list[dict[str, Any]] = []
            changed: list[dict[str, Any]] = []
            seen: set[str] = set()
            unchanged = 0

            def visit(nodes: Sequence[Any], parent: str | None) -> None:
                nonlocal unchanged
                for position, nd in enumerate(nodes):
                    if nd.kind not in NODE_KINDS:
                        raise InvalidInput(f"Unknown node kind {nd.kind!r} for {nd.ref}.")
                    nid = ids.node_id(pid, nd.ref)
                    if nid in seen:
                        raise InvalidInput(f"The plan text gives reference {nd.ref} twice.")
                    seen.add(nid)
                    values = {
                        "parent_id": parent,
                        "kind": nd.kind,
                        "ref": nd.ref,
                        "position": position,
                        "title": nd.title,
                        "text": nd.text,
                    }
                    old = existing.get(nid)
                    if old is None:
                        new_rows.append(
                            {
                                "id": nid,
                                "plan_id": pid,
                                **values,
                                "status": "not_started" if nd.kind in TRACKED_KINDS else None,
                                "lead_office": "",
                                "status_changed_at": None,
                                "status_changed_by": None,
                                **stamp,
                                "deleted_at": None,
                            }
                        )
                    elif old["deleted_at"] is not None or any(old[k] != v for k, v in values.items()):
                        status = old["status"]
                        if nd.kind in TRACKED_KINDS and status is None:
                            status = "not_started"
                        changed.append({"id": nid, **values, "status": status, **stamp, "deleted_at": None})
                    else:
                        unchanged += 1
                    visit(nd.children, nid)

            visit(draft.areas, None)
            # Parents first: the tree's foreign keys point upwards.
            insert_rows(conn, "node", new_rows)
            update_rows(conn, "node", changed)
            gone = [rid for rid, r in existing.items() if rid not in seen and r["deleted_at"] is None]
            update_rows(conn, "node", [{"id": rid, "deleted_at": stamp["updated_at"], **stamp} for rid in gone])
            search.unindex_rows(conn, gone)
            touched = [r["id"] for r in new_rows] + [r["id"] for r in changed]
            self._reindex_nodes(conn, touched)
        return ImportReport(
            plan_id=pid,
            added=len(new_rows),
            updated=len(changed),
            unchanged=unchanged,
            removed=len(gone),
            unplaced=tuple(draft.unplaced),
        )

    # -- status and lead office --------------------------------------------------------

    def set_status(self, node_id: str, status: str, comment: str = "") -> StatusChange:
        if status not in STATUSES:
            raise InvalidInput(
                f"{status!r} is not a status; use one of: {', '.join(STATUSES)}."
            )
        comment = comment.strip()
        if status in STATUSES_NEEDING_COMMENT and not comment:
            raise InvalidInput(f"Setting a commitment to “{STATUS_LABELS[status]}” needs a comment.")
        node = self.node(node_id)
        if node.kind not in TRACKED_KINDS:
            raise InvalidInput(f"{node.ref} is an {node.kind}: only commitments have a status.")
        stamp = self._stamp()
        change = StatusChange(
            id=ids.new_id(),
            node_id=node_id,
            from_status=node.status,
            to_status=status,
            comment=comment,
            changed_at=stamp["updated_at"],
            changed_by=self.user,
        )
        with self._write() as conn:
            _insert(conn, "status_change", dataclasses.asdict(change))
            _update(
                conn,
                "node",
                node_id,
                {"status": status, "status_changed_at": change.changed_at, "status_changed_by": self.user, **stamp},
            )
        return change

    def status_history(self, node_id: str) -> list[StatusChange]:
        """Every status change of the node, oldest first."""
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_STATUS_COLS} FROM status_change WHERE node_id = ? ORDER BY changed_at", (node_id,)
            ).fetchall()
        return [StatusChange(*r) for r in rows]

    def status_history_for(self, node_ids: Sequence[str]) -> dict[str, list[StatusChange]]:
        """Status changes of many nodes at once, oldest first (exports)."""
        out: dict[str, list[StatusChange]] = defaultdict(list)
        with self._read() as conn:
            for chunk, marks in _chunks(node_ids):
                for r in conn.execute(
                    f"SELECT {_STATUS_COLS} FROM status_change WHERE node_id IN ({marks}) ORDER BY changed_at",
                    chunk,
                ):
                    change = StatusChange(*r)
                    out[change.node_id].append(change)
        return dict(out)

    def status_changes_since(self, since: str, plan_id: str | None = None) -> list[StatusChange]:
        if plan_id is None:
            sql = f"SELECT {_STATUS_COLS} FROM status_change WHERE changed_at >= ? ORDER BY changed_at"
            params: tuple[str, ...] = (since,)
        else:
            sql = (
                f"SELECT {_columns(StatusChange, 'c')} FROM status_change c JOIN node n ON n.id = c.node_id "
                "WHERE c.changed_at >= ? AND n.plan_id = ? ORDER BY c.changed_at"
            )
            params = (since, plan_id)
        with self._read() as conn:
            return [StatusChange(*r) for r in conn.execute(sql, params)]

    def set_lead_office(self, node_id: str, lead_office: str) -> NodeInfo:
        self.node(node_id)
        with self._write() as conn:
            _update(conn, "node", node_id, {"lead_office": lead_office.strip(), **self._stamp()})
            self._reindex_nodes(conn, [node_id])
        return self.node(node_id)

    # -- notes -----------------------------------------------------------------------

    def notes(self, node_id: str) -> list[NoteInfo]:
        """The node's notes, grouped by kind in briefing order, then by position."""
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_NOTE_COLS} FROM note WHERE node_id = ? AND deleted_at IS NULL", (node_id,)
            ).fetchall()
        return sorted((NoteInfo(*r) for r in rows), key=_note_order)

    def notes_for(self, node_ids: Sequence[str]) -> dict[str, list[NoteInfo]]:
        """Notes of many nodes at once (exports)."""
        out: dict[str, list[NoteInfo]] = defaultdict(list)
        with self._read() as conn:
            for chunk, marks in _chunks(node_ids):
                for r in conn.execute(
                    f"SELECT {_NOTE_COLS} FROM note WHERE node_id IN ({marks}) AND deleted_at IS NULL", chunk
                ):
                    note = NoteInfo(*r)
                    out[note.node_id].append(note)
        for notes in out.values():
            notes.sort(key=_note_order)
        return dict(out)

    def notes_since(self, since: str, plan_id: str | None = None) -> list[NoteInfo]:
        if plan_id is None:
            sql = f"SELECT {_NOTE_COLS} FROM note WHERE created_at >= ? AND deleted_at IS NULL ORDER BY created_at"
            params: tuple[str, ...] = (since,)
        else:
            sql = (
                f"SELECT {_NOTE_COLS_N} FROM note nt JOIN node n ON n.id = nt.node_id "
                "WHERE nt.created_at >= ? AND nt.deleted_at IS NULL AND n.plan_id = ? ORDER BY nt.created_at"
            )
            params = (since, plan_id)
        with self._read() as conn:
            return [NoteInfo(*r) for r in conn.execute(sql, params)]

    def note(self, note_id: str) -> NoteInfo:
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {_NOTE_COLS} FROM note WHERE id = ? AND deleted_at IS NULL", (note_id,)
            ).fetchone()
        if row is None:
            raise NotFound(f"There is no note {note_id!r} in this file.")
        return NoteInfo(*row)

    def add_note(self, node_id: str, kind: str, body: str, author: str | None = None) -> NoteInfo:
        _check_note_kind(kind)
        self.node(node_id)
        stamp = self._stamp()
        note_id = ids.new_id()
        with self._write() as conn:
            _insert(
                conn,
                "note",
                {
                    "id": note_id,
                    "node_id": node_id,
                    "kind": kind,
                    "body": body,
                    "author": (author or self.user).strip(),
                    "position": _next_note_position(conn, node_id, kind),
                    "created_at": stamp["updated_at"],
                    "conflict_of": None,
                    "deleted_at": None,
                    **stamp,
                },
            )
            search.index_rows(conn, "note", [(note_id, body)])
        return self.note(note_id)

    def edit_note(
        self, note_id: str, body: str | None = None, kind: str | None = None, author: str | None = None
    ) -> NoteInfo:
        old = self.note(note_id)
        values: dict[str, Any] = {}
        if body is not None and body != old.body:
            values["body"] = body
        if kind is not None and kind != old.kind:
            _check_note_kind(kind)
            values["kind"] = kind
        if author is not None and author.strip() != old.author:
            values["author"] = author.strip()
        if not values:
            return old
        with self._write() as conn:
            if "kind" in values:  # a note moved to another kind goes to its end
                values["position"] = _next_note_position(conn, old.node_id, values["kind"])
            _update(conn, "note", note_id, {**values, **self._stamp()})
            if "body" in values:
                search.index_rows(conn, "note", [(note_id, values["body"])])
        return self.note(note_id)

    def delete_note(self, note_id: str) -> None:
        self.note(note_id)
        stamp = self._stamp()
        with self._write() as conn:
            _update(conn, "note", note_id, {"deleted_at": stamp["updated_at"], **stamp})
            search.unindex_rows(conn, [note_id])

    def restore_note(self, note_id: str) -> NoteInfo:
        """Undo a deletion."""
        with self._write() as conn:
            row = conn.execute("SELECT body FROM note WHERE id = ?", (note_id,)).fetchone()
            if row is None:
                raise NotFound(f"There is no note {note_id!r} in this file.")
            _update(conn, "note", note_id, {"deleted_at": None, **self._stamp()})
            search.index_rows(conn, "note", [(note_id, row[0])])
        return self.note(note_id)

    def move_note(self, note_id: str, index: int) -> None:
        """Put the note at `index` among the notes of its node and kind."""
        note = self.note(note_id)
        siblings = [n for n in self.notes(note.node_id) if n.kind == note.kind]
        order = [n.id for n in siblings if n.id != note_id]
        index = max(0, min(index, len(order)))
        order.insert(index, note_id)
        stamp = self._stamp()
        with self._write() as conn:
            for position, (nid, old) in enumerate(zip(order, [n for n in _reorder(siblings, order)])):
                if old.position != position:
                    _update(conn, "note", nid, {"position": position, **stamp})

    # -- sources ---------------------------------------------------------------------

    def sources(self, title_contains: str = "") -> list[SourceInfo]:
        sql = f"SELECT {_SOURCE_COLS} FROM source WHERE deleted_at IS NULL"
        params: tuple[str, ...] = ()
        if title_contains.strip():
            # The user's text is matched literally: % and _ are escaped.
            sql += " AND lower(title) LIKE '%' || lower(?) || '%' ESCAPE '/'"
            params = (_like_escape(title_contains.strip()),)
        with self._read() as conn:
            rows = conn.execute(sql + " ORDER BY title", params).fetchall()
        return [SourceInfo(*r) for r in rows]

    def source(self, source_id: str) -> SourceInfo:
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {_SOURCE_COLS} FROM source WHERE id = ? AND deleted_at IS NULL", (source_id,)
            ).fetchone()
        if row is None:
            raise NotFound(f"There is no source {source_id!r} in this file.")
        return SourceInfo(*row)

    def add_source(
        self,
        title: str,
        outlet: str = "",
        url: str = "",
        published: str | None = None,
        excerpt: str = "",
    ) -> SourceInfo:
        values = _source_values(title=title, outlet=outlet, url=url, published=published, excerpt=excerpt)
        source_id = ids.new_id()
        with self._write() as conn:
            _insert(conn, "source", {"id": source_id, **values, "deleted_at": None, **self._stamp()})
            self._reindex_sources(conn, [source_id])
        return self.source(source_id)

    def edit_source(self, source_id: str, **fields: Any) -> SourceInfo:
        """Change a source everywhere it is linked. Fields: title, outlet, url, published, excerpt."""
        unknown = set(fields) - set(SOURCE_FIELDS)
        if unknown:
            raise InvalidInput(f"Sources have no field {sorted(unknown)[0]!r}.")
        old = self.source(source_id)
        merged = {k: fields.get(k, getattr(old, k)) for k in SOURCE_FIELDS}
        values = _source_values(**merged)
        with self._write() as conn:
            _update(conn, "source", source_id, {**values, **self._stamp()})
            self._reindex_sources(conn, [source_id])
        return self.source(source_id)

    def delete_source(self, source_id: str) -> None:
        self.source(source_id)
        stamp = self._stamp()
        with self._write() as conn:
            _update(conn, "source", source_id, {"deleted_at": stamp["updated_at"], **stamp})
            search.unindex_rows(conn, [source_id])

    def restore_source(self, source_id: str) -> SourceInfo:
        with self._write() as conn:
            _update(conn, "source", source_id, {"deleted_at": None, **self._stamp()})
            self._reindex_sources(conn, [source_id])
        return self.source(source_id)

    def link_source(self, source_id: str, node_id: str, quote: str = "") -> str:
        """Cite the source on the node (again, if it was unlinked); returns the link id."""
        self.source(source_id)
        self.node(node_id)
        link = ids.link_id(source_id, node_id)
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM source_link WHERE id = ?", (link,)).fetchone():
                _update(conn, "source_link", link, {"quote": quote, "deleted_at": None, **self._stamp()})
            else:
                _insert(
                    conn,
                    "source_link",
                    {
                        "id": link,
                        "source_id": source_id,
                        "node_id": node_id,
                        "quote": quote,
                        "deleted_at": None,
                        **self._stamp(),
                    },
                )
            self._reindex_sources(conn, [source_id])
        return link

    def unlink_source(self, link_id: str) -> None:
        stamp = self._stamp()
        with self._write() as conn:
            source_id = self._linked_source(conn, link_id)
            _update(conn, "source_link", link_id, {"deleted_at": stamp["updated_at"], **stamp})
            self._reindex_sources(conn, [source_id])

    def set_link_quote(self, link_id: str, quote: str) -> None:
        with self._write() as conn:
            source_id = self._linked_source(conn, link_id)
            _update(conn, "source_link", link_id, {"quote": quote, **self._stamp()})
            self._reindex_sources(conn, [source_id])

    @staticmethod
    def _linked_source(conn: sqlite3.Connection, link_id: str) -> str:
        row = conn.execute("SELECT source_id FROM source_link WHERE id = ?", (link_id,)).fetchone()
        if row is None:
            raise NotFound("That source is not linked there.")
        return str(row[0])

    def node_sources(self, node_id: str) -> list[LinkedSource]:
        return self.sources_for([node_id]).get(node_id, [])

    def sources_for(self, node_ids: Sequence[str]) -> dict[str, list[LinkedSource]]:
        """The sources linked to each node, oldest link first."""
        out: dict[str, list[LinkedSource]] = defaultdict(list)
        with self._read() as conn:
            rows = []
            for chunk, marks in _chunks(node_ids):
                rows.extend(
                    conn.execute(
                        f"SELECT l.id, l.node_id, l.quote, {_SOURCE_COLS_S} "
                        "FROM source_link l JOIN source s ON s.id = l.source_id "
                        f"WHERE l.node_id IN ({marks}) AND l.deleted_at IS NULL AND s.deleted_at IS NULL "
                        "ORDER BY l.updated_at",
                        chunk,
                    ).fetchall()
                )
            attachments = self._attachments(conn, {r[3] for r in rows})
        for link_id, node_id, quote, *source in rows:
            out[node_id].append(
                LinkedSource(
                    link_id=link_id,
                    source=SourceInfo(*source),
                    node_id=node_id,
                    quote=quote,
                    attachments=tuple(attachments.get(source[0], ())),
                )
            )
        return dict(out)

    def source_nodes(self, source_id: str) -> list[tuple[NodeInfo, str]]:
        """The nodes a source is cited on, with the pinpoint quote of each link."""
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_NODE_COLS_N}, l.quote FROM node n JOIN source_link l ON l.node_id = n.id "
                "WHERE l.source_id = ? AND l.deleted_at IS NULL AND n.deleted_at IS NULL",
                (source_id,),
            ).fetchall()
        return [(NodeInfo(*r[:-1]), r[-1]) for r in rows]

    # -- attachments -------------------------------------------------------------------

    def attachments(self, source_id: str) -> list[AttachmentInfo]:
        with self._read() as conn:
            return self._attachments(conn, {source_id}).get(source_id, [])

    def _attachments(self, conn: sqlite3.Connection, source_ids: set[str]) -> dict[str, list[AttachmentInfo]]:
        out: dict[str, list[AttachmentInfo]] = defaultdict(list)
        for chunk, marks in _chunks(list(source_ids)):
            for r in conn.execute(
                f"SELECT {_ATTACH_COLS} FROM attachment a JOIN blob b ON b.sha256 = a.sha256 "
                f"WHERE a.source_id IN ({marks}) AND a.deleted_at IS NULL ORDER BY a.added_at",
                chunk,
            ):
                info = AttachmentInfo(*r)
                out[info.source_id].append(info)
        return out

    def add_attachment(
        self, source_id: str, filename: str, data: bytes, media_type: str | None = None
    ) -> AttachmentInfo:
        """Store a file inside the briefing file (bytes kept once per content hash).

        The attachment's id derives from the source and the bytes: the same file
        attached to the same source twice, here or in a colleague's copy, is one
        attachment (the later name wins), so merged copies show it once.
        """
        import hashlib
        import mimetypes

        self.source(source_id)
        name = Path(filename).name or "attachment"
        digest = hashlib.sha256(data).hexdigest()
        media = media_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        attachment_id = ids.attachment_id(source_id, digest)
        stamp = self._stamp()
        with self._write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO blob (sha256, size, data) VALUES (?, ?, ?)", (digest, len(data), data)
            )
            if conn.execute("SELECT 1 FROM attachment WHERE id = ?", (attachment_id,)).fetchone() is None:
                _insert(
                    conn,
                    "attachment",
                    {
                        "id": attachment_id,
                        "source_id": source_id,
                        "filename": name,
                        "media_type": media,
                        "sha256": digest,
                        "added_at": stamp["updated_at"],
                        "deleted_at": None,
                        **stamp,
                    },
                )
            else:
                _update(
                    conn,
                    "attachment",
                    attachment_id,
                    {"filename": name, "media_type": media, "deleted_at": None, **stamp},
                )
        return self.attachment(attachment_id)

    def attachment(self, attachment_id: str) -> AttachmentInfo:
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {_ATTACH_COLS} FROM attachment a JOIN blob b ON b.sha256 = a.sha256 "
                "WHERE a.id = ? AND a.deleted_at IS NULL",
                (attachment_id,),
            ).fetchone()
        if row is None:
            raise NotFound("That attachment is no longer in the file.")
        return AttachmentInfo(*row)

    def attachment_data(self, attachment_id: str) -> bytes:
        with self._read() as conn:
            row = conn.execute(
                "SELECT b.data FROM blob b JOIN attachment a ON a.sha256 = b.sha256 WHERE a.id = ?",
                (attachment_id,),
            ).fetchone()
        if row is None or row[0] is None:
            raise NotFound("That attachment is no longer in the file.")
        return bytes(row[0])

    def remove_attachment(self, attachment_id: str) -> None:
        stamp = self._stamp()
        with self._write() as conn:
            _update(conn, "attachment", attachment_id, {"deleted_at": stamp["updated_at"], **stamp})

    def restore_attachment(self, attachment_id: str) -> None:
        with self._write() as conn:
            _update(conn, "attachment", attachment_id, {"deleted_at": None, **self._stamp()})

    # -- meetings ----------------------------------------------------------------------

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

    def create_meeting(self, title: str, **fields: Any) -> MeetingInfo:
        values = _meeting_values({"title": title, **fields})
        meeting_id = ids.new_id()
        with self._write() as conn:
            _insert(conn, "meeting", {"id": meeting_id, **values, "deleted_at": None, **self._stamp()})
        return self.meeting(meeting_id)

    def edit_meeting(self, meeting_id: str, **fields: Any) -> MeetingInfo:
        old = self.meeting(meeting_id)
        values = _meeting_values({k: fields.get(k, getattr(old, k)) for k in MEETING_FIELDS})
        with self._write() as conn:
            _update(conn, "meeting", meeting_id, {**values, **self._stamp()})
        return self.meeting(meeting_id)

    def delete_meeting(self, meeting_id: str) -> None:
        self.meeting(meeting_id)
        stamp = self._stamp()
        with self._write() as conn:
            _update(conn, "meeting", meeting_id, {"deleted_at": stamp["updated_at"], **stamp})

    def restore_meeting(self, meeting_id: str) -> MeetingInfo:
        with self._write() as conn:
            _update(conn, "meeting", meeting_id, {"deleted_at": None, **self._stamp()})
        return self.meeting(meeting_id)

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
        self, meeting_id: str, node_id: str, points: str = "", index: int | None = None
    ) -> AgendaItemInfo:
        """Put a node on the meeting's agenda (at `index`, default: the end)."""
        self.meeting(meeting_id)
        self.node(node_id)
        item_id = ids.new_id()
        current = [a.id for a in self.agenda(meeting_id)]
        with self._write() as conn:
            _insert(
                conn,
                "agenda_item",
                {
                    "id": item_id,
                    "meeting_id": meeting_id,
                    "node_id": node_id,
                    "position": len(current),
                    "points": points,
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
            _update(conn, "agenda_item", item_id, {"deleted_at": stamp["updated_at"], **stamp})

    def restore_agenda_item(self, item_id: str, index: int | None = None) -> AgendaItemInfo:
        with self._write() as conn:
            _update(conn, "agenda_item", item_id, {"deleted_at": None, **self._stamp()})
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
                    _update(conn, "agenda_item", aid, {"position": position, **stamp})

    def set_agenda_points(self, item_id: str, points: str) -> AgendaItemInfo:
        self.agenda_item(item_id)
        with self._write() as conn:
            _update(conn, "agenda_item", item_id, {"points": points, **self._stamp()})
        return self.agenda_item(item_id)

    # -- search ------------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Commitments, notes and sources matching `query`, best first.

        Never raises for what a user types: text that holds no word finds nothing.
        """
        with self._read() as conn:
            matches = search.match(conn, query, limit)
            by_kind: dict[str, list[str]] = defaultdict(list)
            for kind, row_id, _ in matches:
                by_kind[kind].append(row_id)
            node_text: dict[str, tuple[str, str]] = {}
            note_rows: dict[str, tuple[str, str]] = {}
            source_rows: dict[str, tuple[list[str], str]] = {}
            for chunk, marks in _chunks(by_kind["node"]):
                for nid, title, body in conn.execute(
                    f"SELECT id, title, text FROM node WHERE id IN ({marks})", chunk
                ):
                    node_text[nid] = (nid, body or title)
            for chunk, marks in _chunks(by_kind["note"]):
                for note_id, node_id, body in conn.execute(
                    f"SELECT id, node_id, body FROM note WHERE id IN ({marks})", chunk
                ):
                    note_rows[note_id] = (node_id, body)
            links: dict[str, list[str]] = defaultdict(list)
            for chunk, marks in _chunks(by_kind["source"]):
                for source_id, node_id in conn.execute(
                    "SELECT l.source_id, l.node_id FROM source_link l JOIN node n ON n.id = l.node_id "
                    f"WHERE l.source_id IN ({marks}) AND l.deleted_at IS NULL AND n.deleted_at IS NULL",
                    chunk,
                ):
                    links[source_id].append(node_id)
                for source_id, title, excerpt in conn.execute(
                    f"SELECT id, title, excerpt FROM source WHERE id IN ({marks})", chunk
                ):
                    source_rows[source_id] = (links.get(source_id, []), f"{title}. {excerpt}".strip())
        hits: list[SearchHit] = []
        for kind, row_id, rank in matches:
            if kind == "node" and row_id in node_text:
                nid, body = node_text[row_id]
                hits.append(SearchHit("node", row_id, (nid,), search.snippet(body, query), rank))
            elif kind == "note" and row_id in note_rows:
                nid, body = note_rows[row_id]
                hits.append(SearchHit("note", row_id, (nid,), search.snippet(body, query), rank))
            elif kind == "source" and row_id in source_rows:
                nids, body = source_rows[row_id]
                hits.append(SearchHit("source", row_id, tuple(nids), search.snippet(body, query), rank))
        return hits

    def matching_node_ids(self, query: str) -> set[str]:
        """Every node whose text, notes or linked sources match `query` (tree filter)."""
        from db.node_matching import matching_node_ids

        with self._read() as conn:
            return matching_node_ids(conn, query)

    def rebuild_search_index(self) -> None:
        """Index every live row again (after a merge or a repair)."""
        with self._write() as conn:
            conn.execute("DELETE FROM search_index")
            node_ids = [r[0] for r in conn.execute("SELECT id FROM node WHERE deleted_at IS NULL")]
            self._reindex_nodes(conn, node_ids)
            search.index_rows(
                conn, "note", conn.execute("SELECT id, body FROM note WHERE deleted_at IS NULL").fetchall()
            )
            source_ids = [r[0] for r in conn.execute("SELECT id FROM source WHERE deleted_at IS NULL")]
            self._reindex_sources(conn, source_ids)

    def _reindex_nodes(self, conn: sqlite3.Connection, node_ids: Sequence[str]) -> None:
        rows: list[tuple[str, str]] = []
        for chunk, marks in _chunks(node_ids):
            for nid, ref, title, body, office in conn.execute(
                f"SELECT id, ref, title, text, lead_office FROM node WHERE id IN ({marks})", chunk
            ):
                rows.append((nid, "\n".join(p for p in (ref, title, body, office) if p)))
        search.index_rows(conn, "node", rows)

    def _reindex_sources(self, conn: sqlite3.Connection, source_ids: Sequence[str]) -> None:
        rows: list[tuple[str, str]] = []
        for chunk, marks in _chunks(source_ids):
            quotes: dict[str, list[str]] = defaultdict(list)
            for source_id, quote in conn.execute(
                f"SELECT source_id, quote FROM source_link WHERE source_id IN ({marks}) AND deleted_at IS NULL",
                chunk,
            ):
                if quote:
                    quotes[source_id].append(quote)
            for source_id, title, outlet, excerpt in conn.execute(
                f"SELECT id, title, outlet, excerpt FROM source WHERE id IN ({marks}) AND deleted_at IS NULL",
                chunk,
            ):
                parts = [title, outlet, excerpt, *quotes.get(source_id, [])]
                rows.append((source_id, "\n".join(p for p in parts if p)))
        search.index_rows(conn, "source", rows)

    # -- counts (check, status bar) -----------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Live rows per kind."""
        out: dict[str, int] = {}
        with self._read() as conn:
            for synced in SYNCED_TABLES:
                out[synced.kind] = conn.execute(
                    f"SELECT count(*) FROM {synced.table} WHERE deleted_at IS NULL"
                ).fetchone()[0]
            out["status_changes"] = conn.execute("SELECT count(*) FROM status_change").fetchone()[0]
            for kind in NODE_KINDS:
                out[f"{kind}s"] = conn.execute(
                    "SELECT count(*) FROM node WHERE kind = ? AND deleted_at IS NULL", (kind,)
                ).fetchone()[0]
        return out


# -- helpers -------------------------------------------------------------------------------


def status_counts_of(nodes: Sequence[NodeInfo]) -> dict[str, dict[str, int]]:
    """Per area/item id: counts of the statuses of the tracked nodes below it."""
    by_id = {n.id: n for n in nodes}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUSES, 0))
    for n in nodes:
        if n.kind in TRACKED_KINDS and n.status in STATUSES:
            parent = n.parent_id
            while parent is not None and parent in by_id:
                p = by_id[parent]
                if p.kind not in TRACKED_KINDS:
                    counts[p.id][n.status] += 1
                parent = p.parent_id
    return dict(counts)


def _dicts(cursor: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    """The cursor's rows as column -> value dicts (for code that compares many columns)."""
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(names, row))


def _insert(conn: sqlite3.Connection, table: str, values: Mapping[str, Any]) -> None:
    insert_rows(conn, table, [values])


def _update(conn: sqlite3.Connection, table: str, row_id: str, values: Mapping[str, Any]) -> None:
    update_rows(conn, table, [{**values, "id": row_id}])


def _next_note_position(conn: sqlite3.Connection, node_id: str, kind: str) -> int:
    row = conn.execute(
        "SELECT coalesce(max(position) + 1, 0) FROM note WHERE node_id = ? AND kind = ?", (node_id, kind)
    ).fetchone()
    return int(row[0])


def _like_escape(value: str) -> str:
    return value.replace("/", "//").replace("%", "/%").replace("_", "/_")


def _depth_first(nodes: list[NodeInfo]) -> list[NodeInfo]:
    children: dict[str | None, list[NodeInfo]] = defaultdict(list)
    for n in nodes:
        children[n.parent_id].append(n)
    for siblings in children.values():
        siblings.sort(key=lambda n: (n.position, n.ref))
    out: list[NodeInfo] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(reversed(children.get(n.id, [])))
    return out


def _reorder(items: list[NoteInfo], order: list[str]) -> list[NoteInfo]:
    by_id = {n.id: n for n in items}
    return [by_id[i] for i in order]


def _chunks(values: Iterable[str], size: int = 500) -> Iterator[tuple[list[str], str]]:
    """`values` in slices small enough for one statement, each with its "?, ?, …" placeholders."""
    values = list(values)
    for i in range(0, len(values), size):
        chunk = values[i : i + size]
        yield chunk, ", ".join("?" * len(chunk))


def _note_order(n: NoteInfo) -> tuple[int, int, str]:
    kind_rank = NOTE_KINDS.index(n.kind) if n.kind in NOTE_KINDS else len(NOTE_KINDS)
    return (kind_rank, n.position, n.created_at)


def _check_note_kind(kind: str) -> None:
    if kind not in NOTE_KINDS:
        raise InvalidInput(f"{kind!r} is not a note kind; use one of: {', '.join(NOTE_KINDS)}.")


def _neg_date(date: str | None) -> str:
    # Sort key that puts later dates first when sorting ascending.
    return "".join(chr(0x10FFFF - ord(c)) for c in (date or ""))


def _source_values(**fields: Any) -> dict[str, Any]:
    title = (fields.get("title") or "").strip()
    if not title:
        raise InvalidInput("A source needs a title.")
    try:
        published = ids.partial_date(fields.get("published"))
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    return {
        "title": title,
        "outlet": (fields.get("outlet") or "").strip(),
        "url": (fields.get("url") or "").strip(),
        "published": published,
        "excerpt": fields.get("excerpt") or "",
    }


def _meeting_values(fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise InvalidInput(f"Meetings have no field {sorted(unknown)[0]!r}.")
    title = (fields.get("title") or "").strip()
    if not title:
        raise InvalidInput("A meeting needs a title.")
    try:
        date = ids.partial_date(fields.get("date"))
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    values = {k: (fields.get(k) or "") for k in MEETING_FIELDS}
    values.update(title=title, date=date)
    return values


def _plan_info(r: Sequence[Any]) -> PlanInfo:
    pid, title, parties, period, adopted_on, preamble, updated_at, updated_by = r
    return PlanInfo(
        pid, title, tuple(p for p in (parties or "").split("\n") if p), period, adopted_on, preamble,
        updated_at, updated_by,
    )


def _agenda_info(r: Sequence[Any], position: int) -> AgendaItemInfo:
    item_id, meeting_id, node_id, ref, title, _stored, points, _deleted = r
    return AgendaItemInfo(
        id=item_id, meeting_id=meeting_id, node_id=node_id, ref=ref, title=title, position=position, points=points
    )
