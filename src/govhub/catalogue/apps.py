from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "govhub.catalogue"
    label = "catalogue"
    verbose_name = "Solutions catalogue and reuse"
