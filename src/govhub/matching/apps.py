from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "govhub.matching"
    label = "matching"
    verbose_name = "CPV suggestion and recommendations"
