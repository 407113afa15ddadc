"""SQLAlchemy 2.0 typed models: the tables of a briefing file.

Every synchronised row has a UUID text key, `updated_at` (UTC ISO-8601 text,
which sorts correctly as text) and `updated_by`, and a deletion sets
`deleted_at` instead of removing the row: the tombstone is what lets a merge
tell "deleted over there" from "never existed here".

Timestamps are stored as text on purpose: other tools reading the file see
plain, readable values, and comparisons in SQL need no conversion.

The models declare no Python-side defaults: nothing writes through the ORM
(the facade writes every column itself), and a default the file does not
have would be one other programs writing it never get. Which tables are
synced is `db.schema.synced`'s registry; `SYNCED_MODELS` maps it onto these classes.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from db.schema.synced import SYNCED_TABLE_NAMES


class Base(DeclarativeBase):
    pass


class Synced:
    """Columns every row that travels between copies carries."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    updated_at: Mapped[str] = mapped_column(String(32))
    updated_by: Mapped[str] = mapped_column(String(200))
    deleted_at: Mapped[str | None] = mapped_column(String(32))


class Plan(Synced, Base):
    __tablename__ = "plan"

    title: Mapped[str] = mapped_column(Text)
    parties: Mapped[str] = mapped_column(Text)  # newline-separated
    period: Mapped[str | None] = mapped_column(String(40))
    adopted_on: Mapped[str | None] = mapped_column(String(10))
    preamble: Mapped[str] = mapped_column(Text)


class Node(Synced, Base):
    __tablename__ = "node"
    __table_args__ = (
        Index("ix_node_plan_parent", "plan_id", "parent_id", "position"),
        Index("ix_node_ref", "plan_id", "ref"),
    )

    plan_id: Mapped[str] = mapped_column(ForeignKey("plan.id"))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("node.id"))
    kind: Mapped[str] = mapped_column(String(20))
    ref: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(20))
    lead_office: Mapped[str] = mapped_column(Text)
    status_changed_at: Mapped[str | None] = mapped_column(String(32))
    status_changed_by: Mapped[str | None] = mapped_column(String(200))
    # Set when a revised plan text dropped the node but notes, sources or an
    # agenda entry still hang on it: shown, marked as removed from the plan.
    retired_at: Mapped[str | None] = mapped_column(String(32))


