"""`govhub send-digests`: email each person the notifications waiting for their digest.

Run once a day (cron or a systemd timer). Running it twice sends nothing the second time.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from govhub.notifications.services import digests_send


class Command(BaseCommand):
    help = "Email each person one digest of their notifications not yet emailed."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = digests_send()
        self.stdout.write(f"{sent} digest email(s) sent.")
