"""Plans: storing a parsed plan and matching a revised text to the stored one.

`drafts` (what the importer builds), `storing` (compare a draft with the file,
then write the difference), `revision` (which stored node each node of a
revised text is). The facade calls `storing`; the importer builds `drafts`.
"""
