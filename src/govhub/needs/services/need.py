from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from govhub.core.lifecycle import transition
from govhub.organisations import permissions as org_permissions
from govhub.organisations.models import Organisation
from govhub.reference.models import CodelistEntry, CpvCode, NutsRegion

from .. import permissions
from ..models import NEED_TRANSITIONS, InnovationNeed, NeedStatus
from ..rules import content_of, need_facts, validate

_LIFECYCLE_FIELDS = (
    "status",
    "published_at",
    "withdrawn_at",
    "converted_at",
    "withdrawal_reason",
    "version",
    "updated_at",
)


class _Unset:
    """Marks an argument of need_update the caller did not pass."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


def _stale() -> Conflict:
    return Conflict(
        _(
            "Someone else changed this need since you opened it. Your changes have not been "
            "saved: check the need as it is now, then make your changes again."
        ),
        code="stale_version",
    )


def _require_manager(actor: Any, authority: Organisation) -> None:
    if not org_permissions.is_signed_in(actor):
        raise NotAllowed(_("You need to sign in first."))
    if not permissions.can_manage_needs_for(actor, authority):
        raise NotAllowed(
            _("Only buyers of a verified public authority can manage its innovation needs."),
            code="not_a_buyer",
        )


def _lock(need: InnovationNeed) -> InnovationNeed:
    """A fresh, row-locked copy: the caller's instance is only updated once all went well."""
    return (
        InnovationNeed.objects.select_for_update(of=("self",))
        .select_related("authority")
        .get(pk=need.pk)
    )


def _check_version(need: InnovationNeed, version: int | None) -> None:
    if version is not None and int(version) != need.version:
        raise _stale()


def _copy_back(source: InnovationNeed, target: InnovationNeed, fields: Iterable[str]) -> None:
    if source is target:
        return
    for name in fields:
        setattr(target, name, getattr(source, name))


@transaction.atomic
def need_create(
    *,
    actor: Any,
    authority: Organisation,
    title: str,
    problem: str = "",
    affected: str = "",
    expected_outcomes: str = "",
    outcome_measures: str = "",
    cpv_codes: Iterable[CpvCode] = (),
    nuts_region: NutsRegion | None = None,
    currency: str | CodelistEntry = "EUR",
    budget_min: Decimal | int | str | None = None,
    budget_max: Decimal | int | str | None = None,
    timeline: str = "",
    expected_start: dt.date | None = None,
    constraints_data: str = "",
    constraints_interoperability: str = "",
    constraints_accessibility: str = "",
    constraints_security: str = "",
    open_to_pooling: bool = True,
) -> InnovationNeed:
    """Draft a need for the authority. Drafts may be incomplete; publishing checks the rest."""
    _require_manager(actor, authority)
    values = validate(
        {
            "title": title,
            "problem": problem,
            "affected": affected,
            "expected_outcomes": expected_outcomes,
            "outcome_measures": outcome_measures,
            "cpv_codes": cpv_codes,
            "nuts_region": nuts_region,
            "currency": currency,
            "budget_min": budget_min,
            "budget_max": budget_max,
            "timeline": timeline,
            "expected_start": expected_start,
            "constraints_data": constraints_data,
            "constraints_interoperability": constraints_interoperability,
            "constraints_accessibility": constraints_accessibility,
            "constraints_security": constraints_security,
            "open_to_pooling": open_to_pooling,
        },
        for_publication=False,
    )
    cpv = values.pop("cpv_codes")
    need = InnovationNeed.objects.create(authority=authority, created_by=actor, **values)
    if cpv:
        need.cpv_codes.set(cpv)
    audit_record(
        actor=actor,
        action="need.create",
        obj=need,
        organisation_id=authority.public_id,
        after={**need_facts(need, cpv), "status": need.status},
    )
    return need


