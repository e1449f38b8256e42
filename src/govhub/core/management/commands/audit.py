"""``govhub audit verify``: recompute the audit log's hash chain."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govhub.core.audit import audit_verify


class Command(BaseCommand):
    help = "Audit log tools. `verify` recomputes the hash chain and reports the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="recompute the chain; exit status 1 if it is broken")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            result = audit_verify()
            if not result.ok:
                raise CommandError(
                    f"audit chain broken at event #{result.broken_event_id}: {result.reason} "
                    f"({result.checked} events before it are intact)"
                )
            self.stdout.write(self.style.SUCCESS(f"audit chain intact: {result.checked} events"))
