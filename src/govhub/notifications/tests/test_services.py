"""notify(): who is told, how, and when the emails leave; the daily digest."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from govhub.core.errors import NotAllowed
from govhub.core.models import AuditEvent
from govhub.notifications import services
from govhub.notifications.models import DeliveryMode, Notification, NotificationPreference

pytestmark = pytest.mark.django_db


def _notify(recipients, **extra):
    fields: dict[str, Any] = {
        "kind": "participation.reply",
        "subject": "Ana replied to your comment",
        "body": "Ana wrote: I agree.",
        "url": "/participation/threads/1/",
    }
    fields.update(extra)
    return services.notify(recipients=recipients, **fields)


def _prefer(user, group, mode):
    NotificationPreference.objects.create(user=user, group=group, mode=mode)


def test_one_notification_per_recipient_never_the_actor(make_user, outsider):
    actor = make_user("ana@example.eu")
    other = make_user("bo@example.eu")
    count = _notify([outsider, other, actor, outsider], actor=actor, related=outsider)
    assert count == 2
    rows = Notification.objects.order_by("recipient__email")
    assert [n.recipient for n in rows] == [other, outsider]
    assert rows[0].actor == actor
    assert rows[0].related_type == "accounts.user"
    assert rows[0].related_id == str(outsider.public_id)
    assert not Notification.objects.filter(recipient=actor).exists()


def test_inactive_accounts_are_skipped(make_user):
    gone = make_user("gone@example.eu", is_active=False)
    assert _notify([gone]) == 0
    assert not Notification.objects.exists()


def test_immediate_email_leaves_after_commit_with_unsubscribe_headers(
    outsider, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify([outsider])
        assert mailoutbox == []  # nothing before the caller's transaction commits
    assert len(callbacks) == 1
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["outsider@example.eu"]
    assert "Ana replied to your comment" in email.subject
    assert "Ana wrote: I agree." in email.body
    assert "http://testserver" in email.body or "/participation/threads/1/" in email.body
    unsubscribe = email.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http")
    assert "/notifications/unsubscribe/" in unsubscribe
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.get().emailed_at is not None


def test_email_is_in_the_recipients_language(
    make_user, mailoutbox, django_capture_on_commit_callbacks
):
    french = make_user("fr@example.eu", preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        _notify([french])
    email = mailoutbox[0]
    assert "/fr/notifications/unsubscribe/" in email.extra_headers["List-Unsubscribe"]
    # `make test` compiles the catalogues first.
    assert "Arrêter ces e-mails :" in email.body


def test_digest_is_in_the_recipients_language(make_user, mailoutbox):
    german = make_user("de@example.eu", preferred_language="de")
    _prefer(german, "participation", DeliveryMode.DIGEST)
    _notify([german])
    _notify([german], subject="Noch eine Antwort")
    assert services.digests_send() == 1
    assert "Ihre tägliche Zusammenfassung: 2 Benachrichtigungen" in mailoutbox[0].subject


def test_rolled_back_caller_sends_nothing(outsider, mailoutbox, django_capture_on_commit_callbacks):
    def failing_service() -> None:
        with transaction.atomic():
            _notify([outsider])
            raise RuntimeError("the caller's service failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_service()
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_off_gets_the_notification_but_no_email(
    outsider, mailoutbox, django_capture_on_commit_callbacks
):
    _prefer(outsider, "participation", DeliveryMode.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        assert _notify([outsider]) == 1
    assert mailoutbox == []
    notification = Notification.objects.get()
    assert not notification.digest
    assert notification.emailed_at is None


def test_preference_is_per_group_with_everything_else_as_fallback(
    outsider, mailoutbox, django_capture_on_commit_callbacks
):
    _prefer(outsider, "*", DeliveryMode.OFF)
    _prefer(outsider, "challenges", DeliveryMode.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        _notify([outsider], kind="participation.reply")
        _notify([outsider], kind="challenges.published", subject="A challenge was published")
    assert [m.subject for m in mailoutbox] == ["[GovHub] A challenge was published"]


def test_digest_command_sends_one_email_per_person_once(
    make_user, outsider, mailoutbox, django_capture_on_commit_callbacks
):
    other = make_user("bo@example.eu")
    for user in (outsider, other):
        _prefer(user, "participation", DeliveryMode.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        _notify([outsider, other])
        _notify([outsider], subject="A second reply")
    assert mailoutbox == []  # digest users get no immediate email
    assert Notification.objects.filter(digest=True, emailed_at__isnull=True).count() == 3

    call_command("send_digests")
    assert sorted(m.to[0] for m in mailoutbox) == ["bo@example.eu", "outsider@example.eu"]
    mine = next(m for m in mailoutbox if m.to == ["outsider@example.eu"])
    assert "2 notifications" in mine.subject
    assert "A second reply" in mine.body
    assert "Ana replied to your comment" in mine.body
    assert mine.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()

    call_command("send_digests")
    assert len(mailoutbox) == 2  # idempotent: nothing left to send


def test_digest_task_runs_the_same(outsider, mailoutbox):
    from govhub.notifications.tasks import send_digests

    _prefer(outsider, "participation", DeliveryMode.DIGEST)
    _notify([outsider])
    result = send_digests.enqueue()
    assert result.return_value == 1
    assert len(mailoutbox) == 1


def test_mark_read_only_by_the_recipient(outsider, make_user, make_notification):
    notification = make_notification(outsider)
    with pytest.raises(NotAllowed):
        services.notification_mark_read(actor=make_user(), notification=notification)
    notification.refresh_from_db()
    assert notification.read_at is None
    services.notification_mark_read(actor=outsider, notification=notification)
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_all_read_touches_only_ones_own(outsider, make_user, make_notification):
    other = make_user()
    make_notification(outsider)
    theirs = make_notification(other)
    assert services.notifications_mark_all_read(actor=outsider) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_preferences_update_is_own_only_and_audited(outsider, make_user):
    with pytest.raises(NotAllowed):
        services.preferences_update(
            actor=make_user(), user=outsider, modes={"participation": "off"}
        )
    assert not NotificationPreference.objects.exists()
    services.preferences_update(actor=outsider, user=outsider, modes={"participation": "digest"})
    assert NotificationPreference.objects.get().mode == "digest"
    event = AuditEvent.objects.get(action="notifications.preferences")
    assert event.object_label == str(outsider.public_id)


def test_unsubscribe_all_stops_pending_digests(outsider, make_notification):
    _prefer(outsider, "participation", DeliveryMode.DIGEST)
    pending = make_notification(outsider, digest=True)
    services.unsubscribe(user=outsider, group="*")
    prefs = dict(NotificationPreference.objects.filter(user=outsider).values_list("group", "mode"))
    assert prefs["*"] == prefs["participation"] == prefs["challenges"] == "off"
    pending.refresh_from_db()
    assert pending.digest is False
    assert services.digests_send() == 0
