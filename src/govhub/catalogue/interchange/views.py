"""The catalogue's language-neutral exports: ADMS-AP (Turtle, JSON-LD) and publiccode.yml.

Public and read-only: they show only published entries (anything else is a 404, whoever
asks), as the public catalogue pages do.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from govhub.catalogue.models import Solution

from .adms import catalogue_graph, published_solutions, serialise, solution_graph
from .publiccode_export import publiccode_yaml

MEDIA_TYPES = {
    "turtle": "text/turtle; charset=utf-8",
    "json-ld": "application/ld+json; charset=utf-8",
}


def _published(public_id: UUID) -> Solution:
    solution = published_solutions().filter(public_id=public_id).first()
    if solution is None:
        raise Http404
    return solution


def _rdf(text: str, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type=MEDIA_TYPES[fmt])
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def catalogue_adms(request: HttpRequest, fmt: str) -> HttpResponse:
    extension = "ttl" if fmt == "turtle" else "jsonld"
    return _rdf(serialise(catalogue_graph(), fmt), fmt, f"adms.{extension}")


@require_safe
def solution_adms(request: HttpRequest, public_id: UUID, fmt: str) -> HttpResponse:
    solution = _published(public_id)
    extension = "ttl" if fmt == "turtle" else "jsonld"
    return _rdf(serialise(solution_graph(solution), fmt), fmt, f"adms.{extension}")


@require_safe
def solution_publiccode(request: HttpRequest, public_id: UUID) -> HttpResponse:
    solution = _published(public_id)
    if not solution.is_software:
        raise Http404
    response = HttpResponse(
        publiccode_yaml(solution), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="publiccode.yml"'
    return response
