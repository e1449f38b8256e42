from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "govhub.assessments"
    label = "assessments"
    verbose_name = "Interoperability and AI Act assessments of solutions"
