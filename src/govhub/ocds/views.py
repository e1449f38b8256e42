"""Bulk downloads under /data/ocds/: built into storage, or on demand when missing."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_safe

from .publication import BULK_DIR, build_bulk_files


def _serve(name: str) -> FileResponse:
    storage_name = f"{BULK_DIR}/{name}"
    if not default_storage.exists(storage_name):
        build_bulk_files()
    response = FileResponse(
        default_storage.open(storage_name, "rb"), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="govhub-ocds-{name}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def bulk_releases(request: HttpRequest) -> FileResponse:
    return _serve("releases.json")


@require_safe
def bulk_records(request: HttpRequest) -> FileResponse:
    return _serve("records.json")
