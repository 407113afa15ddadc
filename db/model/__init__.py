"""The model: plain typed values that cross the layers, and the rules about them.

`values` (NamedTuples, vocabularies such as statuses and note kinds), `rules`
(what a field may hold), `ids` (UUIDs, stamps, the current user), `errors` (the
one-sentence errors the user reads), `cancelling` (the Cancel contract every
long operation keeps: safe points and one point of no return), `history` (the
status history as a reader sees it), `tree` (walks and status counts). Anyone
may import these; they import nothing else from `db`.
"""
