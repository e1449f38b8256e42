"""Reads of the catalogue. The faceted list runs a fixed number of queries whatever the page
size: one per facet (aggregates), one count, one page and its prefetches."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from govhub.challenges.models import Challenge
from govhub.organisations import permissions as org_permissions
from govhub.organisations.models import Membership, Organisation
from govhub.reference.models import CodelistEntry, Country

from . import permissions, rules
from .models import (
    Adoption,
    AdoptionStatus,
    AiRiskCategory,
    DeliveryModel,
    InteroperabilityLevel,
    ModerationStep,
    Review,
    Solution,
    SolutionCategory,
    SolutionCategoryLink,
    SolutionStatus,
    SolutionTranslation,
)

PAGE_SIZE = 20

SORTS = ("name", "newest", "most_adopted", "best_rated")


@dataclass
class Filters:
    query: str = ""
    categories: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # alpha-3 codes
    licences: list[str] = field(default_factory=list)
    delivery_models: list[str] = field(default_factory=list)
    ai_risk_categories: list[str] = field(default_factory=list)
    interoperability_levels: list[str] = field(default_factory=list)
    open_source: bool = False
    adopted_in: str = ""  # alpha-3 code of a country where an authority uses it


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class CatalogueResult:
    page: Page[Solution]
    facets: dict[str, list[FacetValue]]
    open_source_count: int
    adopted_in_count: int | None


def _adoptions_active() -> QuerySet[Adoption]:
    return Adoption.objects.filter(status=AdoptionStatus.ACTIVE)


def _apply(qs: QuerySet[Solution], filters: Filters, skip: str = "") -> QuerySet[Solution]:
    text = filters.query.strip()
    if text:
        # A subquery, not a join: no duplicate rows, so no DISTINCT for the counts to undo.
        translated = SolutionTranslation.objects.filter(
            Q(name__icontains=text) | Q(summary__icontains=text)
        ).values("solution_id")
        qs = qs.filter(Q(name__icontains=text) | Q(summary__icontains=text) | Q(pk__in=translated))
    if filters.categories and skip != "category":
        qs = qs.filter(
            pk__in=SolutionCategoryLink.objects.filter(category__in=filters.categories).values(
                "solution_id"
            )
        )
    if filters.countries and skip != "country":
        through = Solution.supported_countries.through
        qs = qs.filter(
            pk__in=through.objects.filter(country__code__in=filters.countries).values("solution_id")
        )
    if filters.licences and skip != "licence":
        qs = qs.filter(licence__in=filters.licences)
    if filters.delivery_models and skip != "delivery_model":
        qs = qs.filter(delivery_model__in=filters.delivery_models)
    if filters.ai_risk_categories and skip != "ai_risk_category":
        qs = qs.filter(ai_risk_category__in=filters.ai_risk_categories)
    if filters.interoperability_levels and skip != "interoperability_level":
        qs = qs.filter(interoperability_level__in=filters.interoperability_levels)
    if filters.open_source and skip != "open_source":
        qs = qs.filter(is_open_source=True)
    if filters.adopted_in and skip != "adopted_in":
        qs = qs.filter(
            Exists(
                _adoptions_active().filter(
                    solution=OuterRef("pk"), authority__country__code=filters.adopted_in
                )
            )
        )
    return qs


def published() -> QuerySet[Solution]:
    return Solution.objects.filter(status=SolutionStatus.PUBLISHED)


def with_reuse_figures(qs: QuerySet[Solution]) -> QuerySet[Solution]:
    """Adoption count, adopting countries and average rating, as correlated subqueries (no
    join multiplies the rows)."""
    adoptions = _adoptions_active().filter(solution=OuterRef("pk")).order_by().values("solution")
    ratings = Review.objects.filter(solution=OuterRef("pk")).order_by().values("solution")
    return qs.annotate(
        adoption_count=Coalesce(
            Subquery(adoptions.annotate(n=Count("pk")).values("n")[:1]),
            Value(0),
            output_field=IntegerField(),
        ),
        adoption_countries=Coalesce(
            Subquery(
                adoptions.annotate(n=Count("authority__country", distinct=True)).values("n")[:1]
            ),
            Value(0),
            output_field=IntegerField(),
        ),
        average_rating=Subquery(ratings.annotate(a=Avg("rating")).values("a")[:1]),
        review_count=Coalesce(
            Subquery(ratings.annotate(n=Count("pk")).values("n")[:1]),
            Value(0),
            output_field=IntegerField(),
        ),
    )


def _ordered(qs: QuerySet[Solution], sort: str) -> QuerySet[Solution]:
    if sort == "newest":
        return qs.order_by(F("published_at").desc(nulls_last=True), "-created_at", "id")
    if sort == "most_adopted":
        return qs.order_by("-adoption_count", "name", "id")
    if sort == "best_rated":
        return qs.order_by(F("average_rating").desc(nulls_last=True), "name", "id")
    return qs.order_by("name", "id")


def _choice_facet(
    qs: QuerySet[Solution], field_name: str, choices: Any, selected: list[str]
) -> list[FacetValue]:
    counts = dict(
        qs.order_by()
        .exclude(**{field_name: ""})
        .values_list(field_name)
        .annotate(n=Count("pk", distinct=True))
    )
    labels = dict(choices.choices) if choices is not None else {}
    values = list(labels) if labels else sorted(counts)
    return [
        FacetValue(
            value=value,
            label=str(labels.get(value, value)),
            count=counts.get(value, 0),
            selected=value in selected,
        )
        for value in values
        if counts.get(value) or value in selected
    ]


def solution_search(
    *,
    filters: Filters,
    sort: str = "name",
    page: Any = 1,
    per_page: int = PAGE_SIZE,
    my_country: str = "",
) -> CatalogueResult:
    """One page of the published entries matching the filters, with the facets' counts (each
    facet counted with every other filter applied, so choosing a value shows how many more
    another value adds)."""
    base = published()
    facets: dict[str, list[FacetValue]] = {}

    cat_qs = _apply(base, filters, skip="category")
    cat_counts = dict(
        SolutionCategoryLink.objects.filter(solution__in=cat_qs.values("pk"))
        .values_list("category")
        .annotate(n=Count("solution", distinct=True))
    )
    facets["category"] = [
        FacetValue(str(value), str(label), cat_counts.get(value, 0), value in filters.categories)
        for value, label in SolutionCategory.choices
        if cat_counts.get(value) or value in filters.categories
    ]

    country_qs = _apply(base, filters, skip="country")
    through = Solution.supported_countries.through
    rows = (
        through.objects.filter(solution__in=country_qs.values("pk"))
        .values_list("country__code", "country__labels")
        .annotate(n=Count("solution", distinct=True))
    )
    country_values = [
        FacetValue(code, Country(code=code, labels=labels).label, n, code in filters.countries)
        for code, labels, n in rows
    ]
    chosen = {v.value for v in country_values}
    missing = [code for code in filters.countries if code not in chosen]
    if missing:
        country_values += [
            FacetValue(c.code, c.label, 0, True) for c in Country.objects.filter(code__in=missing)
        ]
    facets["country"] = sorted(country_values, key=lambda v: v.label)

    facets["licence"] = _choice_facet(
        _apply(base, filters, skip="licence"), "licence", None, filters.licences
    )
    facets["delivery_model"] = _choice_facet(
        _apply(base, filters, skip="delivery_model"),
        "delivery_model",
        DeliveryModel,
        filters.delivery_models,
    )
    facets["ai_risk_category"] = _choice_facet(
        _apply(base, filters, skip="ai_risk_category"),
        "ai_risk_category",
        AiRiskCategory,
        filters.ai_risk_categories,
    )
    facets["interoperability_level"] = _choice_facet(
        _apply(base, filters, skip="interoperability_level"),
        "interoperability_level",
        InteroperabilityLevel,
        filters.interoperability_levels,
    )
    os_count = _apply(base, filters, skip="open_source").filter(is_open_source=True).count()
    adopted_count: int | None = None
    if my_country:
        adopted_count = (
            _apply(base, filters, skip="adopted_in")
            .filter(
                Exists(
                    _adoptions_active().filter(
                        solution=OuterRef("pk"), authority__country__code=my_country
                    )
                )
            )
            .count()
        )

    results = with_reuse_figures(_apply(base, filters))
    results = _ordered(results, sort if sort in SORTS else "name")
    results = results.select_related("provider__country").prefetch_related(
        Prefetch("categories", queryset=SolutionCategoryLink.objects.order_by("category"))
    )
    page_obj = Paginator(results, per_page).get_page(page)
    return CatalogueResult(
        page=page_obj,
        facets=facets,
        open_source_count=os_count,
        adopted_in_count=adopted_count,
    )


def viewer_country(user: Any) -> Country | None:
    """The country of the viewer's (first) organisation: "adopted in my country"."""
    if not org_permissions.is_signed_in(user):
        return None
    membership = (
        Membership.objects.filter(user=user)
        .select_related("organisation__country")
        .order_by("organisation__kind", "created_at")
        .first()
    )
    return membership.organisation.country if membership else None


