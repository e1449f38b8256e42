from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from govhub.core.errors import DomainError, InvalidInput

from .forms import ProfileForm
from .models import User
from .services import user_update_profile


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                user_update_profile(
                    actor=user,
                    user=user,
                    display_name=form.cleaned_data["display_name"],
                    preferred_language=form.cleaned_data["preferred_language"],
                    time_zone=form.cleaned_data["time_zone"],
                )
            except InvalidInput as error:
                for field, field_errors in error.field_errors.items():
                    for message in field_errors:
                        form.add_error(field if field in form.fields else None, message)
                if not error.field_errors:
                    form.add_error(None, error.message)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                target = reverse("accounts:profile")
                language = user.preferred_language or translation.get_language()
                # The next page is shown in the language just chosen; so is its message.
                with translation.override(language):
                    messages.success(request, _("Your profile has been saved."))
                if user.preferred_language:
                    target = translate_url(target, user.preferred_language)
                return HttpResponseRedirect(target)
    else:
        form = ProfileForm(
            initial={
                "display_name": user.display_name,
                "preferred_language": user.preferred_language,
                "time_zone": user.time_zone,
            }
        )
    return render(request, "accounts/profile.html", {"form": form})
