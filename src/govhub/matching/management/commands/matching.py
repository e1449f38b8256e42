"""``govhub matching train``: learn the CPV suggester from the imported notices and labels."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from govhub.matching.store import suggester_train


class Command(BaseCommand):
    help = "CPV suggestion. `matching train`: train the suggester and store it in the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["train"])

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        row = suggester_train()
        self.stdout.write(
            f"Trained the CPV suggester on {row.notices} notices: {row.examples} examples, "
            f"{len(row.data) / 1e6:.1f} MB, {time.perf_counter() - started:.1f} s"
        )
