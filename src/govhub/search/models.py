"""Search across GovHub: one index row per searchable item, and users' saved searches.

Rows are written only by :mod:`govhub.search.indexing` from the providers' public view of
each item (published needs, challenges and solutions; imported notices; organisations'
public facts): a draft, a sealed proposal or anything private never reaches this table.
The text engine (SQLite FTS5 or PostgreSQL full-text) indexes ``stems`` and ``concepts``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhub.core.models import PublicModel


class DocumentKind(models.TextChoices):
    NEED = "need", _("Innovation need")
    CHALLENGE = "challenge", _("Challenge")
    OPPORTUNITY = "opportunity", _("External opportunity")
    SOLUTION = "solution", _("Catalogue solution")
    ORGANISATION = "organisation", _("Organisation")


class SearchDocument(models.Model):
    kind = models.CharField(max_length=20, choices=DocumentKind.choices, db_index=True)
    object_id = models.CharField(max_length=64)
    public_id = models.CharField(max_length=64)
    url = models.CharField(max_length=300)
    title = models.TextField()
    body = models.TextField(blank=True)
    language = models.CharField(max_length=8, blank=True)
    # What the text engine indexes: stems of title (twice) and body; CPV concept tokens.
    stems = models.TextField(blank=True)
    concepts = models.TextField(blank=True)
    cpv_codes = models.JSONField(default=list, blank=True)
    cpv_division = models.CharField(max_length=2, blank=True, db_index=True)
    country = models.CharField(max_length=2, blank=True, db_index=True)
    nuts = models.CharField(max_length=5, blank=True, db_index=True)
    status = models.CharField(max_length=30, blank=True, db_index=True)
    published = models.DateField(null=True, blank=True, db_index=True)
    deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    value = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    indexed_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="uniq_search_document")
        ]
        indexes = [
            # Recommendation candidates: the newest items of a kind in a CPV division.
            models.Index(
                fields=["kind", "cpv_division", "-published", "-id"], name="search_doc_kind_cpv"
            )
        ]
        verbose_name = _("search document")

    def __str__(self) -> str:
        return f"{self.kind} {self.title[:60]}"


class SearchTerm(models.Model):
    """A word of the index, for typo tolerance: a few thousand words to compare a misspelt one
    with, instead of reading every document's words. Words of removed documents may stay
    (the typo path checks its suggestions against the live index)."""

    term = models.CharField(max_length=64, primary_key=True)

    def __str__(self) -> str:
        return self.term


class SavedSearch(PublicModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=200)
    query = models.CharField(_("search words"), max_length=300, blank=True)
    filters = models.JSONField(default=dict, blank=True)
    alerts = models.BooleanField(_("email me new matches"), default=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("saved search")

    def __str__(self) -> str:
        return self.name
