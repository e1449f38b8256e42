"""``govhub bench-matching``: CPV suggestion, cross-lingual search and winner recommendation
on held-out TED notices, with baselines (see docs/benchmarks.md). Writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from govhub.matching import bench


class Command(BaseCommand):
    help = "Benchmark of CPV suggestion, cross-lingual search and winner recommendation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", nargs="?", choices=["matching"], default="matching")
        parser.add_argument("--train", type=Path, nargs="+", default=None)
        parser.add_argument("--test", type=Path, nargs="+", default=None)
        parser.add_argument("--json", type=Path, default=None, help="Write the figures here.")
        parser.add_argument("--scale", type=int, default=0, help="Also time search at N items.")

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["train"]) != bool(options["test"]):
            raise CommandError("give both --train and --test, or neither")
        if options["train"]:
            train = bench.load_notices(options["train"])
            test = bench.load_notices(options["test"])
        else:
            directory = Path(settings.SHARED_DATA_DIR) / "ted" / "notices"
            if not directory.is_dir():
                raise CommandError(f"no notices directory at {directory}")
            train, test = bench.temporal_split(bench.load_notices([directory]))
        if not train or not test:
            raise CommandError("no notices to train on or to test")
        self.stdout.write(f"{len(train)} training notices, {len(test)} test notices")
        result = bench.run(train, test, log=self.stdout.write)
        if options["scale"]:
            from govhub.search.bench import bench_scale

            result["scale"] = bench_scale(train + test, options["scale"], log=self.stdout.write)
        self.stdout.write(bench.table(result))
        if options["json"]:
            options["json"].write_text(json.dumps(result, indent=2))
            self.stdout.write(f"Figures written to {options['json']}")
