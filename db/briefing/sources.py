"""The facade's sources: the reports cited on nodes, their links (with the
pinpoint quote) and their attachments (bytes stored once per content hash)."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from db.briefing.access import Access
from db.disk.connections import chunks, delete_children, insert_row, restore_children, select_list, update_row
from db.model import ids, rules
from db.model.errors import InvalidInput, NotFound
from db.model.values import AttachmentInfo, LinkedSource, NodeInfo, SourceInfo

_SOURCE_COLS = select_list(SourceInfo)


class Combination(NamedTuple):
    """What `combine_sources` changed, for `separate_sources` to undo."""

    kept: SourceInfo
    other_id: str
    links_added: tuple[str, ...]
    links_before: tuple[tuple[str, str, str | None], ...]  # (link id, quote, deleted_at) before
    files_added: tuple[str, ...]
    files_revived: tuple[str, ...]
    filled: tuple[tuple[str, str | None], ...]  # the kept source's empty fields, as they were

_SOURCE_COLS_S = select_list(SourceInfo, "s")
_NODE_COLS_N = select_list(NodeInfo, "n")
_ATTACH_COLS = select_list(AttachmentInfo, "a", size="b.size")


class Sources(Access):
    """Sources, where they are cited, and the files attached to them."""

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
        row_id: str | None = None,
    ) -> SourceInfo:
        values = rules.source_values(
            {"title": title, "outlet": outlet, "url": url, "published": published, "excerpt": excerpt}
        )
        source_id = row_id or ids.new_id()
        with self._write() as conn:
            insert_row(conn, "source", {"id": source_id, **values, "deleted_at": None, **self._stamp()})
        return self.source(source_id)

    def edit_source(self, source_id: str, **fields: Any) -> SourceInfo:
        """Change a source everywhere it is linked. Fields: title, outlet, url, published, excerpt."""
        rules.check_known(fields, rules.SOURCE_FIELDS, "Sources")
        old = self.source(source_id)
        merged = {k: fields.get(k, getattr(old, k)) for k in rules.SOURCE_FIELDS}
        values = rules.source_values(merged)
        with self._write() as conn:
            update_row(conn, "source", source_id, {**values, **self._stamp()})
        return self.source(source_id)

    def delete_source(self, source_id: str) -> None:
        self.source(source_id)
        stamp = self._stamp()
        with self._write() as conn:
            update_row(conn, "source", source_id, {"deleted_at": stamp["updated_at"], **stamp})
            # Its citations and attachments go with it (and come back with it): a
            # live one after a merge is a colleague's change this deletion never saw.
            delete_children(conn, [("source_link", "source_id"), ("attachment", "source_id")], source_id, stamp)

    def restore_source(self, source_id: str) -> SourceInfo:
        with self._write() as conn:
            row = conn.execute("SELECT deleted_at FROM source WHERE id = ?", (source_id,)).fetchone()
            stamp = self._stamp()
            update_row(conn, "source", source_id, {"deleted_at": None, **stamp})
            if row and row[0]:
                restore_children(conn, [("source_link", "source_id"), ("attachment", "source_id")], source_id,
                                 row[0], stamp)
        return self.source(source_id)

    def combine_sources(self, keep_id: str, other_id: str) -> Combination:
        """Make two records of one report one (two colleagues each added it): every citation
        and file of `other_id` moves to `keep_id`, which also takes the other's outlet,
        address, date or excerpt where it has none; `other_id` is then deleted. Nothing is
        lost: a node both cite keeps both quotes, and the deleted record stays in the history.
        Returns what changed, which `separate_sources` undoes."""
        if keep_id == other_id:
            raise InvalidInput("Choose two different sources to combine.")
        keep, other = self.source(keep_id), self.source(other_id)
        stamp = self._stamp()
        links_added: list[str] = []
        links_before: list[tuple[str, str, str | None]] = []
        files_added: list[str] = []
        files_revived: list[str] = []
        with self._write() as conn:
            for node_id, quote in conn.execute(
                "SELECT node_id, quote FROM source_link WHERE source_id = ? AND deleted_at IS NULL", (other_id,),
            ).fetchall():
                target = ids.link_id(keep_id, node_id)
                row = conn.execute("SELECT quote, deleted_at FROM source_link WHERE id = ?", (target,)).fetchone()
                if row is None:
                    insert_row(conn, "source_link", {"id": target, "source_id": keep_id, "node_id": node_id,
                                                     "quote": quote, "deleted_at": None, **stamp})
                    links_added.append(target)
                else:
                    links_before.append((target, row[0], row[1]))
                    kept = row[0] if row[1] is None else ""
                    both = " / ".join(q for q in dict.fromkeys((kept, quote)) if q)
                    update_row(conn, "source_link", target, {"quote": both, "deleted_at": None, **stamp})
            for filename, media_type, sha256, added_at in conn.execute(
                "SELECT filename, media_type, sha256, added_at FROM attachment "
                "WHERE source_id = ? AND deleted_at IS NULL", (other_id,),
            ).fetchall():
                target = ids.attachment_id(keep_id, sha256)
                live = conn.execute("SELECT deleted_at IS NULL FROM attachment WHERE id = ?", (target,)).fetchone()
                if live is None:
                    insert_row(conn, "attachment", {"id": target, "source_id": keep_id, "filename": filename,
                                                    "media_type": media_type, "sha256": sha256,
                                                    "added_at": added_at, "deleted_at": None, **stamp})
                    files_added.append(target)
                elif not live[0]:
                    update_row(conn, "attachment", target, {"deleted_at": None, **stamp})
                    files_revived.append(target)
            filled = rules.gaps_filled(keep, other, ("outlet", "url", "published", "excerpt"))
            if filled:
                update_row(conn, "source", keep_id, {**filled, **stamp})
            update_row(conn, "source", other_id, {"deleted_at": stamp["updated_at"], **stamp})
            delete_children(conn, [("source_link", "source_id"), ("attachment", "source_id")], other_id, stamp)
        return Combination(self.source(keep_id), other_id, tuple(links_added), tuple(links_before),
                           tuple(files_added), tuple(files_revived), tuple((f, getattr(keep, f)) for f in filled))

    def separate_sources(self, combination: Combination) -> None:
        """Undo `combine_sources`: the other source is back with its citations and files, and
        the kept one as it was."""
        keep_id = combination.kept.id
        stamp = self._stamp()
        with self._write() as conn:
            gone = conn.execute("SELECT deleted_at FROM source WHERE id = ?", (combination.other_id,)).fetchone()
            if gone is None or gone[0] is None:
                raise NotFound("The combined source is no longer as the combination left it.")
            for table, row_ids in (("source_link", combination.links_added),
                                   ("attachment", combination.files_added + combination.files_revived)):
                for row_id in row_ids:
                    update_row(conn, table, row_id, {"deleted_at": stamp["updated_at"], **stamp})
            for link, quote, deleted_at in combination.links_before:
                update_row(conn, "source_link", link, {"quote": quote, "deleted_at": deleted_at, **stamp})
            if combination.filled:
                update_row(conn, "source", keep_id, {**dict(combination.filled), **stamp})
            update_row(conn, "source", combination.other_id, {"deleted_at": None, **stamp})
            restore_children(conn, [("source_link", "source_id"), ("attachment", "source_id")],
                             combination.other_id, gone[0], stamp)

    def link_source(self, source_id: str, node_id: str, quote: str = "") -> str:
        """Cite the source on the node (again, if it was unlinked); returns the link id."""
        self.source(source_id)
        self.node(node_id)
        link = ids.link_id(source_id, node_id)
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM source_link WHERE id = ?", (link,)).fetchone():
                update_row(conn, "source_link", link, {"quote": quote, "deleted_at": None, **self._stamp()})
            else:
                insert_row(
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
        return link

    def unlink_source(self, link_id: str) -> None:
        stamp = self._stamp()
        with self._write() as conn:
            self._linked_source(conn, link_id)  # refuses a link that is not in the file
            update_row(conn, "source_link", link_id, {"deleted_at": stamp["updated_at"], **stamp})

    def set_link_quote(self, link_id: str, quote: str) -> None:
        with self._write() as conn:
            self._linked_source(conn, link_id)  # refuses a link that is not in the file
            update_row(conn, "source_link", link_id, {"quote": quote, **self._stamp()})

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
            for chunk, marks in chunks(node_ids):
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
        for chunk, marks in chunks(list(source_ids)):
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
                insert_row(
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
                update_row(
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
            update_row(conn, "attachment", attachment_id, {"deleted_at": stamp["updated_at"], **stamp})

    def restore_attachment(self, attachment_id: str) -> None:
        with self._write() as conn:
            update_row(conn, "attachment", attachment_id, {"deleted_at": None, **self._stamp()})


def _like_escape(value: str) -> str:
    return value.replace("/", "//").replace("%", "/%").replace("_", "/_")
