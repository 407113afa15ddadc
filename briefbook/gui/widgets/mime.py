"""Drag-and-drop types shared by features (a module of its own so that the plan
tree and the meetings agenda can both import it without importing each other)."""

from __future__ import annotations

#: Newline-separated node ids: what the plan tree drags and the meetings agenda takes.
NODE_IDS_MIME = "application/x-briefbook-node-ids"
