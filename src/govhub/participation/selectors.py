"""Reads for participation pages, the API and open data (no business rule here)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from govhub.needs import similarity

from .models import (
    Comment,
    Idea,
    IdeaAnswer,
    IdeaState,
    Milestone,
    ParticipantProfile,
    ParticipatoryProcess,
    ProcessStatus,
    Report,
    ReportStatus,
    Result,
)

PUBLIC_STATUSES = (ProcessStatus.OPEN, ProcessStatus.CLOSED)


def author_label(user: Any) -> str:
    """How a participant appears: their pseudonym, never their real name."""
    if user is None:
        return _("Deleted participant")
    try:
        profile = user.participant_profile
    except ParticipantProfile.DoesNotExist:
        return _("Participant")
    return profile.pseudonym or _("Participant")


def profile_of(user: Any) -> ParticipantProfile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return ParticipantProfile.objects.filter(user=user).select_related("nuts_region").first()


# --- Processes -----------------------------------------------------------------------------


def _processes() -> QuerySet[ParticipatoryProcess]:
    return ParticipatoryProcess.objects.select_related(
        "authority", "authority__country", "intermediary"
    ).prefetch_related("phases", "nuts_regions", "invited_organisations")


def public_processes() -> QuerySet[ParticipatoryProcess]:
    return _processes().filter(status__in=PUBLIC_STATUSES)


def process_list(
    *, viewer: Any = None, status: str | None = None, authority: UUID | None = None
) -> QuerySet[ParticipatoryProcess]:
    qs = public_processes()
    if status:
        qs = qs.filter(status=status)
    if authority:
        qs = qs.filter(authority__public_id=authority)
    return qs.annotate(
        idea_count=Count("ideas", filter=Q(ideas__hidden_at__isnull=True), distinct=True)
    )


def drafts_for(user: Any) -> list[ParticipatoryProcess]:
    """Draft processes the user runs (buyer of the authority or member of the intermediary)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        _processes()
        .filter(
            Q(authority__memberships__user=user, authority__memberships__is_buyer=True)
            | Q(intermediary__memberships__user=user),
            status=ProcessStatus.DRAFT,
        )
        .distinct()
    )


def process_detail(*, public_id: UUID) -> ParticipatoryProcess | None:
    return _processes().filter(public_id=public_id).first()


# --- Ideas ---------------------------------------------------------------------------------


def ideas_annotated() -> QuerySet[Idea]:
    return Idea.objects.select_related(
        "process__authority", "author__participant_profile", "merged_into", "nuts_region"
    ).annotate(
        support_count=Count("supports", distinct=True),
        comment_count=Count("comments", filter=Q(comments__hidden_at__isnull=True), distinct=True),
    )


def idea_list(
    *,
    process: ParticipatoryProcess,
    state: str | None = None,
    category: str | None = None,
    order: str = "recent",
) -> QuerySet[Idea]:
    qs = ideas_annotated().filter(process=process)
    if state:
        qs = qs.filter(state=state)
    if category:
        qs = qs.filter(category=category)
    if order == "support":
        return qs.order_by("-support_count", "-created_at", "-pk")
    return qs.order_by("-created_at", "-pk")


def idea_detail(*, public_id: UUID) -> Idea | None:
    return (
        ideas_annotated()
        .select_related("process__intermediary", "answered_by")
        .prefetch_related("attachments")
        .filter(public_id=public_id)
        .first()
    )


def supports(*, user: Any, idea: Idea) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return idea.supports.filter(user=user).exists()


@dataclass
class ThreadNode:
    comment: Comment
    replies: list[ThreadNode] = field(default_factory=list)


def comment_thread(*, idea: Idea) -> list[ThreadNode]:
    """The idea's comments as a tree (oldest first), hidden ones included as traces."""
    comments = list(
        Comment.objects.filter(idea=idea)
        .select_related("author__participant_profile")
        .order_by("created_at", "pk")
    )
    nodes = {c.pk: ThreadNode(c) for c in comments}
    roots: list[ThreadNode] = []
    for comment in comments:
        node = nodes[comment.pk]
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        (parent.replies if parent else roots).append(node)
    return roots


