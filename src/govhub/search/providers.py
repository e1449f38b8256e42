"""What each source shows to search: a registry of providers, one per model.

A provider turns one object into the public facts of its index row, or ``None`` when the
object must not be found (a draft, a withdrawn need, an archived solution…); the indexer
then deletes its row. Only these public views ever reach the index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet
from django.urls import reverse


@dataclass
class IndexFacts:
    title: str
    body: str
    url: str
    public_id: str
    language: str = ""
    cpv_codes: list[str] = field(default_factory=list)  # 8 digits
    country: str = ""
    nuts: str = ""
    status: str = ""
    published: date | None = None
    deadline: datetime | None = None
    value: Decimal | None = None
    currency: str = ""


@dataclass
class Provider:
    kind: str
    model_path: str  # "app_label.Model"
    queryset: Callable[[], QuerySet[Any]]
    facts: Callable[[Any], IndexFacts | None]

    @property
    def model(self) -> type[Model]:
        from django.apps import apps

        return apps.get_model(self.model_path)


REGISTRY: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    REGISTRY[provider.kind] = provider


def providers() -> Iterator[Provider]:
    yield from REGISTRY.values()


def provider_for_model(model: type[Model]) -> Provider | None:
    label = model._meta.label
    return next((p for p in REGISTRY.values() if p.model_path == label), None)


def _digits(codes: Any) -> list[str]:
    return [c.digits for c in codes.all()]


def _nuts(region: Any) -> str:
    return region.code if region is not None else ""


# -- needs ---------------------------------------------------------------------------------
def _needs() -> QuerySet[Any]:
    from govhub.needs.models import InnovationNeed

    return InnovationNeed.objects.select_related(
        "authority__country", "nuts_region"
    ).prefetch_related("cpv_codes")


def _need(need: Any) -> IndexFacts | None:
    if need.status != "published":
        return None
    return IndexFacts(
        title=need.title,
        body="\n".join([need.problem, need.affected, need.expected_outcomes]),
        url=reverse("needs:detail", args=[need.public_id]),
        public_id=str(need.public_id),
        cpv_codes=_digits(need.cpv_codes),
        country=getattr(need.authority.country, "alpha2", "") or "",
        nuts=_nuts(need.nuts_region),
        status=need.status,
        published=need.published_at.date() if need.published_at else None,
        value=need.budget_max or need.budget_min,
        currency=need.currency,
    )


# -- challenges -------------------------------------------------------------------------------
def _challenges() -> QuerySet[Any]:
    from govhub.challenges.models import Challenge

    return Challenge.objects.select_related(
        "lead_authority__country", "nuts_region"
    ).prefetch_related("cpv_codes", "phases")


def _challenge(challenge: Any) -> IndexFacts | None:
    if challenge.status != "published":
        return None
    deadlines = [p.deadline for p in challenge.phases.all() if p.deadline]
    return IndexFacts(
        title=challenge.title,
        body="\n".join([challenge.summary, challenge.description]),
        url=reverse("challenges:detail", args=[challenge.public_id]),
        public_id=str(challenge.public_id),
        cpv_codes=_digits(challenge.cpv_codes),
        country=getattr(challenge.lead_authority.country, "alpha2", "") or "",
        nuts=_nuts(challenge.nuts_region),
        status=challenge.status,
        published=challenge.published_at.date() if challenge.published_at else None,
        deadline=min(deadlines) if deadlines else None,
        value=challenge.total_budget,
        currency=challenge.currency,
    )


# -- imported TED notices ----------------------------------------------------------------------
def _notices() -> QuerySet[Any]:
    from govhub.opportunities.models import ExternalNotice

    return ExternalNotice.objects.exclude(form="F14").select_related("cpv_main")


def _notice(notice: Any) -> IndexFacts | None:
    if notice.form == "F14":
        return None
    codes = [notice.cpv_main.digits] if notice.cpv_main else []
    return IndexFacts(
        title=notice.title or notice.titles.get("en", ""),
        body=notice.short_description,
        url=reverse("opportunities:detail", args=[notice.public_id]),
        public_id=str(notice.public_id),
        language=notice.original_language,
        cpv_codes=codes,
        country=notice.country_code,
        nuts=(notice.nuts_codes or [""])[0][:5],
        status="award"
        if notice.form in {"F03", "F06", "F15", "F21", "F22", "F23", "F24", "F25"}
        else "open",
        published=notice.publication_date,
        deadline=notice.tender_deadline,
        value=notice.total_value or notice.estimated_value,
        currency=notice.currency,
    )


# -- catalogue solutions ----------------------------------------------------------------------
def _solutions() -> QuerySet[Any]:
    from govhub.catalogue.models import Solution

    return Solution.objects.select_related("provider__country").prefetch_related("cpv_codes")


def _solution(solution: Any) -> IndexFacts | None:
    if solution.status != "published":
        return None
    return IndexFacts(
        title=solution.name,
        body="\n".join([solution.summary, solution.description]),
        url=reverse("catalogue:detail", args=[solution.public_id]),
        public_id=str(solution.public_id),
        language=solution.language[:2],
        cpv_codes=_digits(solution.cpv_codes),
        country=getattr(solution.provider.country, "alpha2", "") or "",
        status=solution.status,
        published=solution.updated_at.date() if solution.updated_at else None,
    )


# -- organisations (public facts only) --------------------------------------------------------
def _organisations() -> QuerySet[Any]:
    from govhub.organisations.models import Organisation

    return Organisation.objects.select_related("country", "nuts_region").prefetch_related(
        "cpv_capabilities"
    )


def _organisation(organisation: Any) -> IndexFacts | None:
    if organisation.status == "suspended":
        return None
    return IndexFacts(
        title=organisation.name,
        body=organisation.description,
        url=reverse("organisations:detail", args=[organisation.public_id]),
        public_id=str(organisation.public_id),
        cpv_codes=_digits(organisation.cpv_capabilities),
        country=getattr(organisation.country, "alpha2", "") or "",
        nuts=_nuts(organisation.nuts_region),
        status=organisation.kind,
    )


register(Provider("need", "needs.InnovationNeed", _needs, _need))
register(Provider("challenge", "challenges.Challenge", _challenges, _challenge))
register(Provider("opportunity", "opportunities.ExternalNotice", _notices, _notice))
register(Provider("solution", "catalogue.Solution", _solutions, _solution))
register(Provider("organisation", "organisations.Organisation", _organisations, _organisation))
