"""Phases of a challenge: planning them while drafting, then moving each through its lifecycle.

``phase_decide`` is the step the evaluation app calls when a phase's results are published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from govhub.core.errors import InvalidInput, InvalidTransition
from govhub.core.lifecycle import transition
from govhub.proposals.models import Proposal, ProposalStatus

from ..models import (
    PHASE_TRANSITIONS,
    Challenge,
    ChallengeStatus,
    Phase,
    PhaseKind,
    PhaseStatus,
)
from ._common import (
    PHASE_FIELDS,
    audit_phase,
    check_phase_dates,
    check_version,
    clean_amount,
    clean_text,
    criteria_total,
    is_future,
    lock_challenge,
    lock_phase,
    phase_facts,
    raise_if,
    require_draft,
    require_lead_buyer,
    require_published,
    weights_message,
)

_EDITABLE = [name for name in PHASE_FIELDS if name not in {"order", "status"}]
_FLAGS = ("sme_only", "eu_eea_only", "asks_price")
_DATES = ("opens_at", "deadline", "ends_at")


def _validated(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    kind = values.get("kind")
    if kind not in PhaseKind.values:
        errors.setdefault("kind", []).append(_("Choose what kind of phase it is."))
    clean["kind"] = kind
    clean["title"] = clean_text(
        values.get("title"),
        field="title",
        errors=errors,
        required_message=_("Enter the phase’s title."),
        max_length=200,
    )
    clean["description"] = clean_text(values.get("description"), field="description", errors=errors)
    clean["eligibility_notes"] = clean_text(
        values.get("eligibility_notes"), field="eligibility_notes", errors=errors, max_length=5000
    )
    for name in _DATES:
        value = values.get(name)
        if value is not None and (not isinstance(value, dt.datetime) or timezone.is_naive(value)):
            errors.setdefault(name, []).append(_("Enter a date and time."))
            value = None
        clean[name] = value
    check_phase_dates(clean["opens_at"], clean["deadline"], clean["ends_at"], errors)
    for name in _FLAGS:
        clean[name] = bool(values.get(name))
    clean["budget"] = clean_amount(
        values.get("budget"), field="budget", errors=errors, label=_("the prize or budget")
    )
    selected: Any = values.get("max_selected")
    if selected in (None, ""):
        clean["max_selected"] = None
    else:
        try:
            clean["max_selected"] = int(selected)
        except (TypeError, ValueError):
            clean["max_selected"] = None
            errors.setdefault("max_selected", []).append(_("Enter a whole number."))
        else:
            if not 1 <= clean["max_selected"] <= 1000:
                errors.setdefault("max_selected", []).append(
                    _("Enter a number between 1 and 1000.")
                )
    raise_if(errors)
    return clean


@transaction.atomic
def phase_add(*, actor: Any, challenge: Challenge, **values: Any) -> Phase:
    """Append a phase to a draft challenge (fields as in :data:`PHASE_FIELDS`)."""
    fresh = lock_challenge(challenge)
    require_lead_buyer(actor, fresh)
    require_draft(fresh)
    unknown = set(values) - set(_EDITABLE)
    if unknown:
        raise TypeError(f"phase_add() got unexpected fields: {sorted(unknown)}")
    clean = _validated(values)
    last = Phase.objects.filter(challenge=fresh).aggregate(last=Max("order"))["last"] or 0
    phase = Phase.objects.create(challenge=fresh, order=last + 1, **clean)
    audit_phase(actor, "phase.add", fresh, phase, after=phase_facts(phase))
    return phase


@transaction.atomic
def phase_update(*, actor: Any, phase: Phase, version: int, **values: Any) -> Phase:
    """Change a phase of a draft; ``version`` is the one the editor saw (stale → Conflict)."""
    challenge, fresh = lock_phase(phase)
    require_lead_buyer(actor, challenge)
    require_draft(challenge)
    check_version(fresh, version)
    unknown = set(values) - set(_EDITABLE)
    if unknown:
        raise TypeError(f"phase_update() got unexpected fields: {sorted(unknown)}")
    current = {name: getattr(fresh, name) for name in _EDITABLE}
    clean = _validated({**current, **values})
    before = phase_facts(fresh)
    for name, value in clean.items():
        setattr(fresh, name, value)
    fresh.version += 1
    fresh.save()
    audit_phase(actor, "phase.update", challenge, fresh, before=before, after=phase_facts(fresh))
    return fresh


@transaction.atomic
def phase_remove(*, actor: Any, phase: Phase) -> None:
    """Remove a phase of a draft (with its criteria and documents); later phases move up."""
    challenge, fresh = lock_phase(phase)
    require_lead_buyer(actor, challenge)
    require_draft(challenge)
    before = phase_facts(fresh)
    files = [doc.file.name for doc in fresh.documents.all() if doc.file]
    audit_phase(actor, "phase.remove", challenge, fresh, before=before)
    order = fresh.order
    fresh.delete()
    # Ascending, so each phase moves into the slot just freed above it.
    for later in Phase.objects.filter(challenge=challenge, order__gt=order).order_by("order"):
        later.order -= 1
        later.save(update_fields=["order", "updated_at"])
    _delete_files_on_commit(files)


def _delete_files_on_commit(names: Iterable[str]) -> None:
    storage = default_storage

    def delete(name: str) -> None:
        transaction.on_commit(lambda: storage.delete(name))

    for name in names:
        delete(name)


@transaction.atomic
def phase_move(*, actor: Any, phase: Phase, direction: str) -> Phase:
    """Swap a draft's phase with the one before (``"up"``) or after (``"down"``) it."""
    challenge, fresh = lock_phase(phase)
    require_lead_buyer(actor, challenge)
    require_draft(challenge)
    if direction not in {"up", "down"}:
        raise InvalidInput(_("Choose to move the phase up or down."))
    siblings = Phase.objects.filter(challenge=challenge)
    other = (
        siblings.filter(order__lt=fresh.order).order_by("-order").first()
        if direction == "up"
        else siblings.filter(order__gt=fresh.order).order_by("order").first()
    )
    if other is None:
        raise InvalidInput(
            _("This phase is already first.")
            if direction == "up"
            else _("This phase is already last.")
        )
    mine, theirs = fresh.order, other.order
    # Park one phase outside the used range: the (challenge, order) constraint holds throughout.
    parking = (siblings.aggregate(last=Max("order"))["last"] or 0) + 1
    fresh.order = parking
    fresh.save(update_fields=["order", "updated_at"])
    other.order = mine
    other.save(update_fields=["order", "updated_at"])
    fresh.order = theirs
    fresh.version += 1
    fresh.save(update_fields=["order", "version", "updated_at"])
    audit_phase(
        actor, "phase.move", challenge, fresh, before={"order": mine}, after={"order": theirs}
    )
    return fresh


