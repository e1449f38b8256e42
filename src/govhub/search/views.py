from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govhub.core.errors import DomainError

from . import services
from .forms import SavedSearchForm, SearchForm
from .models import DocumentKind, SavedSearch
from .selectors import FACETS, search

FACET_LABELS = {
    "kind": gettext_lazy("Type"),
    "cpv_division": gettext_lazy("CPV division"),
    "country": gettext_lazy("Country"),
    "nuts": gettext_lazy("NUTS region"),
    "status": gettext_lazy("Status"),
}


def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    query = form.cleaned_data.get("q", "") if form.is_bound and valid else ""
    filters = form.filters()
    sort = (form.cleaned_data.get("sort") if form.is_bound and valid else "") or "relevance"
    result = search(
        query=query, filters=filters, sort=sort, cursor=request.GET.get("cursor", "")[:500]
    )
    params = {k: v for k, v in request.GET.items() if k != "cursor" and v}
    kinds = dict(DocumentKind.choices)
    facets = []
    for name in FACETS:
        options = []
        for value, count in result.facets.get(name, []):
            chosen = getattr(filters, name) == value
            link = {**params, name: "" if chosen else value}
            options.append(
                {
                    "value": value,
                    "label": str(kinds.get(value, value)) if name == "kind" else value,
                    "count": count,
                    "chosen": chosen,
                    "url": "?" + urlencode({k: v for k, v in link.items() if v}),
                }
            )
        if options:
            facets.append({"name": name, "label": FACET_LABELS[name], "options": options})
    next_url = ""
    if result.next_cursor:
        next_url = "?" + urlencode({**params, "cursor": result.next_cursor})
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "query": query,
            "result": result,
            "facets": facets,
            "next_url": next_url,
            "save_form": SavedSearchForm(initial={"name": query}),
            "params": urlencode(params),
            "kinds": kinds,
        },
    )


@login_required
@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    save_form = SavedSearchForm(request.POST)
    if not (form.is_valid() and save_form.is_valid()):
        messages.error(request, _("The search could not be saved."))
        return redirect("search:saved")
    try:
        services.saved_search_create(
            actor=request.user,
            name=save_form.cleaned_data["name"],
            query=form.cleaned_data.get("q", ""),
            filters=form.filters(),
            alerts=save_form.cleaned_data["alerts"],
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Search saved."))
    return redirect("search:saved")


@login_required
def saved_search_list(request: HttpRequest) -> HttpResponse:
    saved = list(
        SavedSearch.objects.filter(user_id=request.user.pk or 0).order_by("-created_at", "-id")
    )
    rows = [{"saved": s, "url": "?" + urlencode({"q": s.query, **s.filters})} for s in saved]
    return render(request, "search/saved.html", {"rows": rows})


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    saved = get_object_or_404(SavedSearch, public_id=public_id, user_id=request.user.pk or 0)
    try:
        services.saved_search_delete(actor=request.user, saved=saved)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved search deleted."))
    return redirect("search:saved")
