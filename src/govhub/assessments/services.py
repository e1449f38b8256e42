"""Writes for assessments: saving answers (versioned) and completing (computing the result).

Each service runs in one transaction, checks the actor's right and writes one audit event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhub.catalogue.models import Solution
from govhub.core.audit import audit_record
from govhub.core.errors import InvalidInput, NotAllowed
from govhub.core.lifecycle import transition
from govhub.organisations import permissions as org_permissions

from . import permissions, rules
from .models import ASSESSMENT_TRANSITIONS, Answer, Assessment, AssessmentKind, AssessmentStatus
from .questions import QUESTIONNAIRES, is_answered, questionnaire

EVIDENCE_MAX = 5000

_SOLUTION_FIELDS = {
    AssessmentKind.INTEROPERABILITY: ("interoperability_level", "interoperability_score"),
    AssessmentKind.AI_ACT: ("ai_risk_category",),
}


def _check(actor: Any, solution: Solution, kind: str) -> None:
    if kind not in QUESTIONNAIRES:
        raise InvalidInput(_("There is no such assessment."), code="unknown_assessment")
    if not org_permissions.is_signed_in(actor):
        raise NotAllowed(_("You need to sign in first."))
    if not permissions.can_edit(actor, solution):
        raise NotAllowed(
            _("Only members of the organisation that provides the solution can assess it."),
            code="not_provider",
        )
    if not permissions.applies(solution, kind):
        raise InvalidInput(
            _(
                "This solution is not described as using artificial intelligence, so it has "
                "no AI Act classification."
            ),
            code="not_ai",
        )


def _locked_assessment(solution: Solution, kind: str) -> Assessment:
    Assessment.objects.get_or_create(solution=solution, kind=kind)
    return Assessment.objects.select_for_update().get(solution=solution, kind=kind)


def _clean(section_key: str, kind: str, answers: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    section = questionnaire(kind).section(section_key)
    if section is None:
        raise InvalidInput(_("There is no such part of the questionnaire."), code="unknown_section")
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    validate_url = URLValidator(schemes=["http", "https"])
    for question in section.questions:
        given = answers.get(question.key)
        if given is None:
            continue  # not on this submission: left as it is
        try:
            value = rules.clean_value(question, given.get("value"))
        except ValueError as error:
            errors[question.key] = [str(error)]
            continue
        evidence = str(given.get("evidence") or "").strip()
        url = str(given.get("evidence_url") or "").strip()
        if len(evidence) > EVIDENCE_MAX:
            errors[f"{question.key}__evidence"] = [
                _("Keep the evidence under %(max)s characters") % {"max": EVIDENCE_MAX}
            ]
        if url:
            try:
                validate_url(url)
            except ValidationError:
                errors[f"{question.key}__evidence_url"] = [
                    _("Enter a web address starting with https:// or http://")
                ]
            if len(url) > 500:
                errors[f"{question.key}__evidence_url"] = [
                    _("Enter a web address of 500 characters or fewer")
                ]
        cleaned[question.key] = {"value": value, "evidence": evidence, "evidence_url": url}
    if errors:
        raise InvalidInput(
            _("Some answers could not be saved: correct them and save again."),
            field_errors=errors,
        )
    return cleaned


@transaction.atomic
def assessment_save_answers(
    *,
    actor: Any,
    solution: Solution,
    kind: str,
    section: str,
    answers: Mapping[str, Mapping[str, Any]],
) -> Assessment:
    """Save one part of the questionnaire, half-way or not.

    ``answers`` maps question keys to ``{"value", "evidence", "evidence_url"}``. An answer that
    differs from the current one becomes its next version; the previous stays as history.
    A change to a completed assessment re-opens it as a draft (its last result stays shown).
    """
    _check(actor, solution, kind)
    cleaned = _clean(section, kind, answers)
    assessment = _locked_assessment(solution, kind)
    current = {
        answer.question: answer
        for answer in assessment.answers.filter(
            question__in=list(cleaned), superseded_at__isnull=True
        )
    }
    now = timezone.now()
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key, new in cleaned.items():
        old = current.get(key)
        if old is not None and (old.value, old.evidence, old.evidence_url) == (
            new["value"],
            new["evidence"],
            new["evidence_url"],
        ):
            continue
        if (
            old is None
            and not is_answered(new["value"])
            and not new["evidence"]
            and not new["evidence_url"]
        ):
            continue
        version = 1
        if old is not None:
            old.superseded_at = now
            old.save(update_fields=["superseded_at", "updated_at"])
            version = old.version + 1
            before[key] = {"value": old.value, "version": old.version}
        Answer.objects.create(
            assessment=assessment, question=key, version=version, actor=actor, **new
        )
        after[key] = {"value": new["value"], "version": version}
    if not after:
        return assessment
    status_before = assessment.status
    if assessment.status == AssessmentStatus.COMPLETED:
        transition(
            assessment,
            to=AssessmentStatus.DRAFT,
            allowed=ASSESSMENT_TRANSITIONS,
            label=_("The assessment"),
        )
        assessment.reopened_at = now
    assessment.save()
    audit_record(
        actor=actor,
        action="assessment.answers_save",
        obj=assessment,
        organisation_id=solution.provider.public_id,
        before={"status": status_before, "answers": before},
        after={"status": assessment.status, "section": section, "answers": after},
    )
    return assessment


@transaction.atomic
def assessment_complete(*, actor: Any, solution: Solution, kind: str) -> Assessment:
    """Compute the result from the current answers, keep it, and copy it onto the solution."""
    _check(actor, solution, kind)
    assessment = _locked_assessment(solution, kind)
    answers = {
        answer.question: answer for answer in assessment.answers.filter(superseded_at__isnull=True)
    }
    values = {key: answer.value for key, answer in answers.items()}
    definition = questionnaire(kind)
    missing = rules.missing_questions(definition, values)
    if missing:
        titles = ", ".join(str(definition.question(key).title) for key in missing)  # type: ignore[union-attr]
        raise InvalidInput(
            _(
                "Answer every question before completing the assessment. "
                "Still to answer: %(titles)s."
            )
            % {"titles": titles},
            code="incomplete",
            missing=missing,
        )
    status_before = assessment.status
    result_before = assessment.result
    transition(
        assessment,
        to=AssessmentStatus.COMPLETED,
        allowed=ASSESSMENT_TRANSITIONS,
        label=_("The assessment"),
    )
    result = rules.result_for(kind, values)
    result["answers"] = {
        key: {
            "value": answer.value,
            "evidence": answer.evidence,
            "evidence_url": answer.evidence_url,
            "version": answer.version,
        }
        for key, answer in sorted(answers.items())
    }
    assessment.result = result
    assessment.completed_by = actor
    assessment.save()

    fields = _SOLUTION_FIELDS[AssessmentKind(kind)]
    solution_before = {name: getattr(solution, name) for name in fields}
    if kind == AssessmentKind.INTEROPERABILITY:
        solution.interoperability_level = result["level"]
        solution.interoperability_score = result["overall"]
    else:
        solution.ai_risk_category = result["category"]
    solution.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=actor,
        action="assessment.complete",
        obj=assessment,
        organisation_id=solution.provider.public_id,
        before={
            "status": status_before,
            "result": {k: v for k, v in result_before.items() if k != "answers"},
            "solution": solution_before,
        },
        after={
            "status": assessment.status,
            "result": {k: v for k, v in result.items() if k != "answers"},
            "solution": {name: getattr(solution, name) for name in fields},
        },
    )
    return assessment
