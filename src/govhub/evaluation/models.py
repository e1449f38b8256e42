"""Evaluation of a challenge's proposals, pilots in a sandbox, and the reasoned outcome.

Scores are on a 0–10 scale: each evaluator gives a whole number from 0 (not addressed) to
10 (excellent) per criterion; a consensus may use one decimal (7.5). A proposal's weighted
total is Σ score × weight / 100 over its phase's criteria, so it is also out of 10 because
the weights total 100. Divergence of 3 points or more between evaluators is flagged.

Only ``evaluation.services`` write these rows, each change audited.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhub.core.models import PublicModel

SCORE_MIN = 0
SCORE_MAX = 10
# Evaluators this far apart on one criterion should talk before agreeing a consensus.
DIVERGENCE_FLAG = 3
# Directive 89/665/EEC art. 2a(2) as amended by 2007/66/EC: at least 10 calendar days from
# the day after an award decision sent electronically. Settings may lengthen it.
STANDSTILL_DAYS_DEFAULT = 10


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Waiting for the declaration")
    DECLARED = "declared", _("Declared no conflict of interest")
    EXCLUDED = "excluded", _("Excluded: conflict of interest")


ASSIGNMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AssignmentStatus.ASSIGNED: frozenset({AssignmentStatus.DECLARED, AssignmentStatus.EXCLUDED}),
    AssignmentStatus.DECLARED: frozenset(),
    AssignmentStatus.EXCLUDED: frozenset(),
}


class EvaluatorAssignment(PublicModel):
    """One evaluator on one phase, from the lead authority or a co-buying authority."""

    phase = models.ForeignKey(
        "challenges.Phase", on_delete=models.CASCADE, related_name="evaluator_assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluator_assignments"
    )
    authority = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )

    class Meta:
        ordering = ["phase", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "user"], name="one_assignment_per_evaluator")
        ]

    def __str__(self) -> str:
        return f"evaluator assignment {self.public_id}"


class ConflictDeclaration(PublicModel):
    """The evaluator's signed declaration, once, before any proposal is shown to them."""

    assignment = models.OneToOneField(
        EvaluatorAssignment, on_delete=models.CASCADE, related_name="declaration"
    )
    declared_at = models.DateTimeField()
    has_conflict = models.BooleanField(_("I have a conflict of interest"))
    # The wording the evaluator signed, as shown to them (it may change between releases).
    declaration_text = models.TextField()
    statement = models.TextField(_("statement"), blank=True)

    def __str__(self) -> str:
        return f"declaration {self.public_id}"


class Score(PublicModel):
    """One evaluator's score of one proposal on one criterion, with the reason for it."""

    assignment = models.ForeignKey(
        EvaluatorAssignment, on_delete=models.PROTECT, related_name="scores"
    )
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(
        "challenges.AwardCriterion", on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    justification = models.TextField(_("justification"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "proposal", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="score_0_10",
            ),
        ]

    def __str__(self) -> str:
        return f"score {self.public_id}"


class ConsensusScore(PublicModel):
    """The score the lead buyer records after the evaluators' discussion, with its reason.

    Once recorded, the evaluators' own scores for this proposal and criterion are frozen.
    """

    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.PROTECT, related_name="consensus_scores"
    )
    criterion = models.ForeignKey(
        "challenges.AwardCriterion", on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("consensus score"), max_digits=3, decimal_places=1)
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "criterion"], name="one_consensus"),
            models.CheckConstraint(
                condition=models.Q(score__gte=Decimal(SCORE_MIN), score__lte=Decimal(SCORE_MAX)),
                name="consensus_0_10",
            ),
        ]

    def __str__(self) -> str:
        return f"consensus {self.public_id}"


class PhaseResult(PublicModel):
    """Whether a proposal goes on, and why; published to its company with the phase's results.

    Selected companies are invited to ``invited_to`` (the next phase), which the proposals app
    may check before accepting their proposal there.
    """

    phase = models.ForeignKey("challenges.Phase", on_delete=models.PROTECT, related_name="results")
    # The company's proposal: to this phase, or (pilots take no proposals) the one selected
    # in an earlier phase that invited the company here.
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.PROTECT, related_name="phase_results"
    )
    selected = models.BooleanField(_("selected"))
    reason = models.TextField(_("reason"))
    # The weighted total (0–10) and rank when the results were published, kept as decided.
    weighted_total = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    invited_to = models.ForeignKey(
        "challenges.Phase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
    )
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["phase", "rank", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "proposal"], name="one_result_per_phase")
        ]

    def __str__(self) -> str:
        return f"phase result {self.public_id}"


class PilotPlan(PublicModel):
    """What a selected company pilots with the buyer, agreed by both; editing resets both.

    Pilot phases take no proposals: the plan hangs off the company's proposal that was
    selected in the phase before and invited to this pilot.
    """

    phase = models.ForeignKey("challenges.Phase", on_delete=models.PROTECT, related_name="+")
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.PROTECT, related_name="pilot_plans"
    )
    plan = models.TextField(_("pilot plan"))
    agreed_by_buyer_at = models.DateTimeField(null=True, blank=True)
    agreed_by_buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agreed_by_company_at = models.DateTimeField(null=True, blank=True)
    agreed_by_company = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["phase", "proposal"], name="one_pilot_per_proposal")
        ]

    def __str__(self) -> str:
        return f"pilot plan {self.public_id}"

    @property
    def is_agreed(self) -> bool:
        return self.agreed_by_buyer_at is not None and self.agreed_by_company_at is not None


class PilotKpi(PublicModel):
    plan = models.ForeignKey(PilotPlan, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    measured_value = models.DecimalField(
        _("measured value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    measured_at = models.DateTimeField(null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["plan", "created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def target_met(self) -> bool | None:
        if self.measured_value is None:
            return None
        if self.higher_is_better:
            return self.measured_value >= self.target
        return self.measured_value <= self.target


class PilotDecision(PublicModel):
    """The buyer's go or no-go after the pilot, with reasons; a go can lead to the award."""

    plan = models.OneToOneField(PilotPlan, on_delete=models.PROTECT, related_name="decision")
    go = models.BooleanField(_("go"))
    reasons = models.TextField(_("reasons"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"pilot decision {self.public_id}"


class OutcomeKind(models.TextChoices):
    AWARDED = "awarded", _("Awarded")
    NOT_AWARDED = "not_awarded", _("Not awarded")
    CANCELLED = "cancelled", _("Cancelled")


class Outcome(PublicModel):
    """The challenge's one decision, binding the lead and every co-buyer alike."""

    challenge = models.OneToOneField(
        "challenges.Challenge", on_delete=models.PROTECT, related_name="outcome"
    )
    kind = models.CharField(_("decision"), max_length=20, choices=OutcomeKind.choices)
    awarded_proposals = models.ManyToManyField(
        "proposals.Proposal", blank=True, related_name="awards"
    )
    value = models.DecimalField(
        _("contract value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    reasons = models.TextField(_("reasons"))
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Awards only: no contract may be signed before this moment (end of the last standstill day
    # in Brussels). Not-awarded and cancelled decisions are final when published.
    standstill_ends_at = models.DateTimeField(null=True, blank=True)
    becomes_final_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"outcome {self.public_id}"
