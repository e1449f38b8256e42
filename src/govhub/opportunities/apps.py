from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "govhub.opportunities"
    label = "opportunities"
    verbose_name = "External opportunities and awards (TED)"