# --- lifecycle --------------------------------------------------------------------------------


def _when(value: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _move(
    actor: Any, challenge: Challenge, phase: Phase, to: str, action: str, **after: Any
) -> Phase:
    before = phase.status
    transition(phase, to=to, allowed=PHASE_TRANSITIONS, label=_("A phase"))
    phase.version += 1
    phase.save()
    audit_phase(
        actor,
        action,
        challenge,
        phase,
        before={"status": before},
        after={"status": phase.status, **after},
    )
    return phase


@transaction.atomic
def phase_open(*, actor: Any, phase: Phase) -> Phase:
    """Planned → open: the challenge is published, earlier phases are decided, and a phase
    taking proposals has criteria totalling 100 and a deadline still ahead."""
    challenge, fresh = lock_phase(phase)
    require_lead_buyer(actor, challenge)
    require_published(challenge)
    if fresh.status == PhaseStatus.PLANNED:
        earlier = (
            Phase.objects.filter(challenge=challenge, order__lt=fresh.order)
            .exclude(status=PhaseStatus.DECIDED)
            .order_by("order")
            .first()
        )
        if earlier is not None:
            raise InvalidTransition(
                _("Phase %(order)d (%(title)s) must be decided before this one opens.")
                % {"order": earlier.order, "title": earlier.title},
                code="earlier_phase_undecided",
            )
        if fresh.takes_proposals:
            total = criteria_total(fresh)
            if total != 100:
                raise InvalidInput(weights_message(total), code="weights_total", total=total)
            if not is_future(fresh.deadline):
                raise InvalidInput(
                    _("Set a deadline in the future before opening this phase."),
                    code="deadline_passed",
                )
    return _move(actor, challenge, fresh, PhaseStatus.OPEN, "phase.open", deadline=fresh.deadline)


@transaction.atomic
def phase_close(*, actor: Any, phase: Phase) -> Phase:
    """Open → closed, never before the deadline (proposals may arrive until the last second)."""
    challenge, fresh = lock_phase(phase)
    require_lead_buyer(actor, challenge)
    require_published(challenge)
    if (
        fresh.status == PhaseStatus.OPEN
        and fresh.deadline is not None
        and timezone.now() < fresh.deadline
    ):
        raise InvalidTransition(
            _("The deadline is %(deadline)s: the phase can be closed only after it.")
            % {"deadline": _when(fresh.deadline)},
            code="before_deadline",
        )
    return _move(actor, challenge, fresh, PhaseStatus.CLOSED, "phase.close")


@transaction.atomic
def phase_start_evaluation(*, actor: Any, phase: Phase) -> Phase:
    """Closed → evaluating; submitted proposals must have been opened first (Annex IV)."""
    challenge, fresh = lock_phase(phase)
    require_lead_buyer(actor, challenge)
    require_published(challenge)
    if (
        fresh.status == PhaseStatus.CLOSED
        and fresh.proposals_opened_at is None
        and Proposal.objects.filter(phase=fresh, status=ProposalStatus.SUBMITTED).exists()
    ):
        raise InvalidTransition(
            _("Open the submitted proposals before the evaluation starts."),
            code="proposals_not_opened",
        )
    return _move(actor, challenge, fresh, PhaseStatus.EVALUATING, "phase.start_evaluation")


@transaction.atomic
def phase_decide(*, actor: Any, phase: Phase, summary: str = "") -> Phase:
    """Evaluating → decided, when the phase's results are published.

    Called by the evaluation app inside its own transaction (``atomic`` nests), with the
    lead buyer who publishes the results as ``actor``. ``summary`` is a public one-line
    account of the decision (e.g. "3 companies go on to the pilot"); never name companies
    that were not selected in it.
    """
    challenge, fresh = lock_phase(phase)
    require_lead_buyer(actor, challenge)
    require_published(challenge)
    text = (summary or "").strip()
    if len(text) > 1000:
        raise InvalidInput(_("Keep the summary under 1000 characters."))
    return _move(actor, challenge, fresh, PhaseStatus.DECIDED, "phase.decide", summary=text)


@transaction.atomic
def phase_change_deadline(
    *, actor: Any, phase: Phase, deadline: dt.datetime, reason: str = ""
) -> Phase:
    """Move a phase's deadline (Directive 2014/24/EU, Annex IV (c)).

    Only the lead authority's buyers may, only while the current deadline is ahead, never to
    a moment already past, and only later once any proposal has been submitted. The change
    is audited with the deadline before and after, and shows in the public history.
    """
    challenge, fresh = lock_phase(phase)
    require_lead_buyer(actor, challenge)
    if challenge.status not in {ChallengeStatus.DRAFT, ChallengeStatus.PUBLISHED}:
        raise InvalidTransition(
            _("This challenge is %(status)s: its deadlines can no longer change.")
            % {"status": challenge.get_status_display().lower()},
            code="challenge_closed",
        )
    if fresh.status not in {PhaseStatus.PLANNED, PhaseStatus.OPEN}:
        raise InvalidTransition(
            _("This phase is %(status)s: its deadline can no longer change.")
            % {"status": fresh.get_status_display().lower()},
            code="phase_closed",
        )
    now = timezone.now()
    old = fresh.deadline
    if old is not None and now >= old:
        raise InvalidTransition(
            _("The deadline has passed: it can no longer be changed."), code="deadline_passed"
        )
    errors: dict[str, list[str]] = {}
    if not isinstance(deadline, dt.datetime) or timezone.is_naive(deadline):
        raise InvalidInput(
            _("Enter a date and time."), field_errors={"deadline": [_("Enter a date and time.")]}
        )
    if deadline <= now:
        errors.setdefault("deadline", []).append(_("The new deadline must be in the future."))
    text = clean_text(reason, field="reason", errors=errors, max_length=2000)
    raise_if(errors)
    if (
        old is not None
        and deadline < old
        and Proposal.objects.filter(phase=fresh, status=ProposalStatus.SUBMITTED).exists()
    ):
        message = _(
            "Proposals have already been submitted: the deadline can only be extended, "
            "not brought forward."
        )
        raise InvalidInput(message, field_errors={"deadline": [message]}, code="extend_only")
    check_phase_dates(fresh.opens_at, deadline, fresh.ends_at, errors)
    if errors:
        # Name the field the buyer is changing: the deadline.
        raise InvalidInput(
            next(iter(errors.values()))[0],
            field_errors={"deadline": [m for messages in errors.values() for m in messages]},
        )
    if old == deadline:
        raise InvalidInput(
            _("This is already the deadline."),
            field_errors={"deadline": [_("This is already the deadline.")]},
        )
    fresh.deadline = deadline
    fresh.version += 1
    fresh.save()
    audit_phase(
        actor,
        "phase.change_deadline",
        challenge,
        fresh,
        before={"deadline": old},
        after={"deadline": deadline, "reason": text},
    )
    return fresh


__all__ = [
    "phase_add",
    "phase_change_deadline",
    "phase_close",
    "phase_decide",
    "phase_move",
    "phase_open",
    "phase_remove",
    "phase_start_evaluation",
    "phase_update",
]
