"""Helpers the share tests have in common: small files, file contents, hashes."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from db.briefing.facade import Briefing
from db.model.drafts import NodeDraft, PlanDraft
from db.schema.models import Base

#: Tables that are local bookkeeping of one file, not its content.
LOCAL_TABLES = ("meta", "row_version")
#: Tables whose rows are a file's content (what two merged copies must agree on):
#: every table the models declare but the local ones (the search index is not a model).
CONTENT_TABLES = tuple(t.name for t in Base.metadata.sorted_tables if t.name not in LOCAL_TABLES)


def small_plan() -> PlanDraft:
    areas = []
    for a in range(1, 3):
        items = []
        for i in range(1, 3):
            commitments = [
                NodeDraft("commitment", f"{a}.{i}.{c}", f"Commitment {a}.{i}.{c}", f"Text of {a}.{i}.{c}.")
                for c in range(1, 4)
            ]
            items.append(NodeDraft("item", f"{a}.{i}", f"Item {a}.{i}", "", commitments))
        areas.append(NodeDraft("area", str(a), f"Area {a}", "", items))
    return PlanDraft("Small Test Plan", ["Japan", "Italy"], "2024-2027", "2024-06-14", "Preamble.", areas)


def make_small(path: Path, user: str = "maker") -> Path:
    """A small briefing file: a 12-commitment plan, two notes, a source with an attachment."""
    with Briefing.create(path, user=user) as b:
        report = b.import_plan(small_plan())
        first = b.node_by_ref("1.1.1", report.plan_id)
        b.add_note(first.id, "background", "Background written before the copies were made.")
        b.add_note(first.id, "risk", "A risk everyone knows about.")
        source = b.add_source("A news report", outlet="Example News", published="2024")
        b.link_source(source.id, first.id, "a quote")
        b.add_attachment(source.id, "report.txt", b"the report's text", "text/plain")
    return path


def content(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {}
        for table in CONTENT_TABLES:
            cols = sorted(r[1] for r in conn.execute(f"PRAGMA table_info({table})"))
            out[table] = sorted(conn.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall(), key=repr)
        return out
    finally:
        conn.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
