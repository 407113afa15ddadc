"""Exporting a briefing book from the window."""
