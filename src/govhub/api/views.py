"""The administrators' page for the organisation's API tokens (HTML, under the language prefix)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from govhub.core.errors import DomainError, InvalidInput
from govhub.organisations import selectors as org_selectors
from govhub.organisations.models import Organisation

from . import permissions, selectors, services
from .forms import TokenForm


def _organisation(request: HttpRequest, public_id: UUID) -> Organisation:
    org = org_selectors.organisation_detail(public_id=public_id)
    if org is None:
        raise Http404
    if not permissions.can_manage_tokens(request.user, org):
        raise PermissionDenied
    return org


def _show_error(form: TokenForm, error: DomainError) -> None:
    placed = False
    if isinstance(error, InvalidInput):
        names = {"expires_at": "expires_on"}
        for name, errors in error.field_errors.items():
            field = names.get(name, name)
            if field in form.fields:
                for message in errors:
                    form.add_error(field, message)
                placed = True
    if not placed:
        form.add_error(None, error.message)


@never_cache  # the page shows a new token's secret once: no copy may be kept on the way
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest, public_id: UUID) -> HttpResponse:
    org = _organisation(request, public_id)
    form = TokenForm(request.POST if request.method == "POST" else None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.api_token_create(
                actor=request.user, organisation=org, **form.service_fields()
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "organisation": org,
            "tokens": selectors.tokens_of(organisation=org),
            "form": form,
            "created": created,
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, public_id: UUID, token_id: UUID) -> HttpResponse:
    org = _organisation(request, public_id)
    token = selectors.tokens_of(organisation=org).filter(public_id=token_id).first()
    if token is None:
        raise Http404
    try:
        services.api_token_revoke(actor=request.user, token=token)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The token “%(name)s” has been revoked.") % {"name": token.name}
        )
    return redirect("api_tokens:list", public_id=org.public_id)
