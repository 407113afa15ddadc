"""Undo commands: every edit made from the window is one, pushed through one function."""
