"""The facade over one open briefing file: `db.briefing.facade.Briefing`.

What the window, the command line and the exporters call. Its parts, one per
feature (`notes`, `sources`, `meetings`, `conflicts`), stand on `access`
(connections, transactions, stamps). `Briefing.one_transaction()` and
`Briefing.one_read()` run several facade calls as one transaction or one
consistent read. Others import `facade` (and the types its parts return).
"""
