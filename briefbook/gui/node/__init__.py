"""The selected node's detail: where it sits, its text, status and lead office, and its status history."""
