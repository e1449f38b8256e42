"""Demo step: OCDS bulk files of the demo challenges, and a few real OCDS publications.

Imports the UK Contracts Finder and Uganda samples from ../shared/data when present (the
rest of the demo works without them) and writes ``/data/ocds/releases.json`` and
``records.json``. Idempotent: the import leaves unchanged data alone.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from .importer import ocds_import
from .publication import build_bulk_files

SAMPLES = ("uk-contracts-finder/sample/releases", "uganda/sample/releases")


def build_demo() -> list[str]:
    lines = []
    examples = Path(settings.SHARED_DATA_DIR) / "ocds" / "real-examples"
    paths = [examples / sample for sample in SAMPLES if (examples / sample).is_dir()]
    if paths:
        report = ocds_import(paths=paths)
        lines.append(
            f"OCDS import: {len(report.files)} files, {report.processes_created} processes "
            f"created, {report.processes_updated} updated, {report.processes_unchanged} unchanged"
        )
    else:
        lines.append(f"OCDS import: no real examples at {examples} (skipped)")
    for built in build_bulk_files():
        lines.append(f"OCDS bulk file {built.name}: {built.count} challenges, {built.size} bytes")
    return lines
