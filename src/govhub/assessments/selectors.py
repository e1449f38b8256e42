"""Reads for assessments."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from govhub.catalogue.models import Solution

from .models import Answer, Assessment
from .questions import questionnaire


def solution_by_public_id(public_id: UUID) -> Solution | None:
    return Solution.objects.select_related("provider").filter(public_id=public_id).first()


def assessment_for(*, solution: Solution, kind: str) -> Assessment | None:
    return Assessment.objects.filter(solution=solution, kind=kind).first()


def assessments_by_kind(*, solution: Solution) -> dict[str, Assessment]:
    return {a.kind: a for a in Assessment.objects.filter(solution=solution)}


def current_answers(assessment: Assessment | None) -> dict[str, Answer]:
    if assessment is None or assessment.pk is None:
        return {}
    return {
        answer.question: answer
        for answer in assessment.answers.filter(superseded_at__isnull=True).select_related("actor")
    }


def current_values(assessment: Assessment | None) -> dict[str, Any]:
    return {key: answer.value for key, answer in current_answers(assessment).items()}


def answer_history(assessment: Assessment, *, until: dt.datetime | None = None) -> QuerySet[Answer]:
    """Every version of every answer, newest first per question; ``until`` cuts off later ones."""
    answers = assessment.answers.select_related("actor").order_by("question", "-version")
    if until is not None:
        answers = answers.filter(created_at__lte=until)
    return answers


def section_progress(assessment: Assessment | None, kind: str) -> list[dict[str, Any]]:
    """For each section: how many of its questions have an answer."""
    values = current_values(assessment)
    progress = []
    for section in questionnaire(kind).sections:
        answered = sum(1 for q in section.questions if values.get(q.key) not in (None, "", []))
        progress.append(
            {
                "section": section,
                "answered": answered,
                "total": len(section.questions),
                "complete": answered == len(section.questions),
                "started": answered > 0,
            }
        )
    return progress
