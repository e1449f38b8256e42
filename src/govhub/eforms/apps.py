from django.apps import AppConfig


class EformsConfig(AppConfig):
    name = "govhub.eforms"
    label = "eforms"
    verbose_name = "eForms notice export"
