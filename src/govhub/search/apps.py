from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "govhub.search"
    label = "search"
    verbose_name = "Search across GovHub"
