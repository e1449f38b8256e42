"""Writes: creating notifications, reading them, email preferences and digests.

Other apps call :func:`notify` inside their own service's transaction. Emails leave only
after that transaction commits, from a background task, in the recipient's language.

Marking notifications read is not audited: it changes nothing anyone else sees, and the
append-only audit log would keep a trace of a person's reading that erasure cannot remove.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhub.accounts.models import User
from govhub.core.audit import audit_record
from govhub.core.errors import InvalidInput, NotAllowed

from . import permissions
from .models import (
    ALL_GROUPS,
    DeliveryMode,
    Notification,
    NotificationPreference,
    group_of,
)
from .selectors import modes_for_users

log = logging.getLogger(__name__)

SUBJECT_MAX = Notification._meta.get_field("subject").max_length or 300
URL_MAX = Notification._meta.get_field("url").max_length or 500


def _related_of(related: models.Model | None) -> tuple[str, str]:
    if related is None:
        return "", ""
    return related._meta.label_lower, str(getattr(related, "public_id", None) or related.pk)


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    subject: str,
    body: str,
    url: str,
    actor: User | None = None,
    related: models.Model | None = None,
) -> int:
    """Notify each recipient once; returns how many notifications were created.

    The actor is never notified of their own action; inactive (and so erased) accounts are
    skipped. Each recipient's preference for the kind's group decides the email: sent
    right after commit ("immediate", the default), in the daily digest, or none ("off").
    """
    if not kind or not subject:
        raise ValueError("a notification needs a kind and a subject")
    unique: dict[int, User] = {}
    for user in recipients:
        if user is None or user.pk is None or user.pk in unique:
            continue
        if actor is not None and user.pk == actor.pk:
            continue
        unique[user.pk] = user
    if not unique:
        return 0
    group = group_of(kind)
    related_type, related_id = _related_of(related)
    with transaction.atomic():
        # Fresh from the database: the caller's objects may predate an erasure.
        active_ids = set(
            User.objects.filter(pk__in=unique, is_active=True).values_list("pk", flat=True)
        )
        modes = modes_for_users(active_ids, group)
        rows = [
            Notification(
                recipient_id=pk,
                kind=kind,
                subject=subject[:SUBJECT_MAX],
                body=body,
                url=url[:URL_MAX],
                actor=actor,
                related_type=related_type,
                related_id=related_id,
                digest=modes[pk] == DeliveryMode.DIGEST,
            )
            for pk in unique
            if pk in active_ids
        ]
        created = Notification.objects.bulk_create(rows)
        immediate = [n.pk for n in created if modes[n.recipient_id] == DeliveryMode.IMMEDIATE]
        if immediate:
            transaction.on_commit(lambda: _enqueue_emails(immediate))
    return len(created)


def _enqueue_emails(notification_ids: list[int]) -> None:
    from .tasks import send_notification_emails

    send_notification_emails.enqueue(notification_ids=notification_ids)


def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    if not permissions.can_read(actor, notification):
        raise NotAllowed(_("You can only mark your own notifications as read."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, actor: Any) -> int:
    if not permissions.can_use_inbox(actor):
        raise NotAllowed(_("Sign in to read your notifications."))
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def _set_modes(user: User, modes: Mapping[str, str]) -> dict[str, str]:
    before = dict(
        NotificationPreference.objects.filter(user=user, group__in=list(modes)).values_list(
            "group", "mode"
        )
    )
    for group, mode in modes.items():
        NotificationPreference.objects.update_or_create(
            user=user, group=group, defaults={"mode": mode}
        )
    return before


def preferences_update(*, actor: Any, user: User, modes: Mapping[str, str]) -> None:
    """Set the user's email mode for each given group ("*": every group not listed)."""
    with transaction.atomic():
        if not permissions.can_use_inbox(actor) or actor.pk != user.pk:
            raise NotAllowed(_("You can only change your own notification settings."))
        valid = set(DeliveryMode.values)
        errors = {
            f"group_{group}": [_("Choose how you want to be told.")]
            for group, mode in modes.items()
            if mode not in valid or not group or len(group) > 50
        }
        if errors:
            raise InvalidInput(_("Check your notification settings."), field_errors=errors)
        before = _set_modes(user, modes)
        audit_record(
            actor=actor,
            action="notifications.preferences",
            obj=user,
            object_label=str(user.public_id),
            before=before,
            after=dict(modes),
        )


def unsubscribe(*, user: User, group: str) -> None:
    """Stop the emails of one group, or all of them (``group="*"``); from a signed link.

    In-platform notifications go on: the person still sees them when signed in.
    """
    from .groups import GROUPS

    with transaction.atomic():
        if group == ALL_GROUPS:
            # Every listed group too, so that no earlier choice keeps an email coming.
            groups = [ALL_GROUPS, *GROUPS]
            groups += list(
                NotificationPreference.objects.filter(user=user)
                .exclude(group__in=groups)
                .values_list("group", flat=True)
            )
        else:
            groups = [group]
        before = _set_modes(user, dict.fromkeys(groups, DeliveryMode.OFF.value))
        # Pending digest entries stay in the inbox but will not be emailed.
        pending = Notification.objects.filter(recipient=user, digest=True, emailed_at__isnull=True)
        if group != ALL_GROUPS:
            pending = pending.filter(kind__startswith=f"{group}.")
        pending.update(digest=False)
        audit_record(
            actor=user,
            action="notifications.unsubscribe",
            obj=user,
            object_label=str(user.public_id),
            before=before,
            after={"group": group, "mode": DeliveryMode.OFF.value},
        )


def digests_send() -> int:
    """Email each person their pending digest notifications in one message; returns emails sent.

    Idempotent: each notification is marked as emailed in the transaction that sends it, so a
    second run (or a run that overlaps) finds nothing left to send.
    """
    from .emails import digest_message

    recipient_ids = list(
        Notification.objects.filter(digest=True, emailed_at__isnull=True)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for recipient_id in recipient_ids:
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update()
                .filter(recipient_id=recipient_id, digest=True, emailed_at__isnull=True)
                .select_related("recipient")
                .order_by("created_at", "id")
            )
            if not pending:
                continue
            ids = [n.pk for n in pending]
            recipient = pending[0].recipient
            if not recipient.is_active:
                Notification.objects.filter(pk__in=ids).update(digest=False)
                continue
            try:
                digest_message(recipient, pending).send()
            except OSError:
                log.exception("could not send the digest to user %s", recipient.public_id)
                continue
            Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now())
            sent += 1
    return sent


def immediate_send(*, notification_ids: list[int]) -> int:
    """Email each still-unsent notification on its own; returns emails sent (task body)."""
    from .emails import immediate_message

    sent = 0
    for notification_id in notification_ids:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update()
                .select_related("recipient")
                .filter(pk=notification_id, emailed_at__isnull=True, digest=False)
                .first()
            )
            if notification is None or not notification.recipient.is_active:
                continue
            try:
                immediate_message(notification).send()
            except OSError:
                log.exception("could not email notification %s", notification.public_id)
                continue
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent
