"""Proposals to a challenge phase, sealed until the deadline (Directive 2014/24/EU, Annex IV).

Content (answers, attachments, declared price, submission snapshots) is read only through
``proposals.selectors``, which enforce the seal; nothing else may query these models'
content fields for display, export, search or the admin.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhub.core.models import PublicModel

from .storage import proposal_storage


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


PROPOSAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ProposalStatus.DRAFT: frozenset({ProposalStatus.SUBMITTED}),
    ProposalStatus.SUBMITTED: frozenset({ProposalStatus.WITHDRAWN}),
    # Withdrawing returns the proposal to an editable state until the deadline.
    ProposalStatus.WITHDRAWN: frozenset({ProposalStatus.SUBMITTED}),
}


class Proposal(PublicModel):
    """One company's proposal to one phase (withdrawals and resubmissions keep the same row)."""

    phase = models.ForeignKey(
        "challenges.Phase", on_delete=models.PROTECT, related_name="proposals"
    )
    company = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="proposals"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    declared_price = models.DecimalField(
        _("declared price"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)  # server receipt time
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["phase", "company"], name="one_proposal_per_company")
        ]

    def __str__(self) -> str:
        return f"proposal {self.public_id}"  # never the content: str() ends up in logs


class ProposalAnswer(PublicModel):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(
        "challenges.AwardCriterion", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "criterion"], name="one_answer_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"answer {self.public_id}"


class ProposalAttachment(PublicModel):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    # A private storage: sealed files must never be reachable under MEDIA_URL.
    file = models.FileField(upload_to="proposals/%Y/%m/", storage=proposal_storage)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"attachment {self.public_id}"


class ProposalReceipt(PublicModel):
    """Proof of one submission: exact server time and the hash of everything submitted.

    The snapshot is the submitted content as it was (sealed like the proposal itself).
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="receipts")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    received_at = models.DateTimeField()
    content_sha256 = models.CharField(max_length=64)
    snapshot = models.JSONField()
    is_current = models.BooleanField(default=True)
    # Double-submit protection: the same form token submitted twice yields one receipt.
    idempotency_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"receipt {self.public_id}"
