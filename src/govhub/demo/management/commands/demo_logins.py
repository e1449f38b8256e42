from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from govhub.demo.services import ACCOUNTS, DEMO_PASSWORD, demo_is_set_up


class Command(BaseCommand):
    help = "Print the demo logins (one per role)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not demo_is_set_up():
            self.stdout.write("no demo accounts yet: run `govhub demo-setup`")
            return
        width = max(len(a.email) for a in ACCOUNTS)
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for account in ACCOUNTS:
            self.stdout.write(f"  {account.email.ljust(width)}  {account.role}")
        if settings.GOVHUB_DEMO_MODE:
            self.stdout.write(
                "Two-factor authentication is waived for these demo accounts only; the site "
                "says so on every page. Real buyers, evaluators and moderators must set it up."
            )
        self.stdout.write("")
