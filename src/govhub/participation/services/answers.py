"""The authority's official answers, and merging duplicates with traceability."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidInput, NotAllowed
from govhub.core.lifecycle import transition

from .. import permissions
from ..models import (
    ANSWER_STATES,
    IDEA_TRANSITIONS,
    Idea,
    IdeaAnswer,
    IdeaMerge,
    IdeaState,
    Support,
)
from .common import notify, require_signed_in, required_text
from .discussion import idea_url


def _lock(idea: Idea) -> Idea:
    return (
        Idea.objects.select_for_update(of=("self",))
        .select_related("process__authority", "process__intermediary", "author")
        .get(pk=idea.pk)
    )


def _supporters(idea: Idea) -> list[Any]:
    return [s.user for s in idea.supports.select_related("user") if s.user is not None]


@transaction.atomic
def idea_answer(*, actor: Any, idea: Idea, state: str, text: str) -> IdeaAnswer:
    """Give the idea a state and a written answer; author and supporters are notified.
    Earlier answers stay in the idea's history."""
    require_signed_in(actor)
    locked = _lock(idea)
    if not permissions.can_manage(actor, locked.process):
        raise NotAllowed(
            _("Only those running this process can answer ideas."), code="not_process_manager"
        )
    if state not in ANSWER_STATES:
        message = _("Choose the answer’s state")
        raise InvalidInput(message, field_errors={"state": [message]})
    if locked.process.status == "draft":
        raise Conflict(_("The process is not open yet."), code="process_draft")
    answer_text = required_text(
        text,
        field="text",
        message=_("Write the answer: say what happens and why"),
        max_length=10000,
    )
    previous = transition(
        locked, to=state, allowed=IDEA_TRANSITIONS, field="state", label=_("The idea")
    )
    if state != IdeaState.ACCEPTED and hasattr(locked, "result"):
        raise Conflict(_("This idea already has a result: it stays accepted."), code="has_result")
    locked.answer = answer_text
    locked.answered_by = actor
    locked.answered_at = timezone.now()
    locked.save(update_fields=["state", "answer", "answered_by", "answered_at", "updated_at"])
    answer = IdeaAnswer.objects.create(
        idea=locked, state=state, text=answer_text, answered_by=actor
    )
    audit_record(
        actor=actor,
        action="participation.idea.answer",
        obj=locked,
        organisation_id=locked.process.authority.public_id,
        before={"state": previous},
        after={"state": state, "answer": answer_text},
    )
    notify(
        recipients=[locked.author, *_supporters(locked)],
        kind="participation.answer",
        subject=_("“%(title)s”: %(state)s")
        % {"title": locked.title, "state": locked.get_state_display()},
        body=answer_text,
        url=idea_url(locked),
        actor=actor,
        related=locked,
    )
    for key in ("state", "answer", "answered_by", "answered_at"):
        setattr(idea, key, getattr(locked, key))
    return answer


@transaction.atomic
def idea_merge(*, actor: Any, source: Idea, target: Idea, reason: str) -> IdeaMerge:
    """Merge a duplicate (source) into another idea of the same process (target).

    The source stays visible, marked merged with a link to the target; its supporters now
    support the target (once each); both authors are notified; the merge is kept as history.
    """
    require_signed_in(actor)
    first, second = sorted([source.pk, target.pk])
    locked = {pk: _lock(Idea(pk=pk)) for pk in (first, second)}
    src, tgt = locked[source.pk], locked[target.pk]
    if not permissions.can_moderate(actor, src.process):
        raise NotAllowed(
            _("Only moderators of this process can merge ideas."), code="not_moderator"
        )
    if src.pk == tgt.pk:
        message = _("Choose another idea to merge into")
        raise InvalidInput(message, field_errors={"target": [message]})
    if src.process_id != tgt.process_id:
        message = _("Only ideas of the same process can be merged")
        raise InvalidInput(message, field_errors={"target": [message]})
    if tgt.state == IdeaState.MERGED or tgt.is_hidden:
        message = _("The idea to merge into must be visible and not merged itself")
        raise InvalidInput(message, field_errors={"target": [message]})
    if src.process.status != "open":
        raise Conflict(
            _("Ideas can only be merged while the process is open."), code="process_not_open"
        )
    why = required_text(
        reason, field="reason", message=_("Say why these ideas are the same"), max_length=2000
    )
    previous = transition(
        src, to=IdeaState.MERGED, allowed=IDEA_TRANSITIONS, field="state", label=_("The idea")
    )
    src.merged_into = tgt
    src.save(update_fields=["state", "merged_into", "merged_at", "updated_at"])
    # Supports carried over, one per person: the target's author does not support their own.
    existing = set(tgt.supports.values_list("user_id", flat=True))
    moved = 0
    for support in list(src.supports.all()):
        if (
            support.user_id is None
            or support.user_id in existing
            or support.user_id == tgt.author_id
        ):
            continue
        Support.objects.create(idea=tgt, user_id=support.user_id)
        existing.add(support.user_id)
        moved += 1
    if (
        src.author_id is not None
        and src.author_id not in existing
        and src.author_id != tgt.author_id
    ):
        # The duplicate's author evidently supports the idea too.
        Support.objects.create(idea=tgt, user_id=src.author_id)
        moved += 1
    merge = IdeaMerge.objects.create(
        source=src, target=tgt, merged_by=actor, reason=why, supports_moved=moved
    )
    audit_record(
        actor=actor,
        action="participation.idea.merge",
        obj=src,
        organisation_id=src.process.authority.public_id,
        before={"state": previous},
        after={
            "state": src.state,
            "merged_into": str(tgt.public_id),
            "supports_moved": moved,
            "reason": why,
        },
    )
    notify(
        recipients=[src.author, tgt.author],
        kind="participation.merge",
        subject=_("“%(source)s” was merged into “%(target)s”")
        % {"source": src.title, "target": tgt.title},
        body=why,
        url=idea_url(tgt),
        actor=actor,
        related=tgt,
    )
    source.state, source.merged_into, source.merged_at = src.state, tgt, src.merged_at
    return merge
