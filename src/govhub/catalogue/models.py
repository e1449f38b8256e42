"""The solutions catalogue: entries, their moderation, and their reuse by authorities.

The assessments (interoperability, EU AI Act) live in ``govhub.assessments``; their current
results are copied onto the entry (``interoperability_level``, ``ai_risk_category``) so that
the catalogue can be filtered on them without a join per row.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhub.core.models import PublicModel


class SolutionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed for publication")
    PUBLISHED = "published", _("Published")
    NEEDS_UPDATE = "needs_update", _("Needs update")
    ARCHIVED = "archived", _("Archived")


SOLUTION_TRANSITIONS: dict[str, frozenset[str]] = {
    SolutionStatus.DRAFT: frozenset({SolutionStatus.PROPOSED, SolutionStatus.ARCHIVED}),
    SolutionStatus.PROPOSED: frozenset(
        {SolutionStatus.PUBLISHED, SolutionStatus.NEEDS_UPDATE, SolutionStatus.DRAFT}
    ),
    SolutionStatus.PUBLISHED: frozenset({SolutionStatus.NEEDS_UPDATE, SolutionStatus.ARCHIVED}),
    SolutionStatus.NEEDS_UPDATE: frozenset({SolutionStatus.PROPOSED, SolutionStatus.ARCHIVED}),
    SolutionStatus.ARCHIVED: frozenset({SolutionStatus.DRAFT}),
}


class SolutionCategory(models.TextChoices):
    CITIZEN_SERVICES = "citizen_services", _("Citizen services and e-government")
    HEALTH = "health", _("Health and care")
    MOBILITY = "mobility", _("Mobility and transport")
    ENERGY = "energy", _("Energy and climate")
    ENVIRONMENT = "environment", _("Environment and natural resources")
    EDUCATION = "education", _("Education and skills")
    SECURITY = "security", _("Public safety and security")
    FINANCE = "finance", _("Public finance and procurement")
    URBAN = "urban", _("Urban planning and smart cities")
    DATA = "data", _("Data, analytics and open data")
    INFRASTRUCTURE = "infrastructure", _("Digital infrastructure and cloud")
    IDENTITY = "identity", _("Identity, signatures and trust services")
    COLLABORATION = "collaboration", _("Collaboration and office tools")
    SOCIAL = "social", _("Social services and employment")
    JUSTICE = "justice", _("Justice and law")
    CULTURE = "culture", _("Culture and tourism")
    AGRICULTURE = "agriculture", _("Agriculture and food")
    OTHER = "other", _("Other")


class DeliveryModel(models.TextChoices):
    SAAS = "saas", _("Software as a service")
    ON_PREMISES = "on_premises", _("On premises")
    OPEN_SOURCE = "open_source", _("Open source")
    HYBRID = "hybrid", _("Hybrid")


class DataLocation(models.TextChoices):
    EU = "eu", _("Only in the EU/EEA")
    ADEQUATE = "adequate", _("In the EU/EEA and countries with an EU adequacy decision")
    OUTSIDE = "outside", _("Also outside the EU/EEA without an adequacy decision")
    BUYER = "buyer", _("On the buyer's own infrastructure")
    NONE = "none", _("No personal data is processed")


class AccessibilityConformance(models.TextChoices):
    FULL = "full", _("Fully conformant (EN 301 549 / WCAG 2.1 AA)")
    PARTIAL = "partial", _("Partially conformant")
    NONE = "none", _("Not conformant")
    NOT_ASSESSED = "not_assessed", _("Not assessed")


class PricingModel(models.TextChoices):
    FREE = "free", _("Free of charge")
    SUBSCRIPTION = "subscription", _("Subscription")
    LICENCE = "licence", _("One-off licence fee")
    USAGE = "usage", _("Usage-based")
    QUOTE = "quote", _("On quotation")


class AiRiskCategory(models.TextChoices):
    UNACCEPTABLE = "unacceptable", _("Unacceptable risk (prohibited)")
    HIGH = "high", _("High risk")
    LIMITED = "limited", _("Limited risk (transparency duties)")
    MINIMAL = "minimal", _("Minimal risk")


class InteroperabilityLevel(models.TextChoices):
    # Ordered from weakest to strongest; the assessment's overall result.
    INITIAL = "initial", _("Initial")
    BASIC = "basic", _("Basic")
    ADVANCED = "advanced", _("Advanced")
    FULL = "full", _("Full")


class SolutionSource(models.TextChoices):
    GOVHUB = "", _("Entered on GovHub")
    PUBLICCODE = "publiccode", _("Imported from publiccode.yml")
    DPG = "dpg", _("Imported from the Digital Public Goods registry")


class Solution(PublicModel):
    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="solutions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The text in its original language; further languages in SolutionTranslation.
    language = models.CharField(_("language of this description"), max_length=8, default="en")
    name = models.CharField(_("name"), max_length=200)
    summary = models.CharField(_("short description"), max_length=500)
    description = models.TextField(_("long description"), blank=True)
    cpv_codes = models.ManyToManyField("reference.CpvCode", blank=True, related_name="+")
    problem_domains = models.JSONField(_("problem domains"), default=list, blank=True)
    licence = models.CharField(_("licence (SPDX identifier)"), max_length=100, blank=True)
    is_open_source = models.BooleanField(_("open source"), default=False, db_index=True)
    delivery_model = models.CharField(
        _("delivery model"), max_length=20, choices=DeliveryModel.choices, blank=True
    )
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    supported_languages = models.JSONField(_("supported languages"), default=list, blank=True)
    supported_countries = models.ManyToManyField(
        "reference.Country", blank=True, related_name="+", verbose_name=_("supported countries")
    )
    standards = models.JSONField(_("standards implemented"), default=list, blank=True)
    integrations = models.JSONField(_("integrations"), default=list, blank=True)
    website = models.URLField(_("website"), blank=True)
    repository_url = models.URLField(_("source code repository"), blank=True)
    is_software = models.BooleanField(_("software"), default=True)
    software_version = models.CharField(_("latest release"), max_length=50, blank=True)

    # Data protection
    data_location = models.CharField(
        _("where data is stored and processed"),
        max_length=20,
        choices=DataLocation.choices,
        blank=True,
    )
    data_location_details = models.TextField(_("data location details"), blank=True)
    dpa_available = models.BooleanField(
        _("data processing agreement available"), null=True, blank=True
    )
    sub_processors = models.TextField(_("sub-processors"), blank=True)

    # Accessibility
    accessibility_conformance = models.CharField(
        _("accessibility conformance"),
        max_length=20,
        choices=AccessibilityConformance.choices,
        blank=True,
    )
    accessibility_statement_url = models.URLField(_("accessibility statement"), blank=True)

    pricing_model = models.CharField(
        _("pricing model"), max_length=20, choices=PricingModel.choices, blank=True
    )
    pricing_details = models.TextField(_("pricing details"), blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)

    # Sustainability: codes of the eForms codelists energy-efficiency-label,
    # environmental-impact and gpp-criteria (reference.CodelistEntry).
    energy_efficiency_label = models.CharField(
        _("energy efficiency label"), max_length=64, blank=True
    )
    environmental_impacts = models.JSONField(_("environmental impact"), default=list, blank=True)
    gpp_criteria = models.JSONField(
        _("green public procurement criteria"), default=list, blank=True
    )
    hosting_renewable_share = models.PositiveSmallIntegerField(
        _("share of renewable energy in hosting (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    hosting_pue = models.DecimalField(
        _("data centre power usage effectiveness (PUE)"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
    )
    hosting_notes = models.TextField(_("hosting energy notes"), blank=True)

    # AI: whether the solution uses AI at all; the category comes from the assessment.
    uses_ai = models.BooleanField(_("uses artificial intelligence"), default=False)
    ai_risk_category = models.CharField(
        _("AI Act risk category"),
        max_length=20,
        choices=AiRiskCategory.choices,
        blank=True,
        db_index=True,
    )
    interoperability_level = models.CharField(
        _("interoperability level"),
        max_length=20,
        choices=InteroperabilityLevel.choices,
        blank=True,
        db_index=True,
    )
    interoperability_score = models.PositiveSmallIntegerField(null=True, blank=True)

    status = models.CharField(
        max_length=20, choices=SolutionStatus.choices, default=SolutionStatus.DRAFT, db_index=True
    )
    status_reason = models.TextField(_("reason for the last status change"), blank=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    needs_update_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency: an edit based on an older version is refused, not merged.
    version = models.PositiveIntegerField(default=1)

    # Imported entries: where they came from, so that a re-import updates instead of copying.
    source = models.CharField(max_length=20, choices=SolutionSource.choices, blank=True, default="")
    source_id = models.CharField(max_length=500, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    source_data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("solution")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~models.Q(source=""),
                name="uniq_solution_source",
            )
        ]
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return self.name


class SolutionTranslation(PublicModel):
    """The entry's name and descriptions in a further language."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8)
    name = models.CharField(_("name"), max_length=200)
    summary = models.CharField(_("short description"), max_length=500)
    description = models.TextField(_("long description"), blank=True)

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["solution", "language"], name="uniq_solution_translation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.solution} ({self.language})"


