"""Shared by ``govhub import-publiccode`` and ``govhub import-dpg``: progress and report."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from govhub.catalogue.interchange.importer import ImportReport
from govhub.reference.models import Country


def progress_bar(quiet: bool) -> Callable[[list[Path]], Iterable[Path]]:
    def wrap(files: list[Path]) -> Iterable[Path]:
        # No bar in logs and pipes: it would fill them with carriage returns.
        return tqdm(files, unit="file", disable=quiet or not sys.stderr.isatty())

    return wrap


def write_report(out: Any, report: ImportReport, *, quiet: bool) -> None:
    """Per-file lines (problems of imported files too, unless quiet), then the totals."""
    for result in report.results:
        if result.outcome == "rejected":
            out.write(f"REJECTED {result.file}\n")
        elif result.problems and not quiet:
            out.write(f"{result.outcome} {result.file}\n")
        else:
            continue
        for problem in result.problems:
            out.write(f"  - {problem}\n")
    out.write(
        f"Files read: {len(report.results)}\n"
        f"Imported: {report.imported}; updated: {report.updated}; "
        f"unchanged: {report.unchanged}; rejected: {len(report.rejected)}\n"
        f"Organisations created (unclaimed): {report.organisations_created}\n"
    )


class ImportCommand(BaseCommand):
    importer: Callable[..., ImportReport]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="files or directories")
        parser.add_argument(
            "--quiet", action="store_true", help="No progress bar; list rejected files only."
        )
        parser.add_argument(
            "--assume-country",
            default="",
            metavar="XX",
            help="ISO code to file publishers under when their country cannot be told "
            "(recorded as assumed); without it such records are rejected.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = options["quiet"] or options["verbosity"] == 0
        country = options["assume_country"].strip().upper()
        if country and not Country.objects.filter(alpha2=country).exists():
            raise CommandError(f"--assume-country: {country} is not a known ISO country code")
        report = type(self).importer(
            paths=options["paths"], progress=progress_bar(quiet), assume_country=country
        )
        write_report(self.stdout, report, quiet=quiet)
