"""``govhub open-data build``: regenerate the bulk files now (as the background task does)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from govhub.opendata.services import bulk_files_regenerate


class Command(BaseCommand):
    help = "Open-data files: 'build' regenerates the CSV and JSON bulk files of every table."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["build"])
        parser.add_argument("--only", nargs="*", help="Only these tables (e.g. needs challenges).")

    def handle(self, *args: Any, **options: Any) -> None:
        for bulk in bulk_files_regenerate(only=options.get("only") or None):
            self.stdout.write(f"{bulk.path}\t{bulk.rows} rows\t{bulk.size} bytes\t{bulk.sha256}")