def answer_history(*, idea: Idea) -> list[Any]:
    return list(idea.answers.order_by("created_at", "pk"))


def merge_history(*, idea: Idea) -> dict[str, list[Any]]:
    return {
        "into": list(idea.merges_out.select_related("target")),
        "from": list(idea.merges_in.select_related("source")),
    }


def similar_ideas(
    *,
    process: ParticipatoryProcess,
    title: str,
    body: str = "",
    exclude: Idea | None = None,
    limit: int = 5,
) -> list[Idea]:
    """Up to ``limit`` visible ideas of the process that resemble the text being typed."""
    query = similarity.terms(title or "", body or "")
    if not query:
        return []
    qs = Idea.objects.filter(process=process, hidden_at__isnull=True).exclude(
        state=IdeaState.MERGED
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    candidates = list(qs.order_by("-created_at", "-pk")[:500])
    if not candidates:
        return []
    matches = similarity.rank(query, [similarity.terms(i.title, i.body) for i in candidates])
    scored = [
        (match.score, idea)
        for match, idea in zip(matches, candidates, strict=True)
        if match.score >= 0.15
    ]
    scored.sort(key=lambda pair: (-pair[0], pair[1].pk))
    return [idea for _score, idea in scored[:limit]]


def merge_targets(*, idea: Idea) -> list[Idea]:
    return list(
        Idea.objects.filter(process=idea.process, hidden_at__isnull=True)
        .exclude(pk=idea.pk)
        .exclude(state=IdeaState.MERGED)
        .order_by("title", "pk")
    )


# --- Results -------------------------------------------------------------------------------


def results_page(*, process: ParticipatoryProcess) -> list[Idea]:
    """Every idea of the process with what became of it (answer, result, milestones)."""
    return list(
        ideas_annotated()
        .filter(process=process)
        .select_related("result__need", "result__challenge")
        .prefetch_related(Prefetch("result__milestones", queryset=Milestone.objects.all()))
        .order_by("state", "-created_at", "-pk")
    )


def result_of(idea: Idea) -> Result | None:
    return (
        Result.objects.filter(idea=idea)
        .select_related("need", "challenge")
        .prefetch_related("milestones")
        .first()
    )


def ideas_behind(obj: Any) -> list[Idea]:
    """The public ideas whose results led to this innovation need or challenge."""
    from govhub.challenges.models import Challenge
    from govhub.needs.models import InnovationNeed

    qs = Idea.objects.filter(
        process__status__in=PUBLIC_STATUSES, hidden_at__isnull=True
    ).select_related("process")
    if isinstance(obj, InnovationNeed):
        qs = qs.filter(result__need=obj)
    elif isinstance(obj, Challenge):
        led_to = Q(result__challenge=obj)
        if obj.need_id is not None:
            led_to |= Q(result__need_id=obj.need_id)
        qs = qs.filter(led_to)
    else:
        return []
    return list(qs.order_by("created_at", "pk"))


def linkable_needs(*, process: ParticipatoryProcess) -> list[Any]:
    from govhub.needs.models import InnovationNeed

    return list(
        InnovationNeed.objects.filter(
            authority=process.authority, published_at__isnull=False
        ).order_by("title")
    )


def linkable_challenges(*, process: ParticipatoryProcess) -> list[Any]:
    from govhub.challenges.models import Challenge

    return list(
        Challenge.objects.filter(
            Q(lead_authority=process.authority) | Q(buyers__authority=process.authority),
            published_at__isnull=False,
        )
        .distinct()
        .order_by("title")
    )


# --- Moderation ----------------------------------------------------------------------------


def moderation_queue(*, user: Any) -> list[Report]:
    """Open reports on processes the user moderates (every process for platform moderators)."""
    qs = Report.objects.filter(status=ReportStatus.OPEN).select_related(
        "idea__process__authority", "comment"
    )
    if not getattr(user, "is_moderator", False):
        qs = qs.filter(
            Q(
                idea__process__authority__memberships__user=user,
                idea__process__authority__memberships__is_buyer=True,
            )
            | Q(idea__process__intermediary__memberships__user=user)
        ).distinct()
    return list(qs.order_by("created_at", "pk"))


def open_reports_by_target(*, idea: Idea) -> dict[int | None, int]:
    counts: dict[int | None, int] = defaultdict(int)
    for report in idea.reports.filter(status=ReportStatus.OPEN):
        counts[report.comment_id] += 1
    return counts


# --- Open data -----------------------------------------------------------------------------


def open_data_rows() -> dict[str, list[dict[str, Any]]]:
    """Public processes, their ideas, answers and results, without personal data."""
    processes = list(public_processes().order_by("created_at", "pk"))
    ideas = list(
        ideas_annotated()
        .filter(process__status__in=PUBLIC_STATUSES)
        .select_related("result__need", "result__challenge")
        .order_by("created_at", "pk")
    )
    answers = (
        IdeaAnswer.objects.filter(
            idea__process__status__in=PUBLIC_STATUSES, idea__hidden_at__isnull=True
        )
        .select_related("idea")
        .order_by("created_at", "pk")
    )
    results = (
        Result.objects.filter(
            idea__process__status__in=PUBLIC_STATUSES, idea__hidden_at__isnull=True
        )
        .select_related("idea", "need", "challenge")
        .prefetch_related("milestones")
        .order_by("created_at", "pk")
    )
    return {
        "processes": [process_row(p) for p in processes],
        "ideas": [idea_row(i) for i in ideas],
        "answers": [
            {
                "idea_id": str(a.idea.public_id),
                "state": a.state,
                "answer": a.text,
                "answered_at": a.created_at.isoformat(),
            }
            for a in answers
        ],
        "results": [result_row(r) for r in results],
    }


def process_row(process: ParticipatoryProcess) -> dict[str, Any]:
    return {
        "id": str(process.public_id),
        "title": process.title,
        "authority_id": str(process.authority.public_id),
        "authority": process.authority.name,
        "status": process.status,
        "scope": process.scope,
        "goals": process.goals,
        "methods": process.methods,
        "commitment": process.commitment,
        "eligibility": process.eligibility,
        "nuts_regions": ";".join(sorted(r.code for r in process.nuts_regions.all())),
        "opened_at": process.open_at.isoformat() if process.open_at else None,
        "closed_at": process.closed_at.isoformat() if process.closed_at else None,
        "unanswered_reason": process.unanswered_reason,
    }


def idea_row(idea: Idea) -> dict[str, Any]:
    hidden = idea.is_hidden
    return {
        "id": str(idea.public_id),
        "process_id": str(idea.process.public_id),
        "title": "" if hidden else idea.title,
        "body": "" if hidden else idea.body,
        "category": idea.category,
        "nuts_region": idea.nuts_region.code if idea.nuts_region else None,
        "state": idea.state,
        "answer": idea.answer,
        "answered_at": idea.answered_at.isoformat() if idea.answered_at else None,
        "merged_into": str(idea.merged_into.public_id) if idea.merged_into else None,
        "supports": getattr(idea, "support_count", 0),
        "comments": getattr(idea, "comment_count", 0),
        "hidden": hidden,
        "hidden_reason": idea.hidden_reason,
        "created_at": idea.created_at.isoformat(),
    }


def result_row(result: Result) -> dict[str, Any]:
    return {
        "id": str(result.public_id),
        "idea_id": str(result.idea.public_id),
        "summary": result.summary,
        "progress": result.progress,
        "need_id": str(result.need.public_id) if result.need else None,
        "challenge_id": str(result.challenge.public_id) if result.challenge else None,
        "milestones": [
            {
                "title": m.title,
                "due_on": m.due_on.isoformat(),
                "done": m.done,
                "evidence": m.evidence,
                "evidence_url": m.evidence_url,
            }
            for m in result.milestones.all()
        ],
    }
