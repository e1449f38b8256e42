"""``govhub search reindex`` rebuilds the index; ``govhub search alerts`` mails new matches."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from govhub.search.indexing import reindex
from govhub.search.providers import REGISTRY
from govhub.search.services import saved_search_send_alerts


class Command(BaseCommand):
    help = "Search: `search reindex [--kind K]` rebuilds the index; `search alerts` sends alerts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["reindex", "alerts"])
        parser.add_argument("--kind", action="append", choices=sorted(REGISTRY), default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "alerts":
            self.stdout.write(f"{saved_search_send_alerts()} alert emails queued")
            return
        counts = reindex(
            options["kind"], progress=lambda kind, n: self.stdout.write(f"{kind}: {n} indexed")
        )
        self.stdout.write(f"{sum(counts.values())} items in the search index")
