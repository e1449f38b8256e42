from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Not written yet."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("demo content: not written yet")
