"""Open-data catalogue, bulk files and feeds.

- ``BulkFile``: one generated download (a public table as CSV or JSON) with its checksum,
  size and row count, so that the catalogue can describe it without reading the file.
- ``Follow``: an organisation follows a GovHub challenge or an imported TED opportunity;
  their deadlines go into the calendar feed of the organisation's members.
- ``CalendarFeed``: a member's secret calendar address (calendar apps cannot sign in). Only
  a hash of the secret is kept; resetting it revokes the old address.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhub.core.models import PublicModel


class BulkFormat(models.TextChoices):
    CSV = "csv", "CSV"
    JSON = "json", "JSON"


class BulkFile(PublicModel):
    name = models.CharField(max_length=64)  # the table: "needs", "challenges"…
    format = models.CharField(max_length=8, choices=BulkFormat.choices)
    path = models.CharField(max_length=255)  # in the default storage
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    generated_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "format"]
        constraints = [models.UniqueConstraint(fields=["name", "format"], name="uniq_bulk_file")]

    def __str__(self) -> str:
        return f"{self.name}.{self.format}"


class Follow(PublicModel):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="follows"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    challenge = models.ForeignKey(
        "challenges.Challenge",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
    )
    notice = models.ForeignKey(
        "opportunities.ExternalNotice",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("followed opportunity")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(challenge__isnull=False, notice__isnull=True)
                | models.Q(challenge__isnull=True, notice__isnull=False),
                name="follow_one_target",
            ),
            models.UniqueConstraint(
                fields=["organisation", "challenge"],
                condition=models.Q(challenge__isnull=False),
                name="uniq_follow_challenge",
            ),
            models.UniqueConstraint(
                fields=["organisation", "notice"],
                condition=models.Q(notice__isnull=False),
                name="uniq_follow_notice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} follows {self.challenge or self.notice}"


class CalendarFeed(PublicModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar of {self.user_id}"
