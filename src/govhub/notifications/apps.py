from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "govhub.notifications"
    label = "notifications"
    verbose_name = "In-platform and email notifications"
