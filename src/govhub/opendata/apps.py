from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "govhub.opendata"
    label = "opendata"
    verbose_name = "Open-data catalogue, bulk files and feeds"
