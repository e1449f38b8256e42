from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "govhub.participation"
    label = "participation"
    verbose_name = "Participatory processes, ideas and accountability"

    def ready(self) -> None:
        from govhub.accounts.privacy import register

        from .privacy import erase_user, export_user

        register("participation", export=export_user, erase=erase_user)
