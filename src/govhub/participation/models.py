"""Participatory processes, ideas and accountability."""
