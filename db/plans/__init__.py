"""Plans: storing a parsed plan, matching a revised text to the stored one, removing a whole plan.

`drafts` (what the importer builds, in `db.model`), `storing` (compare a draft
with the file, then write the difference), `revision` (which stored node each
node of a revised text is), `removal` (a plan and what hangs on it as
tombstones, and back; `HANGING` names those rows for the merge). The facade
calls `storing` and `removal`; the importer builds `drafts`.
"""
