"""``govhub import-ocds PATH…``: OCDS release and record packages from other publishers."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from govhub.ocds.importer import ImportReport, ocds_import


def progress_bar(quiet: bool) -> Any:
    def wrap(files: list[Path]) -> Iterable[Path]:
        # No bar in logs and pipes: it would fill them with carriage returns.
        return tqdm(files, unit="file", disable=quiet or not sys.stderr.isatty())

    return wrap


def write_report(out: Any, report: ImportReport, seconds: float, verbose: bool) -> None:
    for file in report.files:
        if file.error:
            out.write(f"{file.path}: SKIPPED, {file.error}\n")
            continue
        out.write(
            f"{file.path}: {file.shape}, {file.releases_read} releases read, "
            f"{file.releases_created} new, {file.releases_updated} updated, "
            f"{file.releases_unchanged} unchanged, {len(file.ocids)} processes, "
            f"{file.upgraded} upgraded from 1.0, {len(file.skipped)} skipped\n"
        )
        for where, reason in file.skipped:
            out.write(f"  skipped {where}: {reason}\n")
        if verbose:
            for where, reason in file.warnings:
                out.write(f"  note {where}: {reason}\n")
    skipped = report.skipped_files
    out.write(
        f"Files read: {len(report.files)} in {seconds:.1f} s ({len(skipped)} skipped)\n"
        f"Processes: {report.processes_created} created, {report.processes_updated} updated, "
        f"{report.processes_unchanged} unchanged\n"
        f"Releases: {sum(f.imported for f in report.files)} imported, "
        f"{sum(len(f.skipped) for f in report.files)} skipped\n"
    )


class Command(BaseCommand):
    help = (
        "Import OCDS release and record packages (files or directories of .json); "
        "idempotent; reports what was skipped per file and why."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="JSON files or directories")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = options["quiet"] or options["verbosity"] == 0
        started = time.monotonic()
        report = ocds_import(paths=options["paths"], progress=progress_bar(quiet))
        write_report(self.stdout, report, time.monotonic() - started, options["verbosity"] > 1)
