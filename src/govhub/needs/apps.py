from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "govhub.needs"
    label = "needs"
    verbose_name = "Innovation needs"
