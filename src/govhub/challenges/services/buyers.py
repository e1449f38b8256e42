"""Co-buyers: other verified authorities buying through the same challenge (joint challenge)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidInput, NotAllowed
from govhub.organisations.models import Organisation

from ..models import Challenge, ChallengeBuyer
from ._common import (
    clean_amount,
    lock_challenge,
    raise_if,
    require_draft,
    require_lead_buyer,
    require_verified_authority,
)


def _facts(buyer: ChallengeBuyer) -> dict[str, Any]:
    return {
        "authority": str(buyer.authority.public_id),
        "authority_name": buyer.authority.name,
        "is_lead": buyer.is_lead,
        "quantity": buyer.quantity,
        "budget_share": buyer.budget_share,
    }


def _clean_share(quantity: str, budget_share: Any) -> tuple[str, Decimal | None]:
    errors: dict[str, list[str]] = {}
    text = (quantity or "").strip()
    if len(text) > 200:
        errors.setdefault("quantity", []).append(_("Enter no more than 200 characters."))
    share = clean_amount(
        budget_share, field="budget_share", errors=errors, label=_("the budget share")
    )
    raise_if(errors)
    return text, share


@transaction.atomic
def cobuyer_add(
    *,
    actor: Any,
    challenge: Challenge,
    authority: Organisation,
    quantity: str = "",
    budget_share: Decimal | None = None,
) -> ChallengeBuyer:
    """Add a verified authority as a co-buyer of a draft, with its quantity and budget share."""
    fresh = lock_challenge(challenge)
    require_lead_buyer(actor, fresh)
    require_draft(fresh)
    require_verified_authority(authority, field="authority")
    if ChallengeBuyer.objects.filter(challenge=fresh, authority=authority).exists():
        message = _("%(name)s already buys through this challenge.") % {"name": authority.name}
        raise InvalidInput(message, field_errors={"authority": [message]})
    text, share = _clean_share(quantity, budget_share)
    buyer = ChallengeBuyer.objects.create(
        challenge=fresh, authority=authority, quantity=text, budget_share=share
    )
    audit_record(
        actor=actor,
        action="challenge.cobuyer_add",
        obj=fresh,
        organisation_id=fresh.lead_authority.public_id,
        after=_facts(buyer),
    )
    return buyer


@transaction.atomic
def cobuyer_update(
    *, actor: Any, buyer: ChallengeBuyer, quantity: str = "", budget_share: Decimal | None = None
) -> ChallengeBuyer:
    """Change a buyer's quantity and budget share (the lead's own too) while the draft lasts."""
    fresh = lock_challenge(buyer.challenge)
    require_lead_buyer(actor, fresh)
    require_draft(fresh)
    row = ChallengeBuyer.objects.select_related("authority").filter(pk=buyer.pk).first()
    if row is None:
        raise Conflict(_("This buyer has been removed from the challenge since you opened it."))
    before = _facts(row)
    row.quantity, row.budget_share = _clean_share(quantity, budget_share)
    row.save()
    audit_record(
        actor=actor,
        action="challenge.cobuyer_update",
        obj=fresh,
        organisation_id=fresh.lead_authority.public_id,
        before=before,
        after=_facts(row),
    )
    return row


@transaction.atomic
def cobuyer_remove(*, actor: Any, buyer: ChallengeBuyer) -> None:
    fresh = lock_challenge(buyer.challenge)
    require_lead_buyer(actor, fresh)
    require_draft(fresh)
    row = ChallengeBuyer.objects.select_related("authority").filter(pk=buyer.pk).first()
    if row is None:
        raise Conflict(_("This buyer has already been removed from the challenge."))
    if row.is_lead:
        raise NotAllowed(_("The lead authority cannot be removed from its own challenge."))
    before = _facts(row)
    row.delete()
    audit_record(
        actor=actor,
        action="challenge.cobuyer_remove",
        obj=fresh,
        organisation_id=fresh.lead_authority.public_id,
        before=before,
    )
