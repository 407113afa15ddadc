"""The Qt window. Everything here reaches the file through `db.briefing.facade.Briefing`."""
