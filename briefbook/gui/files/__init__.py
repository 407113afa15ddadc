"""File actions: opening a file, checking it, merging a colleague's copy."""
