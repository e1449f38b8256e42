"""Personal data: export on request and erasure (GDPR articles 15, 17 and 20).

Each app that stores personal data registers an exporter and an eraser at start-up (in its
``AppConfig.ready``), identically in every process::

    from govhub.accounts import privacy
    privacy.register("participation", export=export_user, erase=erase_user)

An eraser removes or anonymises what only concerns the person and keeps shared content
(comments, answers, proposals) in place, detached from them, so discussions stay whole.
Then the account itself is anonymised; the audit log keeps only the account's public UUID.

User-facing messages come from ``govhub.notifications.texts`` (that app's catalogue holds
the privacy pages).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidInput, NotAllowed

from .models import User

# RFC 2606: ".invalid" never resolves, so an erased account's address can never receive mail.
ERASED_EMAIL_DOMAIN = "erased.invalid"
EXPORT_FORMAT = "govhub.personal-data/1"


@dataclass(frozen=True)
class PrivacyPart:
    name: str
    export: Callable[[User], dict[str, Any]]
    erase: Callable[[User], None]


_REGISTRY: dict[str, PrivacyPart] = {}


def register(
    name: str,
    *,
    export: Callable[[User], dict[str, Any]],
    erase: Callable[[User], None],
) -> None:
    """Add (or replace) the exporter and eraser of one app's personal data."""
    if not name or name == "account":
        raise ValueError("a privacy part needs its own name ('account' is the account's)")
    _REGISTRY[name] = PrivacyPart(name=name, export=export, erase=erase)


def unregister(name: str) -> None:
    """Remove a part (tests that register a fake part clean up with this)."""
    _REGISTRY.pop(name, None)


def registered() -> list[PrivacyPart]:
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def is_erased(user: User) -> bool:
    return user.email.endswith("@" + ERASED_EMAIL_DOMAIN)


def _is_self(actor: Any, user: User) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.pk == user.pk)


def _is_moderator(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and getattr(actor, "is_moderator", False))


def can_export(actor: Any, user: User) -> bool:
    """The person themselves, or a moderator answering their request."""
    return _is_self(actor, user) or _is_moderator(actor)


def can_erase(actor: Any, user: User) -> bool:
    return (_is_self(actor, user) or _is_moderator(actor)) and not user.is_superuser


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _account_data(user: User) -> dict[str, Any]:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from govhub.organisations.models import JoinRequest, Membership

    return {
        "public_id": str(user.public_id),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "display_name": user.display_name,
        "preferred_language": user.preferred_language,
        "time_zone": user.time_zone,
        "is_moderator": user.is_moderator,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        # The kinds and dates only: secrets are not personal data to hand out.
        "two_factor": [
            {"type": a.type, "created_at": _iso(a.created_at), "last_used_at": _iso(a.last_used_at)}
            for a in Authenticator.objects.filter(user=user).order_by("pk")
        ],
        "memberships": [
            {
                "organisation": m.organisation.name,
                "organisation_id": str(m.organisation.public_id),
                "roles": m.roles,
                "since": _iso(m.created_at),
            }
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "join_requests": [
            {
                "organisation": r.organisation.name,
                "status": r.status,
                "message": r.message,
                "created_at": _iso(r.created_at),
            }
            for r in JoinRequest.objects.filter(user=user).select_related("organisation")
        ],
    }


def personal_data_export(*, actor: Any, user: User) -> dict[str, Any]:
    """Everything GovHub holds about ``user``: the account and each registered part."""
    from govhub.notifications import texts

    with transaction.atomic():
        if not can_export(actor, user):
            raise NotAllowed(texts.not_allowed_export())
        data: dict[str, Any] = {
            "format": EXPORT_FORMAT,
            "exported_at": timezone.now().isoformat(),
            "site": settings.GOVHUB_SITE_URL,
            "account": _account_data(user),
            "parts": {part.name: part.export(user) for part in registered()},
        }
        audit_record(
            actor=actor,
            action="account.export",
            obj=user,
            object_label=str(user.public_id),
            after={"by": "self" if _is_self(actor, user) else "moderator"},
        )
    return data


def _delete_sessions(user: User) -> int:
    """Sign the person out everywhere (database sessions; decoded one by one)."""
    deleted = 0
    key = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == key:
            session.delete()
            deleted += 1
    return deleted


def personal_data_erase(*, actor: Any, user: User, reason: str) -> None:
    """Erase the person's data: registered parts first, then the account, anonymised.

    The account row stays (anonymous, inactive, no password) so that content and the audit
    log that point at it keep their links; nothing left names the person.
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from govhub.notifications import texts
    from govhub.organisations.models import Invitation, InvitationStatus, JoinRequest, Membership

    reason = (reason or "").strip()
    with transaction.atomic():
        if not can_erase(actor, user):
            raise NotAllowed(
                texts.cannot_erase_superuser() if user.is_superuser else texts.not_allowed_erase()
            )
        by_self = _is_self(actor, user)
        if not by_self and not reason:
            raise InvalidInput(
                texts.reason_required(), field_errors={"reason": [texts.reason_required()]}
            )
        locked = User.objects.select_for_update().get(pk=user.pk)
        if is_erased(locked):
            raise Conflict(texts.already_erased())
        parts = registered()
        for part in parts:
            part.erase(locked)

        old_email = locked.email
        Membership.objects.filter(user=locked).delete()
        JoinRequest.objects.filter(user=locked).delete()
        Invitation.objects.filter(email__iexact=old_email, status=InvitationStatus.PENDING).delete()
        Invitation.objects.filter(email__iexact=old_email).update(
            email=f"erased@{ERASED_EMAIL_DOMAIN}"
        )
        EmailAddress.objects.filter(user=locked).delete()
        Authenticator.objects.filter(user=locked).delete()

        locked.email = f"erased-{uuid.uuid4().hex}@{ERASED_EMAIL_DOMAIN}"
        locked.first_name = ""
        locked.last_name = ""
        locked.display_name = ""
        locked.preferred_language = ""
        locked.time_zone = User._meta.get_field("time_zone").get_default()
        locked.is_active = False
        locked.is_moderator = False
        locked.is_staff = False
        locked.last_login = None
        locked.set_unusable_password()
        locked.save()
        sessions = _delete_sessions(locked)

        audit_record(
            actor=actor,
            action="account.erase",
            obj=locked,
            object_label=str(locked.public_id),
            after={
                "by": "self" if by_self else "moderator",
                # A moderator's reason refers to the request (date, reference), not to the
                # person: the form says so, since the audit log is never erased.
                "reason": "" if by_self else reason,
                "parts": [part.name for part in parts],
                "sessions_ended": sessions,
            },
        )
    user.refresh_from_db()
