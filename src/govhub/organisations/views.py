"""Organisation pages. Thin: parse the request, check the object-level right, call one
service, render. Unknown public ids give 404, a missing right 403."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govhub.core.errors import DomainError
from govhub.core.forms import show_domain_error
from govhub.core.http import posted as _posted
from govhub.core.http import require as _require

from . import permissions, selectors, services
from .forms import (
    InvitationForm,
    JoinRequestForm,
    KindForm,
    ModerationForm,
    OrganisationFilterForm,
    OrganisationForm,
    RejectForm,
    RolesForm,
)
from .models import Membership, Organisation, OrganisationKind, VerificationStatus


def _organisation(public_id: UUID) -> Organisation:
    org = selectors.organisation_detail(public_id=public_id)
    if org is None:
        raise Http404
    return org


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {
            "kind": form.cleaned_data["kind"] or None,
            "country": form.cleaned_data["country"],
            "status": form.cleaned_data["status"] or None,
            "query": form.cleaned_data["q"] or None,
        }
    page = selectors.organisation_list(**filters, page=request.GET.get("page", 1))
    query = urlencode(
        [(key, value) for key, value in request.GET.items() if key != "page" and value]
    )
    # An htmx filter change gets the results fragment only; a plain request, the whole page.
    htmx = getattr(request, "htmx", False)
    template = "organisations/_results.html" if htmx else "organisations/list.html"
    return render(
        request,
        template,
        {"form": form, "page": page, "organisations": page.object_list, "query": query},
    )


def organisation_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    org = _organisation(public_id)
    user = request.user
    membership = permissions.membership_of(user, org)
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": org,
            "membership": membership,
            "is_admin": membership is not None and membership.is_admin,
            "can_moderate": permissions.can_moderate(user),
            "can_request_to_join": membership is None and permissions.is_signed_in(user),
            "pending_request": (
                selectors.pending_join_request_for(user=user, organisation=org)
                if membership is None
                else None
            ),
            "cpv_capabilities": list(org.cpv_capabilities.all()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    """Two steps on one address: choose the kind (?kind=…), then fill in that kind's facts."""
    kind_form = KindForm(request.GET if "kind" in request.GET else None)
    if not kind_form.is_bound or not kind_form.is_valid():
        return render(request, "organisations/create_kind.html", {"form": kind_form})
    kind = kind_form.cleaned_data["kind"]
    form = OrganisationForm(_posted(request), kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_create(actor=request.user, kind=kind, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Your organisation has been created."))
            return redirect("organisations:detail", public_id=org.public_id)
    return render(
        request,
        "organisations/form.html",
        {"form": form, "kind": kind, "kind_label": OrganisationKind(kind).label},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    org = _organisation(public_id)
    _require(permissions.can_edit(request.user, org))
    form = OrganisationForm(
        _posted(request), kind=org.kind, initial=OrganisationForm.initial_for(org)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(actor=request.user, organisation=org, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The organisation’s details have been saved."))
            return redirect("organisations:detail", public_id=org.public_id)
    return render(
        request,
        "organisations/form.html",
        {"form": form, "organisation": org, "kind": org.kind, "kind_label": org.get_kind_display()},
    )


def _members_page(
    request: HttpRequest, org: Organisation, invite_form: InvitationForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": org,
            "members": selectors.members_of(organisation=org),
            "invitations": selectors.pending_invitations(organisation=org),
            "join_requests": selectors.pending_join_requests(organisation=org),
            "invite_form": invite_form,
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_members(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Members, pending invitations and requests to join; POST sends an invitation."""
    org = _organisation(public_id)
    _require(permissions.can_manage_members(request.user, org))
    form = InvitationForm(_posted(request), organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                actor=request.user,
                organisation=org,
                email=form.cleaned_data["email"],
                site_url=_site_url(request),
                **form.role_flags(),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("organisations:members", public_id=org.public_id)
    return _members_page(request, org, form)


def _membership(org: Organisation, member_id: UUID) -> Membership:
    membership = selectors.membership_detail(organisation=org, public_id=member_id)
    if membership is None:
        raise Http404
    return membership


@login_required
@require_http_methods(["GET", "POST"])
def membership_edit(request: HttpRequest, public_id: UUID, member_id: UUID) -> HttpResponse:
    org = _organisation(public_id)
    _require(permissions.can_manage_members(request.user, org))
    membership = _membership(org, member_id)
    form = RolesForm(
        _posted(request),
        organisation=org,
        initial={"roles": [r for r in membership.roles if r != "member"]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_set_roles(
                actor=request.user, membership=membership, **form.role_flags()
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request, _("The roles of %(name)s have been saved.") % {"name": membership.user}
            )
            return redirect("organisations:members", public_id=org.public_id)
    return render(
        request,
        "organisations/member.html",
        {
            "organisation": org,
            "membership": membership,
            "form": form,
            "is_self": membership.user_id == request.user.pk,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_remove(request: HttpRequest, public_id: UUID, member_id: UUID) -> HttpResponse:
    org = _organisation(public_id)
    _require(permissions.can_manage_members(request.user, org))
    membership = _membership(org, member_id)
    error = None
    if request.method == "POST":
        try:
            services.membership_remove(actor=request.user, membership=membership)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("%(name)s has been removed.") % {"name": membership.user})
            return redirect("organisations:members", public_id=org.public_id)
    return render(
        request,
        "organisations/confirm.html",
        {
            "organisation": org,
            "title": _("Remove %(name)s from %(organisation)s?")
            % {"name": membership.user, "organisation": org.name},
            "body": _("They will lose every role they hold in the organisation."),
            "button": _("Remove member"),
            "warning": True,
            "error": error,
            "back_url": reverse("organisations:members", args=[org.public_id]),
        },
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, public_id: UUID, invitation_id: UUID) -> HttpResponse:
    org = _organisation(public_id)
    _require(permissions.can_manage_members(request.user, org))
    invitation = selectors.invitation_detail(organisation=org, public_id=invitation_id)
    if invitation is None:
        raise Http404
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s has been revoked.") % {"email": invitation.email},
        )
    return redirect("organisations:members", public_id=org.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def join_request_decide(request: HttpRequest, public_id: UUID, request_id: UUID) -> HttpResponse:
    """GET asks for an optional reason before rejecting; POST approves or rejects."""
    org = _organisation(public_id)
    _require(permissions.can_manage_members(request.user, org))
    join_request = selectors.join_request_detail(organisation=org, public_id=request_id)
    if join_request is None:
        raise Http404
    form = RejectForm(_posted(request))
    decision = request.POST.get("decision")
    if request.method == "POST" and decision in {"approve", "reject"} and form.is_valid():
        try:
            if decision == "approve":
                services.join_request_approve(actor=request.user, join_request=join_request)
                done = _("%(name)s is now a member.")
            else:
                services.join_request_reject(
                    actor=request.user,
                    join_request=join_request,
                    reason=form.cleaned_data["reason"],
                )
                done = _("The request from %(name)s has been rejected.")
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, done % {"name": join_request.user})
            return redirect("organisations:members", public_id=org.public_id)
    return render(
        request,
        "organisations/join_request.html",
        {"organisation": org, "join_request": join_request, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def join_request_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    org = _organisation(public_id)
    if permissions.is_member(request.user, org):
        messages.info(request, _("You are already a member of this organisation."))
        return redirect("organisations:detail", public_id=org.public_id)
    form = JoinRequestForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_create(
                actor=request.user, organisation=org, message=form.cleaned_data["message"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Your request has been sent. The organisation’s administrators will answer."),
            )
            return redirect("organisations:detail", public_id=org.public_id)
    return render(request, "organisations/join.html", {"organisation": org, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_leave(request: HttpRequest, public_id: UUID) -> HttpResponse:
    org = _organisation(public_id)
    if not permissions.is_member(request.user, org):
        raise Http404
    error = None
    if request.method == "POST":
        try:
            services.membership_leave(actor=request.user, organisation=org)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("You have left %(name)s.") % {"name": org.name})
            return redirect("web:dashboard")
    return render(
        request,
        "organisations/confirm.html",
        {
            "organisation": org,
            "title": _("Leave %(organisation)s?") % {"organisation": org.name},
            "body": _("You will lose every role you hold in the organisation."),
            "button": _("Leave organisation"),
            "warning": True,
            "error": error,
            "back_url": reverse("organisations:detail", args=[org.public_id]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link. Anonymous visitors sign in or sign up first and come back here."""
    invitation = selectors.invitation_for_token(token=token)
    if invitation is None:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "decline":
                services.invitation_decline(actor=request.user, token=token)
                messages.success(request, _("You have declined the invitation."))
                return redirect("web:dashboard")
            services.invitation_accept(actor=request.user, token=token)
        except DomainError as exc:
            error = exc
        else:
            messages.success(
                request,
                _("You are now a member of %(name)s.") % {"name": invitation.organisation.name},
            )
            return redirect("organisations:detail", public_id=invitation.organisation.public_id)
    return render(
        request,
        "organisations/invitation_accept.html",
        {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "expired": selectors.invitation_is_expired(invitation),
            "error": error,
        },
        status=error.status if error is not None else 200,
    )


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    _require(permissions.can_moderate(request.user))
    status = request.GET.get("status") or VerificationStatus.UNVERIFIED
    if status not in VerificationStatus.values:
        status = VerificationStatus.UNVERIFIED
    page = selectors.paginate(selectors.moderation_queue(status=status), request.GET.get("page"))
    return render(
        request,
        "organisations/moderation.html",
        {
            "page": page,
            "organisations": page.object_list,
            "status": status,
            "statuses": VerificationStatus.choices,
            "query": urlencode({"status": status}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_moderate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    org = _organisation(public_id)
    _require(permissions.can_moderate(request.user))
    form = ModerationForm(_posted(request), organisation=org)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        target = ModerationForm.ACTIONS[action][0]
        try:
            services.organisation_set_status(
                actor=request.user,
                organisation=org,
                to=target,
                reason=form.cleaned_data["reason"],
                expected_status=form.cleaned_data["expected_status"] or None,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is now %(status)s.")
                % {"name": org.name, "status": org.get_status_display().lower()},
            )
            return HttpResponseRedirect(reverse("organisations:moderation"))
    return render(request, "organisations/moderate.html", {"organisation": org, "form": form})
