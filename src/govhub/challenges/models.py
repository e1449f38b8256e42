"""Challenges (innovation tenders) run in ordered phases by one lead authority and co-buyers.

Lifecycles: a challenge goes draft → published → completed, or → cancelled (with a public
reason); each phase goes planned → open → closed → evaluating → decided. Only the services
move them, through the tables below.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhub.core.models import PublicModel


class ChallengeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


CHALLENGE_TRANSITIONS: dict[str, frozenset[str]] = {
    ChallengeStatus.DRAFT: frozenset({ChallengeStatus.PUBLISHED, ChallengeStatus.CANCELLED}),
    ChallengeStatus.PUBLISHED: frozenset({ChallengeStatus.COMPLETED, ChallengeStatus.CANCELLED}),
    ChallengeStatus.COMPLETED: frozenset(),
    ChallengeStatus.CANCELLED: frozenset(),
}


class PhaseKind(models.TextChoices):
    OPEN_CALL = "open_call", _("Open call")
    SHORTLIST = "shortlist", _("Shortlist and demo")
    PILOT = "pilot", _("Pilot in a sandbox")
    AWARD = "award", _("Award")


PROPOSAL_PHASE_KINDS = frozenset({PhaseKind.OPEN_CALL, PhaseKind.SHORTLIST})


class PhaseStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    EVALUATING = "evaluating", _("Evaluating")
    DECIDED = "decided", _("Decided")


PHASE_TRANSITIONS: dict[str, frozenset[str]] = {
    PhaseStatus.PLANNED: frozenset({PhaseStatus.OPEN}),
    PhaseStatus.OPEN: frozenset({PhaseStatus.CLOSED}),
    PhaseStatus.CLOSED: frozenset({PhaseStatus.EVALUATING}),
    PhaseStatus.EVALUATING: frozenset({PhaseStatus.DECIDED}),
    PhaseStatus.DECIDED: frozenset(),
}


class Challenge(PublicModel):
    lead_authority = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="led_challenges"
    )
    need = models.ForeignKey(
        "needs.InnovationNeed",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="challenges",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.CharField(_("summary"), max_length=600)
    description = models.TextField(_("description"))
    cpv_codes = models.ManyToManyField("reference.CpvCode", blank=True, related_name="+")
    nuts_region = models.ForeignKey(
        "reference.NutsRegion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    total_budget = models.DecimalField(
        _("total budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        max_length=20, choices=ChallengeStatus.choices, default=ChallengeStatus.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for cancellation"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("challenge")

    def __str__(self) -> str:
        return self.title


class ChallengeBuyer(PublicModel):
    """An authority buying through the challenge: the lead, or a co-buyer bound by the outcome."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="buyers")
    authority = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="challenge_buyers"
    )
    is_lead = models.BooleanField(default=False)
    quantity = models.CharField(_("quantity"), max_length=200, blank=True)
    budget_share = models.DecimalField(
        _("budget share"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["challenge", "authority"], name="uniq_challenge_buyer"),
            models.UniqueConstraint(
                fields=["challenge"], condition=models.Q(is_lead=True), name="one_lead_buyer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority} in {self.challenge}"


class Phase(PublicModel):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=PhaseKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    # Stored in UTC like every datetime; shown in Europe/Brussels and the user's time zone.
    deadline = models.DateTimeField(_("deadline for proposals"), null=True, blank=True)
    ends_at = models.DateTimeField(_("phase ends"), null=True, blank=True)
    sme_only = models.BooleanField(_("open to SMEs only"), default=False)
    eu_eea_only = models.BooleanField(
        _("open to companies established in the EU/EEA only"), default=False
    )
    eligibility_notes = models.TextField(_("other eligibility conditions"), blank=True)
    budget = models.DecimalField(
        _("prize or budget for this phase"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_selected = models.PositiveSmallIntegerField(
        _("how many companies go on"), null=True, blank=True
    )
    asks_price = models.BooleanField(_("proposals declare a price"), default=False)
    status = models.CharField(
        max_length=20, choices=PhaseStatus.choices, default=PhaseStatus.PLANNED, db_index=True
    )
    version = models.PositiveIntegerField(default=1)
    open_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    evaluating_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # When an authorised buyer opened the sealed proposals (after the deadline), and who.
    proposals_opened_at = models.DateTimeField(null=True, blank=True)
    proposals_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["challenge", "order"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "order"], name="uniq_phase_order")
        ]

    def __str__(self) -> str:
        return f"{self.challenge}: {self.title}"

    @property
    def takes_proposals(self) -> bool:
        """Companies submit proposals to calls and shortlists; pilots and awards follow them."""
        return self.kind in PROPOSAL_PHASE_KINDS


class PhaseDocument(PublicModel):
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="challenges/documents/%Y/%m/")
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["phase", "created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def format_label(self) -> str:
        """ "PDF", "DOCX"…: the format, from the name the content was checked against."""
        return self.original_name.rsplit(".", 1)[-1].upper() if "." in self.original_name else ""


class AwardCriterion(PublicModel):
    """A weighted criterion of one phase; a phase's weights must total 100 before it opens."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what is assessed"), blank=True)
    criterion_type = models.ForeignKey(
        "reference.CodelistEntry",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"codelist": "award-criterion-type"},
    )
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    gpp_criteria = models.ManyToManyField(
        "reference.CodelistEntry",
        blank=True,
        related_name="+",
        limit_choices_to={"codelist": "gpp-criteria"},
    )

    class Meta:
        ordering = ["phase", "order"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "order"], name="uniq_criterion_order"),
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=100), name="criterion_weight_1_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class Clarification(PublicModel):
    """A company's question and the buyer's public answer; the asker is never shown."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="clarifications")
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    asked_by_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["phase", "created_at"]

    def __str__(self) -> str:
        return self.question[:80]
