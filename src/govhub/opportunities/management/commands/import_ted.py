"""``govhub import-ted PATH…``: TED XML notices as external opportunities and awards."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from govhub.opportunities.services import ImportReport, ted_import


def progress_bar(quiet: bool) -> Any:
    def wrap(files: list[Path]) -> Iterable[Path]:
        # No bar in logs and pipes: it would fill them with carriage returns.
        return tqdm(files, unit="file", disable=quiet or not sys.stderr.isatty())

    return wrap


def write_report(out: Any, report: ImportReport, seconds: float) -> None:
    out.write(
        f"Files read: {report.files_read} in {seconds:.1f} s\n"
        f"Notices: {report.notices_created} created, {report.notices_updated} updated, "
        f"{report.notices_unchanged} unchanged\n"
        f"Lots: {report.lots}; awards: {report.awards}; winners: {report.winners}\n"
        f"Organisations created (unclaimed): {report.organisations_created}\n"
        f"Corrigenda applied: {report.corrigenda_applied}\n"
        f"Skipped files: {len(report.skipped)}\n"
    )
    for name, reason in report.skipped:
        out.write(f"  {name}: {reason}\n")


class Command(BaseCommand):
    help = "Import TED XML notices (R2.0.9) from files or directories; idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="XML files or directories")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = options["quiet"] or options["verbosity"] == 0
        started = time.monotonic()
        report = ted_import(paths=options["paths"], progress=progress_bar(quiet))
        write_report(self.stdout, report, time.monotonic() - started)
