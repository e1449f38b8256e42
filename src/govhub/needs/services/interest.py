from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from govhub.core.lifecycle import transition
from govhub.organisations import permissions as org_permissions
from govhub.organisations.models import Organisation

from .. import permissions
from ..models import (
    INTEREST_TRANSITIONS,
    InnovationNeed,
    InterestStatus,
    NeedInterest,
    NeedStatus,
)
from ..rules import clean_amount


def interest_facts(interest: NeedInterest) -> dict[str, Any]:
    return {
        "need": str(interest.need.public_id),
        "authority": str(interest.authority.public_id),
        "status": interest.status,
        "quantity": interest.quantity,
        "budget_share": None if interest.budget_share is None else str(interest.budget_share),
        "note": interest.note,
    }


def _validate(quantity: str, budget_share: Any, note: str) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    quantity = (quantity or "").strip()
    if len(quantity) > 200:
        errors.setdefault("quantity", []).append(_("Enter a quantity of 200 characters or fewer"))
    share = clean_amount(budget_share, "budget_share", errors)
    if not errors and not quantity and share is None:
        message = _("Say how much your authority would buy: a quantity, a budget share or both")
        errors["quantity"] = [message]
    if errors:
        raise InvalidInput(
            " ".join(messages[0] for messages in errors.values()), field_errors=errors
        )
    return {"quantity": quantity, "budget_share": share, "note": (note or "").strip()}


@transaction.atomic
def need_express_interest(
    *,
    actor: Any,
    need: InnovationNeed,
    authority: Organisation,
    quantity: str = "",
    budget_share: Decimal | int | str | None = None,
    note: str = "",
) -> NeedInterest:
    """A buyer of another verified authority says it wants to buy the same thing, and how
    much: the start of a joint challenge. One active interest per authority and need."""
    # Locking the need queues interest in it behind any change of its status.
    locked = (
        InnovationNeed.objects.select_for_update(of=("self",))
        .select_related("authority")
        .get(pk=need.pk)
    )
    if not org_permissions.is_signed_in(actor):
        raise NotAllowed(_("You need to sign in first."))
    if authority.pk == locked.authority_id:
        raise NotAllowed(
            _("This is your own authority’s need: other authorities express interest in it."),
            code="own_need",
        )
    if not org_permissions.can_publish_for(actor, authority):
        raise NotAllowed(
            _("Only buyers of a verified public authority can express interest for it."),
            code="not_a_buyer",
        )
    if locked.status != NeedStatus.PUBLISHED:
        raise InvalidTransition(
            _("Interest can only be expressed in a published need; this one is “%(status)s”.")
            % {"status": locked.get_status_display()},
            current=locked.status,
        )
    if not locked.open_to_pooling:
        raise NotAllowed(
            _("This need is not open to pooling with other authorities."),
            code="not_open_to_pooling",
        )
    values = _validate(quantity, budget_share, note)
    interest = (
        NeedInterest.objects.select_for_update().filter(need=locked, authority=authority).first()
    )
    before = None
    if interest is None:
        interest = NeedInterest(need=locked, authority=authority)
    elif interest.status == InterestStatus.ACTIVE:
        raise Conflict(
            _("%(authority)s has already expressed interest in this need.")
            % {"authority": authority.name},
            code="already_interested",
        )
    else:
        interest.need = locked
        before = interest_facts(interest)
        transition(
            interest,
            to=InterestStatus.ACTIVE,
            allowed=INTEREST_TRANSITIONS,
            label=_("The interest"),
        )
        interest.withdrawn_at = None
    interest.expressed_by = actor
    for key, value in values.items():
        setattr(interest, key, value)
    interest.save()
    audit_record(
        actor=actor,
        action="need.interest_express",
        obj=interest,
        object_label=f"{authority.name} → {locked.title}",
        organisation_id=authority.public_id,
        before=before,
        after=interest_facts(interest),
    )
    return interest


@transaction.atomic
def need_withdraw_interest(*, actor: Any, interest: NeedInterest) -> NeedInterest:
    """A buyer of the interested authority takes its interest back, while the need is still
    published (once it became a challenge, the authority's part is the challenge's)."""
    locked = (
        NeedInterest.objects.select_for_update(of=("self",))
        .select_related("need", "authority")
        .get(pk=interest.pk)
    )
    if not permissions.can_withdraw_interest(actor, locked):
        raise NotAllowed(
            _("Only buyers of the interested authority can withdraw its interest."),
            code="not_a_buyer",
        )
    if locked.need.status != NeedStatus.PUBLISHED:
        raise InvalidTransition(
            _("The need is “%(status)s”: its interested authorities can no longer change.")
            % {"status": locked.need.get_status_display()},
            current=locked.need.status,
        )
    before = interest_facts(locked)
    transition(
        locked, to=InterestStatus.WITHDRAWN, allowed=INTEREST_TRANSITIONS, label=_("The interest")
    )
    locked.save(update_fields=["status", "withdrawn_at", "updated_at"])
    audit_record(
        actor=actor,
        action="need.interest_withdraw",
        obj=locked,
        object_label=f"{locked.authority.name} → {locked.need.title}",
        organisation_id=locked.authority.public_id,
        before=before,
        after=interest_facts(locked),
    )
    if locked is not interest:
        for name in ("status", "withdrawn_at", "updated_at"):
            setattr(interest, name, getattr(locked, name))
    return interest
