"""Inbox, email preferences and the one-click unsubscribe page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from govhub.core.errors import DomainError, InvalidInput
from govhub.core.http import posted, require

from . import permissions, selectors, services
from .forms import PreferencesForm, UnsubscribeForm
from .groups import group_label
from .models import ALL_GROUPS, Notification
from .tokens import read_unsubscribe_token

PAGE_SIZE = 20


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    require(permissions.can_use_inbox(request.user))
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "notifications": page.object_list,
            "unread": selectors.unread_count(request.user),
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, public_id: str) -> HttpResponse:
    notification = get_object_or_404(Notification, public_id=public_id)
    require(permissions.can_read(request.user, notification))
    services.notification_mark_read(actor=request.user, notification=notification)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "notifications/includes/item.html", {"notification": notification})
    return HttpResponseRedirect(reverse("notifications:inbox"))


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    require(permissions.can_use_inbox(request.user))
    count = services.notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    return HttpResponseRedirect(reverse("notifications:inbox"))


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(permissions.can_use_inbox(user))
    current = selectors.preferences_of(user)
    resolved = {group: selectors.mode_for(current, group) for group in PreferencesForm.groups()}
    form = PreferencesForm(posted(request), current=resolved)
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_update(actor=user, user=user, modes=form.modes())  # type: ignore[arg-type]
        except InvalidInput as error:
            for field, errors in error.field_errors.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your notification settings have been saved."))
            return HttpResponseRedirect(reverse("notifications:preferences"))
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # The signed token authorises; mail programs POST here without a session (RFC 8058).
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = read_unsubscribe_token(token)
    if found is None or not found[0].is_active:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    user, group = found
    label = None if group == ALL_GROUPS else group_label(group)
    if request.method == "POST" and request.POST.get("List-Unsubscribe") == "One-Click":
        # One-click from the mail program: the link's own scope, nothing to choose.
        services.unsubscribe(user=user, group=group)
        return HttpResponse(_("You have been unsubscribed."), content_type="text/plain")
    form = UnsubscribeForm(posted(request), group_label=label)
    if request.method == "POST" and form.is_valid():
        scope = form.cleaned_data["scope"]
        services.unsubscribe(user=user, group=group if scope == form.SCOPE_GROUP else ALL_GROUPS)
        return render(
            request,
            "notifications/unsubscribe_done.html",
            {"all": scope == form.SCOPE_ALL, "group_label": label},
        )
    return render(
        request,
        "notifications/unsubscribe.html",
        {"form": form, "group_label": label, "token": token},
    )
