from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "govhub.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Audit receivers for the flows allauth owns (sign-up, passwords, two-factor).
        from . import receivers  # noqa: F401
