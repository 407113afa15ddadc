"""A node's sources: the panel, the source dialogs and their list models."""
