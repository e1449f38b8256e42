from django.apps import AppConfig


class OcdsConfig(AppConfig):
    name = "govhub.ocds"
    label = "ocds"
    verbose_name = "OCDS publication and import"
