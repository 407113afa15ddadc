"""Sharing: merging a colleague's copy and syncing with the team store, by one set of rules.

Public: `merge` (`merge_into`, `MergeReport`), `report` (what a merge or sync
did), `words` (describing a row and a set-aside value in words), `set_aside`
(which fields a merge may set aside), `store` (the team store: see its own
docstring). Internal, for this package only: `three_way` (one row, field by
field), `rows` (what a merge writes, row by row), `apply` (the one step that
writes a merge's or a sync's result into the file).
"""
