from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "govhub.organisations"
    label = "organisations"
    verbose_name = "Organisations"
