"""Validate a whole briefing file: values briefbook never writes, before they can do harm.

A colleague's copy is untrusted input. SQLite's integrity check only says the
pages are sound; this says the rows are ones briefbook could have written:
the schema is the expected one (`db.schema.check`), every value has its
column's type, ids and references are UUIDs, hashes are SHA-256 hex, dates
and timestamps have briefbook's forms, kinds and statuses come from the known
vocabularies, values a merge set aside are JSON, text is valid UTF-8, every
parent exists in the same plan and the parents form no cycle, and every
attachment's bytes match their SHA-256 and size.

`problems_of(conn, schema)` returns one `Problem` per kind of fault, naming
the first offending row; `check` (db/briefing/checking.py) reports them, and the merge
refuses a copy with any of them before it writes anything.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.disk import file as dbfile
from db.model.errors import CorruptFile
from db.model.values import NODE_KINDS, NOTE_KINDS, STATUSES
from db.schema.check import schema_problems
from db.schema.synced import SYNCED_TABLE_NAMES

_HEX = "[0-9a-f]"
_DIGIT = "[0-9]"
_UUID_GLOB = "-".join(_HEX * n for n in (8, 4, 4, 4, 12))
_SHA_GLOB = _HEX * 64
# ids.now(): 2024-06-14T09:30:00.123456Z
_STAMP_GLOB = f"{_DIGIT * 4}-{_DIGIT * 2}-{_DIGIT * 2}T{_DIGIT * 2}:{_DIGIT * 2}:{_DIGIT * 2}.{_DIGIT * 6}Z"
# ids.partial_date(): 2024, 2024-06, 2024-06-14
_DATE_GLOBS = (_DIGIT * 4, f"{_DIGIT * 4}-{_DIGIT * 2}", f"{_DIGIT * 4}-{_DIGIT * 2}-{_DIGIT * 2}")

#: Tables whose rows are not judged: the search index (rebuilt from the rows) and Alembic's own.
_NOT_JUDGED_PREFIXES = ("search_index", "alembic_version")

#: Only the stored bytes some attachment uses are judged: briefbook never reads the others,
#: a merge does not bring them in, and a repair removes them.
_USED_BLOBS = " WHERE sha256 IN (SELECT sha256 FROM {schema}.attachment)"

#: Columns whose values come from a vocabulary: (table, column) -> the allowed values.
VOCABULARIES: dict[tuple[str, str], tuple[str, ...]] = {
    ("node", "kind"): NODE_KINDS,
    ("node", "status"): STATUSES,
    ("note", "kind"): NOTE_KINDS,
    ("status_change", "from_status"): STATUSES,
    ("status_change", "to_status"): STATUSES,
    ("merge_conflict", "table_name"): SYNCED_TABLE_NAMES,
    ("clearance", "state"): ("submitted", "cleared"),
}

#: Text columns that hold JSON (a set-aside value and the one it replaced: json.dumps of the field).
JSON_COLUMNS = {("merge_conflict", "value"), ("merge_conflict", "kept")}


@dataclass(frozen=True)
class Problem:
    """One fault, with the first row that has it (`row` is "" for faults of the schema)."""

    kind: str  # "schema", "reference", "value", "text", "tree", "attachment"
    table: str
    row: str
    what: str
    #: Set when the row is named by the very value that is wrong: the whole sentence.
    whole: str = ""

    @property
    def sentence(self) -> str:
        if self.whole:
            return self.whole
        if not self.row:
            return f"its schema is not the one briefbook makes ({self.what})"
        return f"row {self.row} of table {self.table} {self.what}"


def show(value: object) -> str:
    """A value from the file, safe to put in a sentence: quoted, escaped and short."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = repr(value)
    return text if len(text) <= 48 else text[:45] + "…" + text[-1]


def problems_of(conn: sqlite3.Connection, schema: str = "main") -> list[Problem]:
    """Every kind of fault in the database `schema` of `conn`, each with its first row (empty: valid).

    Reads only. The connection's text factory is left as it was.
    """
    version = conn.execute(f"PRAGMA {schema}.user_version").fetchone()[0]
    differ = schema_problems(conn, version, schema)
    if differ:
        return [Problem("schema", "", "", d) for d in differ]
    from db.schema.expected import EXPECTED

    tables = {
        name: columns
        for name, columns in EXPECTED[version]["tables"].items()
        if not name.startswith(_NOT_JUDGED_PREFIXES)
    }
    out: list[Problem] = []
    for table, columns in tables.items():
        problem = _value_problem(conn, schema, table, columns)
        if problem:
            out.append(problem)
    with _bytes_for_text(conn):
        for table, columns in tables.items():
            problem = _text_problem(conn, schema, table, columns)
            if problem:
                out.append(problem)
        out.extend(_reference_problems(conn, schema))
        out.extend(_tree_problems(conn, schema))
        out.extend(_attachment_problems(conn, schema))
    return out


