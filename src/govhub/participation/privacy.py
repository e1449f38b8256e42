"""Participation's part of GDPR export and erasure (registered with govhub.accounts.privacy).

Erasure keeps what the person wrote, anonymised: ideas and comments stay in their threads
under "Deleted participant", supports still count, and the profile (pseudonym, region) goes.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import Comment, Idea, IdeaAnswer, IdeaMerge, ParticipantProfile, Report, Support

DELETED = "Deleted participant"


def export_user(user: Any) -> dict[str, Any]:
    profile = ParticipantProfile.objects.filter(user=user).select_related("nuts_region").first()
    ideas = Idea.objects.filter(author=user).select_related("process")
    comments = Comment.objects.filter(author=user).select_related("idea")
    supports = Support.objects.filter(user=user).select_related("idea")
    reports = Report.objects.filter(reporter=user).select_related("idea", "comment")
    return {
        "profile": (
            {
                "pseudonym": profile.pseudonym,
                "nuts_region": profile.nuts_region.code if profile.nuts_region else None,
            }
            if profile
            else None
        ),
        "ideas": [
            {
                "id": str(idea.public_id),
                "process": idea.process.title,
                "title": idea.title,
                "body": idea.body,
                "category": idea.category,
                "state": idea.state,
                "created_at": idea.created_at.isoformat(),
                "hidden_reason": idea.hidden_reason,
            }
            for idea in ideas
        ],
        "comments": [
            {
                "id": str(comment.public_id),
                "idea": comment.idea.title,
                "body": comment.body,
                "created_at": comment.created_at.isoformat(),
                "hidden_reason": comment.hidden_reason,
            }
            for comment in comments
        ],
        "supports": [
            {"idea": support.idea.title, "created_at": support.created_at.isoformat()}
            for support in supports
        ],
        "reports": [
            {"idea": report.idea.title, "reason": report.reason, "status": report.status}
            for report in reports
        ],
    }


@transaction.atomic
def erase_user(user: Any) -> None:
    Idea.objects.filter(author=user).update(author=None)
    Comment.objects.filter(author=user).update(author=None)
    Support.objects.filter(user=user).update(user=None)
    Report.objects.filter(reporter=user).update(reporter=None)
    # Those who acted for an authority or moderated are not named either once erased.
    Idea.objects.filter(answered_by=user).update(answered_by=None)
    Idea.objects.filter(hidden_by=user).update(hidden_by=None)
    Comment.objects.filter(hidden_by=user).update(hidden_by=None)
    IdeaAnswer.objects.filter(answered_by=user).update(answered_by=None)
    IdeaMerge.objects.filter(merged_by=user).update(merged_by=None)
    Report.objects.filter(resolved_by=user).update(resolved_by=None)
    ParticipantProfile.objects.filter(user=user).delete()
