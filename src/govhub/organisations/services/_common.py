from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from govhub.core.errors import InvalidInput, NotAllowed

from .. import permissions
from ..models import Membership, Organisation


def require_signed_in(actor: Any) -> None:
    if not permissions.is_signed_in(actor):
        raise NotAllowed(_("You need to sign in first."))


def require_admin(actor: Any, org: Organisation) -> Membership:
    require_signed_in(actor)
    membership = permissions.membership_of(actor, org)
    if membership is None or not membership.is_admin:
        raise NotAllowed(_("Only the organisation’s administrators can do this."))
    return membership


def lock_organisation(org: Organisation) -> Organisation:
    """A fresh, row-locked copy: membership changes of one organisation run one at a time,
    so two admins cannot both remove the other and leave the organisation without admins.
    The caller's instance is left alone, so a refused change leaves nothing half-applied."""
    return Organisation.objects.select_for_update().get(pk=org.pk)


def admin_count(org: Organisation) -> int:
    return Membership.objects.filter(organisation=org, is_admin=True).count()


def check_authority_roles(
    org: Organisation, *, is_buyer: bool, is_evaluator: bool, newly_granted: bool = True
) -> None:
    """Buyer and evaluator only exist in public authorities, and only verified ones grant them."""
    if not (is_buyer or is_evaluator):
        return
    if not org.is_authority:
        raise InvalidInput(
            _("Only public authorities have buyers and evaluators."),
            field_errors={"roles": [_("Only public authorities have buyers and evaluators.")]},
        )
    if newly_granted and not permissions.can_grant_authority_roles(org):
        raise NotAllowed(
            _(
                "Buyer and evaluator roles can only be given once a moderator has verified "
                "the authority."
            ),
            code="authority_not_verified",
        )


def roles_of(obj: Any) -> list[str]:
    return list(obj.roles)


def user_ref(user: Any) -> str:
    # Audit events outlive erasure of a person's data, so they name people by public UUID.
    return str(user.public_id)
