from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed, NotFound

from ..models import (
    Invitation,
    InvitationStatus,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Organisation,
)
from ._common import (
    check_authority_roles,
    lock_organisation,
    require_admin,
    require_signed_in,
    user_ref,
)

log = logging.getLogger(__name__)

INVITATION_TTL = dt.timedelta(days=14)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _accept_url(token: str, site_url: str) -> str:
    base = (site_url or getattr(settings, "GOVHUB_SITE_URL", "") or "").rstrip("/")
    return base + reverse("organisations:invitation_accept", kwargs={"token": token})


def _send_invitation(invitation: Invitation, token: str, site_url: str, inviter: Any) -> None:
    context = {
        "organisation": invitation.organisation,
        "inviter": inviter,
        "roles": invitation.get_roles_display(),
        "accept_url": _accept_url(token, site_url),
        "expires_at": invitation.expires_at,
    }
    subject = render_to_string("organisations/email/invitation_subject.txt", context)
    body = render_to_string("organisations/email/invitation_body.txt", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    try:
        send_mail(
            prefix + " ".join(subject.split()),
            body,
            settings.DEFAULT_FROM_EMAIL,
            [invitation.email],
        )
    except OSError:
        # The invitation is saved; the admin can send it again (which refreshes the link).
        log.exception("could not send invitation %s", invitation.public_id)


def _invitation_facts(invitation: Invitation) -> dict[str, Any]:
    # No email address: the audit log is permanent and must not keep personal data.
    return {
        "status": invitation.status,
        "roles": list(invitation.roles),
        "expires_at": invitation.expires_at,
    }


def _label(invitation: Invitation) -> str:
    return _("Invitation to %(organisation)s") % {"organisation": invitation.organisation.name}


@transaction.atomic
def invitation_create(
    *,
    actor: Any,
    organisation: Organisation,
    email: str,
    is_admin: bool = False,
    is_buyer: bool = False,
    is_evaluator: bool = False,
    site_url: str = "",
) -> tuple[Invitation, str]:
    """Invite an email address (admins). Returns the invitation and its one-time token.

    Only the token's SHA-256 is stored; the token itself travels only in the email, which
    is sent once the transaction commits. Inviting an address that already has a pending
    invitation replaces its token, roles and expiry.
    """
    org = lock_organisation(organisation)
    require_admin(actor, org)
    email = _normalise_email(email)
    if not email or "@" not in email:
        raise InvalidInput(
            _("Enter an email address."), field_errors={"email": [_("Enter an email address.")]}
        )
    check_authority_roles(org, is_buyer=is_buyer, is_evaluator=is_evaluator)
    if Membership.objects.filter(organisation=org, user__email__iexact=email).exists():
        raise Conflict(
            _("This person is already a member."),
            code="already_member",
        )
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = (
        Invitation.objects.select_for_update()
        .filter(organisation=org, email=email, status=InvitationStatus.PENDING)
        .first()
    )
    before = _invitation_facts(invitation) if invitation else None
    if invitation is None:
        invitation = Invitation(organisation=org, email=email)
    invitation.organisation = org
    invitation.is_admin = is_admin
    invitation.is_buyer = is_buyer
    invitation.is_evaluator = is_evaluator
    invitation.token_hash = hash_token(token)
    invitation.invited_by = actor
    invitation.expires_at = now + INVITATION_TTL
    invitation.save()
    audit_record(
        actor=actor,
        action="invitation.refresh" if before else "invitation.create",
        obj=invitation,
        object_label=_label(invitation),
        organisation_id=org.public_id,
        before=before,
        after=_invitation_facts(invitation),
    )
    transaction.on_commit(lambda: _send_invitation(invitation, token, site_url, actor))
    return invitation, token


def _pending_for(token: str) -> Invitation:
    found = Invitation.objects.filter(token_hash=hash_token(token or "")).first()
    if found is None:
        raise NotFound(_("This invitation link is not valid."))
    # Organisation first, then invitation: the same lock order as the admins' services.
    org = lock_organisation(found.organisation)
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    invitation.organisation = org
    if invitation.status != InvitationStatus.PENDING:
        raise InvalidTransition(
            _("This invitation has already been %(status)s.")
            % {"status": invitation.get_status_display().lower()},
            current=invitation.status,
        )
    if invitation.expires_at <= timezone.now():
        raise Conflict(
            _("This invitation has expired. Ask the organisation to invite you again."),
            code="expired",
        )
    return invitation


def _require_invitee(actor: Any, invitation: Invitation) -> None:
    require_signed_in(actor)
    verified = EmailAddress.objects.filter(
        user=actor, email__iexact=invitation.email, verified=True
    ).exists()
    if not verified:
        raise NotAllowed(
            _(
                "This invitation was sent to another email address. Sign in with the "
                "address it was sent to, or add and confirm that address in your account."
            ),
            code="wrong_email",
        )


@transaction.atomic
def invitation_accept(*, actor: Any, token: str) -> Membership:
    """The invited person joins with the invited roles.

    They must be signed in with the invited address confirmed: holding the link is not
    enough, since links get forwarded.
    """
    invitation = _pending_for(token)
    _require_invitee(actor, invitation)
    org = invitation.organisation
    if Membership.objects.filter(organisation=org, user=actor).exists():
        raise Conflict(_("You are already a member of this organisation."), code="already_member")
    # The roles were checked when the invitation was made; an authority cannot have become
    # unverified since (the lifecycle never goes back), and suspension keeps roles anyway.
    check_authority_roles(
        org,
        is_buyer=invitation.is_buyer,
        is_evaluator=invitation.is_evaluator,
        newly_granted=False,
    )
    membership = Membership.objects.create(
        organisation=org,
        user=actor,
        is_admin=invitation.is_admin,
        is_buyer=invitation.is_buyer,
        is_evaluator=invitation.is_evaluator,
    )
    before = _invitation_facts(invitation)
    invitation.status = InvitationStatus.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_at", "updated_at"])
    # A request to join made meanwhile is answered by the invitation.
    JoinRequest.objects.filter(
        organisation=org, user=actor, status=JoinRequestStatus.PENDING
    ).update(status=JoinRequestStatus.APPROVED, decided_at=timezone.now())
    audit_record(
        actor=actor,
        action="invitation.accept",
        obj=invitation,
        object_label=_label(invitation),
        organisation_id=org.public_id,
        before=before,
        after={
            **_invitation_facts(invitation),
            "membership": str(membership.public_id),
            "user": user_ref(actor),
        },
    )
    return membership


@transaction.atomic
def invitation_decline(*, actor: Any, token: str) -> Invitation:
    invitation = _pending_for(token)
    _require_invitee(actor, invitation)
    before = _invitation_facts(invitation)
    invitation.status = InvitationStatus.DECLINED
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["status", "declined_at", "updated_at"])
    audit_record(
        actor=actor,
        action="invitation.decline",
        obj=invitation,
        object_label=_label(invitation),
        organisation_id=invitation.organisation.public_id,
        before=before,
        after=_invitation_facts(invitation),
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: Any, invitation: Invitation) -> Invitation:
    org = lock_organisation(invitation.organisation)
    require_admin(actor, org)
    fresh = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if fresh.status != InvitationStatus.PENDING:
        raise InvalidTransition(
            _("Only a pending invitation can be revoked."), current=fresh.status
        )
    before = _invitation_facts(fresh)
    fresh.status = InvitationStatus.REVOKED
    fresh.revoked_at = timezone.now()
    fresh.save(update_fields=["status", "revoked_at", "updated_at"])
    audit_record(
        actor=actor,
        action="invitation.revoke",
        obj=fresh,
        object_label=_label(fresh),
        organisation_id=org.public_id,
        before=before,
        after=_invitation_facts(fresh),
    )
    return fresh
