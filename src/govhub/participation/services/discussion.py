"""Discussion: threaded comments, supports, reports of abuse and moderation (hide, never
delete)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidInput, NotAllowed

from .. import permissions
from ..models import Comment, Idea, Report, ReportStatus, Support
from .common import check_rate, count_rate, notify, require_signed_in, required_text


def idea_url(idea: Idea) -> str:
    return reverse("participation:idea", args=[idea.public_id])


def _not_eligible(idea: Idea) -> NotAllowed:
    return NotAllowed(
        _("This process is open only to: %(who)s.")
        % {"who": idea.process.get_eligibility_display()},
        code="not_eligible",
    )


def _closed(idea: Idea, what: str) -> Conflict:
    if idea.is_hidden:
        return Conflict(_("This idea has been hidden by a moderator."), code="idea_hidden")
    if idea.state == "merged":
        return Conflict(
            _("This idea was merged into another one: continue there."), code="idea_merged"
        )
    return Conflict(what, code="phase_closed")


@transaction.atomic
def comment_post(*, actor: Any, idea: Idea, body: str, parent: Comment | None = None) -> Comment:
    require_signed_in(actor)
    if not permissions.is_eligible(actor, idea.process):
        raise _not_eligible(idea)
    if not permissions.can_comment(actor, idea):
        raise _closed(idea, _("This process is not taking comments now."))
    if parent is not None and (parent.idea_id != idea.pk or parent.is_hidden):
        message = _("You can only reply to a visible comment on the same idea.")
        raise InvalidInput(message, field_errors={"body": [message]})
    text = required_text(body, field="body", message=_("Enter your comment"), max_length=5000)
    check_rate("comment", actor)
    if Comment.objects.filter(idea=idea, author=actor, body=text, parent=parent).exists():
        raise Conflict(_("You already posted this comment."), code="duplicate_comment")
    comment = Comment.objects.create(idea=idea, parent=parent, author=actor, body=text)
    count_rate("comment", actor)
    audit_record(
        actor=actor,
        action="participation.comment.post",
        obj=comment,
        object_label=idea.title,
        organisation_id=idea.process.authority.public_id,
        after={"idea": str(idea.public_id), "parent": str(parent.public_id) if parent else None},
    )
    recipients = [idea.author]
    if parent is not None:
        recipients.append(parent.author)
    notify(
        recipients=recipients,
        kind="participation.comment",
        subject=_("New comment on “%(title)s”") % {"title": idea.title},
        body=text[:500],
        url=idea_url(idea) + f"#comment-{comment.public_id}",
        actor=actor,
        related=idea,
    )
    return comment


@transaction.atomic
def support_add(*, actor: Any, idea: Idea) -> Support:
    """One support per person and idea; not for one's own idea."""
    require_signed_in(actor)
    if not permissions.is_eligible(actor, idea.process):
        raise _not_eligible(idea)
    if idea.author_id == actor.pk:
        raise NotAllowed(_("You cannot support your own idea."), code="own_idea")
    if not permissions.can_support(actor, idea):
        raise _closed(idea, _("This process is not collecting support now."))
    if Support.objects.filter(idea=idea, user=actor).exists():
        raise Conflict(_("You already support this idea."), code="already_supported")
    try:
        with transaction.atomic():
            support = Support.objects.create(idea=idea, user=actor)
    except IntegrityError as error:  # a concurrent double click
        raise Conflict(_("You already support this idea."), code="already_supported") from error
    audit_record(
        actor=actor,
        action="participation.support.add",
        obj=idea,
        organisation_id=idea.process.authority.public_id,
        after={"supported": True},
    )
    return support


@transaction.atomic
def support_withdraw(*, actor: Any, idea: Idea) -> None:
    require_signed_in(actor)
    support = Support.objects.filter(idea=idea, user=actor).first()
    if support is None:
        raise Conflict(_("You do not support this idea."), code="not_supported")
    if idea.state == "merged" or idea.process.status == "closed":
        raise Conflict(_("Support can no longer be changed on this idea."), code="support_frozen")
    support.delete()
    audit_record(
        actor=actor,
        action="participation.support.withdraw",
        obj=idea,
        organisation_id=idea.process.authority.public_id,
        before={"supported": True},
        after={"supported": False},
    )


