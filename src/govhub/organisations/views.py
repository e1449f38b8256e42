from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Organisation


def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(request, "organisations/list.html", {"organisations": Organisation.objects.all()})


def organisation_create(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def organisation_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    org = get_object_or_404(Organisation, public_id=public_id)
    return render(request, "organisations/detail.html", {"organisation": org})
