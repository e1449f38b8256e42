"""Reads of imported TED notices for the public pages."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from govhub.reference.models import Country, CpvCode

from .models import ExternalAward, ExternalAwardWinner, ExternalLot, ExternalNotice

PAGE_SIZE = 25


def notice_list(
    *, cpv_division: str | None = None, country: str | None = None, page: Any = 1
) -> Page[ExternalNotice]:
    """Imported notices, newest first; corrigenda are shown on the notice they correct."""
    notices: QuerySet[ExternalNotice] = (
        ExternalNotice.objects.exclude(form="F14")
        .select_related("buyer", "cpv_main")
        .order_by("-publication_date", "-id")
    )
    if cpv_division:
        notices = notices.filter(cpv_main__digits__startswith=cpv_division)
    if country:
        notices = notices.filter(country_code=country)
    return Paginator(notices, PAGE_SIZE).get_page(page)


def cpv_divisions() -> list[CpvCode]:
    return list(CpvCode.objects.filter(level=2).order_by("digits"))


def notice_countries() -> list[Country]:
    """The countries notices come from, as reference rows (for their labels)."""
    codes = ExternalNotice.objects.values_list("country_code", flat=True).distinct()
    return sorted(Country.objects.filter(alpha2__in=list(codes)), key=lambda c: c.label)


def notice_detail(public_id: Any) -> ExternalNotice | None:
    winners = ExternalAwardWinner.objects.select_related("organisation").order_by("id")
    return (
        ExternalNotice.objects.select_related("buyer", "buyer__country", "cpv_main")
        .prefetch_related(
            "cpv_additional",
            Prefetch(
                "lots", queryset=ExternalLot.objects.prefetch_related("cpv_codes").order_by("id")
            ),
            Prefetch(
                "awards",
                queryset=ExternalAward.objects.prefetch_related(
                    Prefetch("winners_rel", queryset=winners)
                ).order_by("id"),
            ),
            Prefetch(
                "corrigenda",
                queryset=ExternalNotice.objects.order_by("publication_date", "oj_number"),
            ),
        )
        .filter(public_id=public_id)
        .first()
    )