class SolutionCategoryLink(models.Model):
    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(max_length=40, choices=SolutionCategory.choices, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["solution", "category"], name="uniq_solution_category")
        ]

    def __str__(self) -> str:
        return self.category


class ModerationStep(PublicModel):
    """Each move of an entry's lifecycle, with who made it and why (shown on the entry)."""

    solution = models.ForeignKey(
        Solution, on_delete=models.CASCADE, related_name="moderation_steps"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=SolutionStatus.choices)
    to_status = models.CharField(max_length=20, choices=SolutionStatus.choices)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.solution}: {self.from_status} → {self.to_status}"


class CostBand(models.TextChoices):
    FREE = "free", _("No cost")
    UNDER_10K = "under_10k", _("Under €10,000 a year")
    UNDER_50K = "under_50k", _("€10,000 to €50,000 a year")
    UNDER_250K = "under_250k", _("€50,000 to €250,000 a year")
    OVER_250K = "over_250k", _("Over €250,000 a year")


class AdoptionScale(models.TextChoices):
    PILOT = "pilot", _("Pilot")
    DEPARTMENT = "department", _("One department or service")
    ORGANISATION = "organisation", _("Whole organisation")
    SHARED = "shared", _("Shared with other authorities")


class AdoptionStatus(models.TextChoices):
    ACTIVE = "active", _("In use")
    ENDED = "ended", _("No longer in use")