# Detail ------------------------------------------------------------------------------------


def solution_detail(*, public_id: UUID | str) -> Solution | None:
    return (
        with_reuse_figures(Solution.objects.all())
        .select_related("provider__country")
        .prefetch_related(
            "cpv_codes",
            "supported_countries",
            "translations",
            Prefetch("categories", queryset=SolutionCategoryLink.objects.order_by("category")),
        )
        .filter(public_id=public_id)
        .first()
    )


@dataclass
class RegionGroup:
    code: str
    label: str
    adoptions: list[Adoption]


@dataclass
class ReuseSummary:
    authorities: int
    countries: int
    regions: list[RegionGroup]
    ended: list[Adoption]


def reuse_summary(solution: Solution) -> ReuseSummary:
    """Who uses the entry, grouped by NUTS region (the adoption's, else its authority's)."""
    adoptions = list(
        Adoption.objects.filter(solution=solution)
        .select_related(
            "authority__country", "authority__nuts_region", "nuts_region", "challenge", "review"
        )
        .order_by("nuts_region__code", "authority__name")
    )
    active = [a for a in adoptions if a.status == AdoptionStatus.ACTIVE]
    groups: OrderedDict[str, RegionGroup] = OrderedDict()

    def region_of(adoption: Adoption) -> Any:
        return adoption.nuts_region or adoption.authority.nuts_region

    def sort_key(adoption: Adoption) -> tuple[str, str]:
        region = region_of(adoption)
        code = region.code if region else "~" + adoption.authority.country.code
        return code, adoption.authority.name

    for adoption in sorted(active, key=sort_key):
        region = region_of(adoption)
        key = region.code if region else adoption.authority.country.code
        label = f"{region.code} {region.label}" if region else adoption.authority.country.label
        groups.setdefault(key, RegionGroup(key, label, [])).adoptions.append(adoption)
    return ReuseSummary(
        authorities=len({a.authority_id for a in active}),
        countries=len({a.authority.country_id for a in active}),
        regions=list(groups.values()),
        ended=[a for a in adoptions if a.status != AdoptionStatus.ACTIVE],
    )


