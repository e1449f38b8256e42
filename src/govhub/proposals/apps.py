from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "govhub.proposals"
    label = "proposals"
    verbose_name = "Proposals"
