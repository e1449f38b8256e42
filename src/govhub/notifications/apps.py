from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "govhub.notifications"
    label = "notifications"
    verbose_name = "In-platform and email notifications"

    def ready(self) -> None:
        from govhub.accounts import privacy

        from .personal_data import erase_user, export_user

        privacy.register("notifications", export=export_user, erase=erase_user)
