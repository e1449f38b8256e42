"""EU reference vocabularies: CPV 2008, NUTS (2024 codes, as eForms lists them), eForms codelists.

Loaded from the files in ``reference/data`` by ``govhub load-reference``; never edited by users.
Labels are kept per language (ISO 639-1 lower-case keys) so the UI can show the user's own.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def pick_label(labels: dict[str, str], language: str | None = None, fallback: str = "") -> str:
    lang = (language or get_language() or "en").split("-")[0].lower()
    return labels.get(lang) or labels.get("en") or next(iter(labels.values()), fallback)


class LabelledMixin(models.Model):
    labels = models.JSONField(default=dict)
    # Every language's label, lower-cased and without accents: what word searches filter on.
    search_text = models.TextField(default="", blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def label(self) -> str:
        return pick_label(self.labels, fallback=str(getattr(self, "code", "")))


class CpvCode(LabelledMixin):
    """A Common Procurement Vocabulary 2008 code, e.g. ``45215140-0``; hierarchy from its digits."""

    code = models.CharField(max_length=10, unique=True)  # with check digit: 45215140-0
    digits = models.CharField(max_length=8, unique=True, db_index=True)  # 45215140
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = (
        models.PositiveSmallIntegerField()
    )  # 2 division, 3 group, 4 class, 5 category, 6-8 finer

    class Meta:
        ordering = ["code"]
        verbose_name = _("CPV code")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def division(self) -> str:
        return self.digits[:2]


class NutsRegion(LabelledMixin):
    """A NUTS region (levels 0–3) as eForms lists them (NUTS 2024 codes), e.g. ``PT1A0``."""

    code = models.CharField(max_length=5, unique=True)
    level = models.PositiveSmallIntegerField()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    country_code = models.CharField(max_length=2, db_index=True)  # NUTS country prefix (EL, not GR)

    class Meta:
        ordering = ["code"]
        verbose_name = _("NUTS region")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class Country(LabelledMixin):
    """A country from the eForms ``country`` codelist (ISO 3166-1 alpha-3, alpha-2 kept too)."""

    code = models.CharField(max_length=3, unique=True)  # alpha-3, as eForms uses
    alpha2 = models.CharField(max_length=2, blank=True, db_index=True)
    is_eu = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.label


class CodelistEntry(LabelledMixin):
    """One value of an eForms codelist without a model of its own (``codelist`` names it)."""

    codelist = models.CharField(max_length=64)
    code = models.CharField(max_length=64)
    parent_code = models.CharField(max_length=64, blank=True)
    # Extra columns of the genericode row (e.g. a programme's period), kept as they came.
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["codelist", "code"]
        constraints = [
            models.UniqueConstraint(fields=["codelist", "code"], name="uniq_codelist_code")
        ]
        verbose_name = _("codelist entry")
        verbose_name_plural = _("codelist entries")

    def __str__(self) -> str:
        return f"{self.codelist}:{self.code}"
