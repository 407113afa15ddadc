"""The facade over one open briefing file.

`Briefing.open(path)` checks the file (see `db.file`), migrates it if it is
older, and then hands out typed values (`db.values`) for every read and takes
plain arguments for every change. Each change is its own transaction,
committed before the method returns: there is no "save", so nothing is lost
when the program stops.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import mimetypes
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import OperationalError

from db import file as dbfile
from db import ids, search
from db import lock as dblock
from db.errors import FileBusy, InvalidInput, NotFound, WriteRefused
from db.models import (
    AgendaItem,
    Attachment,
    Blob,
    Meeting,
    Meta,
    Node,
    Note,
    Plan,
    Source,
    SourceLink,
    StatusChangeRow,
)
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

# Table objects: the facade speaks SQLAlchemy Core to them (no identity map to
# fill, which matters for 10,000-node trees).
T_PLAN = Plan.__table__
T_NODE = Node.__table__
T_NOTE = Note.__table__
T_SOURCE = Source.__table__
T_LINK = SourceLink.__table__
T_ATTACH = Attachment.__table__
T_BLOB = Blob.__table__
T_MEETING = Meeting.__table__
T_AGENDA = AgendaItem.__table__
T_STATUS = StatusChangeRow.__table__
T_META = Meta.__table__

_NODE_INFO_COLUMNS = tuple(T_NODE.c[name] for name in NodeInfo.__dataclass_fields__)
_V = TypeVar("_V")

MEETING_FIELDS = ("title", "date", "place", "participants", "classification", "purpose")
SOURCE_FIELDS = ("title", "outlet", "url", "published", "excerpt")


class Briefing:
    """One open briefing file."""

    def __init__(self, path: Path, engine: sa.Engine, read_only: bool, user: str) -> None:
        self.path = path
        self.read_only = read_only
        self.user = user
        self._engine = engine
        self.migration_backup: Path | None = None
        self._lock: dblock.FileLock | None = None
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
        held = dblock.acquire(path, user) if lock and not read_only else None
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
        engine = sa.create_engine(
            "sqlite://",
            creator=lambda: dbfile.connect(path, read_only=read_only),
            poolclass=sa.pool.QueuePool,
            pool_size=2,
            max_overflow=6,
        )
        briefing = cls(path, engine, read_only, user or ids.current_user())
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
        self._engine.dispose()
        held, self._lock = getattr(self, "_lock", None), None
        if held is not None:
            held.release()

    def __enter__(self) -> Briefing:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn:
                yield conn
        except OperationalError as exc:
            raise self._busy_or(exc) from exc

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        if self.read_only:
            if self.locked_by:  # opened read-only because another briefbook holds the file
                raise WriteRefused(f"Changes cannot be saved: {self.locked_by}")
            raise WriteRefused(f"{self.path.name} is open read-only: changes cannot be saved.")
        try:
            with self._engine.connect() as conn:
                # IMMEDIATE takes the write lock up front, so two writers queue
                # on the busy timeout instead of failing half way.
                _retry_busy(lambda: conn.exec_driver_sql("BEGIN IMMEDIATE"))
                try:
                    yield conn
                except BaseException:
                    conn.exec_driver_sql("ROLLBACK")
                    raise
                try:
                    # Readers can hold off a commit past the busy timeout; the
                    # transaction is still whole then, so try the commit again.
                    _retry_busy(lambda: conn.exec_driver_sql("COMMIT"))
                except OperationalError:
                    conn.exec_driver_sql("ROLLBACK")
                    raise
        except OperationalError as exc:
            raise self._busy_or(exc) from exc

    def _busy_or(self, exc: OperationalError) -> Exception:
        msg = str(exc.orig) if exc.orig is not None else str(exc)
        if "locked" in msg or "busy" in msg:
            return FileBusy(
                f"{self.path.name} is busy: another program is writing to it. Try again in a moment."
            )
        return exc

    def _stamp(self) -> dict[str, Any]:
        return {"updated_at": ids.now(), "updated_by": self.user}

    # -- meta ---------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        with self._read() as conn:
            return conn.execute(select(T_META.c.value).where(T_META.c.key == key)).scalar()

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as conn:
            conn.execute(T_META.delete().where(T_META.c.key == key))
            conn.execute(insert(T_META).values(key=key, value=value))

    # -- plans and the tree -----------------------------------------------------------

    def plans(self) -> list[PlanInfo]:
        with self._read() as conn:
            rows = conn.execute(
                select(T_PLAN).where(T_PLAN.c.deleted_at.is_(None)).order_by(T_PLAN.c.title)
            ).all()
        return [_plan_info(r) for r in rows]

    def plan(self, plan_id: str) -> PlanInfo:
        with self._read() as conn:
            row = conn.execute(select(T_PLAN).where(T_PLAN.c.id == plan_id)).first()
        if row is None or row.deleted_at is not None:
            raise NotFound(f"There is no plan {plan_id!r} in this file.")
        return _plan_info(row)

    def nodes(self, plan_id: str | None = None) -> list[NodeInfo]:
        """All live nodes (of one plan), parents before children, siblings in order."""
        # Columns in NodeInfo's field order, built positionally: reading 14 named
        # attributes per row was most of the time of a 10,000-node tree.
        q = select(*_NODE_INFO_COLUMNS).where(T_NODE.c.deleted_at.is_(None))
        if plan_id is not None:
            q = q.where(T_NODE.c.plan_id == plan_id)
        with self._read() as conn:
            rows = conn.execute(q).all()
        infos = [NodeInfo(*r) for r in rows]
        return _depth_first(infos)

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
            row = conn.execute(select(T_NODE).where(T_NODE.c.id == node_id)).first()
        if row is None or row.deleted_at is not None:
            raise NotFound("That commitment is no longer in the file.")
        return _node_info(row)

    def node_by_ref(self, ref: str, plan_id: str | None = None) -> NodeInfo:
        """The node with reference `ref` ("3.2.1"); `plan_id` narrows it when several plans exist."""
        ref = ref.strip().rstrip(".")
        q = select(T_NODE).where(T_NODE.c.ref == ref, T_NODE.c.deleted_at.is_(None))
        if plan_id is not None:
            q = q.where(T_NODE.c.plan_id == plan_id)
        with self._read() as conn:
            rows = conn.execute(q).all()
        if not rows:
            raise NotFound(f"There is no commitment with reference {ref!r} in this file.")
        if len(rows) > 1:
            raise InvalidInput(
                f"Reference {ref!r} exists in {len(rows)} plans; name the plan with --plan."
            )
        return _node_info(rows[0])

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
            existing_plan = conn.execute(select(T_PLAN).where(T_PLAN.c.id == pid)).first()
            if existing_plan is None:
                conn.execute(insert(T_PLAN).values(id=pid, **plan_values, **stamp, deleted_at=None))
            elif existing_plan.deleted_at is not None or any(
                getattr(existing_plan, k) != v for k, v in plan_values.items()
            ):
                conn.execute(
                    update(T_PLAN).where(T_PLAN.c.id == pid).values(**plan_values, **stamp, deleted_at=None)
                )

            existing = {r.id: r for r in conn.execute(select(T_NODE).where(T_NODE.c.plan_id == pid))}
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
                    elif old.deleted_at is not None or any(getattr(old, k) != v for k, v in values.items()):
                        status = old.status
                        if nd.kind in TRACKED_KINDS and status is None:
                            status = "not_started"
                        changed.append({"_id": nid, **values, "status": status, **stamp, "deleted_at": None})
                    else:
                        unchanged += 1
                    visit(nd.children, nid)

            visit(draft.areas, None)
            # Parents first: the tree's foreign keys point upwards.
            if new_rows:
                _insert_many(conn, T_NODE, new_rows)
            if changed:
                conn.execute(
                    update(T_NODE).where(T_NODE.c.id == sa.bindparam("_id")),
                    changed,
                )
            gone = [r.id for r in existing.values() if r.id not in seen and r.deleted_at is None]
            if gone:
                conn.execute(
                    update(T_NODE).where(T_NODE.c.id.in_(gone)).values(deleted_at=stamp["updated_at"], **stamp)
                )
                search.unindex_rows(conn, gone)
            touched = [r["id"] for r in new_rows] + [r["_id"] for r in changed]
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
            conn.execute(insert(T_STATUS).values(**_asdict(change)))
            conn.execute(
                update(T_NODE)
                .where(T_NODE.c.id == node_id)
                .values(status=status, status_changed_at=change.changed_at, status_changed_by=self.user, **stamp)
            )
        return change

    def status_history(self, node_id: str) -> list[StatusChange]:
        """Every status change of the node, oldest first."""
        with self._read() as conn:
            rows = conn.execute(
                select(T_STATUS).where(T_STATUS.c.node_id == node_id).order_by(T_STATUS.c.changed_at)
            ).all()
        return [_status_change(r) for r in rows]

    def status_history_for(self, node_ids: Sequence[str]) -> dict[str, list[StatusChange]]:
        """Status changes of many nodes at once, oldest first (exports)."""
        out: dict[str, list[StatusChange]] = defaultdict(list)
        with self._read() as conn:
            for chunk in _chunks(node_ids):
                for r in conn.execute(
                    select(T_STATUS).where(T_STATUS.c.node_id.in_(chunk)).order_by(T_STATUS.c.changed_at)
                ):
                    out[r.node_id].append(_status_change(r))
        return dict(out)

    def status_changes_since(self, since: str, plan_id: str | None = None) -> list[StatusChange]:
        q = select(T_STATUS).where(T_STATUS.c.changed_at >= since).order_by(T_STATUS.c.changed_at)
        if plan_id is not None:
            q = q.join(T_NODE, T_NODE.c.id == T_STATUS.c.node_id).where(T_NODE.c.plan_id == plan_id)
        with self._read() as conn:
            return [_status_change(r) for r in conn.execute(q).all()]

    def set_lead_office(self, node_id: str, lead_office: str) -> NodeInfo:
        self.node(node_id)
        with self._write() as conn:
            conn.execute(
                update(T_NODE).where(T_NODE.c.id == node_id).values(lead_office=lead_office.strip(), **self._stamp())
            )
            self._reindex_nodes(conn, [node_id])
        return self.node(node_id)

    # -- notes -----------------------------------------------------------------------

    def notes(self, node_id: str) -> list[NoteInfo]:
        """The node's notes, grouped by kind in briefing order, then by position."""
        with self._read() as conn:
            rows = conn.execute(
                select(T_NOTE).where(T_NOTE.c.node_id == node_id, T_NOTE.c.deleted_at.is_(None))
            ).all()
        return sorted((_note_info(r) for r in rows), key=_note_order)

    def notes_for(self, node_ids: Sequence[str]) -> dict[str, list[NoteInfo]]:
        """Notes of many nodes at once (exports)."""
        out: dict[str, list[NoteInfo]] = defaultdict(list)
        with self._read() as conn:
            for chunk in _chunks(node_ids):
                for r in conn.execute(
                    select(T_NOTE).where(T_NOTE.c.node_id.in_(chunk), T_NOTE.c.deleted_at.is_(None))
                ):
                    out[r.node_id].append(_note_info(r))
        for notes in out.values():
            notes.sort(key=_note_order)
        return dict(out)

    def notes_since(self, since: str, plan_id: str | None = None) -> list[NoteInfo]:
        q = select(T_NOTE).where(T_NOTE.c.created_at >= since, T_NOTE.c.deleted_at.is_(None))
        if plan_id is not None:
            q = q.join(T_NODE, T_NODE.c.id == T_NOTE.c.node_id).where(T_NODE.c.plan_id == plan_id)
        with self._read() as conn:
            return [_note_info(r) for r in conn.execute(q.order_by(T_NOTE.c.created_at)).all()]

    def note(self, note_id: str) -> NoteInfo:
        with self._read() as conn:
            row = conn.execute(select(T_NOTE).where(T_NOTE.c.id == note_id)).first()
        if row is None or row.deleted_at is not None:
            raise NotFound(f"There is no note {note_id!r} in this file.")
        return _note_info(row)

    def add_note(self, node_id: str, kind: str, body: str, author: str | None = None) -> NoteInfo:
        _check_note_kind(kind)
        self.node(node_id)
        stamp = self._stamp()
        note_id = ids.new_id()
        with self._write() as conn:
            position = conn.execute(
                select(func.coalesce(func.max(T_NOTE.c.position) + 1, 0)).where(
                    T_NOTE.c.node_id == node_id, T_NOTE.c.kind == kind
                )
            ).scalar_one()
            conn.execute(
                insert(T_NOTE).values(
                    id=note_id,
                    node_id=node_id,
                    kind=kind,
                    body=body,
                    author=(author or self.user).strip(),
                    position=position,
                    created_at=stamp["updated_at"],
                    conflict_of=None,
                    deleted_at=None,
                    **stamp,
                )
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
                values["position"] = conn.execute(
                    select(func.coalesce(func.max(T_NOTE.c.position) + 1, 0)).where(
                        T_NOTE.c.node_id == old.node_id, T_NOTE.c.kind == values["kind"]
                    )
                ).scalar_one()
            conn.execute(update(T_NOTE).where(T_NOTE.c.id == note_id).values(**values, **self._stamp()))
            if "body" in values:
                search.index_rows(conn, "note", [(note_id, values["body"])])
        return self.note(note_id)

    def delete_note(self, note_id: str) -> None:
        self.note(note_id)
        stamp = self._stamp()
        with self._write() as conn:
            conn.execute(update(T_NOTE).where(T_NOTE.c.id == note_id).values(deleted_at=stamp["updated_at"], **stamp))
            search.unindex_rows(conn, [note_id])

    def restore_note(self, note_id: str) -> NoteInfo:
        """Undo a deletion."""
        with self._write() as conn:
            row = conn.execute(select(T_NOTE).where(T_NOTE.c.id == note_id)).first()
            if row is None:
                raise NotFound(f"There is no note {note_id!r} in this file.")
            conn.execute(update(T_NOTE).where(T_NOTE.c.id == note_id).values(deleted_at=None, **self._stamp()))
            search.index_rows(conn, "note", [(note_id, row.body)])
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
                    conn.execute(update(T_NOTE).where(T_NOTE.c.id == nid).values(position=position, **stamp))

    # -- sources ---------------------------------------------------------------------

    def sources(self, title_contains: str = "") -> list[SourceInfo]:
        q = select(T_SOURCE).where(T_SOURCE.c.deleted_at.is_(None))
        if title_contains.strip():
            q = q.where(T_SOURCE.c.title.icontains(title_contains.strip(), autoescape=True))
        with self._read() as conn:
            rows = conn.execute(q.order_by(T_SOURCE.c.title)).all()
        return [_source_info(r) for r in rows]

    def source(self, source_id: str) -> SourceInfo:
        with self._read() as conn:
            row = conn.execute(select(T_SOURCE).where(T_SOURCE.c.id == source_id)).first()
        if row is None or row.deleted_at is not None:
            raise NotFound(f"There is no source {source_id!r} in this file.")
        return _source_info(row)

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
            conn.execute(insert(T_SOURCE).values(id=source_id, **values, deleted_at=None, **self._stamp()))
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
            conn.execute(update(T_SOURCE).where(T_SOURCE.c.id == source_id).values(**values, **self._stamp()))
            self._reindex_sources(conn, [source_id])
        return self.source(source_id)

    def delete_source(self, source_id: str) -> None:
        self.source(source_id)
        stamp = self._stamp()
        with self._write() as conn:
            conn.execute(
                update(T_SOURCE).where(T_SOURCE.c.id == source_id).values(deleted_at=stamp["updated_at"], **stamp)
            )
            search.unindex_rows(conn, [source_id])

    def restore_source(self, source_id: str) -> SourceInfo:
        with self._write() as conn:
            conn.execute(update(T_SOURCE).where(T_SOURCE.c.id == source_id).values(deleted_at=None, **self._stamp()))
            self._reindex_sources(conn, [source_id])
        return self.source(source_id)

    def link_source(self, source_id: str, node_id: str, quote: str = "") -> str:
        """Cite the source on the node (again, if it was unlinked); returns the link id."""
        self.source(source_id)
        self.node(node_id)
        link = ids.link_id(source_id, node_id)
        with self._write() as conn:
            exists = conn.execute(select(T_LINK.c.id).where(T_LINK.c.id == link)).first()
            if exists:
                conn.execute(
                    update(T_LINK).where(T_LINK.c.id == link).values(quote=quote, deleted_at=None, **self._stamp())
                )
            else:
                conn.execute(
                    insert(T_LINK).values(
                        id=link, source_id=source_id, node_id=node_id, quote=quote, deleted_at=None, **self._stamp()
                    )
                )
            self._reindex_sources(conn, [source_id])
        return link

    def unlink_source(self, link_id: str) -> None:
        stamp = self._stamp()
        with self._write() as conn:
            row = conn.execute(select(T_LINK).where(T_LINK.c.id == link_id)).first()
            if row is None:
                raise NotFound("That source is not linked there.")
            conn.execute(update(T_LINK).where(T_LINK.c.id == link_id).values(deleted_at=stamp["updated_at"], **stamp))
            self._reindex_sources(conn, [row.source_id])

    def set_link_quote(self, link_id: str, quote: str) -> None:
        with self._write() as conn:
            row = conn.execute(select(T_LINK).where(T_LINK.c.id == link_id)).first()
            if row is None:
                raise NotFound("That source is not linked there.")
            conn.execute(update(T_LINK).where(T_LINK.c.id == link_id).values(quote=quote, **self._stamp()))
            self._reindex_sources(conn, [row.source_id])

    def node_sources(self, node_id: str) -> list[LinkedSource]:
        return self.sources_for([node_id]).get(node_id, [])

    def sources_for(self, node_ids: Sequence[str]) -> dict[str, list[LinkedSource]]:
        """The sources linked to each node, oldest link first."""
        out: dict[str, list[LinkedSource]] = defaultdict(list)
        with self._read() as conn:
            rows = []
            for chunk in _chunks(node_ids):
                rows.extend(
                    conn.execute(
                        select(T_LINK.c.id.label("link_id"), T_LINK.c.node_id, T_LINK.c.quote, T_SOURCE)
                        .join(T_SOURCE, T_SOURCE.c.id == T_LINK.c.source_id)
                        .where(
                            T_LINK.c.node_id.in_(chunk),
                            T_LINK.c.deleted_at.is_(None),
                            T_SOURCE.c.deleted_at.is_(None),
                        )
                        .order_by(T_LINK.c.updated_at)
                    ).all()
                )
            attachments = self._attachments(conn, {r.id for r in rows})
        for r in rows:
            out[r.node_id].append(
                LinkedSource(
                    link_id=r.link_id,
                    source=_source_info(r),
                    node_id=r.node_id,
                    quote=r.quote,
                    attachments=tuple(attachments.get(r.id, ())),
                )
            )
        return dict(out)

    def source_nodes(self, source_id: str) -> list[tuple[NodeInfo, str]]:
        """The nodes a source is cited on, with the pinpoint quote of each link."""
        with self._read() as conn:
            rows = conn.execute(
                select(T_NODE, T_LINK.c.quote.label("link_quote"))
                .join(T_LINK, T_LINK.c.node_id == T_NODE.c.id)
                .where(T_LINK.c.source_id == source_id, T_LINK.c.deleted_at.is_(None), T_NODE.c.deleted_at.is_(None))
            ).all()
        return [(_node_info(r), r.link_quote) for r in rows]

    # -- attachments -------------------------------------------------------------------

    def attachments(self, source_id: str) -> list[AttachmentInfo]:
        with self._read() as conn:
            return self._attachments(conn, {source_id}).get(source_id, [])

    def _attachments(self, conn: Connection, source_ids: set[str]) -> dict[str, list[AttachmentInfo]]:
        out: dict[str, list[AttachmentInfo]] = defaultdict(list)
        for chunk in _chunks(list(source_ids)):
            for r in conn.execute(
                select(T_ATTACH, T_BLOB.c.size)
                .join(T_BLOB, T_BLOB.c.sha256 == T_ATTACH.c.sha256)
                .where(T_ATTACH.c.source_id.in_(chunk), T_ATTACH.c.deleted_at.is_(None))
                .order_by(T_ATTACH.c.added_at)
            ):
                out[r.source_id].append(_attachment_info(r))
        return out

    def add_attachment(
        self, source_id: str, filename: str, data: bytes, media_type: str | None = None
    ) -> AttachmentInfo:
        """Store a file inside the briefing file (bytes kept once per content hash).

        The attachment's id derives from the source and the bytes: the same file
        attached to the same source twice, here or in a colleague's copy, is one
        attachment (the later name wins), so merged copies show it once.
        """
        self.source(source_id)
        name = Path(filename).name or "attachment"
        digest = hashlib.sha256(data).hexdigest()
        media = media_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        attachment_id = ids.attachment_id(source_id, digest)
        stamp = self._stamp()
        with self._write() as conn:
            if conn.execute(select(T_BLOB.c.sha256).where(T_BLOB.c.sha256 == digest)).first() is None:
                conn.execute(insert(T_BLOB).values(sha256=digest, size=len(data), data=data))
            if conn.execute(select(T_ATTACH.c.id).where(T_ATTACH.c.id == attachment_id)).first() is None:
                conn.execute(
                    insert(T_ATTACH).values(
                        id=attachment_id,
                        source_id=source_id,
                        filename=name,
                        media_type=media,
                        sha256=digest,
                        added_at=stamp["updated_at"],
                        deleted_at=None,
                        **stamp,
                    )
                )
            else:
                conn.execute(
                    update(T_ATTACH)
                    .where(T_ATTACH.c.id == attachment_id)
                    .values(filename=name, media_type=media, deleted_at=None, **stamp)
                )
        return self.attachment(attachment_id)

    def attachment(self, attachment_id: str) -> AttachmentInfo:
        with self._read() as conn:
            row = conn.execute(
                select(T_ATTACH, T_BLOB.c.size)
                .join(T_BLOB, T_BLOB.c.sha256 == T_ATTACH.c.sha256)
                .where(T_ATTACH.c.id == attachment_id)
            ).first()
        if row is None or row.deleted_at is not None:
            raise NotFound("That attachment is no longer in the file.")
        return _attachment_info(row)

    def attachment_data(self, attachment_id: str) -> bytes:
        with self._read() as conn:
            data = conn.execute(
                select(T_BLOB.c.data)
                .join(T_ATTACH, T_ATTACH.c.sha256 == T_BLOB.c.sha256)
                .where(T_ATTACH.c.id == attachment_id)
            ).scalar()
        if data is None:
            raise NotFound("That attachment is no longer in the file.")
        return bytes(data)

    def remove_attachment(self, attachment_id: str) -> None:
        stamp = self._stamp()
        with self._write() as conn:
            conn.execute(
                update(T_ATTACH).where(T_ATTACH.c.id == attachment_id).values(deleted_at=stamp["updated_at"], **stamp)
            )

    def restore_attachment(self, attachment_id: str) -> None:
        with self._write() as conn:
            conn.execute(update(T_ATTACH).where(T_ATTACH.c.id == attachment_id).values(deleted_at=None, **self._stamp()))

    # -- meetings ----------------------------------------------------------------------

    def meetings(self) -> list[MeetingInfo]:
        with self._read() as conn:
            rows = conn.execute(select(T_MEETING).where(T_MEETING.c.deleted_at.is_(None))).all()
        # Dated meetings first, newest first; undated ones after, by title.
        infos = [_meeting_info(r) for r in rows]
        return sorted(infos, key=lambda m: (m.date is None, _neg_date(m.date), m.title.casefold()))

    def meeting(self, meeting_id: str) -> MeetingInfo:
        with self._read() as conn:
            row = conn.execute(select(T_MEETING).where(T_MEETING.c.id == meeting_id)).first()
        if row is None or row.deleted_at is not None:
            raise NotFound(f"There is no meeting {meeting_id!r} in this file.")
        return _meeting_info(row)

    def create_meeting(self, title: str, **fields: Any) -> MeetingInfo:
        values = _meeting_values({"title": title, **fields})
        meeting_id = ids.new_id()
        with self._write() as conn:
            conn.execute(insert(T_MEETING).values(id=meeting_id, **values, deleted_at=None, **self._stamp()))
        return self.meeting(meeting_id)

    def edit_meeting(self, meeting_id: str, **fields: Any) -> MeetingInfo:
        old = self.meeting(meeting_id)
        values = _meeting_values({k: fields.get(k, getattr(old, k)) for k in MEETING_FIELDS})
        with self._write() as conn:
            conn.execute(update(T_MEETING).where(T_MEETING.c.id == meeting_id).values(**values, **self._stamp()))
        return self.meeting(meeting_id)

    def delete_meeting(self, meeting_id: str) -> None:
        self.meeting(meeting_id)
        stamp = self._stamp()
        with self._write() as conn:
            conn.execute(
                update(T_MEETING).where(T_MEETING.c.id == meeting_id).values(deleted_at=stamp["updated_at"], **stamp)
            )

    def restore_meeting(self, meeting_id: str) -> MeetingInfo:
        with self._write() as conn:
            conn.execute(update(T_MEETING).where(T_MEETING.c.id == meeting_id).values(deleted_at=None, **self._stamp()))
        return self.meeting(meeting_id)

    def agenda(self, meeting_id: str) -> list[AgendaItemInfo]:
        with self._read() as conn:
            rows = conn.execute(
                select(T_AGENDA, T_NODE.c.ref, T_NODE.c.title)
                .join(T_NODE, T_NODE.c.id == T_AGENDA.c.node_id)
                .where(
                    T_AGENDA.c.meeting_id == meeting_id,
                    T_AGENDA.c.deleted_at.is_(None),
                    T_NODE.c.deleted_at.is_(None),
                )
                .order_by(T_AGENDA.c.position, T_AGENDA.c.updated_at)
            ).all()
        return [_agenda_info(r, i) for i, r in enumerate(rows)]

    def agenda_item(self, item_id: str) -> AgendaItemInfo:
        with self._read() as conn:
            row = conn.execute(
                select(T_AGENDA, T_NODE.c.ref, T_NODE.c.title)
                .join(T_NODE, T_NODE.c.id == T_AGENDA.c.node_id)
                .where(T_AGENDA.c.id == item_id)
            ).first()
        if row is None or row.deleted_at is not None:
            raise NotFound("That agenda item is no longer in the meeting.")
        return _agenda_info(row, row.position)

    def add_agenda_item(
        self, meeting_id: str, node_id: str, points: str = "", index: int | None = None
    ) -> AgendaItemInfo:
        """Put a node on the meeting's agenda (at `index`, default: the end)."""
        self.meeting(meeting_id)
        self.node(node_id)
        item_id = ids.new_id()
        current = [a.id for a in self.agenda(meeting_id)]
        with self._write() as conn:
            conn.execute(
                insert(T_AGENDA).values(
                    id=item_id,
                    meeting_id=meeting_id,
                    node_id=node_id,
                    position=len(current),
                    points=points,
                    deleted_at=None,
                    **self._stamp(),
                )
            )
        if index is not None and index < len(current):
            self.move_agenda_item(item_id, index)
        return self.agenda_item(item_id)

    def remove_agenda_item(self, item_id: str) -> None:
        stamp = self._stamp()
        with self._write() as conn:
            conn.execute(update(T_AGENDA).where(T_AGENDA.c.id == item_id).values(deleted_at=stamp["updated_at"], **stamp))

    def restore_agenda_item(self, item_id: str, index: int | None = None) -> AgendaItemInfo:
        with self._write() as conn:
            conn.execute(update(T_AGENDA).where(T_AGENDA.c.id == item_id).values(deleted_at=None, **self._stamp()))
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
                    select(T_AGENDA.c.id, T_AGENDA.c.position).where(T_AGENDA.c.meeting_id == item.meeting_id)
                ).all()
            )
            for position, aid in enumerate(order):
                if current.get(aid) != position:
                    conn.execute(update(T_AGENDA).where(T_AGENDA.c.id == aid).values(position=position, **stamp))

    def set_agenda_points(self, item_id: str, points: str) -> AgendaItemInfo:
        self.agenda_item(item_id)
        with self._write() as conn:
            conn.execute(update(T_AGENDA).where(T_AGENDA.c.id == item_id).values(points=points, **self._stamp()))
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
            if by_kind["node"]:
                for r in conn.execute(
                    select(T_NODE.c.id, T_NODE.c.title, T_NODE.c.text).where(T_NODE.c.id.in_(by_kind["node"]))
                ):
                    node_text[r.id] = (r.id, r.text or r.title)
            if by_kind["note"]:
                for r in conn.execute(
                    select(T_NOTE.c.id, T_NOTE.c.node_id, T_NOTE.c.body).where(T_NOTE.c.id.in_(by_kind["note"]))
                ):
                    note_rows[r.id] = (r.node_id, r.body)
            if by_kind["source"]:
                links: dict[str, list[str]] = defaultdict(list)
                for r in conn.execute(
                    select(T_LINK.c.source_id, T_LINK.c.node_id)
                    .join(T_NODE, T_NODE.c.id == T_LINK.c.node_id)
                    .where(
                        T_LINK.c.source_id.in_(by_kind["source"]),
                        T_LINK.c.deleted_at.is_(None),
                        T_NODE.c.deleted_at.is_(None),
                    )
                ):
                    links[r.source_id].append(r.node_id)
                for r in conn.execute(
                    select(T_SOURCE.c.id, T_SOURCE.c.title, T_SOURCE.c.excerpt).where(
                        T_SOURCE.c.id.in_(by_kind["source"])
                    )
                ):
                    source_rows[r.id] = (links.get(r.id, []), f"{r.title}. {r.excerpt}".strip())
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
            conn.exec_driver_sql("DELETE FROM search_index")
            node_ids = [r[0] for r in conn.execute(select(T_NODE.c.id).where(T_NODE.c.deleted_at.is_(None)))]
            self._reindex_nodes(conn, node_ids)
            search.index_rows(
                conn,
                "note",
                [(r[0], r[1]) for r in conn.execute(select(T_NOTE.c.id, T_NOTE.c.body).where(T_NOTE.c.deleted_at.is_(None)))],
            )
            source_ids = [r[0] for r in conn.execute(select(T_SOURCE.c.id).where(T_SOURCE.c.deleted_at.is_(None)))]
            self._reindex_sources(conn, source_ids)

    def _reindex_nodes(self, conn: Connection, node_ids: Sequence[str]) -> None:
        rows: list[tuple[str, str]] = []
        for chunk in _chunks(node_ids):
            marks = ",".join("?" * len(chunk))
            for nid, ref, title, body, office in conn.exec_driver_sql(
                f"SELECT id, ref, title, text, lead_office FROM node WHERE id IN ({marks})", tuple(chunk)
            ):
                rows.append((nid, "\n".join(p for p in (ref, title, body, office) if p)))
        search.index_rows(conn, "node", rows)

    def _reindex_sources(self, conn: Connection, source_ids: Sequence[str]) -> None:
        rows: list[tuple[str, str]] = []
        for chunk in _chunks(source_ids):
            quotes: dict[str, list[str]] = defaultdict(list)
            for r in conn.execute(
                select(T_LINK.c.source_id, T_LINK.c.quote).where(
                    T_LINK.c.source_id.in_(chunk), T_LINK.c.deleted_at.is_(None)
                )
            ):
                if r.quote:
                    quotes[r.source_id].append(r.quote)
            for r in conn.execute(select(T_SOURCE).where(T_SOURCE.c.id.in_(chunk))):
                if r.deleted_at is None:
                    parts = [r.title, r.outlet, r.excerpt, *quotes.get(r.id, [])]
                    rows.append((r.id, "\n".join(p for p in parts if p)))
        search.index_rows(conn, "source", rows)

    # -- counts (check, status bar) -----------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Live rows per kind."""
        tables: Mapping[str, sa.Table] = {
            "plans": T_PLAN,
            "nodes": T_NODE,
            "notes": T_NOTE,
            "sources": T_SOURCE,
            "source_links": T_LINK,
            "attachments": T_ATTACH,
            "meetings": T_MEETING,
            "agenda_items": T_AGENDA,
        }
        out: dict[str, int] = {}
        with self._read() as conn:
            for name, table in tables.items():
                out[name] = conn.execute(
                    select(func.count()).select_from(table).where(table.c.deleted_at.is_(None))
                ).scalar_one()
            out["status_changes"] = conn.execute(select(func.count()).select_from(T_STATUS)).scalar_one()
            for kind in NODE_KINDS:
                out[f"{kind}s"] = conn.execute(
                    select(func.count()).where(T_NODE.c.kind == kind, T_NODE.c.deleted_at.is_(None))
                ).scalar_one()
        return out


