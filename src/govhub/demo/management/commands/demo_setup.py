from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import import_string

from govhub.demo.services import demo_setup

# After the organisations, accounts and challenges of govhub.demo; in this order.
DEMO_STEPS: list[str] = [
    "govhub.catalogue.demo.build_demo",
    "govhub.assessments.demo.build_demo",
    "govhub.participation.demo.build_demo",
    "govhub.ocds.demo.build_demo",
    "govhub.notifications.demo.build_demo",
    # Last: the bulk files and DCAT-AP catalogue describe everything above.
    "govhub.opendata.demo.build_demo",
]


class Command(BaseCommand):
    help = "Create the demo accounts and organisations (from real TED notices when available)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--notices", type=Path, help="directory of TED XML notices")

    def handle(self, *args: Any, **options: Any) -> None:
        # Invitations are emailed; in development the console backend would print each one.
        with contextlib.redirect_stdout(io.StringIO()):
            report = demo_setup(notices_dir=options.get("notices"))
        if not report.created:
            self.stdout.write("demo content already present: nothing to do")
        else:
            self._report(report)
        # Each domain adds its own demo content; every step is idempotent.
        for step in DEMO_STEPS:
            with contextlib.redirect_stdout(io.StringIO()):
                lines = import_string(step)()
            for line in lines:
                self.stdout.write(line)

    def _report(self, report: Any) -> None:
        self.stdout.write(f"demo organisations from {report.source}:")
        for name in report.organisations:
            self.stdout.write(f"  - {name}")
        if report.challenges:
            self.stdout.write("demo challenges:")
            for title in report.challenges:
                self.stdout.write(f"  - {title}")
