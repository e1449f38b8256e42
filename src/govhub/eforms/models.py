"""eForms notice export."""
