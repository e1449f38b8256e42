from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "govhub.web"
    label = "web"
    verbose_name = "Web shell"
