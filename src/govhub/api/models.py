"""Organisation API tokens. Only a SHA-256 hash of the secret is stored (shown once)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhub.core.models import PublicModel


class Scope(models.TextChoices):
    READ = "read", _("Read the organisation's own data")
    PROPOSALS_WRITE = "proposals:write", _("Draft, submit and withdraw proposals")
    NEEDS_WRITE = "needs:write", _("Create and publish innovation needs")
    ADOPTIONS_WRITE = "adoptions:write", _("Record the solutions the authority uses")


class ApiToken(PublicModel):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    scopes = models.JSONField(_("scopes"), default=list)
    # The request acts as this person; their membership and roles are re-checked every time.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    # The first characters of the secret, so that people can tell their tokens apart.
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"  # never the secret
