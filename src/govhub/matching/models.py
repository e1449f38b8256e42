"""CPV suggestion and recommendations."""
