"""Tell companies about phase results and outcomes, in each person's own language.

Called from the services with ``transaction.on_commit`` so nobody is told of a decision that
then rolled back; the emails themselves go through the background task queue.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from govhub.core.tasks import send_email
from govhub.organisations.models import Membership

from .models import Outcome, PhaseResult


def _members_by_language(company_ids: Iterable[int]) -> dict[int, dict[str, list[str]]]:
    grouped: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    languages = {code for code, _name in settings.LANGUAGES}
    for company_id, email, language in Membership.objects.filter(
        organisation_id__in=list(company_ids)
    ).values_list("organisation_id", "user__email", "user__preferred_language"):
        grouped[company_id][language if language in languages else settings.LANGUAGE_CODE].append(
            email
        )
    return grouped


def _send(template: str, recipients_by_language: dict[str, list[str]], context: dict[str, Any]):
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    for language, recipients in recipients_by_language.items():
        with translation.override(language):
            subject = render_to_string(f"evaluation/email/{template}_subject.txt", context)
            body = render_to_string(f"evaluation/email/{template}_body.txt", context)
        send_email.enqueue(
            recipients=sorted(recipients), subject=prefix + " ".join(subject.split()), body=body
        )


def phase_results_published(result_ids: list[int]) -> None:
    results = list(
        PhaseResult.objects.filter(pk__in=result_ids).select_related(
            "phase__challenge", "proposal__company", "invited_to"
        )
    )
    members = _members_by_language(r.proposal.company_id for r in results)
    for result in results:
        challenge = result.phase.challenge
        path = reverse("evaluation:company_results", args=[challenge.public_id])
        _send(
            "phase_result",
            members.get(result.proposal.company_id, {}),
            {
                "result": result,
                "challenge": challenge,
                "company": result.proposal.company,
                "url": settings.GOVHUB_SITE_URL.rstrip("/") + path,
            },
        )


def outcome_published(outcome_id: int) -> None:
    outcome = Outcome.objects.select_related("challenge").get(pk=outcome_id)
    challenge = outcome.challenge
    awarded = {p.company_id for p in outcome.awarded_proposals.all()}
    companies = (
        set(
            PhaseResult.objects.filter(phase__challenge=challenge).values_list(
                "proposal__company_id", flat=True
            )
        )
        | awarded
    )
    members = _members_by_language(companies)
    path = reverse("evaluation:company_results", args=[challenge.public_id])
    for company_id, recipients in members.items():
        _send(
            "outcome",
            recipients,
            {
                "outcome": outcome,
                "challenge": challenge,
                "won": company_id in awarded,
                "url": settings.GOVHUB_SITE_URL.rstrip("/") + path,
            },
        )
