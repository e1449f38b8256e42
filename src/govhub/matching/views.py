from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from govhub.reference.models import CpvCode

from .store import current_suggester

MAX_TEXT = 5000


@require_GET
def cpv_suggest(request: HttpRequest) -> HttpResponse:
    """Top five CPV codes for a text (``text``, or every field htmx includes), as a partial."""
    text = request.GET.get("text") or " ".join(
        str(v) for k, v in request.GET.items() if k not in {"target", "csrfmiddlewaretoken"}
    )
    text = text[:MAX_TEXT]
    suggester = current_suggester()
    suggestions = suggester.suggest(text) if suggester is not None and text.strip() else []
    labels = {c.digits: c for c in CpvCode.objects.filter(digits__in=[s.code for s in suggestions])}
    rows = [
        {"code": labels[s.code], "confidence": round(s.confidence * 100)}
        for s in suggestions
        if s.code in labels
    ]
    return render(
        request,
        "matching/includes/cpv_suggestions.html",
        {"rows": rows, "available": suggester is not None, "has_text": bool(text.strip())},
    )
