"""Innovation needs published by authorities, and other authorities' interest in pooling them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhub.core.models import PublicModel


class NeedStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CONVERTED = "converted", _("Turned into a challenge")


NEED_TRANSITIONS: dict[str, frozenset[str]] = {
    NeedStatus.DRAFT: frozenset({NeedStatus.PUBLISHED, NeedStatus.WITHDRAWN}),
    NeedStatus.PUBLISHED: frozenset({NeedStatus.WITHDRAWN, NeedStatus.CONVERTED}),
    NeedStatus.WITHDRAWN: frozenset(),
    NeedStatus.CONVERTED: frozenset(),
}


class InnovationNeed(PublicModel):
    authority = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="needs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    problem = models.TextField(_("the problem"))
    affected = models.TextField(_("who suffers it"), blank=True)
    expected_outcomes = models.TextField(_("expected outcomes"), blank=True)
    outcome_measures = models.TextField(_("how the outcomes will be measured"), blank=True)
    cpv_codes = models.ManyToManyField("reference.CpvCode", blank=True, related_name="+")
    nuts_region = models.ForeignKey(
        "reference.NutsRegion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    budget_min = models.DecimalField(
        _("indicative budget from"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_max = models.DecimalField(
        _("indicative budget to"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    timeline = models.TextField(_("timeline"), blank=True)
    expected_start = models.DateField(_("expected start"), null=True, blank=True)
    constraints_data = models.TextField(_("data constraints"), blank=True)
    constraints_interoperability = models.TextField(_("interoperability constraints"), blank=True)
    constraints_accessibility = models.TextField(_("accessibility constraints"), blank=True)
    constraints_security = models.TextField(_("security constraints"), blank=True)
    open_to_pooling = models.BooleanField(_("open to pooling with other authorities"), default=True)

    status = models.CharField(
        max_length=20, choices=NeedStatus.choices, default=NeedStatus.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    converted_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    # Optimistic concurrency: an edit based on an older version is refused, not merged.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("innovation need")

    def __str__(self) -> str:
        return self.title


class InterestStatus(models.TextChoices):
    ACTIVE = "active", _("Interested")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# One row per (need, authority): expressing interest again after withdrawing reactivates it.
INTEREST_TRANSITIONS: dict[str, frozenset[str]] = {
    InterestStatus.ACTIVE: frozenset({InterestStatus.WITHDRAWN}),
    InterestStatus.WITHDRAWN: frozenset({InterestStatus.ACTIVE}),
}


class NeedInterest(PublicModel):
    """Another authority's interest in buying the same thing together (pooled demand)."""

    need = models.ForeignKey(InnovationNeed, on_delete=models.CASCADE, related_name="interests")
    authority = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="need_interests"
    )
    expressed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    quantity = models.CharField(_("quantity"), max_length=200, blank=True)
    budget_share = models.DecimalField(
        _("budget share"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        max_length=20, choices=InterestStatus.choices, default=InterestStatus.ACTIVE
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["need", "authority"], name="uniq_need_interest")
        ]
        verbose_name = _("interest in a need")

    def __str__(self) -> str:
        return f"{self.authority} → {self.need}"