@dataclass
class LanguageVersion:
    language: str
    name: str
    summary: str
    description: str


def language_versions(solution: Solution) -> list[LanguageVersion]:
    """The entry's text in its own language first, then each translation (prefetched)."""
    versions = [
        LanguageVersion(solution.language, solution.name, solution.summary, solution.description)
    ]
    versions += [
        LanguageVersion(t.language, t.name, t.summary, t.description)
        for t in solution.translations.all()
        if t.language != solution.language
    ]
    return versions


def reviews_of(solution: Solution) -> list[Review]:
    return list(
        Review.objects.filter(solution=solution)
        .select_related("adoption__authority__country")
        .order_by("-created_at")
    )


def moderation_history(solution: Solution) -> list[ModerationStep]:
    return list(ModerationStep.objects.filter(solution=solution).select_related("actor"))


@dataclass
class SustainabilityLabel:
    energy_label: str
    environmental_impacts: list[str]
    gpp_criteria: list[str]
    renewable_share: int | None
    pue: Any
    notes: str

    @property
    def is_empty(self) -> bool:
        return not (
            self.energy_label
            or self.environmental_impacts
            or self.gpp_criteria
            or self.renewable_share is not None
            or self.pue is not None
            or self.notes
        )


def sustainability_label(solution: Solution) -> SustainabilityLabel:
    """The entry's energy and environment facts with the codelists' labels (one query)."""
    codes = [solution.energy_efficiency_label, *solution.environmental_impacts]
    codes += list(solution.gpp_criteria)
    entries = {
        (e.codelist, e.code): e.label
        for e in CodelistEntry.objects.filter(
            codelist__in=[rules.ENERGY_LABELS, rules.ENVIRONMENTAL_IMPACT, rules.GPP_CRITERIA],
            code__in=[c for c in codes if c],
        )
    }
    return SustainabilityLabel(
        energy_label=entries.get(
            (rules.ENERGY_LABELS, solution.energy_efficiency_label),
            solution.energy_efficiency_label,
        ),
        environmental_impacts=[
            entries.get((rules.ENVIRONMENTAL_IMPACT, c), c) for c in solution.environmental_impacts
        ],
        gpp_criteria=[entries.get((rules.GPP_CRITERIA, c), c) for c in solution.gpp_criteria],
        renewable_share=solution.hosting_renewable_share,
        pue=solution.hosting_pue,
        notes=solution.hosting_notes,
    )