# -- helpers -------------------------------------------------------------------------------

#: Extra attempts after SQLite's own busy timeout ran out (each waits that long again).
BUSY_RETRIES = 2


def _retry_busy(run: Any) -> None:
    for attempt in range(BUSY_RETRIES + 1):
        try:
            run()
            return
        except OperationalError as exc:
            msg = str(exc.orig) if exc.orig is not None else str(exc)
            if attempt == BUSY_RETRIES or not ("locked" in msg or "busy" in msg):
                raise
            time.sleep(0.1 * (attempt + 1))


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


def _insert_many(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Bulk insert through the driver: SQLAlchemy's per-row parameter handling
    costs more than SQLite itself for 10,000-row imports."""
    columns = list(rows[0])
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    conn.exec_driver_sql(sql, [tuple(r[c] for c in columns) for r in rows])


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


def _chunks(values: Sequence[str], size: int = 500) -> Iterator[list[str]]:
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i : i + size]


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


def _asdict(change: StatusChange) -> dict[str, Any]:
    return dataclasses.asdict(change)


def _from_row(cls: type[_V], r: Any) -> _V:
    """A value from a result row whose columns are named like the value's fields."""
    return cls(*(getattr(r, name) for name in _field_names(cls)))


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _plan_info(r: Any) -> PlanInfo:
    parties = tuple(p for p in (r.parties or "").split("\n") if p)
    return PlanInfo(r.id, r.title, parties, r.period, r.adopted_on, r.preamble, r.updated_at, r.updated_by)


def _node_info(r: Any) -> NodeInfo:
    return _from_row(NodeInfo, r)


def _status_change(r: Any) -> StatusChange:
    return _from_row(StatusChange, r)


def _note_info(r: Any) -> NoteInfo:
    return _from_row(NoteInfo, r)


def _source_info(r: Any) -> SourceInfo:
    return _from_row(SourceInfo, r)


def _attachment_info(r: Any) -> AttachmentInfo:
    return _from_row(AttachmentInfo, r)


def _meeting_info(r: Any) -> MeetingInfo:
    return _from_row(MeetingInfo, r)


def _agenda_info(r: Any, position: int) -> AgendaItemInfo:
    return AgendaItemInfo(
        id=r.id,
        meeting_id=r.meeting_id,
        node_id=r.node_id,
        ref=r.ref,
        title=r.title,
        position=position,
        points=r.points,
    )
