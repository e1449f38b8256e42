"""Clarifications: a company's question while a phase is open, and a buyer's public answer.

The answer is published to everyone without the asker's identity: the asker is kept on the
row (so a company can follow its own questions) but never reaches a public page, and the
public audit data of an answer holds only the question and the answer.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidTransition, NotAllowed
from govhub.organisations.models import Organisation

from .. import permissions
from ..models import ChallengeStatus, Clarification, Phase
from ._common import clean_text, lock_challenge, lock_phase, raise_if, require_signed_in

MAX_QUESTION = 4000
MAX_ANSWER = 8000


@transaction.atomic
def clarification_ask(
    *, actor: Any, phase: Phase, organisation: Organisation, question: str
) -> Clarification:
    """A member of a company asks a question about an open phase, before its deadline."""
    require_signed_in(actor)
    if not permissions.can_ask_for(actor, organisation):
        raise NotAllowed(
            _("Only members of a company can ask questions, for their own company."),
            code="not_company_member",
        )
    _challenge, fresh = lock_phase(phase)
    if not permissions.phase_is_askable(fresh):
        raise InvalidTransition(
            _("Questions can be asked only while the phase is open, before its deadline."),
            code="phase_not_open",
        )
    errors: dict[str, list[str]] = {}
    text = clean_text(
        question,
        field="question",
        errors=errors,
        required_message=_("Enter your question."),
        max_length=MAX_QUESTION,
    )
    raise_if(errors)
    clarification = Clarification.objects.create(
        phase=fresh, question=text, asked_by=actor, asked_by_organisation=organisation
    )
    # Tagged with the asking company: only its admins (and moderators) read this event.
    audit_record(
        actor=actor,
        action="clarification.ask",
        obj=clarification,
        organisation_id=organisation.public_id,
        after={"phase": str(fresh.public_id), "question": text},
    )
    return clarification


@transaction.atomic
def clarification_answer(*, actor: Any, clarification: Clarification, answer: str) -> Clarification:
    """A buyer of the lead or a co-buying authority publishes the answer, once."""
    require_signed_in(actor)
    challenge = lock_challenge(clarification.phase.challenge)
    if not permissions.can_answer_clarifications(actor, challenge):
        raise NotAllowed(
            _("Only buyers of the authorities running this challenge can answer questions."),
            code="not_buyer",
        )
    if challenge.status != ChallengeStatus.PUBLISHED:
        raise InvalidTransition(
            _("This challenge is %(status)s: questions can no longer be answered.")
            % {"status": challenge.get_status_display().lower()},
            code="not_published",
        )
    fresh = (
        Clarification.objects.select_for_update().select_related("phase").get(pk=clarification.pk)
    )
    if fresh.answered_at is not None:
        raise Conflict(
            _("This question has already been answered: the answer is published."),
            code="already_answered",
        )
    errors: dict[str, list[str]] = {}
    text = clean_text(
        answer,
        field="answer",
        errors=errors,
        required_message=_("Enter the answer."),
        max_length=MAX_ANSWER,
    )
    raise_if(errors)
    fresh.answer = text
    fresh.answered_by = actor
    fresh.answered_at = timezone.now()
    fresh.save()
    # Public history reads this event: question and answer only, never who asked.
    audit_record(
        actor=actor,
        action="clarification.answer",
        obj=fresh,
        organisation_id=challenge.lead_authority.public_id,
        after={"phase": str(fresh.phase.public_id), "question": fresh.question, "answer": text},
    )
    return fresh
