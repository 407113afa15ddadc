"""The plan tree pane (pane.py) with its item model, the search filter and the status-count painter."""
