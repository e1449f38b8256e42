from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "govhub.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation, pilots and outcomes"
