"""A node's notes: the panel of note cards, the note dialog and the Markdown view."""
