"""The plan tree pane: its item model, the search filter and the status-count painter."""
