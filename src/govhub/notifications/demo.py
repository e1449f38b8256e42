"""Demo content: a few notifications in the demo accounts' inboxes (idempotent)."""

from __future__ import annotations

from django.urls import reverse

from govhub.accounts.models import User
from govhub.demo.services import DEMO_DOMAIN

from .models import DeliveryMode, Notification, NotificationPreference

WELCOME_KIND = "account.welcome"

# Demo content is data, like the organisations' names: written in English, not translated.
ITEMS = [
    (
        WELCOME_KIND,
        "Welcome to GovHub",
        "Your notifications appear here. Choose in your email settings whether you also "
        "want an email for each one, a daily summary, or none.",
        "notifications:preferences",
    ),
    (
        "account.privacy",
        "Your personal data, your choice",
        "You can download everything GovHub holds about you, or erase your account.",
        "notifications:privacy",
    ),
]


def build_demo() -> list[str]:
    users = list(User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}", is_active=True))
    made = 0
    for user in users:
        if Notification.objects.filter(recipient=user, kind=WELCOME_KIND).exists():
            continue
        for kind, subject, body, url_name in ITEMS:
            Notification.objects.create(
                recipient=user, kind=kind, subject=subject, body=body, url=reverse(url_name)
            )
            made += 1
    supplier = next((u for u in users if u.email == f"supplier@{DEMO_DOMAIN}"), None)
    if supplier is not None:
        NotificationPreference.objects.get_or_create(
            user=supplier, group="participation", defaults={"mode": DeliveryMode.DIGEST}
        )
    if not made:
        return ["notifications: demo inboxes already present"]
    return [f"notifications: {made} notification(s) in {len(users)} demo inboxes"]
