"""The briefing file on disk: recognise, create, migrate, lock, copy, check, validate.

`file` (open, create, migrate, backups), `connections` (sqlite3 connections and
the write transaction), `lock` (who has the file open), `copying`, `atomic`
(write, then rename), `reading` (untrusted files: regular files under a limit),
`validation` (every row of a colleague's copy), `checking` (`briefbook check`
and repair). Imports `db.model` and `db.schema`.
"""
