"""Interoperability and AI Act assessments of solutions."""
