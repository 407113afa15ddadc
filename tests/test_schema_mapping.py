"""The facade's hand-written SQL and the schema the models declare stay one schema.

`db.briefing.facade` reads columns by the names of the value records' fields and
`db.schema.models` (through Alembic) creates the tables: a renamed column or field
must fail here, not in a user's export.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from db.briefing import checking
from db.briefing.facade import Briefing
from db.disk import file as dbfile
from db.model import values
from db.schema import models, synced
from db.sharing import merge

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
    fields = set(value._fields)
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


# -- the file Alembic makes is the schema the models declare -------------------------------------


def _schema_diff(path: Path, metadata: sa.MetaData) -> list[Any]:
    """Alembic's autogenerate comparison of the file with `metadata` (FTS5 tables left out).

    Types and server defaults are compared too, beside tables, columns,
    nullability, indexes, unique constraints and foreign keys.
    """
    engine = sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(path))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "compare_server_default": True,
                    # The search index is an FTS5 virtual table (and its shadow tables): no model.
                    "include_name": lambda name, type_, _parent: not (
                        type_ == "table" and (name or "").startswith("search_index")
                    ),
                },
            )
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def test_a_new_file_matches_the_models_in_types_nullability_indexes_and_keys(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    dbfile.create(path)
    assert _schema_diff(path, models.Base.metadata) == []


def test_a_migrated_schema1_file_matches_the_models(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "schema1.sqlite", path)
    Briefing.open(path, lock=False).close()  # migrates
    assert _schema_diff(path, models.Base.metadata) == []


def _changed(change: str) -> sa.MetaData:
    """A copy of the models' metadata with one deliberate difference."""
    metadata = sa.MetaData()
    for table in models.Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    note = metadata.tables["note"]
    if change == "type":
        note.c.kind.type = sa.Integer()
    elif change == "nullability":
        note.c.body.nullable = True
    elif change == "index":
        note.indexes.clear()
    elif change == "foreign key":
        agenda = metadata.tables["agenda_item"]
        agenda.constraints.discard(next(fk for fk in agenda.foreign_key_constraints if fk.referred_table.name == "node"))
    elif change == "server default":
        note.c.author.server_default = sa.DefaultClause("")
    return metadata


@pytest.mark.parametrize("change", ["type", "nullability", "index", "foreign key", "server default"])
def test_the_comparison_sees_each_kind_of_difference(tmp_path: Path, change: str) -> None:
    path = tmp_path / "new.sqlite"
    dbfile.create(path)
    assert _schema_diff(path, _changed(change)) != []


def test_the_models_declare_no_default_the_file_lacks() -> None:
    # The facade writes every column itself; a Python-side default would be a
    # value no other program writing the file gets.
    declared = [
        f"{table.name}.{column.name}"
        for table in models.Base.metadata.sorted_tables
        for column in table.columns
        if column.default is not None and column.server_default is None
    ]
    assert declared == []


# -- one registry of synced tables ---------------------------------------------------------------


def test_every_model_with_the_synced_columns_is_in_the_registry_and_nothing_else() -> None:
    synced_models = {m.class_ for m in models.Base.registry.mappers if issubclass(m.class_, models.Synced)}
    assert set(models.SYNCED_MODELS) == synced_models
    assert [m.__tablename__ for m in models.SYNCED_MODELS] == list(synced.SYNCED_TABLE_NAMES)
    assert len({t.kind for t in synced.SYNCED_TABLES}) == len(synced.SYNCED_TABLES)


def test_the_registry_lists_parents_before_children() -> None:
    order = {name: i for i, name in enumerate(synced.SYNCED_TABLE_NAMES)}
    for model in models.SYNCED_MODELS:
        for fk in model.__table__.foreign_keys:
            parent = fk.column.table.name
            if parent in order and parent != model.__tablename__:
                assert order[parent] < order[model.__tablename__], (parent, model.__tablename__)


def test_every_synced_table_is_merged_counted_checked_and_versioned(tmp_path: Path) -> None:
    registry = [(t.table, t.kind) for t in synced.SYNCED_TABLES]
    assert list(merge.TABLE_KINDS.items()) == registry
    assert list(checking.CONTENT_TABLES) == [table for table, _ in registry]
    with Briefing.create(tmp_path / "new.sqlite") as b:
        counted = b.counts()
    assert [k for k in counted if k in {kind for _, kind in registry}] == [kind for _, kind in registry]
    assert {kind: counted[kind] for _, kind in registry} == dict.fromkeys((kind for _, kind in registry), 0)
    report = checking.check_file(tmp_path / "new.sqlite")
    assert [t for t in report.counts if t in dict(registry)] == [table for table, _ in registry]
    conn = sqlite3.connect(tmp_path / "new.sqlite")
    try:
        triggers = {r[0] for r in conn.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")}
    finally:
        conn.close()
    # A synced table without its row_version trigger would merge every change as a conflict.
    assert triggers == set(synced.SYNCED_TABLE_NAMES)
