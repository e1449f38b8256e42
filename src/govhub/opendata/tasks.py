"""Background work of the open-data app."""

from __future__ import annotations

from django_tasks import task

from .services import bulk_files_regenerate


@task()
def regenerate_bulk_files() -> int:
    """Write every public table as CSV and JSON; returns how many files were written."""
    return len(bulk_files_regenerate())
