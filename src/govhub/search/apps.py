from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "govhub.search"
    label = "search"
    verbose_name = "Search across GovHub"

    def ready(self) -> None:
        from . import providers, signals  # noqa: F401 - providers register themselves

        signals.connect()
