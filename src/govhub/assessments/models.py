"""Interoperability and AI Act assessments of solutions.

One assessment per solution and kind. Answers are versioned: changing an answer adds a row
with the next version and stamps the previous one ``superseded_at``; the current answers are
the rows not superseded. Completing stores the result computed from the current answers (with
the answers and evidence it used) and copies its headline onto the solution. Changing an
answer after completion re-opens the assessment as a draft: the last completed result stays
what the public report and the catalogue show until it is completed again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhub.core.models import PublicModel


class AssessmentKind(models.TextChoices):
    INTEROPERABILITY = "interoperability", _("Interoperability")
    AI_ACT = "ai_act", _("EU AI Act")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("In progress")
    COMPLETED = "completed", _("Completed")


ASSESSMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AssessmentStatus.DRAFT: frozenset({AssessmentStatus.COMPLETED}),
    AssessmentStatus.COMPLETED: frozenset({AssessmentStatus.DRAFT}),
}


class Assessment(PublicModel):
    solution = models.ForeignKey(
        "catalogue.Solution", on_delete=models.CASCADE, related_name="assessments"
    )
    kind = models.CharField(max_length=20, choices=AssessmentKind.choices)
    status = models.CharField(
        max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    # The last completion: when, by whom, and its result (scores or category, reasoning,
    # obligations, and the answers with their evidence as they were then).
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    result = models.JSONField(default=dict, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["solution", "kind"]
        verbose_name = _("assessment")
        constraints = [
            models.UniqueConstraint(fields=["solution", "kind"], name="uniq_assessment_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.solution}"

    @property
    def has_result(self) -> bool:
        return self.completed_at is not None and bool(self.result)


class Answer(PublicModel):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=80)
    version = models.PositiveIntegerField()
    # An option key, a list of option keys, or null when the answer was cleared.
    value = models.JSONField(null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_url = models.URLField(_("link to the evidence"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["question", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question", "version"], name="uniq_answer_version"
            ),
            models.UniqueConstraint(
                fields=["assessment", "question"],
                condition=models.Q(superseded_at__isnull=True),
                name="uniq_current_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question} v{self.version}"
