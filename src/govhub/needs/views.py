"""Innovation need pages. Thin: parse the request, check the object-level right, call one
service, render. Unknown public ids and other authorities' drafts give 404, a missing right
403; a refused change is shown on the form with everything typed kept."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from govhub.core.errors import Conflict, DomainError
from govhub.core.http import posted as _posted
from govhub.core.http import require as _require
from govhub.organisations import permissions as org_permissions

from . import permissions, rules, selectors, services
from .forms import (
    InterestForm,
    NeedFilterForm,
    NeedForm,
    PublishForm,
    WithdrawForm,
    show_domain_error,
)
from .models import InnovationNeed, NeedStatus


def _need(request: HttpRequest, public_id: UUID) -> InnovationNeed:
    need = selectors.need_detail(public_id=public_id)
    # A draft is the authority's private working copy: to anyone else it does not exist.
    if need is None or not permissions.can_view(request.user, need):
        raise Http404
    return need


def need_list(request: HttpRequest) -> HttpResponse:
    form = NeedFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {
            "division": form.cleaned_data["division"] or None,
            "country": form.cleaned_data["country"],
            "query": form.cleaned_data["q"] or None,
        }
    page = selectors.need_list(**filters, page=request.GET.get("page", 1))
    query = urlencode(
        [(key, value) for key, value in request.GET.items() if key != "page" and value]
    )
    return render(
        request,
        "needs/list.html",
        {"form": form, "page": page, "needs": page.object_list, "query": query},
    )


def need_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    need = _need(request, public_id)
    user = request.user
    interests = list(selectors.active_interests(need=need))
    can_manage = permissions.can_manage(user, need)
    context: dict[str, Any] = {
        "need": need,
        "cpv_codes": list(need.cpv_codes.all()),
        "interests": interests,
        "withdrawable": selectors.interests_withdrawable_by(user=user, interests=interests),
        "is_member": org_permissions.is_member(user, need.authority),
        "can_edit": permissions.can_edit(user, need),
        "can_publish": permissions.can_publish(user, need),
        "can_withdraw": permissions.can_withdraw(user, need),
        "interest_authorities": selectors.authorities_for_interest(user=user, need=need),
        "challenges": (
            selectors.need_challenges(need=need, include_drafts=can_manage)
            if need.status == NeedStatus.CONVERTED
            else []
        ),
        "create_challenge_url": (
            selectors.create_challenge_url(need)
            if can_manage and need.status == NeedStatus.PUBLISHED
            else None
        ),
        "similar": [],
        "problems": {},
    }
    if can_manage and need.status == NeedStatus.DRAFT:
        context["problems"] = rules.publication_problems(need)
    if permissions.sees_similar_needs(user, need) and need.status in (
        NeedStatus.DRAFT,
        NeedStatus.PUBLISHED,
    ):
        context["similar"] = selectors.similar_needs(need)
    return render(request, "needs/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest) -> HttpResponse:
    authorities = selectors.publishable_authorities(user=request.user)
    _require(bool(authorities))
    preselected = request.GET.get("authority", "")
    initial: dict[str, Any] = {"currency": "EUR", "open_to_pooling": True}
    if any(str(org.public_id) == preselected for org in authorities):
        initial["authority"] = preselected
    form = NeedForm(_posted(request), authorities=authorities, initial=initial)
    if request.method == "POST" and form.is_valid():
        authority = form.cleaned_data.get("authority") or authorities[0]
        try:
            need = services.need_create(actor=request.user, authority=authority, **form.content())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your draft has been saved. Only members of %(authority)s can see it "
                    "until it is published."
                )
                % {"authority": authority.name},
            )
            return redirect("needs:detail", public_id=need.public_id)
    return render(
        request,
        "needs/form.html",
        {"form": form, "authorities": authorities, "need": None},
    )


def _display(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _saved_differences(form: NeedForm, current: InnovationNeed) -> list[dict[str, str]]:
    """The fields where what is saved now differs from what the user typed: what the other
    person changed, shown next to the user's own input so nothing is overwritten unseen."""
    saved = rules.need_facts(current)
    try:
        typed_values = rules.validate(form.content(), for_publication=False)
    except DomainError:
        return []
    unsaved = InnovationNeed(
        **{key: value for key, value in typed_values.items() if key != "cpv_codes"}
    )
    typed = rules.need_facts(unsaved, typed_values["cpv_codes"])
    return [
        {"label": str(form.fields[name].label), "saved": _display(saved[name])}
        for name in NeedForm.CONTENT
        if saved[name] != typed[name]
    ]


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    need = _need(request, public_id)
    _require(permissions.can_manage(request.user, need))
    if not permissions.can_edit(request.user, need):
        messages.info(
            request,
            _("A need that is “%(status)s” can no longer be changed.")
            % {"status": need.get_status_display()},
        )
        return redirect("needs:detail", public_id=need.public_id)
    form = NeedForm(_posted(request), initial=NeedForm.initial_for(need), editing=True)
    differences: list[dict[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.need_update(
                actor=request.user,
                need=need,
                version=form.cleaned_data["version"],
                **form.content(),
            )
        except Conflict as error:
            current = selectors.need_detail(public_id=need.public_id)
            if current is None:  # pragma: no cover - needs are never deleted
                raise Http404 from error
            # Keep what the user typed; the next save is made knowingly over the current one.
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = NeedForm(data, initial=NeedForm.initial_for(current), editing=True)
            form.is_valid()
            form.add_error(None, error.message)
            differences = _saved_differences(form, current)
            need = current
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("needs:detail", public_id=need.public_id)
    return render(
        request,
        "needs/form.html",
        {"form": form, "need": need, "differences": differences},
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_publish(request: HttpRequest, public_id: UUID) -> HttpResponse:
    need = _need(request, public_id)
    _require(permissions.can_manage(request.user, need))
    if need.status != NeedStatus.DRAFT:
        messages.info(request, _("This need has already been published."))
        return redirect("needs:detail", public_id=need.public_id)
    form = PublishForm(_posted(request), initial={"version": need.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.need_publish(
                actor=request.user, need=need, version=form.cleaned_data["version"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("The need is published on the innovation plan of %(authority)s.")
                % {"authority": need.authority.name},
            )
            return redirect("needs:detail", public_id=need.public_id)
    return render(
        request,
        "needs/publish.html",
        {
            "need": need,
            "form": form,
            "problems": rules.publication_problems(need),
            "field_labels": {name: NeedForm.base_fields[name].label for name in NeedForm.CONTENT},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_withdraw(request: HttpRequest, public_id: UUID) -> HttpResponse:
    need = _need(request, public_id)
    _require(permissions.can_manage(request.user, need))
    if not permissions.can_withdraw(request.user, need):
        messages.info(
            request,
            _("A need that is “%(status)s” cannot be withdrawn.")
            % {"status": need.get_status_display()},
        )
        return redirect("needs:detail", public_id=need.public_id)
    form = WithdrawForm(_posted(request), initial={"version": need.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.need_withdraw(
                actor=request.user,
                need=need,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The need has been withdrawn."))
            return redirect("needs:detail", public_id=need.public_id)
    return render(request, "needs/withdraw.html", {"need": need, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def interest_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    need = _need(request, public_id)
    authorities = selectors.authorities_for_interest(user=request.user, need=need)
    if not authorities:
        if permissions.accepts_interest(need) and any(
            org.pk != need.authority_id
            for org in selectors.publishable_authorities(user=request.user)
        ):
            messages.info(request, _("Your authority has already expressed interest."))
            return redirect("needs:detail", public_id=need.public_id)
        raise PermissionDenied
    form = InterestForm(_posted(request), authorities=authorities, currency=need.currency)
    if request.method == "POST" and form.is_valid():
        authority = form.cleaned_data.get("authority") or authorities[0]
        try:
            services.need_express_interest(
                actor=request.user,
                need=need,
                authority=authority,
                quantity=form.cleaned_data["quantity"],
                budget_share=form.cleaned_data["budget_share"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(authority)s is now listed as interested in this need.")
                % {"authority": authority.name},
            )
            return redirect("needs:detail", public_id=need.public_id)
    return render(
        request,
        "needs/interest_form.html",
        {"need": need, "form": form, "authorities": authorities},
    )


@login_required
@require_http_methods(["GET", "POST"])
def interest_withdraw(request: HttpRequest, public_id: UUID, interest_id: UUID) -> HttpResponse:
    need = _need(request, public_id)
    interest = selectors.interest_detail(need=need, public_id=interest_id)
    if interest is None:
        raise Http404
    _require(permissions.can_withdraw_interest(request.user, interest))
    error = None
    if request.method == "POST":
        try:
            services.need_withdraw_interest(actor=request.user, interest=interest)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _("The interest of %(authority)s has been withdrawn.")
                % {"authority": interest.authority.name},
            )
            return redirect("needs:detail", public_id=need.public_id)
    return render(
        request,
        "organisations/confirm.html",
        {
            "title": _("Withdraw the interest of %(authority)s?")
            % {"authority": interest.authority.name},
            "body": _("%(authority)s will no longer be listed as buying “%(need)s” jointly.")
            % {"authority": interest.authority.name, "need": need.title},
            "button": _("Withdraw interest"),
            "warning": True,
            "error": error,
            "back_url": reverse("needs:detail", args=[need.public_id]),
        },
    )


def innovation_plan(request: HttpRequest, public_id: UUID) -> HttpResponse:
    authority = selectors.plan_authority(public_id=public_id)
    if authority is None:
        raise Http404
    plan = selectors.innovation_plan(authority=authority, viewer=request.user)
    return render(
        request,
        "needs/plan.html",
        {
            "authority": authority,
            "plan": plan,
            "can_create": permissions.can_manage_needs_for(request.user, authority),
        },
    )
