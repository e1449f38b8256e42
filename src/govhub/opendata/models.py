"""Open-data catalogue, bulk files and feeds."""