class StatusChangeRow(Base):
    """One status change. Append-only, so a merge is the union of both histories."""

    __tablename__ = "status_change"
    __table_args__ = (Index("ix_status_change_node", "node_id", "changed_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    node_id: Mapped[str] = mapped_column(ForeignKey("node.id"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[str] = mapped_column(String(32))
    changed_by: Mapped[str] = mapped_column(String(200))


class Note(Synced, Base):
    __tablename__ = "note"
    __table_args__ = (Index("ix_note_node", "node_id", "kind", "position"),)

    node_id: Mapped[str] = mapped_column(ForeignKey("node.id"))
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(String(32))
    # Set on a conflicting copy a merge kept: the id of the note it conflicts with.
    conflict_of: Mapped[str | None] = mapped_column(String(36))
    # Schema 4: an "if raised" note's response, and whether the note is a key message. Defaults
    # the file holds, so a row another program inserts without them is whole.
    response: Mapped[str] = mapped_column(Text, server_default=text("''"))
    is_key: Mapped[int] = mapped_column(Integer, server_default="0")


class Source(Synced, Base):
    __tablename__ = "source"

    title: Mapped[str] = mapped_column(Text)
    outlet: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(10))  # partial ISO date
    excerpt: Mapped[str] = mapped_column(Text)


class SourceLink(Synced, Base):
    """A source cited on a node, with the pinpoint quote for that node."""

    __tablename__ = "source_link"
    __table_args__ = (
        UniqueConstraint("source_id", "node_id"),
        Index("ix_source_link_node", "node_id"),
    )

    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"))
    node_id: Mapped[str] = mapped_column(ForeignKey("node.id"))
    quote: Mapped[str] = mapped_column(Text)


class Blob(Base):
    """Attachment bytes, stored once per content hash."""

    __tablename__ = "blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Attachment(Synced, Base):
    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_source", "source_id"),)

    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"))
    filename: Mapped[str] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"))
    added_at: Mapped[str] = mapped_column(String(32))


class Meeting(Synced, Base):
    __tablename__ = "meeting"

    title: Mapped[str] = mapped_column(Text)
    date: Mapped[str | None] = mapped_column(String(10))
    place: Mapped[str] = mapped_column(Text)
    participants: Mapped[str] = mapped_column(Text)
    classification: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(Text)
    objectives: Mapped[str] = mapped_column(Text, server_default=text("''"))  # schema 4, one a line
    press_line: Mapped[str] = mapped_column(Text, server_default=text("''"))  # schema 4


class AgendaItem(Synced, Base):
    __tablename__ = "agenda_item"
    __table_args__ = (Index("ix_agenda_meeting", "meeting_id", "position"),)

    meeting_id: Mapped[str] = mapped_column(ForeignKey("meeting.id"))
    node_id: Mapped[str] = mapped_column(ForeignKey("node.id"))
    position: Mapped[int] = mapped_column(Integer)
    points: Mapped[str] = mapped_column(Text)
    objective: Mapped[str] = mapped_column(Text, server_default=text("''"))  # schema 4


class Clearance(Synced, Base):
    """One act of clearance (schema 6): an entry (or, agenda_item_id NULL, the front matter) submitted or cleared."""

    __tablename__ = "clearance"
    __table_args__ = (Index("ix_clearance_meeting", "meeting_id"),)

    meeting_id: Mapped[str] = mapped_column(ForeignKey("meeting.id"))
    agenda_item_id: Mapped[str | None] = mapped_column(ForeignKey("agenda_item.id"))
    state: Mapped[str] = mapped_column(String(10))  # submitted | cleared
    clearer: Mapped[str] = mapped_column(String(200))
    made_at: Mapped[str] = mapped_column(String(32))
    comment: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)  # JSON: the text cleared, part by part


class Approval(Synced, Base):
    """The approval of a meeting's whole pack (schema 6), bound to the hash of all its entries."""

    __tablename__ = "approval"
    __table_args__ = (Index("ix_approval_meeting", "meeting_id"),)

    meeting_id: Mapped[str] = mapped_column(ForeignKey("meeting.id"))
    approver: Mapped[str] = mapped_column(String(200))
    made_at: Mapped[str] = mapped_column(String(32))
    comment: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))


class MergeConflict(Synced, Base):
    """A value a merge set aside: both copies changed `field` of one row.

    `value` is the set-aside value and `kept` the one the row kept, both as
    JSON; the user restores or dismisses it (a dismissed one is a tombstone).
    """

    __tablename__ = "merge_conflict"
    __table_args__ = (Index("ix_merge_conflict_row", "row_id"),)

    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(Text)
    kept: Mapped[str] = mapped_column(Text)
    other_by: Mapped[str] = mapped_column(String(200))
    other_at: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[str] = mapped_column(String(32))


class RowVersion(Base):
    """A past version stamp of a synced row (for notes, with the body it had).

    Filled by triggers (migration 0002) whenever a row's `updated_at` changes;
    a merge reads it to tell which side's version descends from the other's.
    """

    __tablename__ = "row_version"

    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    updated_at: Mapped[str] = mapped_column(String(32), primary_key=True)
    body: Mapped[str | None] = mapped_column(Text)
    # The whole version as JSON (schema 3): the ancestor a field-by-field merge compares with.
    data: Mapped[str | None] = mapped_column(Text)


class Meta(Base):
    """Small key/value facts about the file (who created it, with which version)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def _model_of(table: str) -> type[Base]:
    for mapper in Base.registry.mappers:
        model: type[Base] = mapper.class_
        if model.__tablename__ == table:
            return model
    raise LookupError(f"db.schema.synced names table {table!r}, which no model declares")


#: The models of the synced tables (`db.schema.synced.SYNCED_TABLES`), in the registry's order.
SYNCED_MODELS: tuple[type[Base], ...] = tuple(_model_of(name) for name in SYNCED_TABLE_NAMES)
