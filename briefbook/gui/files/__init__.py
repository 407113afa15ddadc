"""File actions (actions.py: new, open, recent, import, copy, merge, check, export) and their dialogs."""
