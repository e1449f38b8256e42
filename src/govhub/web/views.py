from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    from govhub.accounts.selectors import user_has_totp
    from govhub.organisations.selectors import memberships_for_user

    memberships = list(memberships_for_user(user=request.user))
    # What the person's roles let them do next, for the "Your work" links.
    work = {
        "buyer": any(m.is_buyer for m in memberships),
        "evaluator": any(m.is_evaluator for m in memberships),
        "company": any(m.organisation.kind == "company" for m in memberships),
    }
    return render(
        request,
        "web/dashboard.html",
        {
            "memberships": memberships,
            "work": work,
            "has_two_factor": user_has_totp(user=request.user),
        },
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html")


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # the probe must answer, whatever the database's failure is
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "degraded", "checks": {"database": database}},
        status=status,
    )
