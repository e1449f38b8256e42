"""Background rebuild of the OCDS bulk files (run after publications, or on a schedule)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from .publication import build_bulk_files


@task()
def build_ocds_bulk_files() -> list[dict[str, Any]]:
    return [f.as_dict() for f in build_bulk_files()]
