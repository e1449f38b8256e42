from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "govhub.demo"
    label = "demo"
    verbose_name = "Demo content"
