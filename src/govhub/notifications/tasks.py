"""Background work: notification emails after commit, and the daily digest."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def send_notification_emails(*, notification_ids: list[int]) -> int:
    """Email notifications whose recipients chose an email for each one."""
    return services.immediate_send(notification_ids=notification_ids)


@task()
def send_digests() -> int:
    """Send each person's daily digest (also `govhub send-digests`, run daily by cron)."""
    return services.digests_send()
