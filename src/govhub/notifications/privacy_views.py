"""Privacy pages: download one's personal data, erase one's account, erasure on request.

The services live in ``govhub.accounts.privacy``; the pages and their wording live here.
"""

from __future__ import annotations

import json
from typing import Any

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from govhub.accounts import privacy
from govhub.accounts.models import User
from govhub.core.errors import DomainError, InvalidInput
from govhub.core.http import posted, require

from . import permissions
from .forms import EraseOwnAccountForm, ModeratorEraseForm, ModeratorExportForm


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/privacy.html",
        {"parts": [part.name for part in privacy.registered()]},
    )


def _json_download(data: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="govhub-personal-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required
    return _json_download(privacy.personal_data_export(actor=user, user=user))


@login_required
@require_http_methods(["GET", "POST"])
def export_on_request(request: HttpRequest) -> HttpResponse:
    """A moderator downloads a person's data to send it to them (access request by letter...)."""
    require(permissions.can_erase_on_request(request.user))
    form = ModeratorExportForm(posted(request))
    if request.method == "POST" and form.is_valid():
        target = User.objects.filter(email__iexact=form.cleaned_data["email"].strip()).first()
        if target is None:
            form.add_error("email", _("No account has this email address."))
        else:
            try:
                data = privacy.personal_data_export(actor=request.user, user=target)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return _json_download(data)
    return render(request, "notifications/privacy_export_on_request.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def erase_own(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required
    form = EraseOwnAccountForm(posted(request))
    if request.method == "POST" and form.is_valid():
        # Re-authentication: whoever holds the open session must also know the password;
        # attempts count against allauth's re-authentication rate limit.
        if not ratelimit.consume(request, action="reauthenticate", user=user):
            form.add_error("password", _("Too many attempts. Wait a few minutes, then try again."))
        elif not user.check_password(form.cleaned_data["password"]):
            form.add_error("password", _("The password is not correct."))
        else:
            try:
                privacy.personal_data_erase(actor=user, user=user, reason="")
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                logout(request)
                return HttpResponseRedirect(reverse("notifications:privacy_erased"))
    return render(request, "notifications/privacy_erase.html", {"form": form})


@require_GET
def erased(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/privacy_erased.html")


@login_required
@require_http_methods(["GET", "POST"])
def erase_on_request(request: HttpRequest) -> HttpResponse:
    require(permissions.can_erase_on_request(request.user))
    form = ModeratorEraseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        target = User.objects.filter(email__iexact=email).first()
        if target is None:
            form.add_error("email", _("No account has this email address."))
        else:
            try:
                privacy.personal_data_erase(
                    actor=request.user, user=target, reason=form.cleaned_data["reason"]
                )
            except InvalidInput as error:
                for field, errors in error.field_errors.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
                if not error.field_errors:
                    form.add_error(None, error.message)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("The account has been erased. Its public reference is %(id)s.")
                    % {"id": target.public_id},
                )
                return HttpResponseRedirect(reverse("notifications:privacy_erase_on_request"))
    return render(request, "notifications/privacy_erase_on_request.html", {"form": form})