@transaction.atomic
def need_update(
    *,
    actor: Any,
    need: InnovationNeed,
    version: int,
    title: Any = UNSET,
    problem: Any = UNSET,
    affected: Any = UNSET,
    expected_outcomes: Any = UNSET,
    outcome_measures: Any = UNSET,
    cpv_codes: Any = UNSET,
    nuts_region: Any = UNSET,
    currency: Any = UNSET,
    budget_min: Any = UNSET,
    budget_max: Any = UNSET,
    timeline: Any = UNSET,
    expected_start: Any = UNSET,
    constraints_data: Any = UNSET,
    constraints_interoperability: Any = UNSET,
    constraints_accessibility: Any = UNSET,
    constraints_security: Any = UNSET,
    open_to_pooling: Any = UNSET,
) -> InnovationNeed:
    """Change a draft or published need. ``version`` is the one the editor started from: if
    anyone saved in between, the change is refused (Conflict) rather than overwriting theirs.
    A published need stays publishable; the audit event keeps each changed field's before
    and after, since others may have relied on what was published."""
    locked = _lock(need)
    _require_manager(actor, locked.authority)
    if locked.status not in (NeedStatus.DRAFT, NeedStatus.PUBLISHED):
        raise InvalidTransition(
            _("A need that is “%(status)s” can no longer be changed.")
            % {"status": locked.get_status_display()},
            current=locked.status,
        )
    _check_version(locked, version)
    given = {
        "title": title,
        "problem": problem,
        "affected": affected,
        "expected_outcomes": expected_outcomes,
        "outcome_measures": outcome_measures,
        "cpv_codes": cpv_codes,
        "nuts_region": nuts_region,
        "currency": currency,
        "budget_min": budget_min,
        "budget_max": budget_max,
        "timeline": timeline,
        "expected_start": expected_start,
        "constraints_data": constraints_data,
        "constraints_interoperability": constraints_interoperability,
        "constraints_accessibility": constraints_accessibility,
        "constraints_security": constraints_security,
        "open_to_pooling": open_to_pooling,
    }
    old_cpv = list(locked.cpv_codes.all())
    current = content_of(locked, old_cpv)
    current.update({key: value for key, value in given.items() if value is not UNSET})
    values = validate(current, for_publication=locked.status == NeedStatus.PUBLISHED)
    before = need_facts(locked, old_cpv)
    new_cpv = values.pop("cpv_codes")
    for key, value in values.items():
        setattr(locked, key, value)
    after = need_facts(locked, new_cpv)
    changed = sorted(key for key in after if after[key] != before[key])
    if not changed:
        return need
    locked.version += 1
    locked.save()
    if "cpv_codes" in changed:
        locked.cpv_codes.set(new_cpv)
    audit_record(
        actor=actor,
        action="need.update",
        obj=locked,
        organisation_id=locked.authority.public_id,
        before={"status": locked.status, **{key: before[key] for key in changed}},
        after={"status": locked.status, **{key: after[key] for key in changed}},
    )
    _copy_back(locked, need, (*values, *_LIFECYCLE_FIELDS))
    return need


@transaction.atomic
def need_publish(*, actor: Any, need: InnovationNeed, version: int | None = None) -> InnovationNeed:
    """Publish a draft: it appears on the authority's innovation plan and in the public list.

    Only a verified authority publishes. ``version``, when given, is the one the buyer
    reviewed: a need changed since then is not published unseen.
    """
    locked = _lock(need)
    _require_manager(actor, locked.authority)
    _check_version(locked, version)
    transition(locked, to=NeedStatus.PUBLISHED, allowed=NEED_TRANSITIONS, label=_("The need"))
    cpv = list(locked.cpv_codes.all())
    validate(content_of(locked, cpv), for_publication=True)
    locked.version += 1
    locked.save(update_fields=["status", "published_at", "version", "updated_at"])
    audit_record(
        actor=actor,
        action="need.publish",
        obj=locked,
        organisation_id=locked.authority.public_id,
        before={"status": NeedStatus.DRAFT},
        after={**need_facts(locked, cpv), "status": locked.status},
    )
    _copy_back(locked, need, _LIFECYCLE_FIELDS)
    return need


@transaction.atomic
def need_withdraw(
    *, actor: Any, need: InnovationNeed, reason: str = "", version: int | None = None
) -> InnovationNeed:
    """Withdraw a draft or a published need. A published one needs a reason: it was public,
    and the reason stays public with it."""
    locked = _lock(need)
    _require_manager(actor, locked.authority)
    _check_version(locked, version)
    previous = transition(
        locked, to=NeedStatus.WITHDRAWN, allowed=NEED_TRANSITIONS, label=_("The need")
    )
    reason = (reason or "").strip()
    if previous == NeedStatus.PUBLISHED and not reason:
        message = _("Give the reason for withdrawing the need: it is shown with the need")
        raise InvalidInput(message, field_errors={"reason": [message]})
    locked.withdrawal_reason = reason
    locked.version += 1
    locked.save(
        update_fields=["status", "withdrawn_at", "withdrawal_reason", "version", "updated_at"]
    )
    audit_record(
        actor=actor,
        action="need.withdraw",
        obj=locked,
        organisation_id=locked.authority.public_id,
        before={"status": previous},
        after={"status": locked.status, "reason": reason},
    )
    _copy_back(locked, need, _LIFECYCLE_FIELDS)
    return need


def mark_converted(need: InnovationNeed) -> InnovationNeed:
    """Record that a published need has been turned into a challenge.

    Internal: only ``challenges.services.challenge_create_from_need`` calls it, inside its
    own transaction, after checking the actor's rights; that service writes the audit event
    (one event for the whole step). Raises InvalidTransition unless the need is published.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("mark_converted() must run inside the calling service's transaction")
    locked = _lock(need)
    transition(locked, to=NeedStatus.CONVERTED, allowed=NEED_TRANSITIONS, label=_("The need"))
    locked.version += 1
    locked.save(update_fields=["status", "converted_at", "version", "updated_at"])
    _copy_back(locked, need, _LIFECYCLE_FIELDS)
    return need
