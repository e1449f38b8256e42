from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed, NotFound

from ..models import JoinRequest, JoinRequestStatus, Membership, Organisation
from ._common import (
    admin_count,
    check_authority_roles,
    lock_organisation,
    require_admin,
    require_signed_in,
    roles_of,
    user_ref,
)

_MESSAGE_MAX = 2000


def _membership_facts(membership: Membership) -> dict[str, Any]:
    return {"user": user_ref(membership.user), "roles": roles_of(membership)}


def _membership_label(org: Organisation) -> str:
    # Not str(membership): that names the person, and the audit log is permanent.
    return _("Membership of %(organisation)s") % {"organisation": org.name}


def _locked_membership(membership: Membership, org: Organisation) -> Membership:
    fresh = (
        Membership.objects.select_for_update()
        .select_related("user")
        .filter(pk=membership.pk, organisation=org)
        .first()
    )
    if fresh is None:
        raise NotFound(_("This person is no longer a member."))
    fresh.organisation = org
    return fresh


@transaction.atomic
def membership_set_roles(
    *,
    actor: Any,
    membership: Membership,
    is_admin: bool,
    is_buyer: bool = False,
    is_evaluator: bool = False,
) -> Membership:
    """Admins give or take roles. Nobody changes their own roles, so no member can promote
    themself and an admin cannot demote the last admin (themself)."""
    org = lock_organisation(membership.organisation)
    require_admin(actor, org)
    target = _locked_membership(membership, org)
    if target.user_id == actor.pk:
        raise NotAllowed(_("You cannot change your own roles. Ask another administrator."))
    granting_buyer = is_buyer and not target.is_buyer
    granting_evaluator = is_evaluator and not target.is_evaluator
    # A suspended authority keeps the roles it has but cannot hand out new ones.
    check_authority_roles(org, is_buyer=is_buyer, is_evaluator=is_evaluator, newly_granted=False)
    check_authority_roles(org, is_buyer=granting_buyer, is_evaluator=granting_evaluator)
    before = _membership_facts(target)
    target.is_admin = is_admin
    target.is_buyer = is_buyer
    target.is_evaluator = is_evaluator
    after = _membership_facts(target)
    if after == before:
        return target
    target.save(update_fields=["is_admin", "is_buyer", "is_evaluator", "updated_at"])
    if admin_count(org) < 1:
        raise Conflict(_("An organisation needs at least one administrator."), code="last_admin")
    audit_record(
        actor=actor,
        action="membership.set_roles",
        obj=target,
        object_label=_membership_label(org),
        organisation_id=org.public_id,
        before=before,
        after=after,
    )
    return target


@transaction.atomic
def membership_remove(*, actor: Any, membership: Membership) -> None:
    """Admins remove another member (leaving is `membership_leave`)."""
    org = lock_organisation(membership.organisation)
    require_admin(actor, org)
    target = _locked_membership(membership, org)
    if target.user_id == actor.pk:
        raise NotAllowed(_("To leave the organisation yourself, use “Leave organisation”."))
    before = _membership_facts(target)
    public_id = target.public_id
    target.delete()
    if admin_count(org) < 1:
        raise Conflict(_("An organisation needs at least one administrator."), code="last_admin")
    audit_record(
        actor=actor,
        action="membership.remove",
        object_type=Membership._meta.label_lower,
        object_id=str(public_id),
        object_label=_membership_label(org),
        organisation_id=org.public_id,
        before=before,
    )


@transaction.atomic
def membership_leave(*, actor: Any, organisation: Organisation) -> None:
    require_signed_in(actor)
    org = lock_organisation(organisation)
    target = Membership.objects.select_for_update().filter(organisation=org, user=actor).first()
    if target is None:
        raise NotFound(_("You are not a member of this organisation."))
    if target.is_admin and admin_count(org) <= 1:
        raise Conflict(
            _(
                "You are the only administrator. Make another member an administrator "
                "before you leave."
            ),
            code="last_admin",
        )
    before = _membership_facts(target)
    public_id = target.public_id
    target.delete()
    audit_record(
        actor=actor,
        action="membership.leave",
        object_type=Membership._meta.label_lower,
        object_id=str(public_id),
        object_label=_membership_label(org),
        organisation_id=org.public_id,
        before=before,
    )


def _request_facts(request: JoinRequest) -> dict[str, Any]:
    return {"status": request.status, "user": user_ref(request.user)}


@transaction.atomic
def join_request_create(
    *, actor: Any, organisation: Organisation, message: str = ""
) -> JoinRequest:
    """A signed-in person asks to join; nothing is granted until an admin approves."""
    require_signed_in(actor)
    org = lock_organisation(organisation)
    message = (message or "").strip()
    if len(message) > _MESSAGE_MAX:
        raise InvalidInput(
            _("Keep the message under %(n)s characters.") % {"n": _MESSAGE_MAX},
            field_errors={"message": [_("The message is too long.")]},
        )
    if Membership.objects.filter(organisation=org, user=actor).exists():
        raise Conflict(_("You are already a member of this organisation."), code="already_member")
    if JoinRequest.objects.filter(
        organisation=org, user=actor, status=JoinRequestStatus.PENDING
    ).exists():
        raise Conflict(
            _("You have already asked to join. An administrator will answer."),
            code="already_requested",
        )
    request = JoinRequest.objects.create(organisation=org, user=actor, message=message)
    audit_record(
        actor=actor,
        action="join_request.create",
        obj=request,
        object_label=_("Request to join %(organisation)s") % {"organisation": org.name},
        organisation_id=org.public_id,
        after=_request_facts(request),
    )
    return request


def _locked_pending_request(
    join_request: JoinRequest, actor: Any
) -> tuple[Organisation, JoinRequest]:
    org = lock_organisation(join_request.organisation)
    require_admin(actor, org)
    fresh = JoinRequest.objects.select_for_update().select_related("user").get(pk=join_request.pk)
    if fresh.status != JoinRequestStatus.PENDING:
        raise InvalidTransition(_("This request has already been answered."), current=fresh.status)
    fresh.organisation = org
    return org, fresh


@transaction.atomic
def join_request_approve(*, actor: Any, join_request: JoinRequest) -> Membership:
    """Admins let the person in, as a plain member: roles are given afterwards, on purpose."""
    org, request = _locked_pending_request(join_request, actor)
    if Membership.objects.filter(organisation=org, user=request.user).exists():
        raise Conflict(_("This person is already a member."), code="already_member")
    membership = Membership.objects.create(organisation=org, user=request.user)
    before = _request_facts(request)
    request.status = JoinRequestStatus.APPROVED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(
        actor=actor,
        action="join_request.approve",
        obj=request,
        object_label=_("Request to join %(organisation)s") % {"organisation": org.name},
        organisation_id=org.public_id,
        before=before,
        after={**_request_facts(request), "membership": str(membership.public_id)},
    )
    return membership


@transaction.atomic
def join_request_reject(*, actor: Any, join_request: JoinRequest, reason: str = "") -> JoinRequest:
    org, request = _locked_pending_request(join_request, actor)
    before = _request_facts(request)
    request.status = JoinRequestStatus.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.reason = (reason or "").strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
    audit_record(
        actor=actor,
        action="join_request.reject",
        obj=request,
        object_label=_("Request to join %(organisation)s") % {"organisation": org.name},
        organisation_id=org.public_id,
        before=before,
        after={**_request_facts(request), "reason": request.reason},
    )
    return request
