"""Compile every GovHub .po catalogue to .mo with Babel (no GNU gettext needed at install)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile GovHub's translation catalogues (.po) into .mo files."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        # The project's catalogues, then those an app keeps in its own locale directory.
        app_locales = [
            Path(config.path) / "locale"
            for config in apps.get_app_configs()
            if config.name.startswith("govhub.")
        ]
        own = [path for path in app_locales if path.is_dir()]
        for locale_dir in [*settings.LOCALE_PATHS, *own]:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                with po_path.open("rb") as po_file:
                    catalog = read_po(po_file, locale=po_path.parent.parent.name)
                with mo_path.open("wb") as mo_file:
                    # Fuzzy entries are guesses, not translations: leave them out.
                    write_mo(mo_file, catalog, use_fuzzy=False)
                count += 1
        self.stdout.write(f"compiled {count} catalogue(s)")
