"""REST API endpoints of the participation app (mounted by govhub.api.api under /api/v1/).

Public reads only: open and closed processes, their ideas, the authority's answers and the
results. No personal data: an idea's author appears as their pseudonym or "Participant",
and a hidden idea's title and text are not published (its reason is).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema

from govhub.api import schemas
from govhub.api.listing import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    Limit,
    Listing,
    Offset,
    first_or_404,
    where,
)
from govhub.api.pagination import Page

from . import selectors
from .models import Idea, IdeaAnswer, IdeaState, ProcessStatus, Result

router = Router(tags=["participation"])

StatusQuery = Query(None, description="open or closed (drafts are private).")
AuthorityQuery = Query(None, description="The authority's id.")
ProcessQuery = Query(None, description="The process's id.")


class PhaseOut(Schema):
    kind: str
    starts_on: dt.date
    ends_on: dt.date


class ProcessOut(Schema):
    id: UUID
    title: str
    authority: schemas.OrganisationRef
    status: str
    scope: str
    goals: str
    methods: str
    commitment: str
    categories: list[str]
    eligibility: str
    nuts_regions: list[str]
    phases: list[PhaseOut]
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    unanswered_reason: str


class ProcessPage(Page):
    results: list[ProcessOut]


class AnswerOut(Schema):
    state: str
    text: str
    answered_at: dt.datetime


class MilestoneOut(Schema):
    title: str
    due_on: dt.date
    done: bool
    evidence: str
    evidence_url: str


class ResultOut(Schema):
    id: UUID
    idea: UUID
    summary: str
    progress: int
    need: UUID | None
    challenge: UUID | None
    milestones: list[MilestoneOut]


class ResultPage(Page):
    results: list[ResultOut]


class IdeaOut(Schema):
    id: UUID
    process: UUID
    title: str
    body: str
    author: str
    category: str
    nuts_region: str | None
    state: str
    answer: str
    answered_at: dt.datetime | None
    merged_into: UUID | None
    supports: int
    comments: int
    hidden: bool
    hidden_reason: str
    created_at: dt.datetime


class IdeaDetailOut(IdeaOut):
    answers: list[AnswerOut]
    result: ResultOut | None


class IdeaPage(Page):
    results: list[IdeaOut]


def process_out(process: Any) -> dict[str, Any]:
    return {
        "id": process.public_id,
        "title": process.title,
        "authority": {
            "id": process.authority.public_id,
            "name": process.authority.name,
            "country": process.authority.country.code,
        },
        "status": process.status,
        "scope": process.scope,
        "goals": process.goals,
        "methods": process.methods,
        "commitment": process.commitment,
        "categories": process.category_list,
        "eligibility": process.eligibility,
        "nuts_regions": sorted(r.code for r in process.nuts_regions.all()),
        "phases": [
            {"kind": p.kind, "starts_on": p.starts_on, "ends_on": p.ends_on}
            for p in process.phases.all()
        ],
        "opened_at": process.open_at,
        "closed_at": process.closed_at,
        "unanswered_reason": process.unanswered_reason,
    }


def idea_out(idea: Idea) -> dict[str, Any]:
    hidden = idea.is_hidden
    return {
        "id": idea.public_id,
        "process": idea.process.public_id,
        "title": "" if hidden else idea.title,
        "body": "" if hidden else idea.body,
        "author": selectors.author_label(idea.author),
        "category": idea.category,
        "nuts_region": idea.nuts_region.code if idea.nuts_region else None,
        "state": idea.state,
        "answer": idea.answer,
        "answered_at": idea.answered_at,
        "merged_into": idea.merged_into.public_id if idea.merged_into else None,
        "supports": getattr(idea, "support_count", 0),
        "comments": getattr(idea, "comment_count", 0),
        "hidden": hidden,
        "hidden_reason": idea.hidden_reason,
        "created_at": idea.created_at,
    }


def result_out(result: Result) -> dict[str, Any]:
    return {
        "id": result.public_id,
        "idea": result.idea.public_id,
        "summary": result.summary,
        "progress": result.progress,
        "need": result.need.public_id if result.need else None,
        "challenge": result.challenge.public_id if result.challenge else None,
        "milestones": [
            {
                "title": m.title,
                "due_on": m.due_on,
                "done": m.done,
                "evidence": m.evidence,
                "evidence_url": m.evidence_url,
            }
            for m in result.milestones.all()
        ],
    }


def answer_out(answer: IdeaAnswer) -> dict[str, Any]:
    return {"state": answer.state, "text": answer.text, "answered_at": answer.created_at}


PROCESSES = Listing(serialize=process_out, ordering={"opened_at": "open_at", "title": "title"})
IDEAS = Listing(
    serialize=idea_out,
    ordering={"created_at": "created_at", "supports": "support_count", "title": "title"},
)
# Results keep their order (oldest first): no ``ordering`` parameter.
RESULTS = Listing(serialize=result_out)


@router.get(
    "/participation/processes",
    response={200: ProcessPage, **LIST_ERRORS},
    summary="List public participatory processes",
)
def process_list(
    request: HttpRequest,
    status: ProcessStatus | None = StatusQuery,
    authority: UUID | None = AuthorityQuery,
    limit: int = Limit,
    offset: int = Offset,
    ordering: str | None = PROCESSES.ordering_query,
) -> dict[str, Any]:
    qs = selectors.process_list(status=status, authority=authority)
    return PROCESSES.page(request, qs, limit=limit, offset=offset, ordering=ordering)


@router.get(
    "/participation/processes/{uuid:process_id}",
    response={200: ProcessOut, **DETAIL_ERRORS},
    summary="Read a public participatory process",
)
def process_detail(request: HttpRequest, process_id: UUID) -> dict[str, Any]:
    return process_out(first_or_404(selectors.public_processes(), public_id=process_id))


def _public_ideas() -> QuerySet[Idea]:
    return selectors.ideas_annotated().filter(process__status__in=selectors.PUBLIC_STATUSES)


@router.get(
    "/participation/ideas",
    response={200: IdeaPage, **LIST_ERRORS},
    summary="List ideas of public processes",
)
def idea_list(
    request: HttpRequest,
    process: UUID | None = ProcessQuery,
    state: IdeaState | None = None,
    category: str | None = None,
    limit: int = Limit,
    offset: int = Offset,
    ordering: str | None = IDEAS.ordering_query,
) -> dict[str, Any]:
    qs = where(_public_ideas(), process__public_id=process, state=state, category=category)
    qs = qs.order_by("created_at", "pk")
    return IDEAS.page(request, qs, limit=limit, offset=offset, ordering=ordering)


@router.get(
    "/participation/ideas/{uuid:idea_id}",
    response={200: IdeaDetailOut, **DETAIL_ERRORS},
    summary="Read an idea with its answers and result",
)
def idea_detail(request: HttpRequest, idea_id: UUID) -> dict[str, Any]:
    idea = first_or_404(_public_ideas(), public_id=idea_id)
    result = selectors.result_of(idea)
    return {
        **idea_out(idea),
        "answers": [answer_out(a) for a in idea.answers.all()],
        "result": result_out(result) if result else None,
    }


@router.get(
    "/participation/results",
    response={200: ResultPage, **LIST_ERRORS},
    summary="List results of accepted ideas",
)
def result_list(
    request: HttpRequest,
    process: UUID | None = ProcessQuery,
    limit: int = Limit,
    offset: int = Offset,
) -> dict[str, Any]:
    qs = (
        Result.objects.filter(
            idea__process__status__in=selectors.PUBLIC_STATUSES, idea__hidden_at__isnull=True
        )
        .select_related("idea", "need", "challenge")
        .prefetch_related("milestones")
        .order_by("created_at", "pk")
    )
    qs = where(qs, idea__process__public_id=process)
    return RESULTS.page(request, qs, limit=limit, offset=offset)
