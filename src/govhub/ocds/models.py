"""OCDS publication (built from challenges, no tables) and OCDS data imported from elsewhere.

Imported contracting processes are public records of other publishers, kept read-only as
``govhub import-ocds`` found them: every release as published (after upgrading OCDS 1.0
shapes), the compiled release merged from them (or the publisher's own compiled release
when a record links its releases without content), and a summary for lists and search.
They do not fit the TED models of ``opportunities`` (an OJ S number, a TED form, EU codes
and an EU buyer are required there), hence these tables.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhub.core.models import PublicModel


class ImportedProcess(PublicModel):
    """One contracting process (``ocid``) published by another OCDS publisher."""

    ocid = models.CharField(_("Open Contracting ID"), max_length=255, unique=True)
    source_file = models.CharField(_("source file"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    title = models.TextField(_("title"), blank=True)
    description = models.TextField(_("description"), blank=True)
    buyer_name = models.CharField(_("buyer"), max_length=500, blank=True)
    buyer_id = models.CharField(max_length=300, blank=True)
    tender_status = models.CharField(_("tender status"), max_length=50, blank=True)
    procurement_method = models.CharField(_("procurement method"), max_length=50, blank=True)
    main_procurement_category = models.CharField(max_length=50, blank=True)
    value = models.DecimalField(max_digits=24, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    tender_start = models.DateTimeField(null=True, blank=True)
    tender_end = models.DateTimeField(_("deadline for tenders"), null=True, blank=True)
    cpv_codes = models.JSONField(_("CPV codes"), default=list, blank=True)
    date = models.DateTimeField(_("last release"), null=True, blank=True, db_index=True)
    release_count = models.PositiveIntegerField(default=0)
    compiled_release = models.JSONField(default=dict, blank=True)
    content_hash = models.CharField(max_length=64)  # sha256 of the compiled release

    class Meta:
        ordering = ["-date", "ocid"]
        verbose_name = _("imported contracting process")

    def __str__(self) -> str:
        return self.ocid


class ImportedRelease(PublicModel):
    process = models.ForeignKey(ImportedProcess, on_delete=models.CASCADE, related_name="releases")
    release_id = models.CharField(max_length=500)
    date = models.DateTimeField(null=True, blank=True)
    tags = models.JSONField(default=list, blank=True)
    data = models.JSONField()
    sha256 = models.CharField(max_length=64)
    # The file it came from: only that file may change it (another file publishing the same
    # release id with other content is reported as a conflict, so re-imports are stable).
    source_file = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["process", "date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["process", "release_id"], name="uniq_ocds_release_id")
        ]

    def __str__(self) -> str:
        return self.release_id


class ImportedAward(PublicModel):
    process = models.ForeignKey(ImportedProcess, on_delete=models.CASCADE, related_name="awards")
    award_id = models.CharField(max_length=500, blank=True)
    title = models.TextField(blank=True)
    status = models.CharField(max_length=50, blank=True)
    date = models.DateTimeField(null=True, blank=True)
    value = models.DecimalField(max_digits=24, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    # [{"id": "...", "name": "..."}] as published (organisation references).
    suppliers = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["process", "id"]

    def __str__(self) -> str:
        return f"{self.process.ocid} award {self.award_id}"
