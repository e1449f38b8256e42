from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "govhub.accounts"
    label = "accounts"
    verbose_name = "Accounts"
