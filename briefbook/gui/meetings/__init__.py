"""Meetings and their agendas: the panel, the meeting dialogs and their list models."""
