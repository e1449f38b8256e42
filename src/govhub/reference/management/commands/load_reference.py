from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from govhub.reference.services import reference_load, reference_rows


class Command(BaseCommand):
    help = "Load CPV, NUTS, countries and the eForms codelists into the database (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source",
            type=Path,
            default=None,
            help="A directory of packaged reference files (default: the ones GovHub ships).",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar or summary.")

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = options["quiet"] or options["verbosity"] == 0
        started = time.monotonic()
        with tqdm(
            total=reference_rows(options["source"]),
            unit=" rows",
            desc="Reference data",
            disable=quiet or not sys.stderr.isatty(),
        ) as bar:
            report = reference_load(source=options["source"], progress=bar.update)
        if quiet:
            return
        for name, counts in report.counts.items():
            self.stdout.write(
                f"{name:28} {counts.created:6} created {counts.updated:6} updated "
                f"{counts.unchanged:6} unchanged"
                + (f" {counts.obsolete:6} obsolete (kept)" if counts.obsolete else "")
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data: {report.total('created')} created, "
                f"{report.total('updated')} updated, {report.total('unchanged')} unchanged "
                f"in {time.monotonic() - started:.1f} s"
            )
        )