class Adoption(PublicModel):
    """A verified authority runs the solution: where, since when, how widely, with what result."""

    solution = models.ForeignKey(Solution, on_delete=models.PROTECT, related_name="adoptions")
    authority = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="adoptions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    nuts_region = models.ForeignKey(
        "reference.NutsRegion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    since = models.DateField(_("in use since"), null=True, blank=True)
    scale = models.CharField(_("scale"), max_length=20, choices=AdoptionScale.choices, blank=True)
    users_count = models.PositiveIntegerField(_("number of users"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    cost_band = models.CharField(
        _("cost band"), max_length=20, choices=CostBand.choices, blank=True
    )
    lessons_learnt = models.TextField(_("lessons learnt"), blank=True)
    status = models.CharField(
        max_length=20, choices=AdoptionStatus.choices, default=AdoptionStatus.ACTIVE
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    # When the adoption came from a GovHub challenge (its pilot or its award).
    challenge = models.ForeignKey(
        "challenges.Challenge",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
    )
    pilot = models.ForeignKey(
        "evaluation.PilotPlan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
    )

    class Meta:
        ordering = ["-since", "-created_at"]
        verbose_name = _("adoption")
        constraints = [
            models.UniqueConstraint(fields=["solution", "authority"], name="uniq_adoption")
        ]

    def __str__(self) -> str:
        return f"{self.authority} uses {self.solution}"


class Review(PublicModel):
    """An adopting authority's rating and review; one per adoption."""

    adoption = models.OneToOneField(Adoption, on_delete=models.CASCADE, related_name="review")
    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("review"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("review")

    def __str__(self) -> str:
        return f"{self.rating}/5 {self.title}"
