"""Catalogue pages. Thin: parse the request, check the object-level right, call one service,
render. Unknown ids and entries the viewer may not see give 404, a missing right 403; a
refused change is shown on the form with everything typed kept."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from govhub.core.errors import Conflict, DomainError
from govhub.core.http import posted as _posted
from govhub.core.http import require as _require
from govhub.organisations import permissions as org_permissions

from . import permissions, rules, selectors, services
from .forms import (
    AdoptFromChallengeForm,
    AdoptionForm,
    ModerationForm,
    NoteForm,
    ReviewForm,
    SolutionForm,
    TranslationForm,
    show_domain_error,
)
from .models import (
    AdoptionStatus,
    AiRiskCategory,
    DeliveryModel,
    InteroperabilityLevel,
    Solution,
    SolutionCategory,
    SolutionStatus,
)

FACET_PARAMS = {
    "category": ("categories", SolutionCategory.values),
    "country": ("countries", None),
    "licence": ("licences", None),
    "delivery": ("delivery_models", DeliveryModel.values),
    "ai_risk": ("ai_risk_categories", AiRiskCategory.values),
    "interop": ("interoperability_levels", InteroperabilityLevel.values),
}
FACET_TITLES = {
    "category": gettext_lazy("Category"),
    "country": gettext_lazy("Offered in"),
    "licence": gettext_lazy("Licence"),
    "delivery_model": gettext_lazy("Delivery model"),
    "ai_risk_category": gettext_lazy("AI Act risk category"),
    "interoperability_level": gettext_lazy("Interoperability level"),
}
FACET_PARAM_OF = {
    "category": "category",
    "country": "country",
    "licence": "licence",
    "delivery_model": "delivery",
    "ai_risk_category": "ai_risk",
    "interoperability_level": "interop",
}


def _solution(request: HttpRequest, public_id: UUID) -> Solution:
    solution = selectors.solution_detail(public_id=public_id)
    if solution is None or not permissions.can_view(request.user, solution):
        raise Http404
    return solution


def _parse_filters(request: HttpRequest, my_country: str) -> selectors.Filters:
    filters = selectors.Filters(query=request.GET.get("q", "").strip()[:200])
    for param, (attr, allowed) in FACET_PARAMS.items():
        values = [v for v in request.GET.getlist(param) if v][:50]
        if allowed is not None:
            values = [v for v in values if v in allowed]
        setattr(filters, attr, values)
    filters.open_source = request.GET.get("open_source") == "1"
    if request.GET.get("adopted_here") == "1" and my_country:
        filters.adopted_in = my_country
    return filters


def solution_list(request: HttpRequest) -> HttpResponse:
    country = selectors.viewer_country(request.user)
    my_country = country.code if country else ""
    filters = _parse_filters(request, my_country)
    sort = request.GET.get("sort", "name")
    if sort not in selectors.SORTS:
        sort = "name"
    result = selectors.solution_search(
        filters=filters, sort=sort, page=request.GET.get("page", 1), my_country=my_country
    )
    query = urlencode(
        [
            (key, value)
            for key in request.GET
            if key != "page"
            for value in request.GET.getlist(key)
            if value
        ]
    )
    facets = [
        {
            "name": name,
            "param": FACET_PARAM_OF[name],
            "title": FACET_TITLES[name],
            "values": values,
        }
        for name, values in result.facets.items()
    ]
    context = {
        "result": result,
        "page": result.page,
        "solutions": result.page.object_list,
        "facets": facets,
        "filters": filters,
        "sort": sort,
        "sorts": [
            ("name", _("Name")),
            ("newest", _("Newest")),
            ("most_adopted", _("Most adopted")),
            ("best_rated", _("Best rated")),
        ],
        "query": query,
        "my_country": country,
        "adopted_here": bool(filters.adopted_in),
        "has_filters": any(key != "sort" for key in request.GET if key != "page"),
    }
    template = (
        "catalogue/_catalogue.html" if getattr(request, "htmx", False) else "catalogue/list.html"
    )
    return render(request, template, context)


def solution_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    solution = _solution(request, public_id)
    user = request.user
    can_manage = permissions.can_manage(user, solution)
    adoptions = selectors.viewer_adoptions(user=user, solution=solution)
    versions = selectors.language_versions(solution)
    page_language = (get_language() or "en")[:2]
    shown = next((v for v in versions if v.language == page_language), versions[0])
    context: dict[str, Any] = {
        "solution": solution,
        "shown": shown,
        "other_versions": [v for v in versions if v is not shown],
        "page_language": page_language,
        "categories": [link.get_category_display() for link in solution.categories.all()],
        "cpv_codes": list(solution.cpv_codes.all()),
        "countries": list(solution.supported_countries.all()),
        "reuse": selectors.reuse_summary(solution),
        "reviews": selectors.reviews_of(solution),
        "history": selectors.moderation_history(solution),
        "sustainability": selectors.sustainability_label(solution),
        "can_manage": can_manage,
        "can_edit": permissions.can_edit(user, solution),
        "can_propose": permissions.can_propose(user, solution),
        "can_withdraw": permissions.can_withdraw_proposal(user, solution),
        "can_archive": permissions.can_archive(user, solution) and can_manage,
        "can_reopen": permissions.can_reopen(user, solution),
        "can_moderate": permissions.can_moderate(user)
        and solution.status in (SolutionStatus.PROPOSED, SolutionStatus.PUBLISHED),
        "problems": rules.publication_problems(solution)
        if can_manage and solution.status != SolutionStatus.PUBLISHED
        else {},
        "field_labels": {name: SolutionForm.base_fields[name].label for name in rules.MANDATORY},
        "adoptable_by": [
            org
            for org in selectors.adopting_authorities(user=user)
            if org.pk not in {a.authority_id for a in adoptions}
        ]
        if solution.status == SolutionStatus.PUBLISHED
        else [],
        "my_adoptions": adoptions,
    }
    return render(request, "catalogue/detail.html", context)


def _providers(request: HttpRequest) -> list[Any]:
    return selectors.providing_organisations(user=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def solution_create(request: HttpRequest) -> HttpResponse:
    providers = _providers(request)
    _require(bool(providers))
    form = SolutionForm(
        _posted(request),
        providers=providers,
        initial={"language": (request.LANGUAGE_CODE or "en")[:2], "is_software": True},
    )
    if request.method == "POST" and form.is_valid():
        provider = form.cleaned_data.get("provider") or providers[0]
        try:
            solution = services.solution_create(
                actor=request.user, provider=provider, **form.content()
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your draft has been saved. Only members of %(organisation)s and the "
                    "moderators can see it until it is published."
                )
                % {"organisation": provider.name},
            )
            return redirect("catalogue:detail", public_id=solution.public_id)
    return render(request, "catalogue/form.html", {"form": form, "solution": None})


@login_required
@require_http_methods(["GET", "POST"])
def solution_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    solution = _solution(request, public_id)
    _require(permissions.can_manage(request.user, solution))
    if not permissions.can_edit(request.user, solution):
        messages.info(
            request,
            _("An entry that is “%(status)s” cannot be changed.")
            % {"status": solution.get_status_display()},
        )
        return redirect("catalogue:detail", public_id=solution.public_id)
    form = SolutionForm(_posted(request), initial=SolutionForm.initial_for(solution), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.solution_update(
                actor=request.user,
                solution=solution,
                version=form.cleaned_data["version"],
                **form.content(),
            )
        except Conflict as error:
            data = request.POST.copy()
            current = selectors.solution_detail(public_id=solution.public_id)
            if current is None:  # pragma: no cover - entries are never deleted
                raise Http404 from error
            data["version"] = str(current.version)
            form = SolutionForm(data, initial=SolutionForm.initial_for(current), editing=True)
            form.is_valid()
            form.add_error(None, error.message)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("catalogue:detail", public_id=solution.public_id)
    return render(request, "catalogue/form.html", {"form": form, "solution": solution})


def _languages_for(solution: Solution, taken: set[str]) -> list[tuple[str, str]]:
    codes = [code for code, _name in settings.LANGUAGES]
    codes += ["nl", "es", "pt", "pl", "sv", "da", "fi", "cs", "el", "hu", "ro", "sk", "sl"]
    codes += ["hr", "bg", "et", "lv", "ga", "mt"]
    seen: list[tuple[str, str]] = []
    for code in codes:
        if code != solution.language and code not in taken and code not in dict(seen):
            seen.append((code, str(rules.language_name(code))))
    return seen


@login_required
@require_http_methods(["GET", "POST"])
def translations(request: HttpRequest, public_id: UUID) -> HttpResponse:
    solution = _solution(request, public_id)
    _require(permissions.can_manage(request.user, solution))
    existing = list(solution.translations.all())
    editable = permissions.can_edit(request.user, solution)
    form = TranslationForm(
        _posted(request), languages=_languages_for(solution, {t.language for t in existing})
    )
    if request.method == "POST" and editable and form.is_valid():
        try:
            services.translation_add(actor=request.user, solution=solution, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The translation has been added."))
            return redirect("catalogue:translations", public_id=solution.public_id)
    return render(
        request,
        "catalogue/translations.html",
        {"solution": solution, "translations": existing, "form": form, "editable": editable},
    )


def _translation(solution: Solution, language: str) -> Any:
    for translation in solution.translations.all():
        if translation.language == language:
            return translation
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def translation_edit(request: HttpRequest, public_id: UUID, language: str) -> HttpResponse:
    solution = _solution(request, public_id)
    _require(permissions.can_edit(request.user, solution))
    translation = _translation(solution, language)
    form = TranslationForm(
        _posted(request),
        languages=[(translation.language, rules.language_name(translation.language))],
        initial={
            "language": translation.language,
            "name": translation.name,
            "summary": translation.summary,
            "description": translation.description,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.translation_update(
                actor=request.user,
                translation=translation,
                name=form.cleaned_data["name"],
                summary=form.cleaned_data["summary"],
                description=form.cleaned_data["description"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The translation has been saved."))
            return redirect("catalogue:translations", public_id=solution.public_id)
    return render(
        request,
        "catalogue/translation_form.html",
        {"solution": solution, "translation": translation, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def translation_remove(request: HttpRequest, public_id: UUID, language: str) -> HttpResponse:
    solution = _solution(request, public_id)
    _require(permissions.can_edit(request.user, solution))
    translation = _translation(solution, language)
    error = None
    if request.method == "POST":
        try:
            services.translation_remove(actor=request.user, translation=translation)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("The translation has been removed."))
            return redirect("catalogue:translations", public_id=solution.public_id)
    return render(
        request,
        "organisations/confirm.html",
        {
            "title": _("Remove the %(language)s translation?")
            % {"language": rules.language_name(language)},
            "body": _("Buyers reading %(language)s will see the entry in its own language.")
            % {"language": rules.language_name(language)},
            "button": _("Remove translation"),
            "warning": True,
            "error": error,
            "back_url": reverse("catalogue:translations", args=[solution.public_id]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def solution_propose(request: HttpRequest, public_id: UUID) -> HttpResponse:
    solution = _solution(request, public_id)
    _require(permissions.can_manage(request.user, solution))
    if not permissions.can_propose(request.user, solution):
        messages.info(request, _("This entry cannot be proposed for publication now."))
        return redirect("catalogue:detail", public_id=solution.public_id)
    form = NoteForm(_posted(request), initial={"version": solution.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.solution_propose(
                actor=request.user,
                solution=solution,
                version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The entry is proposed for publication. A moderator will check it."),
            )
            return redirect("catalogue:detail", public_id=solution.public_id)
    return render(
        request,
        "catalogue/propose.html",
        {
            "solution": solution,
            "form": form,
            "problems": rules.publication_problems(solution),
            "field_labels": {
                name: SolutionForm.base_fields[name].label for name in rules.MANDATORY
            },
        },
    )


def _provider_move(
    request: HttpRequest,
    public_id: UUID,
    *,
    allowed: Any,
    service: Any,
    title: str,
    body: str,
    button: str,
    done: str,
) -> HttpResponse:
    solution = _solution(request, public_id)
    _require(
        permissions.can_manage(request.user, solution) or permissions.can_moderate(request.user)
    )
    if not allowed(request.user, solution):
        raise Http404
    form = NoteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            if service is services.solution_withdraw_proposal:
                service(actor=request.user, solution=solution, note=form.cleaned_data["note"])
            else:
                service(actor=request.user, solution=solution, reason=form.cleaned_data["note"])
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect("catalogue:detail", public_id=solution.public_id)
    return render(
        request,
        "catalogue/move.html",
        {"solution": solution, "form": form, "title": title, "body": body, "button": button},
    )


@login_required
@require_http_methods(["GET", "POST"])
def solution_withdraw(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _provider_move(
        request,
        public_id,
        allowed=permissions.can_withdraw_proposal,
        service=services.solution_withdraw_proposal,
        title=_("Take the entry back to draft?"),
        body=_("The moderators will no longer review it. Propose it again when it is ready."),
        button=_("Take back to draft"),
        done=_("The entry is a draft again."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def solution_archive(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _provider_move(
        request,
        public_id,
        allowed=lambda user, s: (
            permissions.can_archive(user, s) and permissions.can_manage(user, s)
        ),
        service=services.solution_archive,
        title=_("Archive this entry?"),
        body=_("It leaves the public catalogue. Adoptions and reviews are kept."),
        button=_("Archive entry"),
        done=_("The entry has been archived."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def solution_reopen(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _provider_move(
        request,
        public_id,
        allowed=permissions.can_reopen,
        service=services.solution_reopen,
        title=_("Reopen this entry as a draft?"),
        body=_("You can then update it and propose it for publication again."),
        button=_("Reopen as draft"),
        done=_("The entry is a draft again."),
    )


@login_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    _require(permissions.can_moderate(request.user))
    return render(request, "catalogue/moderation.html", {"solutions": selectors.moderation_queue()})


@login_required
@require_http_methods(["GET", "POST"])
def solution_moderate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    solution = _solution(request, public_id)
    _require(permissions.can_moderate(request.user))
    decisions = []
    if permissions.can_publish(request.user, solution):
        decisions.append("publish")
    if permissions.can_request_update(request.user, solution):
        decisions.append("request_update")
    if permissions.can_archive(request.user, solution):
        decisions.append("archive")
    if not decisions:
        messages.info(request, _("There is nothing to decide on this entry now."))
        return redirect("catalogue:detail", public_id=solution.public_id)
    form = ModerationForm(_posted(request), decisions=decisions)
    actions = {
        "publish": (services.solution_publish, _("The entry is published.")),
        "request_update": (
            services.solution_request_update,
            _("The entry has been sent back to its provider."),
        ),
        "archive": (services.solution_archive, _("The entry has been archived.")),
    }
    if request.method == "POST" and form.is_valid():
        service, done = actions[form.cleaned_data["decision"]]
        try:
            service(actor=request.user, solution=solution, reason=form.cleaned_data["reason"])
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect("catalogue:moderation")
    return render(
        request,
        "catalogue/moderate.html",
        {
            "solution": solution,
            "form": form,
            "problems": rules.publication_problems(solution),
            "field_labels": {
                name: SolutionForm.base_fields[name].label for name in rules.MANDATORY
            },
            "history": selectors.moderation_history(solution),
        },
    )


@login_required
def my_solutions(request: HttpRequest) -> HttpResponse:
    providers = _providers(request)
    return render(
        request,
        "catalogue/mine.html",
        {
            "providers": providers,
            "solutions": selectors.organisation_solutions(organisations=providers),
        },
    )


# Adoptions and reviews -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def adoption_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    solution = _solution(request, public_id)
    taken = {
        a.authority_id for a in selectors.viewer_adoptions(user=request.user, solution=solution)
    }
    authorities = [
        org for org in selectors.adopting_authorities(user=request.user) if org.pk not in taken
    ]
    _require(bool(authorities) and solution.status == SolutionStatus.PUBLISHED)
    form = AdoptionForm(_posted(request), authorities=authorities)
    if request.method == "POST" and form.is_valid():
        authority = form.cleaned_data.get("authority") or authorities[0]
        try:
            services.adoption_record(
                actor=request.user, solution=solution, authority=authority, **form.content()
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(authority)s is now listed as using %(solution)s.")
                % {"authority": authority.name, "solution": solution.name},
            )
            return redirect("catalogue:detail", public_id=solution.public_id)
    return render(
        request,
        "catalogue/adoption_form.html",
        {"solution": solution, "form": form, "adoption": None, "authorities": authorities},
    )


def _adoption(request: HttpRequest, solution: Solution, adoption_id: UUID) -> Any:
    adoption = selectors.adoption_detail(solution=solution, public_id=adoption_id)
    if adoption is None:
        raise Http404
    return adoption


@login_required
@require_http_methods(["GET", "POST"])
def adoption_edit(request: HttpRequest, public_id: UUID, adoption_id: UUID) -> HttpResponse:
    solution = _solution(request, public_id)
    adoption = _adoption(request, solution, adoption_id)
    _require(permissions.can_manage_adoption(request.user, adoption))
    form = AdoptionForm(
        _posted(request),
        initial={name: getattr(adoption, name) for name in AdoptionForm.FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.adoption_update(actor=request.user, adoption=adoption, **form.content())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("catalogue:detail", public_id=solution.public_id)
    return render(
        request,
        "catalogue/adoption_form.html",
        {"solution": solution, "form": form, "adoption": adoption},
    )


@login_required
@require_http_methods(["GET", "POST"])
def adoption_end(request: HttpRequest, public_id: UUID, adoption_id: UUID) -> HttpResponse:
    solution = _solution(request, public_id)
    adoption = _adoption(request, solution, adoption_id)
    _require(permissions.can_manage_adoption(request.user, adoption))
    if adoption.status != AdoptionStatus.ACTIVE:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            services.adoption_end(actor=request.user, adoption=adoption)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("The adoption is recorded as ended."))
            return redirect("catalogue:detail", public_id=solution.public_id)
    return render(
        request,
        "organisations/confirm.html",
        {
            "title": _("Does %(authority)s no longer use %(solution)s?")
            % {"authority": adoption.authority.name, "solution": solution.name},
            "body": _("The entry will list it as a former user; its review stays."),
            "button": _("Record as no longer in use"),
            "warning": True,
            "error": error,
            "back_url": reverse("catalogue:detail", args=[solution.public_id]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, public_id: UUID, adoption_id: UUID) -> HttpResponse:
    solution = _solution(request, public_id)
    adoption = _adoption(request, solution, adoption_id)
    _require(permissions.can_review(request.user, adoption))
    review = selectors.review_for(adoption)
    initial = (
        {"rating": str(review.rating), "title": review.title, "body": review.body} if review else {}
    )
    form = ReviewForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if review is None:
                services.review_create(actor=request.user, adoption=adoption, **form.cleaned_data)
            else:
                services.review_update(actor=request.user, review=review, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Your review is published on the entry."))
            return redirect("catalogue:detail", public_id=solution.public_id)
    return render(
        request,
        "catalogue/review_form.html",
        {"solution": solution, "adoption": adoption, "review": review, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def adopt_from_challenge(request: HttpRequest, challenge_id: UUID) -> HttpResponse:
    challenge = selectors.challenge_by_public_id(challenge_id)
    if challenge is None:
        raise Http404
    _require(permissions.can_adopt_for(request.user, challenge.lead_authority))
    winners = services.challenge_winners(challenge)
    solutions = selectors.winner_solutions(winners.companies)
    form = AdoptFromChallengeForm(_posted(request), solutions=solutions)
    has_cobuyers = challenge.buyers.filter(is_lead=False).exists()
    if not has_cobuyers:
        del form.fields["include_cobuyers"]
    if request.method == "POST" and solutions and form.is_valid():
        solution = form.cleaned_data["solution"]
        try:
            made = services.adoption_from_challenge(
                actor=request.user,
                challenge=challenge,
                solution=solution,
                include_cobuyers=bool(form.cleaned_data.get("include_cobuyers")),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Recorded: %(authorities)s now use %(solution)s.")
                % {
                    "authorities": ", ".join(a.authority.name for a in made),
                    "solution": solution.name,
                },
            )
            return redirect("catalogue:detail", public_id=solution.public_id)
    return render(
        request,
        "catalogue/adopt_from_challenge.html",
        {
            "challenge": challenge,
            "form": form,
            "solutions": solutions,
            "winners": winners,
            "is_member": org_permissions.is_member(request.user, challenge.lead_authority),
        },
    )
