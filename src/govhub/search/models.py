"""Search across GovHub."""
