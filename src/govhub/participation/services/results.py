"""Accountability: an accepted idea becomes a result with progress and dated milestones,
linked to the innovation need or challenge it led to."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from govhub.challenges.models import Challenge
from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidInput, NotAllowed
from govhub.needs.models import InnovationNeed

from .. import permissions
from ..models import Idea, IdeaState, Milestone, Result
from .common import clean_text, notify, require_signed_in, required_text
from .discussion import idea_url


def _require(actor: Any, idea: Idea) -> None:
    require_signed_in(actor)
    if not permissions.can_manage(actor, idea.process):
        raise NotAllowed(
            _("Only those running this process can report on its results."),
            code="not_process_manager",
        )


def _check_links(idea: Idea, need: InnovationNeed | None, challenge: Challenge | None) -> None:
    errors: dict[str, list[str]] = {}
    authority = idea.process.authority_id
    if need is not None and (need.authority_id != authority or need.published_at is None):
        errors["need"] = [_("Choose a published need of the process’s authority")]
    if challenge is not None and (
        challenge.published_at is None
        or (
            not challenge.buyers.filter(authority_id=authority).exists()
            and challenge.lead_authority_id != authority
        )
    ):
        errors["challenge"] = [_("Choose a published challenge of the process’s authority")]
    if errors:
        raise InvalidInput(_("Check the links"), field_errors=errors)


def _check_progress(progress: Any) -> int:
    try:
        value = int(progress)
    except (TypeError, ValueError):
        value = -1
    if not 0 <= value <= 100:
        message = _("Enter a progress between 0 and 100")
        raise InvalidInput(message, field_errors={"progress": [message]})
    return value


def _people(idea: Idea) -> list[Any]:
    return [idea.author, *(s.user for s in idea.supports.select_related("user"))]


@transaction.atomic
def result_create(
    *,
    actor: Any,
    idea: Idea,
    summary: str,
    progress: int = 0,
    need: InnovationNeed | None = None,
    challenge: Challenge | None = None,
) -> Result:
    _require(actor, idea)
    if idea.state != IdeaState.ACCEPTED:
        raise Conflict(_("Only an accepted idea becomes a result."), code="not_accepted")
    if Result.objects.filter(idea=idea).exists():
        raise Conflict(_("This idea already has a result."), code="result_exists")
    text = required_text(
        summary, field="summary", message=_("Say what is being done"), max_length=5000
    )
    value = _check_progress(progress)
    _check_links(idea, need, challenge)
    result = Result.objects.create(
        idea=idea, summary=text, progress=value, need=need, challenge=challenge
    )
    audit_record(
        actor=actor,
        action="participation.result.create",
        obj=result,
        object_label=idea.title,
        organisation_id=idea.process.authority.public_id,
        after={
            "progress": value,
            "need": str(need.public_id) if need else None,
            "challenge": str(challenge.public_id) if challenge else None,
        },
    )
    notify(
        recipients=_people(idea),
        kind="participation.progress",
        subject=_("“%(title)s” is now being put into practice") % {"title": idea.title},
        body=text,
        url=idea_url(idea),
        actor=actor,
        related=idea,
    )
    return result


@transaction.atomic
def result_update(
    *,
    actor: Any,
    result: Result,
    summary: str,
    progress: int,
    need: InnovationNeed | None = None,
    challenge: Challenge | None = None,
) -> Result:
    idea = result.idea
    _require(actor, idea)
    text = required_text(
        summary, field="summary", message=_("Say what is being done"), max_length=5000
    )
    value = _check_progress(progress)
    _check_links(idea, need, challenge)
    before = {
        "progress": result.progress,
        "need": str(result.need.public_id) if result.need else None,
        "challenge": str(result.challenge.public_id) if result.challenge else None,
    }
    result.summary, result.progress, result.need, result.challenge = text, value, need, challenge
    result.save()
    after = {
        "progress": value,
        "need": str(need.public_id) if need else None,
        "challenge": str(challenge.public_id) if challenge else None,
    }
    audit_record(
        actor=actor,
        action="participation.result.update",
        obj=result,
        object_label=idea.title,
        organisation_id=idea.process.authority.public_id,
        before=before,
        after=after,
    )
    if before["progress"] != value:
        notify(
            recipients=_people(idea),
            kind="participation.progress",
            subject=_("“%(title)s”: %(progress)d%% done")
            % {"title": idea.title, "progress": value},
            body=text,
            url=idea_url(idea),
            actor=actor,
            related=idea,
        )
    return result


@transaction.atomic
def milestone_add(
    *,
    actor: Any,
    result: Result,
    title: str,
    due_on: dt.date | None,
    done: bool = False,
    evidence: str = "",
    evidence_url: str = "",
) -> Milestone:
    _require(actor, result.idea)
    name = required_text(title, field="title", message=_("Name the milestone"), max_length=200)
    if due_on is None:
        message = _("Enter the milestone’s date")
        raise InvalidInput(message, field_errors={"due_on": [message]})
    url = (evidence_url or "").strip()
    if url and not url.startswith(("https://", "http://")):
        message = _("Enter a web address starting with https://")
        raise InvalidInput(message, field_errors={"evidence_url": [message]})
    milestone = Milestone.objects.create(
        result=result,
        title=name,
        due_on=due_on,
        done=done,
        evidence=clean_text(evidence),
        evidence_url=url,
    )
    audit_record(
        actor=actor,
        action="participation.milestone.add",
        obj=milestone,
        organisation_id=result.idea.process.authority.public_id,
        after={"title": name, "due_on": due_on.isoformat(), "done": done},
    )
    return milestone


@transaction.atomic
def milestone_complete(
    *, actor: Any, milestone: Milestone, evidence: str = "", evidence_url: str = ""
) -> Milestone:
    """Mark a milestone done, with the evidence that it is."""
    idea = milestone.result.idea
    _require(actor, idea)
    if milestone.done:
        raise Conflict(_("This milestone is already done."), code="milestone_done")
    text = clean_text(evidence) or milestone.evidence
    url = (evidence_url or "").strip() or milestone.evidence_url
    if not text and not url:
        message = _("Give the evidence that the milestone is reached")
        raise InvalidInput(message, field_errors={"evidence": [message]})
    if url and not url.startswith(("https://", "http://")):
        message = _("Enter a web address starting with https://")
        raise InvalidInput(message, field_errors={"evidence_url": [message]})
    milestone.done, milestone.evidence, milestone.evidence_url = True, text, url
    milestone.save()
    audit_record(
        actor=actor,
        action="participation.milestone.complete",
        obj=milestone,
        organisation_id=idea.process.authority.public_id,
        before={"done": False},
        after={"done": True},
    )
    notify(
        recipients=_people(idea),
        kind="participation.progress",
        subject=_("“%(title)s”: milestone reached") % {"title": idea.title},
        body=milestone.title,
        url=idea_url(idea),
        actor=actor,
        related=idea,
    )
    return milestone
