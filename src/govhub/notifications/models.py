"""In-platform and email notifications, and each person's email preferences."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhub.core.models import PublicModel


class DeliveryMode(models.TextChoices):
    IMMEDIATE = "immediate", _("An email for each notification")
    DIGEST = "digest", _("One daily summary email")
    OFF = "off", _("No email, only on GovHub")


# The preference that applies to every group without its own (and "unsubscribe from all").
ALL_GROUPS = "*"


class Notification(PublicModel):
    """One message to one person. Plain text; the URL points at what it is about."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # Free string grouped by its prefix: "participation.reply", "challenges.published"...
    kind = models.CharField(max_length=100)
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What it is about: model label and public id (no foreign key: any app's objects).
    related_type = models.CharField(max_length=100, blank=True)
    related_id = models.CharField(max_length=64, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Waits for the recipient's daily digest (until emailed_at is set).
    digest = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read"),
            models.Index(fields=["digest", "emailed_at"], name="notif_digest_pending"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.subject

    @property
    def group(self) -> str:
        return group_of(self.kind)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How one person wants the emails of one group of notifications ("*": all others)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    group = models.CharField(max_length=50)
    mode = models.CharField(max_length=20, choices=DeliveryMode.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="uniq_notification_pref"),
        ]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.group}: {self.mode}"


def group_of(kind: str) -> str:
    """The preference group of a kind: its prefix before the first dot."""
    return kind.split(".", 1)[0]
