from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from govhub.reference import build


class Command(BaseCommand):
    help = "Convert the CPV and eForms files in shared/data into the packaged reference data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source",
            type=Path,
            default=None,
            help="The shared data directory (default: settings.SHARED_DATA_DIR).",
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=build.DATA_DIR,
            help="Where to write the packaged files (default: the package's data/).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["source"] or Path(settings.SHARED_DATA_DIR)
        if not (source / "cpv").is_dir() or not (source / "eforms" / "codelists").is_dir():
            raise CommandError(f"{source} has no cpv/ and eforms/codelists/ folders")
        result = build.build(source)
        sizes = build.write(result, options["output"])
        for note in result.notes:
            self.stdout.write(f"note: {note}")
        for name, size in sizes.items():
            self.stdout.write(f"{name}: {size / 1024:.0f} KiB")
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(sizes)} files to {options['output']}"))
