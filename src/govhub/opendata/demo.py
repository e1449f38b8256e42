"""Demo step: the bulk files of every public table, so that the open-data page has downloads
and the DCAT-AP catalogue describes real files. Idempotent (files are rewritten)."""

from __future__ import annotations

from .services import bulk_files_regenerate


def build_demo() -> list[str]:
    written = bulk_files_regenerate()
    rows = sum(b.rows for b in written if b.format == "csv")
    return [f"open data: {len(written)} bulk files written ({rows} rows in all)"]
