"""Public pages of the opportunities and awards imported from TED (read-only)."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from . import selectors
from .forms import NoticeFilterForm


def notice_list(request: HttpRequest) -> HttpResponse:
    form = NoticeFilterForm(request.GET or None)
    page = selectors.notice_list(**form.filters(), page=request.GET.get("page", 1))
    query = urlencode(
        [(key, value) for key, value in request.GET.items() if key != "page" and value]
    )
    return render(
        request,
        "opportunities/list.html",
        {"form": form, "page": page, "notices": page.object_list, "query": query},
    )


def notice_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    notice = selectors.notice_detail(public_id)
    if notice is None:
        raise Http404
    language = (get_language() or "en").split("-")[0]
    return render(
        request,
        "opportunities/detail.html",
        {
            "notice": notice,
            "title_in_language": notice.titles.get(language, ""),
            "title_languages": len(notice.titles),
        },
    )