def codelist_choices(codelist: str) -> list[tuple[str, str]]:
    entries = list(CodelistEntry.objects.filter(codelist=codelist).order_by("code"))
    return [(e.code, e.label) for e in entries]


# Lists for the signed-in -------------------------------------------------------------------


def providing_organisations(*, user: Any) -> list[Organisation]:
    if not org_permissions.is_signed_in(user):
        return []
    orgs = Organisation.objects.filter(memberships__user=user).order_by("name")
    return [org for org in orgs if permissions.can_provide(org)]


def organisation_solutions(*, organisations: list[Organisation]) -> list[Solution]:
    return list(
        with_reuse_figures(Solution.objects.filter(provider__in=organisations))
        .select_related("provider")
        .order_by("provider__name", "name", "id")
    )


def moderation_queue() -> list[Solution]:
    return list(
        Solution.objects.filter(status=SolutionStatus.PROPOSED)
        .select_related("provider__country")
        .order_by("proposed_at", "id")
    )


def adopting_authorities(*, user: Any) -> list[Organisation]:
    """The verified authorities the user may record adoptions for."""
    if not org_permissions.is_signed_in(user):
        return []
    orgs = (
        Organisation.objects.filter(memberships__user=user)
        .filter(Q(memberships__is_buyer=True) | Q(memberships__is_admin=True))
        .select_related("country", "nuts_region")
        .distinct()
        .order_by("name")
    )
    return [org for org in orgs if permissions.can_adopt_for(user, org)]


def adoption_detail(*, solution: Solution, public_id: UUID | str) -> Adoption | None:
    return (
        Adoption.objects.select_related("authority__country", "solution", "nuts_region")
        .filter(solution=solution, public_id=public_id)
        .first()
    )


def review_for(adoption: Adoption) -> Review | None:
    return Review.objects.filter(adoption=adoption).first()


def viewer_adoptions(*, user: Any, solution: Solution) -> list[Adoption]:
    """The adoptions of the entry by authorities the viewer belongs to (to review or edit)."""
    if not org_permissions.is_signed_in(user):
        return []
    return list(
        Adoption.objects.filter(solution=solution, authority__memberships__user=user)
        .select_related("authority", "review")
        .distinct()
    )


def challenge_by_public_id(public_id: UUID | str) -> Challenge | None:
    return (
        Challenge.objects.select_related("lead_authority__country")
        .filter(public_id=public_id)
        .first()
    )


def winner_solutions(company_ids: frozenset[int]) -> list[Solution]:
    return list(
        published()
        .filter(provider_id__in=company_ids)
        .select_related("provider")
        .order_by("provider__name", "name")
    )