def require_valid(path: Path, verb: str) -> None:
    """Refuse the file at `path` (a `CorruptFile` naming its first problem) unless it is valid.

    `verb` says what was to be done with it ("merged"), for the sentence.
    """
    conn = sqlite3.connect(dbfile.sqlite_uri(path, read_only=True), uri=True, timeout=dbfile.BUSY_TIMEOUT_S)
    try:
        problems = problems_of(conn)
    finally:
        conn.close()
    if problems:
        raise CorruptFile(
            path,
            f"{path.name} cannot be {verb}: {problems[0].sentence}. It was not written by briefbook as it is "
            "(damaged, or changed by another program); nothing was changed. Ask for a fresh copy.",
        )


# -- the checks ------------------------------------------------------------------------------


@contextmanager
def _bytes_for_text(conn: sqlite3.Connection) -> Iterator[None]:
    # Text comes back as bytes, so text that is not UTF-8 is found instead of raising.
    previous = conn.text_factory
    conn.text_factory = bytes
    try:
        yield
    finally:
        conn.text_factory = previous


def _label_columns(table: str, columns: tuple[tuple[str, str, int, int], ...]) -> list[str]:
    names = [c[0] for c in columns]
    if "id" in names:
        return ["id"]
    keys = [c[0] for c in sorted(columns, key=lambda c: c[3]) if c[3]]
    return keys or names[:1]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _label(values: tuple[Any, ...]) -> str:
    return ", ".join(show(v) for v in values)


def _rule(table: str, column: str, declared: str, notnull: int) -> tuple[str, str]:
    """The SQL condition a good value of the column meets, and what a bad one is, in words."""
    c = _quoted(column)
    if declared == "INTEGER":
        cond, what = f"typeof({c}) = 'integer'", "a whole number"
    elif declared == "BLOB":
        cond, what = f"typeof({c}) = 'blob'", "bytes"
    elif declared == "VARCHAR(36)":
        cond, what = f"(typeof({c}) = 'text' AND {c} GLOB '{_UUID_GLOB}')", "a UUID"
    elif declared == "VARCHAR(64)":
        cond, what = f"(typeof({c}) = 'text' AND {c} GLOB '{_SHA_GLOB}')", "a SHA-256 in hex"
    elif declared == "VARCHAR(32)":
        cond, what = f"(typeof({c}) = 'text' AND {c} GLOB '{_STAMP_GLOB}')", "a UTC timestamp"
    elif declared == "VARCHAR(10)":
        dates = " OR ".join(f"{c} GLOB '{g}'" for g in _DATE_GLOBS)
        cond, what = f"(typeof({c}) = 'text' AND ({dates}))", "a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    elif (table, column) in JSON_COLUMNS:
        cond, what = f"(typeof({c}) = 'text' AND json_valid({c}))", "JSON as briefbook writes it"
    else:
        cond, what = f"typeof({c}) = 'text'", "text"
    vocabulary = VOCABULARIES.get((table, column))
    if vocabulary:
        listed = ", ".join(f"'{v}'" for v in vocabulary)
        cond, what = f"(typeof({c}) = 'text' AND {c} IN ({listed}))", f"one of: {', '.join(vocabulary)}"
    if not notnull:
        cond = f"({c} IS NULL OR {cond})"
    return cond, what


def _value_problem(
    conn: sqlite3.Connection, schema: str, table: str, columns: tuple[tuple[str, str, int, int], ...]
) -> Problem | None:
    """The first row with a value of the wrong type or form (one scan of the table)."""
    rules = {c[0]: _rule(table, c[0], c[1], c[2]) for c in columns}
    labels = _label_columns(table, columns)
    cases = " ".join(f"WHEN NOT {cond} THEN {i}" for i, (cond, _w) in enumerate(rules.values()))
    shown = ", ".join(_quoted(c) for c in [*labels, *rules])
    sql = (
        f"SELECT * FROM (SELECT CASE {cases} END AS bad, {shown} FROM {schema}.{_quoted(table)}"
        f"{_USED_BLOBS.format(schema=schema) if table == 'blob' else ''}) WHERE bad IS NOT NULL LIMIT 1"
    )
    with _bytes_for_text(conn):
        row = conn.execute(sql).fetchone()
    if row is None:
        return None
    bad = int(row[0])
    column, (_cond, what) = list(rules.items())[bad]
    value = row[1 + len(labels) + bad]
    label = _label(row[1 : 1 + len(labels)])
    if column in labels:  # the row's own key is wrong: name it once
        whole = f"a row of table {table} has {show(value)} as its {column}, which must be {what}"
        return Problem("value", table, label, whole, whole)
    return Problem("value", table, label, f"holds {show(value)} in {column}, which must be {what}")


