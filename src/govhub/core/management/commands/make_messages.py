"""Re-extract the strings to translate into each GovHub catalogue (needs GNU gettext).

The project catalogue (src/govhub/locale) holds every string except those of apps that keep
their own catalogue in <app>/locale; each of those is extracted from its app alone. New
strings arrive untranslated: translate them, then run ``govhub compile-translations``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

LANGUAGES = ["fr", "de", "it", "lt"]


class Command(BaseCommand):
    help = "Update the .po catalogues of GovHub (the project's, or one app's) from the sources."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "apps", nargs="*", help="apps with their own locale/ (default: every catalogue)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        package = Path(settings.LOCALE_PATHS[0]).parent
        own = sorted(path.parent.name for path in package.glob("*/locale") if path.is_dir())
        wanted = options["apps"] or ["govhub", *own]
        previous = Path.cwd()
        original_paths = settings.LOCALE_PATHS
        try:
            # With no LOCALE_PATHS, makemessages writes to ./locale of the folder it runs in.
            settings.LOCALE_PATHS = []
            for name in wanted:
                if name == "govhub":
                    os.chdir(package)
                    ignore = [f"{app}/*" for app in own]
                else:
                    if name not in own:
                        (package / name / "locale").mkdir()
                    os.chdir(package / name)
                    ignore = []
                call_command(
                    "makemessages",
                    locale=LANGUAGES,
                    ignore_patterns=["static/*", "*/tests/*", "tests/*", *ignore],
                    no_obsolete=True,
                    verbosity=0,
                )
                self.stdout.write(f"updated the catalogues of {name}")
        finally:
            settings.LOCALE_PATHS = original_paths
            os.chdir(previous)
