"""OCDS publication and import."""
