"""Opportunities and awards published elsewhere (TED), imported read-only.

These are public records of other platforms, not procurement data of GovHub: nobody edits
them here; ``govhub import-ted`` creates and refreshes them from the published XML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhub.core.models import PublicModel

if TYPE_CHECKING:
    from govhub.organisations.models import Organisation


class ExternalNotice(PublicModel):
    """One TED notice (schema R2.0.9): prior information, contract, award notice, corrigendum…"""

    source = models.CharField(max_length=20, default="ted")
    oj_number = models.CharField(_("OJ S number"), max_length=32, unique=True)  # 2019/S 001-000002
    file_name = models.CharField(max_length=100)
    form = models.CharField(_("form"), max_length=8, db_index=True)  # F01…F25, 16–18, T01/T02
    notice_type = models.CharField(_("notice type"), max_length=200, blank=True)
    publication_date = models.DateField(_("publication date"), null=True, db_index=True)
    original_language = models.CharField(_("original language"), max_length=2, blank=True)
    title = models.TextField(_("title"), blank=True)  # in the original language
    # ML_TITLES: {"en": "...", "fr": "..."} in up to 24 languages
    titles = models.JSONField(_("official titles"), default=dict, blank=True)
    short_description = models.TextField(_("short description"), blank=True)
    cpv_main = models.ForeignKey(
        "reference.CpvCode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("main CPV code"),
    )
    cpv_additional = models.ManyToManyField(
        "reference.CpvCode", blank=True, related_name="+", verbose_name=_("additional CPV codes")
    )
    # As published (NUTS 2013/2016 codes, which the 2024 reference no longer lists in full).
    nuts_codes = models.JSONField(_("place of performance (NUTS)"), default=list, blank=True)
    country_code = models.CharField(max_length=2, blank=True, db_index=True)  # ISO alpha-2
    estimated_value = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    total_value = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    tender_deadline = models.DateTimeField(_("deadline for receipt of tenders"), null=True)
    buyer = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="external_notices",
    )
    procedure_type = models.CharField(_("procedure type"), max_length=200, blank=True)
    contract_nature = models.CharField(_("contract nature"), max_length=100, blank=True)
    url = models.URLField(_("TED page"), max_length=300, blank=True)
    content_hash = models.CharField(max_length=64, db_index=True)  # sha256 of the file's bytes

    # Corrigenda (F14): the notice they correct, what they say, and what was applied.
    corrects_oj_number = models.CharField(max_length=32, blank=True, db_index=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="corrigenda"
    )
    changes = models.JSONField(default=list, blank=True)
    applied_changes = models.JSONField(default=list, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-publication_date", "oj_number"]
        verbose_name = _("external notice")

    def __str__(self) -> str:
        return f"{self.oj_number} {self.title[:80]}"

    @property
    def is_corrigendum(self) -> bool:
        return self.form == "F14"


class ExternalLot(PublicModel):
    notice = models.ForeignKey(ExternalNotice, on_delete=models.CASCADE, related_name="lots")
    number = models.CharField(_("lot"), max_length=50, blank=True)
    title = models.TextField(_("title"), blank=True)
    cpv_codes = models.ManyToManyField(
        "reference.CpvCode", blank=True, related_name="+", verbose_name=_("CPV codes")
    )
    nuts_codes = models.JSONField(default=list, blank=True)
    estimated_value = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)

    class Meta:
        ordering = ["notice", "id"]
        verbose_name = _("external lot")

    def __str__(self) -> str:
        return f"{self.notice.oj_number} lot {self.number}"


class ExternalAward(PublicModel):
    notice = models.ForeignKey(ExternalNotice, on_delete=models.CASCADE, related_name="awards")
    lot_number = models.CharField(_("lot"), max_length=50, blank=True)
    contract_number = models.CharField(_("contract number"), max_length=300, blank=True)
    title = models.TextField(_("title"), blank=True)
    is_awarded = models.BooleanField(default=True)  # False: AWARD_CONTRACT/NO_AWARDED_CONTRACT
    award_date = models.DateField(_("date of the award decision"), null=True, blank=True)
    value = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    tenders_received = models.PositiveIntegerField(null=True, blank=True)
    winners: models.ManyToManyField[Organisation, ExternalAwardWinner] = models.ManyToManyField(
        "organisations.Organisation", through="ExternalAwardWinner", related_name="+"
    )

    class Meta:
        ordering = ["notice", "id"]
        verbose_name = _("external award")

    def __str__(self) -> str:
        return f"{self.notice.oj_number} award {self.lot_number or self.contract_number}"


class ExternalAwardWinner(PublicModel):
    """A winning contractor as the notice publishes it, linked to its organisation record."""

    award = models.ForeignKey(ExternalAward, on_delete=models.CASCADE, related_name="winners_rel")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="external_awards",
    )
    name = models.CharField(max_length=500)
    national_id = models.CharField(max_length=100, blank=True)
    address = models.CharField(max_length=500, blank=True)
    town = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=50, blank=True)
    country_code = models.CharField(max_length=2, blank=True)  # ISO alpha-2
    nuts_code = models.CharField(max_length=5, blank=True)
    is_sme = models.BooleanField(null=True)

    class Meta:
        ordering = ["award", "id"]
        verbose_name = _("external award winner")

    def __str__(self) -> str:
        return self.name
