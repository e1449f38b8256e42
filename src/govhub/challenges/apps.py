from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "govhub.challenges"
    label = "challenges"
    verbose_name = "Challenges"