def _text_problem(
    conn: sqlite3.Connection, schema: str, table: str, columns: tuple[tuple[str, str, int, int], ...]
) -> Problem | None:
    """The first row whose text is not valid UTF-8."""
    text_columns = [c[0] for c in columns if c[1] not in ("INTEGER", "BLOB")]
    if not text_columns:
        return None
    labels = _label_columns(table, columns)
    cursor = conn.execute(
        f"SELECT {', '.join(_quoted(c) for c in labels + text_columns)} FROM {schema}.{_quoted(table)}"
    )
    for row in cursor:
        for column, value in zip(text_columns, row[len(labels) :]):
            if isinstance(value, bytes):
                try:
                    value.decode("utf-8")
                except UnicodeDecodeError:
                    cursor.close()
                    return Problem("text", table, _label(row[: len(labels)]),
                                   f"holds text in {column} that is not valid UTF-8")
    return None


def _reference_problems(conn: sqlite3.Connection, schema: str) -> list[Problem]:
    """Rows that point to rows that do not exist (SQLite's foreign-key check)."""
    row = conn.execute(f"PRAGMA {schema}.foreign_key_check").fetchone()
    if row is None:
        return []
    table, rowid, parent, _fk = row
    label = show(rowid)
    try:
        found = conn.execute(f'SELECT id FROM {schema}."{table}" WHERE rowid = ?', (rowid,)).fetchone()
        if found is not None:
            label = show(found[0])
    except sqlite3.DatabaseError:
        pass  # a table without an id column: the rowid names the row
    return [Problem("reference", table, label, f"points to a {parent} that is not in the file")]


def _tree_problems(conn: sqlite3.Connection, schema: str) -> list[Problem]:
    """Nodes whose parent is in another plan, and parent cycles (which make walks up the tree loop)."""
    out: list[Problem] = []
    row = conn.execute(
        f"SELECT n.id, p.id FROM {schema}.node n JOIN {schema}.node p ON p.id = n.parent_id "
        "WHERE p.plan_id IS NOT n.plan_id LIMIT 1"
    ).fetchone()
    if row is not None:
        out.append(Problem("tree", "node", show(row[0]), f"has the parent {show(row[1])}, which is in another plan"))
    parents: dict[Any, Any] = dict(conn.execute(f"SELECT id, parent_id FROM {schema}.node"))
    done: set[Any] = set()
    for start in parents:
        path: list[Any] = []
        on_path: set[Any] = set()
        current = start
        while current is not None and current not in done:
            if current in on_path:
                out.append(Problem("tree", "node", show(current), "is its own ancestor (its parents form a cycle)"))
                return out
            on_path.add(current)
            path.append(current)
            current = parents.get(current)
        done.update(path)
    return out


def _attachment_problems(conn: sqlite3.Connection, schema: str) -> list[Problem]:
    """Stored bytes that are not what their SHA-256 and size say (planted under a genuine hash)."""
    rows = conn.execute(
        f"SELECT rowid, sha256, size, length(data) FROM {schema}.blob{_USED_BLOBS.format(schema=schema)} "
        "AND typeof(data) = 'blob'"  # a value of another type: reported by the value check
    ).fetchall()
    for rowid, sha, size, length in rows:
        if length != size:
            return [Problem("attachment", "blob", show(sha), f"holds {length:,} bytes but says {show(size)}")]
        digest = _sha256_of(conn, schema, rowid)
        wanted = sha.decode("ascii", "replace") if isinstance(sha, bytes) else sha
        if digest != wanted:
            what = "holds bytes whose SHA-256 is not the one it is stored under"
            return [Problem("attachment", "blob", show(sha), what)]
    return []


def _sha256_of(conn: sqlite3.Connection, schema: str, rowid: int) -> str:
    """The SHA-256 of one stored attachment, read a megabyte at a time (a copy may hold huge ones)."""
    digest = hashlib.sha256()
    with conn.blobopen("blob", "data", rowid, readonly=True, name=schema) as blob:
        while chunk := blob.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
