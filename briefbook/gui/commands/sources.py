"""Undo commands for sources, their links to nodes, and their attachments.

Each command changes the file through the facade and then announces the
change (SOURCE, LINK, ATTACHMENT; with the edited source when the write
returned it) so the panels show it.
"""

from __future__ import annotations

from collections.abc import Mapping

from briefbook.gui.commands.base import FacadeCommand
from briefbook.gui.context import AppContext, ChangeKind
from db.briefing.facade import SOURCE_FIELDS
from db.briefing.sources import Combination
from db.model.values import SourceInfo


def source_fields(source: SourceInfo) -> dict[str, str | None]:
    """The editable fields of a source, as `edit_source` takes them."""
    return {name: getattr(source, name) for name in SOURCE_FIELDS}


def _short(title: str, limit: int = 40) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"


class LinkSourceCommand(FacadeCommand):
    """Cite an existing source on a node, with an optional pinpoint quote."""

    def __init__(self, context: AppContext, source: SourceInfo, node_id: str, node_ref: str, quote: str = "") -> None:
        super().__init__(context, f"Link “{_short(source.title)}” to {node_ref}")
        self.source_id = source.id
        self.node_id = node_id
        self.quote = quote
        self.link_id = ""

    def do(self) -> None:
        self.link_id = self.briefing.link_source(self.source_id, self.node_id, self.quote)
        self.announce(ChangeKind.LINK, self.link_id)

    def undo_it(self) -> None:
        self.briefing.unlink_source(self.link_id)
        self.announce(ChangeKind.LINK, self.link_id)


class UnlinkSourceCommand(FacadeCommand):
    """Stop citing a source on a node; undo links it again with the same quote."""

    def __init__(self, context: AppContext, link_id: str, source: SourceInfo, node_id: str, node_ref: str,
                 quote: str) -> None:
        super().__init__(context, f"Unlink “{_short(source.title)}” from {node_ref}")
        self.link_id = link_id
        self.source_id = source.id
        self.node_id = node_id
        self.quote = quote

    def do(self) -> None:
        self.briefing.unlink_source(self.link_id)
        self.announce(ChangeKind.LINK, self.link_id)

    def undo_it(self) -> None:
        # Link ids derive from (source, node), so relinking revives the same row.
        self.link_id = self.briefing.link_source(self.source_id, self.node_id, self.quote)
        self.announce(ChangeKind.LINK, self.link_id)


class CreateSourceCommand(FacadeCommand):
    """Create a source and cite it on a node; undo removes both."""

    def __init__(self, context: AppContext, fields: Mapping[str, str | None], node_id: str, node_ref: str,
                 quote: str = "") -> None:
        super().__init__(context, f"New source “{_short(fields.get('title') or '')}” on {node_ref}")
        self.fields = dict(fields)
        self.node_id = node_id
        self.quote = quote
        self.source_id = ""
        self.link_id = ""

    def do(self) -> None:
        b = self.briefing
        if not self.source_id:
            self.source_id = b.add_source(
                self.fields.get("title") or "",
                outlet=self.fields.get("outlet") or "",
                url=self.fields.get("url") or "",
                published=self.fields.get("published"),
                excerpt=self.fields.get("excerpt") or "",
            ).id
        else:
            b.restore_source(self.source_id)
        self.link_id = b.link_source(self.source_id, self.node_id, self.quote)
        self.announce(ChangeKind.SOURCE, self.source_id)

    def undo_it(self) -> None:
        self.briefing.unlink_source(self.link_id)
        self.briefing.delete_source(self.source_id)
        self.announce(ChangeKind.SOURCE, self.source_id)


class EditSourceCommand(FacadeCommand):
    """Change a source's fields (everywhere it is cited)."""

    def __init__(self, context: AppContext, source: SourceInfo, new_fields: Mapping[str, str | None]) -> None:
        super().__init__(context, f"Edit source “{_short(source.title)}”")
        self.source_id = source.id
        self.old = source_fields(source)
        self.new = {k: new_fields.get(k, self.old[k]) for k in SOURCE_FIELDS}

    def do(self) -> None:
        self.announce(ChangeKind.SOURCE, self.source_id, self.briefing.edit_source(self.source_id, **self.new))

    def undo_it(self) -> None:
        self.announce(ChangeKind.SOURCE, self.source_id, self.briefing.edit_source(self.source_id, **self.old))


class SetLinkQuoteCommand(FacadeCommand):
    """Change the pinpoint quote of one link (the source cited on one node)."""

    def __init__(self, context: AppContext, link_id: str, node_ref: str, old: str, new: str) -> None:
        super().__init__(context, f"Edit quote on {node_ref}")
        self.link_id = link_id
        self.old = old
        self.new = new

    def do(self) -> None:
        self.briefing.set_link_quote(self.link_id, self.new)
        self.announce(ChangeKind.LINK, self.link_id)

    def undo_it(self) -> None:
        self.briefing.set_link_quote(self.link_id, self.old)
        self.announce(ChangeKind.LINK, self.link_id)


class AddAttachmentCommand(FacadeCommand):
    """Store a file with a source; undo removes it, redo brings the same row back."""

    def __init__(self, context: AppContext, source_id: str, filename: str, data: bytes) -> None:
        super().__init__(context, f"Attach {_short(filename)}")
        self.source_id = source_id
        self.filename = filename
        self.data: bytes | None = data
        self.attachment_id = ""

    def do(self) -> None:
        if not self.attachment_id:
            self.attachment_id = self.briefing.add_attachment(self.source_id, self.filename, self.data or b"").id
            self.data = None  # the file holds the bytes now; don't keep a copy on the undo stack
        else:
            self.briefing.restore_attachment(self.attachment_id)
        self.announce(ChangeKind.ATTACHMENT, self.attachment_id)

    def undo_it(self) -> None:
        self.briefing.remove_attachment(self.attachment_id)
        self.announce(ChangeKind.ATTACHMENT, self.attachment_id)


class RemoveAttachmentCommand(FacadeCommand):
    def __init__(self, context: AppContext, attachment_id: str, filename: str) -> None:
        super().__init__(context, f"Remove attachment {_short(filename)}")
        self.attachment_id = attachment_id

    def do(self) -> None:
        self.briefing.remove_attachment(self.attachment_id)
        self.announce(ChangeKind.ATTACHMENT, self.attachment_id)

    def undo_it(self) -> None:
        self.briefing.restore_attachment(self.attachment_id)
        self.announce(ChangeKind.ATTACHMENT, self.attachment_id)


class CombineSourcesCommand(FacadeCommand):
    """Make two records of one report one; undo separates them again."""

    def __init__(self, context: AppContext, keep: SourceInfo, other: SourceInfo) -> None:
        super().__init__(context, f"Combine “{_short(other.title)}” into “{_short(keep.title)}”")
        self.keep_id, self.other_id = keep.id, other.id
        self.combination: Combination | None = None

    def do(self) -> None:
        self.combination = self.briefing.combine_sources(self.keep_id, self.other_id)
        self.announce(ChangeKind.SOURCE, self.keep_id, self.combination.kept)
        self.announce(ChangeKind.LINK)

    def undo_it(self) -> None:
        assert self.combination is not None
        self.briefing.separate_sources(self.combination)
        self.announce(ChangeKind.SOURCE, self.keep_id)
        self.announce(ChangeKind.LINK)
