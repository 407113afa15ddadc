"""The facade over one open briefing file.

`Briefing.open(path)` checks the file (see `db.disk.file`), migrates it if it is
older, and then hands out typed values (`db.model.values`) for every read and takes
plain arguments for every change. Each change is its own transaction,
committed before the method returns: there is no "save", so nothing is lost
when the program stops.

The SQL is written out against the tables `db.schema.models` declares (the schema's
one definition, with Alembic migrations) and runs through the standard
library's sqlite3 (`db.disk.connections`): a command that opens a file once does
not pay for loading SQLAlchemy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.briefing.access import NODE_COLS, Access
from db.briefing.clearance import Clearances
from db.briefing.conflicts import Conflicts
from db.briefing.meetings import Meetings
from db.briefing.notes import Notes
from db.briefing.sources import Sources
from db.disk import file as dbfile
from db.disk.connections import ConnectionPool, chunks, insert_row, select_list, update_row
from db.model import ids, rules, tree
from db.model.errors import CorruptFile, DiskFull, InvalidInput, NotFound, is_disk_full
from db.model.values import (
    NODE_KINDS,
    TRACKED_KINDS,
    ImportReport,
    NodeInfo,
    PlanInfo,
    SearchHit,
    StatusChange,
    TreeNode,
)
from db.schema.synced import SYNCED_TABLES
from db.search import index as indexing
from db.search import keeping

if TYPE_CHECKING:  # db.plans.storing, db.model.drafts and db.search.node_matching load only when used
    from db.model.drafts import PlanDraft
    from db.model.values import ImportPreview, MatchReason, PlanContents, PlanRemoval

# Kept importable from here for the code that imports them so (the window's
# commands, exporters.book, the tree model); their homes are db.model.rules and db.model.tree.
MEETING_FIELDS = rules.MEETING_FIELDS
SOURCE_FIELDS = rules.SOURCE_FIELDS
status_counts_of = tree.status_counts_of

_STATUS_COLS = select_list(StatusChange)
_STATUS_COLS_C = select_list(StatusChange, "c")
_PLAN_COLS = "id, title, parties, period, adopted_on, preamble, updated_at, updated_by"


class Briefing(Notes, Sources, Meetings, Clearances, Conflicts, Access):
    """One open briefing file.

    The notes, sources and meetings parts live in `db.briefing.notes`, `db.briefing.sources` and
    `db.briefing.meetings`; the connections and transactions in `db.briefing.access`.
    """

    # -- opening and closing ----------------------------------------------------

    @classmethod
    def open(
        cls, path: Path | str, read_only: bool = False, user: str | None = None, lock: bool = True
    ) -> Briefing:
        """Open an existing file; raises a `FileRefused` with a sentence if it cannot be.

        Opening for writing takes the file's lock (`db.disk.lock`): if another
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
            from db.disk import lock as dblock  # only writers take the lock

            held = dblock.acquire(path, user)
        read_from, temporary = path, None
        try:
            backup = None
            if facts.needs_migration:
                if read_only:
                    # Never changed (it may sit on read-only media, or another briefbook holds it):
                    # read a migrated temporary copy instead.
                    temporary = _migrated_copy(path)
                    read_from = temporary
                else:
                    backup = dbfile.migrate_if_needed(facts)
        except BaseException:
            if held is not None:
                held.release()
            raise
        briefing = cls(path, ConnectionPool(read_from, read_only), read_only, user or ids.current_user())
        briefing.migration_backup = backup
        briefing._lock = held
        briefing._temporary_copy = temporary
        if not read_only:
            with briefing._read() as conn:
                current = indexing.is_current(conn)
            if not current:  # indexed by an older briefbook: status comments were not in it
                briefing.rebuild_search_index()
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
            if is_disk_full(exc):
                raise DiskFull(f"The disk holding {path.parent} is full: {path.name} was not created.") from exc
            raise InvalidInput(f"{path} cannot be created ({exc.strerror}).") from exc
        briefing = cls.open(path, user=user)
        briefing.set_meta("created_by", briefing.user)
        briefing.set_meta("created_at", ids.now())
        return briefing

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
        sql = f"SELECT {NODE_COLS} FROM node WHERE deleted_at IS NULL"
        params: tuple[str, ...] = ()
        if plan_id is not None:
            sql += " AND plan_id = ?"
            params = (plan_id,)
        with self._read() as conn:
            rows = conn.execute(sql, params).fetchall()
        return tree.depth_first(NodeInfo(*r) for r in rows)

    def tree(self, plan_id: str) -> list[TreeNode]:
        """The plan's areas with their descendants."""
        return tree.build_tree(self.nodes(plan_id))

    def node_by_ref(self, ref: str, plan_id: str | None = None) -> NodeInfo:
        """The node with reference `ref` ("3.2.1"); `plan_id` narrows it when several plans exist."""
        ref = ref.strip().rstrip(".")
        sql = f"SELECT {NODE_COLS} FROM node WHERE ref = ? AND deleted_at IS NULL"
        params: tuple[str, ...] = (ref,)
        if plan_id is not None:
            sql += " AND plan_id = ?"
            params += (plan_id,)
        with self._read() as conn:
            rows = conn.execute(sql, params).fetchall()
        if not rows:
            raise NotFound(f"There is no commitment with reference {ref!r} in this file.")
        current = [r for r in rows if NodeInfo(*r).retired_at is None]
        if len(rows) > 1 and len(current) == 1:
            rows = current  # a number a revision gave to another commitment: the plan's own comes first
        if len(rows) > 1:
            raise InvalidInput(
                f"Reference {ref!r} exists in {len(rows)} plans; name the plan with --plan."
            )
        return NodeInfo(*rows[0])

    def ancestors(self, node_id: str) -> list[NodeInfo]:
        """The node's ancestors, the area first (not the node itself)."""
        out: list[NodeInfo] = []
        current = self.node(node_id)
        seen = {current.id}
        while current.parent_id is not None:
            if current.parent_id in seen:  # a cycle another program wrote: stop instead of looping
                raise CorruptFile(
                    self.path,
                    f"{self.path.name} is damaged: the parents of {current.ref} form a cycle "
                    f"('briefbook check {self.path}' names the rows).",
                )
            current = self.node(current.parent_id)
            seen.add(current.id)
            out.append(current)
        return list(reversed(out))

    def status_counts(self, plan_id: str) -> dict[str, dict[str, int]]:
        """For each area and item: how many tracked nodes below it are in each status."""
        return tree.status_counts_of(self.nodes(plan_id))

    def preview_import(self, draft: PlanDraft) -> ImportPreview:
        """What `import_plan(draft)` would change here, without changing anything."""
        from db.plans import storing as plan_import

        with self._read() as conn:
            return plan_import.preview(conn, draft)

    def import_plan(self, draft: PlanDraft, replace: bool = False) -> ImportReport:
        """Add a parsed plan, or update the plan of the same title in place.

        Nodes are matched by content as well as by number (`db.plans.revision`),
        so they keep their notes, sources and status across a revision that
        renumbers them; nodes no longer in the text get a tombstone, or stay
        marked as removed from the plan while things hang on them. A text that
        is mostly another plan under the same title is refused unless `replace`.
        """
        from db.plans import storing as plan_import  # only the commands that import a plan need it

        stamp = self._stamp()
        with self._write() as conn:
            return plan_import.import_plan(conn, draft, stamp, replace=replace)

    def plan_contents(self, plan_id: str) -> PlanContents:
        """What removing the plan would take with it (nodes, notes, statuses, citations, agenda entries)."""
        from db.plans import removal as plan_removal

        with self._read() as conn:
            return plan_removal.contents(conn, plan_id)

    def remove_plan(self, plan_id: str) -> PlanRemoval:
        """Remove a plan with its nodes and what hangs on them, as tombstones (`db.plans.removal`)."""
        from db.plans import removal as plan_removal

        stamp = self._stamp()
        with self._write() as conn:
            return plan_removal.remove(conn, plan_id, stamp)

    def restore_plan(self, removal: PlanRemoval) -> PlanInfo:
        """Undo `remove_plan`: bring back exactly what it removed."""
        from db.plans import removal as plan_removal

        stamp = self._stamp()
        with self._write() as conn:
            plan_removal.restore(conn, removal, stamp)
        return self.plan(removal.plan_id)

    # -- status and lead office --------------------------------------------------------

    def set_status(self, node_id: str, status: str, comment: str = "", undo_of: str | None = None) -> StatusChange:
        """Set the status, recording the change. `undo_of`: the id of the change this one undoes
        (its id is then derived from that one, so histories and digests can leave the pair out)."""
        if undo_of is None:
            rules.check_status(status, comment)
        comment = comment.strip()
        node = self.node(node_id)
        if node.kind not in TRACKED_KINDS:
            raise InvalidInput(f"{node.ref} is an {node.kind}: only commitments have a status.")
        stamp = self._stamp()
        change = StatusChange(
            id=ids.new_id() if undo_of is None else ids.undo_id(undo_of),
            node_id=node_id,
            from_status=node.status,
            to_status=status,
            comment=comment,
            changed_at=stamp["updated_at"],
            changed_by=self.user,
        )
        with self._write() as conn:
            insert_row(conn, "status_change", change._asdict())
            update_row(
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
            for chunk, marks in chunks(node_ids):
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
                f"SELECT {_STATUS_COLS_C} FROM status_change c JOIN node n ON n.id = c.node_id "
                "WHERE c.changed_at >= ? AND n.plan_id = ? ORDER BY c.changed_at"
            )
            params = (since, plan_id)
        with self._read() as conn:
            return [StatusChange(*r) for r in conn.execute(sql, params)]

    def set_lead_office(self, node_id: str, lead_office: str) -> NodeInfo:
        self.node(node_id)
        with self._write() as conn:
            update_row(conn, "node", node_id, {"lead_office": lead_office.strip(), **self._stamp()})
        return self.node(node_id)

    # -- search ------------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Commitments, notes and sources matching `query`, best first.

        Never raises for what a user types: text that holds no word finds nothing.
        """
        with self._read() as conn:
            return indexing.hits(conn, query, limit)

    def matching_node_ids(self, query: str) -> set[str]:
        """Every node whose text, notes or linked sources match `query` (tree filter)."""
        from db.search.node_matching import matching_node_ids

        with self._read() as conn:
            return matching_node_ids(conn, query)

    def match_reasons(self, query: str) -> dict[str, tuple[MatchReason, ...]]:
        """Every node `matching_node_ids` finds, with why it matched (tree search)."""
        from db.search.node_matching import match_reasons

        with self._read() as conn:
            return match_reasons(conn, query)

    def nodes_with_note_kind(self, kind: str) -> set[str]:
        """Ids of the nodes holding a note of this kind (the note-kind filter)."""
        from db.search.node_matching import nodes_with_note_kind

        with self._read() as conn:
            return nodes_with_note_kind(conn, kind)

    def rebuild_search_index(self) -> None:
        """Index every live row again (after a merge or a repair)."""
        with self._write() as conn:
            keeping.rebuild(conn)

    def remove_unused_attachment_bytes(self) -> int:
        """Drop stored attachment bytes that no attachment (live or deleted) refers to; how many (a repair)."""
        with self._write() as conn:
            removed = conn.execute("DELETE FROM blob WHERE sha256 NOT IN (SELECT sha256 FROM attachment)").rowcount
        return max(removed, 0)

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


def _migrated_copy(path: Path) -> Path:
    """A copy of the older file `path`, brought to the newest schema, in a temporary folder."""
    import tempfile

    from db.disk.copying import consistent_copy

    folder = Path(tempfile.mkdtemp(prefix="briefbook-read-"))
    copy = folder / path.name
    try:
        consistent_copy(path, copy)
        dbfile.upgrade(copy)
    except BaseException:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        raise
    return copy


def _plan_info(r: Sequence[Any]) -> PlanInfo:
    pid, title, parties, period, adopted_on, preamble, updated_at, updated_by = r
    return PlanInfo(
        pid, title, tuple(p for p in (parties or "").split("\n") if p), period, adopted_on, preamble,
        updated_at, updated_by,
    )
