from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "govhub.reference"
    label = "reference"
    verbose_name = "Reference vocabularies"
