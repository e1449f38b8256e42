"""OCDS 1.1 packages of GovHub's public challenges (mounted at /api/v1/ocds).

Lists are paginated by challenge (``limit``, ``offset``): ``count`` is the number of
challenges, ``next``/``previous`` (and the OCDS ``links``) the neighbouring pages.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router

from govhub.api import listing
from govhub.api.listing import DETAIL_ERRORS, LIST_ERRORS, Listing, search_words
from govhub.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from govhub.challenges.models import Challenge

from . import builders
from .models import ImportedProcess
from .publication import challenge_releases
from .selectors import publishable_challenge, publishable_challenges

router = Router(tags=["ocds"])

# Not api.listing's Limit and Offset: the OCDS packages page by challenge, and their offset
# has been published without an upper bound, which clients may rely on.
Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Challenges per page (at most 100).")
Offset = Query(0, ge=0, description="How many challenges to skip.")


def _challenge(challenge_id: UUID) -> Challenge:
    found = publishable_challenge(challenge_id)
    if found is None:
        raise Http404
    return found


def _page(request: HttpRequest, limit: int, offset: int) -> dict[str, Any]:
    now = timezone.now()  # one date for every release of the page
    challenges: Listing[Challenge] = Listing(serialize=lambda c: challenge_releases(c, now))
    page = challenges.page(request, publishable_challenges(), limit=limit, offset=offset)
    page["links"] = {k: v for k, v in (("next", page["next"]), ("prev", page["previous"])) if v}
    return page


@router.get(
    "/releases",
    response={200: dict[str, Any], **LIST_ERRORS},
    summary="Release package of public challenges (paginated)",
)
def ocds_release_list(
    request: HttpRequest, limit: int = Limit, offset: int = Offset
) -> dict[str, Any]:
    page = _page(request, limit, offset)
    release_list = [r for releases in page.pop("results") for r in releases]
    package = builders.release_package(
        release_list, uri=request.build_absolute_uri(), published=timezone.now()
    )
    return {**package, **page}


@router.get(
    "/records",
    response={200: dict[str, Any], **LIST_ERRORS},
    summary="Record package of public challenges (paginated)",
)
def ocds_record_list(
    request: HttpRequest, limit: int = Limit, offset: int = Offset
) -> dict[str, Any]:
    page = _page(request, limit, offset)
    records = [builders.record(releases) for releases in page.pop("results") if releases]
    package = builders.record_package(
        records, uri=request.build_absolute_uri(), published=timezone.now()
    )
    return {**package, **page}


@router.get(
    "/challenges/{uuid:challenge_id}/releases",
    response={200: dict[str, Any], **DETAIL_ERRORS},
    summary="Release package of one challenge",
)
def ocds_challenge_release_package(request: HttpRequest, challenge_id: UUID) -> dict[str, Any]:
    challenge = _challenge(challenge_id)
    return builders.release_package(
        challenge_releases(challenge), uri=request.build_absolute_uri(), published=timezone.now()
    )


@router.get(
    "/challenges/{uuid:challenge_id}/record",
    response={200: dict[str, Any], **DETAIL_ERRORS},
    summary="Record package of one challenge (its releases and compiled release)",
)
def ocds_challenge_record_package(request: HttpRequest, challenge_id: UUID) -> dict[str, Any]:
    challenge = _challenge(challenge_id)
    release_list = challenge_releases(challenge)
    return builders.record_package(
        [builders.record(release_list)], uri=request.build_absolute_uri(), published=timezone.now()
    )


def imported_out(process: ImportedProcess) -> dict[str, Any]:
    return {
        "id": str(process.public_id),
        "ocid": process.ocid,
        "title": process.title,
        "buyer": process.buyer_name,
        "publisher": process.publisher,
        "tender_status": process.tender_status,
        "procurement_method": process.procurement_method,
        "value": float(process.value) if process.value is not None else None,
        "currency": process.currency,
        "tender_end": process.tender_end,
        "cpv_codes": process.cpv_codes,
        "date": process.date,
        "awards": [
            {
                "id": a.award_id,
                "status": a.status,
                "date": a.date,
                "value": float(a.value) if a.value is not None else None,
                "currency": a.currency,
                "suppliers": a.suppliers,
            }
            for a in process.awards.all()
        ],
    }


IMPORTED = Listing(serialize=imported_out)
# Imported processes are not challenges: their page size is api.listing's (the same bounds);
# their offset keeps the published absence of an upper bound.
ImportedOffset = Query(0, ge=0, description="How many imported processes to skip.")


@router.get(
    "/imported",
    response={200: dict[str, Any], **LIST_ERRORS},
    summary="Contracting processes imported from other OCDS publishers",
)
def ocds_imported_list(
    request: HttpRequest,
    q: str | None = Query(None, description="Words in the title or the buyer's name."),
    limit: int = listing.Limit,
    offset: int = ImportedOffset,
) -> dict[str, Any]:
    qs = ImportedProcess.objects.prefetch_related("awards").order_by("-date", "ocid")
    qs = search_words(qs, q, "title", "buyer_name")
    return IMPORTED.page(request, qs, limit=limit, offset=offset)
