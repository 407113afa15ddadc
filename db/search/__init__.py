"""Full-text search (SQLite FTS5) over commitments, notes and sources.

`query` (folding text, FTS5 queries, snippets), `index` (what each row puts in
the index, and search results), `keeping` (the write transaction that keeps
the index in step with every write: nobody else re-indexes), `node_matching`
(why a node matches the tree filter). Imports `db.model`, `db.disk`.
"""
