"""In-platform and email notifications."""
