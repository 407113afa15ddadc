"""Whether a file's schema is the one briefbook's migrations make (tables, columns, indexes, triggers).

A file another program changed (a dropped column, a missing table, an added
trigger that raises) passes SQLite's integrity check and then makes writes,
merges and exports fail. Opening a file and `check` compare its schema with
the expected one, cheaply: one read of `sqlite_master` and `PRAGMA
table_info` per table, without SQLAlchemy (the facade runs without it).

The expected schema of every version is generated from files the migrations
themselves create (`db.schema.expected`, written by `uv run python -m
db.schema.generate`), and tests/test_untrusted_schema.py fails when it no longer
matches a freshly created file, so it follows the migrations.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

#: One table's columns: (name, declared type, not null, primary-key position).
Column = tuple[str, str, int, int]
#: A schema: {"tables": {table: (columns...)}, "indexes": {name: sql}, "triggers": {name: sql}, "views": {...}}.
Schema = dict[str, dict[str, Any]]


_GROUPS = {"index": "indexes", "trigger": "triggers", "view": "views"}


def _normal(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def snapshot(conn: sqlite3.Connection, schema: str = "main") -> Schema:
    """The schema of the database `schema` of `conn`, in the form `db.schema.expected` holds."""
    out: Schema = {"tables": {}, "indexes": {}, "triggers": {}, "views": {}}
    rows = conn.execute(f"SELECT type, name, sql FROM {schema}.sqlite_master ORDER BY type, name").fetchall()
    for kind, name, sql in rows:
        name = _text(name)
        if name.startswith("sqlite_"):
            continue  # SQLite's own (sqlite_sequence, automatic indexes of UNIQUE constraints)
        if kind == "table":
            columns = conn.execute(f"PRAGMA {schema}.table_info({_quote(name)})").fetchall()
            out["tables"][name] = tuple(
                (_text(c[1]), _text(c[2]).upper(), int(c[3]), int(c[5])) for c in columns
            )
        elif kind in _GROUPS:
            out[_GROUPS[kind]][name] = _normal(_text(sql))
    return out


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def differences(found: Schema, expected: Schema) -> list[str]:
    """What differs, in words ("table note has no column body"); empty when the schemas agree."""
    problems: list[str] = []
    want_tables, have_tables = expected["tables"], found["tables"]
    for table in sorted(set(want_tables) - set(have_tables)):
        problems.append(f"it has no table {table}")
    for table in sorted(set(have_tables) - set(want_tables)):
        problems.append(f"it has a table {table!r} briefbook does not make")
    for table in sorted(set(want_tables) & set(have_tables)):
        want = {c[0]: c for c in want_tables[table]}
        have = {c[0]: c for c in have_tables[table]}
        for col in sorted(set(want) - set(have)):
            problems.append(f"table {table} has no column {col}")
        for col in sorted(set(have) - set(want)):
            problems.append(f"table {table} has a column {col!r} briefbook does not make")
        for col in sorted(set(want) & set(have)):
            if tuple(want[col]) != tuple(have[col]):
                problems.append(f"column {col} of table {table} is not declared as briefbook declares it")
    for kind, noun in (("triggers", "trigger"), ("indexes", "index"), ("views", "view")):
        want_sql, have_sql = expected.get(kind, {}), found.get(kind, {})
        for name in sorted(set(want_sql) - set(have_sql)):
            problems.append(f"it has no {noun} {name}")
        for name in sorted(set(have_sql) - set(want_sql)):
            problems.append(f"it has a {noun} {name!r} briefbook does not make")
        for name in sorted(set(want_sql) & set(have_sql)):
            if want_sql[name] != have_sql[name]:
                problems.append(f"its {noun} {name} is not the one briefbook makes")
    return problems


def schema_problems(conn: sqlite3.Connection, version: int, schema: str = "main") -> list[str]:
    """How the schema of `schema` differs from version `version`'s; empty when it is as expected."""
    from db.schema.expected import EXPECTED

    expected = EXPECTED.get(version)
    if expected is None:
        return [f"briefbook knows no schema version {version}"]
    return differences(snapshot(conn, schema), expected)
