"""The facade's hand-written SQL and the schema the models declare stay one schema.

`db.briefing` reads columns by the names of the value dataclasses' fields and
`db.models` (through Alembic) creates the tables: a renamed column or field
must fail here, not in a user's export.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from db import models, values
from db.briefing import Briefing

# value -> the table its fields are read from (AttachmentInfo.size comes from blob)
READ_FROM = {
    values.NodeInfo: models.Node,
    values.NoteInfo: models.Note,
    values.SourceInfo: models.Source,
    values.MeetingInfo: models.Meeting,
    values.StatusChange: models.StatusChangeRow,
    values.AttachmentInfo: models.Attachment,
}


@pytest.mark.parametrize("value", list(READ_FROM), ids=lambda v: v.__name__)
def test_every_field_is_a_column_of_its_table(value: type) -> None:
    columns = set(READ_FROM[value].__table__.c.keys())
    fields = {f.name for f in dataclasses.fields(value)}
    if value is values.AttachmentInfo:
        fields.discard("size")
        assert "size" in models.Blob.__table__.c
    assert fields <= columns, fields - columns


def test_a_new_file_has_exactly_the_tables_and_columns_the_models_declare(tmp_path: Path) -> None:
    Briefing.create(tmp_path / "new.sqlite").close()
    conn = sqlite3.connect(tmp_path / "new.sqlite")
    try:
        for table in models.Base.metadata.sorted_tables:
            in_file = {r[1] for r in conn.execute(f"PRAGMA table_info({table.name})")}
            assert in_file == set(table.c.keys()), table.name
    finally:
        conn.close()
