"""Who may do what in participatory processes. Pure predicates: services and views ask them.

- A process belongs to its authority: buyers of the verified authority run it, and so do
  members of a verified intermediary named as running it on the authority's behalf.
- Those who run it also moderate it; platform moderators moderate every process.
- Who may take part is the process's stated eligibility: everyone, residents of its NUTS
  regions (as declared in their participant profile), civil servants of the authority, or
  members of the invited organisations.
- A draft process is visible only to those who run it; hidden ideas stay listed as a trace.
"""

from __future__ import annotations

from typing import Any

from govhub.organisations import permissions as org_permissions
from govhub.organisations.models import Membership, Organisation, VerificationStatus

from .models import (
    COMMENT_PHASES,
    SUBMIT_PHASES,
    SUPPORT_PHASES,
    Comment,
    Eligibility,
    Idea,
    IdeaState,
    ParticipantProfile,
    ParticipatoryProcess,
    ProcessStatus,
)

is_signed_in = org_permissions.is_signed_in


def can_create_process_for(user: Any, authority: Organisation) -> bool:
    return org_permissions.can_publish_for(user, authority)


def can_manage(user: Any, process: ParticipatoryProcess) -> bool:
    if org_permissions.can_publish_for(user, process.authority):
        return True
    intermediary = process.intermediary
    return (
        intermediary is not None
        and intermediary.status == VerificationStatus.VERIFIED
        and org_permissions.is_member(user, intermediary)
    )


def can_moderate(user: Any, process: ParticipatoryProcess) -> bool:
    return org_permissions.can_moderate(user) or can_manage(user, process)


def can_view(user: Any, process: ParticipatoryProcess) -> bool:
    return process.status != ProcessStatus.DRAFT or can_manage(user, process)


def can_edit_process(user: Any, process: ParticipatoryProcess) -> bool:
    return process.status == ProcessStatus.DRAFT and can_manage(user, process)


def can_open(user: Any, process: ParticipatoryProcess) -> bool:
    return process.status == ProcessStatus.DRAFT and can_manage(user, process)


def can_close(user: Any, process: ParticipatoryProcess) -> bool:
    return process.status == ProcessStatus.OPEN and can_manage(user, process)


def _profile(user: Any) -> ParticipantProfile | None:
    try:
        profile: ParticipantProfile = user.participant_profile
    except ParticipantProfile.DoesNotExist:
        return None
    return profile


def is_eligible(user: Any, process: ParticipatoryProcess) -> bool:
    """The process's stated rule on who may take part (those who run it always may)."""
    if not is_signed_in(user):
        return False
    if can_manage(user, process):
        return True
    rule = process.eligibility
    if rule == Eligibility.EVERYONE:
        return True
    if rule == Eligibility.RESIDENTS:
        profile = _profile(user)
        if profile is None or profile.nuts_region is None:
            return False
        home = profile.nuts_region.code
        # NUTS codes nest by prefix: BE100 lies in BE10, BE1 and BE.
        return any(home.startswith(region.code) for region in process.nuts_regions.all())
    if rule == Eligibility.CIVIL_SERVANTS:
        return org_permissions.is_member(user, process.authority)
    if rule == Eligibility.INVITED:
        return Membership.objects.filter(
            user=user, organisation__in=process.invited_organisations.all()
        ).exists()
    return False


def _phase_allows(process: ParticipatoryProcess, kinds: frozenset[str]) -> bool:
    if process.status != ProcessStatus.OPEN:
        return False
    phases = list(process.phases.all())
    if not phases:
        return True  # a process without dated phases is open for everything while open
    return any(phase.kind in kinds for phase in process.current_phases())


def accepts_ideas(process: ParticipatoryProcess) -> bool:
    return _phase_allows(process, SUBMIT_PHASES)


def accepts_comments(process: ParticipatoryProcess) -> bool:
    return _phase_allows(process, COMMENT_PHASES)


def accepts_supports(process: ParticipatoryProcess) -> bool:
    return _phase_allows(process, SUPPORT_PHASES)


def can_submit_idea(user: Any, process: ParticipatoryProcess) -> bool:
    return accepts_ideas(process) and is_eligible(user, process)


def _idea_open(idea: Idea) -> bool:
    return not idea.is_hidden and idea.state != IdeaState.MERGED


def can_comment(user: Any, idea: Idea) -> bool:
    return _idea_open(idea) and accepts_comments(idea.process) and is_eligible(user, idea.process)


def can_support(user: Any, idea: Idea) -> bool:
    return (
        _idea_open(idea)
        and accepts_supports(idea.process)
        and is_eligible(user, idea.process)
        and idea.author_id != getattr(user, "pk", None)
    )


def others_reacted(idea: Idea) -> bool:
    """Someone other than the author commented on or supported the idea."""
    author = idea.author_id
    if author is None:
        return idea.comments.exists() or idea.supports.exists()
    return (
        idea.comments.exclude(author_id=author).exists()
        or idea.supports.exclude(user_id=author).exists()
    )


def can_edit_idea(user: Any, idea: Idea) -> bool:
    """Authors edit their idea until others react to it (or it is answered, merged, hidden)."""
    return (
        is_signed_in(user)
        and idea.author_id == user.pk
        and idea.state == IdeaState.NEW
        and not idea.is_hidden
        and idea.process.status == ProcessStatus.OPEN
        and not others_reacted(idea)
    )


def can_report(user: Any, idea: Idea, comment: Comment | None = None) -> bool:
    target = comment or idea
    return is_signed_in(user) and not target.is_hidden and target.author_id != user.pk


def can_answer(user: Any, idea: Idea) -> bool:
    return (
        idea.state != IdeaState.MERGED
        and idea.process.status != ProcessStatus.DRAFT
        and can_manage(user, idea.process)
    )


def can_merge(user: Any, idea: Idea) -> bool:
    return (
        idea.state in (IdeaState.NEW, IdeaState.UNDER_EVALUATION)
        and idea.process.status == ProcessStatus.OPEN
        and can_moderate(user, idea.process)
    )


def can_hide(user: Any, idea: Idea) -> bool:
    return can_moderate(user, idea.process)


def can_manage_result(user: Any, idea: Idea) -> bool:
    return idea.state == IdeaState.ACCEPTED and can_manage(user, idea.process)


def can_view_attachment(user: Any, idea: Idea) -> bool:
    if not can_view(user, idea.process):
        return False
    return not idea.is_hidden or can_moderate(user, idea.process)
