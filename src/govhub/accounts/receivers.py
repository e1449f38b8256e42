"""Audit events for the account flows that django-allauth owns.

allauth runs sign-up, email confirmation, passwords and two-factor set-up itself, so its
signals are the only place GovHub can hear about them. Receivers only record the audit event;
no business rule lives here. Labels are the user's public id: the audit log is append-only,
so it must not hold email addresses or names that a user may later ask to erase.
"""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.dispatch import receiver

from govhub.core.audit import audit_record


def _record(*, user: Any, action: str, **extra: Any) -> None:
    # The account's owner acts in all these flows, even before they are signed in (a link
    # from their mailbox proves who they are).
    with transaction.atomic():
        audit_record(
            actor=user,
            action=action,
            obj=user,
            object_label=str(user.public_id),
            **extra,
        )


@receiver(account_signals.user_signed_up, dispatch_uid="govhub.audit.user_signed_up")
def on_user_signed_up(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _record(user=user, action="user.signup")


@receiver(account_signals.email_confirmed, dispatch_uid="govhub.audit.email_confirmed")
def on_email_confirmed(sender: Any, request: Any, email_address: Any, **kwargs: Any) -> None:
    _record(
        user=email_address.user,
        action="user.email_confirmed",
        after={"primary": bool(email_address.primary)},
    )


@receiver(account_signals.email_changed, dispatch_uid="govhub.audit.email_changed")
def on_email_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _record(user=user, action="user.email_changed")


@receiver(account_signals.password_changed, dispatch_uid="govhub.audit.password_changed")
def on_password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _record(user=user, action="user.password_changed")


@receiver(account_signals.password_set, dispatch_uid="govhub.audit.password_set")
def on_password_set(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _record(user=user, action="user.password_set")


@receiver(account_signals.password_reset, dispatch_uid="govhub.audit.password_reset")
def on_password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _record(user=user, action="user.password_reset")


@receiver(mfa_signals.authenticator_added, dispatch_uid="govhub.audit.authenticator_added")
def on_authenticator_added(
    sender: Any, request: Any, user: Any, authenticator: Authenticator, **kwargs: Any
) -> None:
    # Recovery codes come with the authenticator app; the app is the event that matters.
    if authenticator.type == Authenticator.Type.TOTP:
        _record(user=user, action="user.mfa_activated", after={"type": authenticator.type})


@receiver(mfa_signals.authenticator_removed, dispatch_uid="govhub.audit.authenticator_removed")
def on_authenticator_removed(
    sender: Any, request: Any, user: Any, authenticator: Authenticator, **kwargs: Any
) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        _record(user=user, action="user.mfa_deactivated", before={"type": authenticator.type})


@receiver(mfa_signals.authenticator_reset, dispatch_uid="govhub.audit.authenticator_reset")
def on_authenticator_reset(
    sender: Any, request: Any, user: Any, authenticator: Authenticator, **kwargs: Any
) -> None:
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        _record(user=user, action="user.recovery_codes_regenerated")