@transaction.atomic
def report_create(*, actor: Any, idea: Idea, reason: str, comment: Comment | None = None) -> Report:
    """Tell the moderators that an idea or comment is abusive."""
    require_signed_in(actor)
    if comment is not None and comment.idea_id != idea.pk:
        raise InvalidInput(_("This comment is not on this idea."))
    if not permissions.can_report(actor, idea, comment):
        raise NotAllowed(
            _("You cannot report this (your own content, or already hidden)."),
            code="not_reportable",
        )
    text = required_text(
        reason, field="reason", message=_("Say what is wrong with it"), max_length=2000
    )
    already = Report.objects.filter(
        idea=idea, comment=comment, reporter=actor, status=ReportStatus.OPEN
    ).exists()
    if already:
        raise Conflict(
            _("You have already reported this; a moderator will look at it."),
            code="already_reported",
        )
    check_rate("report", actor)
    report = Report.objects.create(idea=idea, comment=comment, reporter=actor, reason=text)
    count_rate("report", actor)
    audit_record(
        actor=actor,
        action="participation.report.create",
        obj=report,
        object_label=idea.title,
        organisation_id=idea.process.authority.public_id,
        after={"idea": str(idea.public_id), "comment": str(comment.public_id) if comment else None},
    )
    return report


def _require_moderator(actor: Any, idea: Idea) -> None:
    require_signed_in(actor)
    if not permissions.can_hide(actor, idea):
        raise NotAllowed(_("Only moderators of this process can do this."), code="not_moderator")


@transaction.atomic
def content_hide(
    *, actor: Any, idea: Idea, reason: str, comment: Comment | None = None
) -> Idea | Comment:
    """Hide an idea or a comment with a published reason. It stays in place as a trace
    ("hidden by a moderator: <reason>"); open reports on it are resolved."""
    _require_moderator(actor, idea)
    target: Idea | Comment = comment if comment is not None else idea
    if comment is not None and comment.idea_id != idea.pk:
        raise InvalidInput(_("This comment is not on this idea."))
    if target.is_hidden:
        raise Conflict(_("This is already hidden."), code="already_hidden")
    text = required_text(
        reason,
        field="reason",
        message=_("Give the reason: it is published in place of the content"),
        max_length=1000,
    )
    target.hidden_at = timezone.now()
    target.hidden_reason = text
    target.hidden_by = actor
    target.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])
    Report.objects.filter(idea=idea, comment=comment, status=ReportStatus.OPEN).update(
        status=ReportStatus.HIDDEN, resolved_by=actor, resolved_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action="participation.comment.hide" if comment else "participation.idea.hide",
        obj=target,
        object_label=idea.title,
        organisation_id=idea.process.authority.public_id,
        after={"hidden": True, "reason": text},
    )
    notify(
        recipients=[target.author],
        kind="participation.hidden",
        subject=_("A moderator hid your contribution to “%(title)s”") % {"title": idea.title},
        body=_("Reason given by the moderator: %(reason)s") % {"reason": text},
        url=idea_url(idea),
        actor=actor,
        related=idea,
    )
    return target


@transaction.atomic
def report_dismiss(*, actor: Any, report: Report) -> Report:
    """The moderator finds nothing wrong: the report is closed, the content stays."""
    _require_moderator(actor, report.idea)
    if report.status != ReportStatus.OPEN:
        raise Conflict(_("This report has already been dealt with."), code="report_resolved")
    report.status = ReportStatus.DISMISSED
    report.resolved_by = actor
    report.resolved_at = timezone.now()
    report.save(update_fields=["status", "resolved_by", "resolved_at", "updated_at"])
    audit_record(
        actor=actor,
        action="participation.report.dismiss",
        obj=report,
        object_label=report.idea.title,
        organisation_id=report.idea.process.authority.public_id,
        before={"status": ReportStatus.OPEN},
        after={"status": report.status},
    )
    return report
