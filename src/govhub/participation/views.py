"""Participation pages. Thin: parse, check the object-level right, call one service, render.
Unknown ids and drafts of others give 404, a missing right 403; a refused post is shown on
its form with everything typed kept."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govhub.core.errors import DomainError
from govhub.core.http import posted as _posted
from govhub.core.http import require as _require
from govhub.needs import selectors as need_selectors

from . import permissions, selectors, services
from .forms import (
    AnswerForm,
    CloseForm,
    CommentForm,
    HideForm,
    IdeaForm,
    MergeForm,
    MilestoneDoneForm,
    MilestoneForm,
    ProcessForm,
    ProfileForm,
    ReportForm,
    ResultForm,
    show_domain_error,
)
from .models import (
    Comment,
    Idea,
    IdeaAttachment,
    IdeaState,
    Milestone,
    ParticipatoryProcess,
    ProcessStatus,
    Report,
)


def _form_page(request: HttpRequest, **context: Any) -> HttpResponse:
    """The one-form pages (answer, merge, hide, report…): a heading, the fields, a button."""
    return render(request, "participation/form_page.html", context)


def _detail_url(process: ParticipatoryProcess) -> str:
    return reverse("participation:detail", args=[process.public_id])


def idea_url(idea: Idea) -> str:
    return reverse("participation:idea", args=[idea.public_id])


def _process(request: HttpRequest, public_id: UUID) -> ParticipatoryProcess:
    process = selectors.process_detail(public_id=public_id)
    if process is None or not permissions.can_view(request.user, process):
        raise Http404
    return process


def _idea(request: HttpRequest, public_id: UUID) -> Idea:
    idea = selectors.idea_detail(public_id=public_id)
    if idea is None or not permissions.can_view(request.user, idea.process):
        raise Http404
    return idea


# --- Processes -------------------------------------------------------------------------------


def process_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status not in (None, ProcessStatus.OPEN, ProcessStatus.CLOSED):
        status = None
    processes = list(selectors.process_list(status=status))
    return render(
        request,
        "participation/list.html",
        {
            "processes": processes,
            "drafts": selectors.drafts_for(request.user),
            "status": status or "",
            "can_create": bool(need_selectors.publishable_authorities(user=request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def process_create(request: HttpRequest) -> HttpResponse:
    authorities = need_selectors.publishable_authorities(user=request.user)
    _require(bool(authorities))
    form = ProcessForm(_posted(request), authorities=authorities)
    if request.method == "POST" and form.is_valid():
        try:
            process = services.process_create(
                actor=request.user,
                authority=form.cleaned_data["authority"] or authorities[0],
                **form.content(),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The process is saved as a draft. Check it, then open it."))
            return redirect("participation:detail", public_id=process.public_id)
    return render(request, "participation/process_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def process_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    process = _process(request, public_id)
    _require(permissions.can_manage(request.user, process))
    if not permissions.can_edit_process(request.user, process):
        messages.info(request, _("Only a draft process can be changed."))
        return redirect("participation:detail", public_id=process.public_id)
    initial: dict[str, Any] = {
        "authority": process.authority.public_id,
        "title": process.title,
        "scope": process.scope,
        "goals": process.goals,
        "methods": process.methods,
        "commitment": process.commitment,
        "categories": process.categories,
        "eligibility": process.eligibility,
        "nuts_regions": " ".join(r.code for r in process.nuts_regions.all()),
        "invited_organisations": [o.public_id for o in process.invited_organisations.all()],
        "intermediary": process.intermediary.public_id if process.intermediary else None,
    }
    for phase in process.phases.all():
        initial[f"{phase.kind}_starts_on"] = phase.starts_on
        initial[f"{phase.kind}_ends_on"] = phase.ends_on
    form = ProcessForm(_posted(request), authorities=[process.authority], initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.process_update(actor=request.user, process=process, **form.content())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("participation:detail", public_id=process.public_id)
    return render(request, "participation/process_form.html", {"form": form, "process": process})


def process_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    process = _process(request, public_id)
    user = request.user
    state = request.GET.get("state") or None
    if state not in IdeaState.values:
        state = None
    category = request.GET.get("category") or None
    order = "support" if request.GET.get("order") == "support" else "recent"
    ideas = list(selectors.idea_list(process=process, state=state, category=category, order=order))
    return render(
        request,
        "participation/detail.html",
        {
            "process": process,
            "phases": list(process.phases.all()),
            "current": process.current_phases(),
            "ideas": ideas,
            "state": state or "",
            "category": category or "",
            "order": order,
            "states": IdeaState.choices,
            "can_manage": permissions.can_manage(user, process),
            "can_open": permissions.can_open(user, process),
            "can_edit": permissions.can_edit_process(user, process),
            "can_close": permissions.can_close(user, process),
            "can_submit": permissions.can_submit_idea(user, process),
            "accepts_ideas": permissions.accepts_ideas(process),
            "eligible": permissions.is_eligible(user, process),
            "unanswered": services.unanswered_ideas(process).count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def process_open(request: HttpRequest, public_id: UUID) -> HttpResponse:
    process = _process(request, public_id)
    _require(permissions.can_manage(request.user, process))
    error = None
    if request.method == "POST":
        try:
            services.process_open(actor=request.user, process=process)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("The process is open: eligible people can take part."))
            return redirect("participation:detail", public_id=process.public_id)
    return _form_page(
        request,
        heading=_("Open “%(title)s”?") % {"title": process.title},
        caption=process.authority.name,
        intro=_(
            "The engagement strategy is published and eligible people can take part. "
            "It can no longer be changed."
        ),
        button=_("Open the process"),
        back=_detail_url(process),
        error=error,
    )


@login_required
@require_http_methods(["GET", "POST"])
def process_close(request: HttpRequest, public_id: UUID) -> HttpResponse:
    process = _process(request, public_id)
    _require(permissions.can_manage(request.user, process))
    form = CloseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.process_close(
                actor=request.user,
                process=process,
                unanswered_reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The process is closed."))
            return redirect("participation:results", public_id=process.public_id)
    unanswered = [idea.title for idea in services.unanswered_ideas(process)]
    return _form_page(
        request,
        form=form,
        heading=_("Close “%(title)s”?") % {"title": process.title},
        caption=process.authority.name,
        intro=(
            _("These ideas have no answer yet. Answer them first, or publish why not:")
            if unanswered
            else _("Every idea has an answer. Leave the reason empty.")
        ),
        items=unanswered,
        button=_("Close the process"),
        back=_detail_url(process),
        warning=True,
    )


def process_results(request: HttpRequest, public_id: UUID) -> HttpResponse:
    process = _process(request, public_id)
    ideas = selectors.results_page(process=process)
    counts: dict[str, int] = {}
    for idea in ideas:
        counts[idea.state] = counts.get(idea.state, 0) + 1
    return render(
        request,
        "participation/results.html",
        {
            "process": process,
            "ideas": ideas,
            "counts": [(label, counts.get(value, 0)) for value, label in IdeaState.choices],
        },
    )


# --- Ideas -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def idea_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    process = _process(request, public_id)
    if not permissions.is_eligible(request.user, process):
        messages.info(
            request,
            _("This process is open only to: %(who)s.")
            % {"who": process.get_eligibility_display()},
        )
        return redirect("participation:detail", public_id=process.public_id)
    if not permissions.accepts_ideas(process):
        messages.info(request, _("This process is not taking ideas now."))
        return redirect("participation:detail", public_id=process.public_id)
    form = IdeaForm(
        _posted(request), request.FILES if request.method == "POST" else None, process=process
    )
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_submit(actor=request.user, process=process, **form.content())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Your idea is published."))
            return redirect("participation:idea", public_id=idea.public_id)
    similar = []
    if form.is_bound:
        similar = selectors.similar_ideas(
            process=process, title=request.POST.get("title", ""), body=request.POST.get("body", "")
        )
    return render(
        request,
        "participation/idea_form.html",
        {
            "process": process,
            "form": form,
            "idea": None,
            "similar": similar,
            "profile": selectors.profile_of(request.user),
        },
    )


def idea_similar(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """htmx: up to five ideas of the process like the one being typed."""
    process = _process(request, public_id)
    similar = selectors.similar_ideas(
        process=process,
        title=request.GET.get("title", "")[:200],
        body=request.GET.get("body", "")[:2000],
    )
    return render(request, "participation/includes/similar.html", {"similar": similar})


def idea_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    idea = _idea(request, public_id)
    user = request.user
    process = idea.process
    can_moderate = permissions.can_moderate(user, process)
    return render(
        request,
        "participation/idea.html",
        {
            "idea": idea,
            "process": process,
            "author": selectors.author_label(idea.author),
            "thread": selectors.comment_thread(idea=idea),
            "answers": selectors.answer_history(idea=idea),
            "merges": selectors.merge_history(idea=idea),
            "result": selectors.result_of(idea) if idea.state == IdeaState.ACCEPTED else None,
            "supported": selectors.supports(user=user, idea=idea),
            "can_support": permissions.can_support(user, idea),
            "can_comment": permissions.can_comment(user, idea),
            "can_edit": permissions.can_edit_idea(user, idea),
            "can_answer": permissions.can_answer(user, idea),
            "can_merge": permissions.can_merge(user, idea),
            "can_moderate": can_moderate,
            "can_result": permissions.can_manage_result(user, idea),
            "signed_in": permissions.is_signed_in(user),
            "show_attachments": permissions.can_view_attachment(user, idea),
            "reports": selectors.open_reports_by_target(idea=idea) if can_moderate else {},
            "comment_form": CommentForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def idea_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    idea = _idea(request, public_id)
    _require(idea.author_id == request.user.pk)
    if not permissions.can_edit_idea(request.user, idea):
        messages.info(
            request,
            _("Others have already reacted to this idea, so it can no longer be changed."),
        )
        return redirect("participation:idea", public_id=idea.public_id)
    initial = {
        "title": idea.title,
        "body": idea.body,
        "category": idea.category,
        "nuts_region": idea.nuts_region,
    }
    form = IdeaForm(
        _posted(request),
        request.FILES if request.method == "POST" else None,
        process=idea.process,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_update(actor=request.user, idea=idea, **form.content())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("participation:idea", public_id=idea.public_id)
    return render(
        request,
        "participation/idea_form.html",
        {"process": idea.process, "form": form, "idea": idea, "similar": []},
    )


@login_required
@require_POST
def idea_support(request: HttpRequest, public_id: UUID) -> HttpResponse:
    idea = _idea(request, public_id)
    try:
        if request.POST.get("action") == "withdraw":
            services.support_withdraw(actor=request.user, idea=idea)
            messages.success(request, _("You no longer support this idea."))
        else:
            services.support_add(actor=request.user, idea=idea)
            messages.success(request, _("You support this idea."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("participation:idea", public_id=idea.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def comment_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    idea = _idea(request, public_id)
    parent_id = request.POST.get("parent") or request.GET.get("parent") or ""
    parent = None
    if parent_id:
        try:
            parent = Comment.objects.filter(idea=idea, public_id=UUID(parent_id)).first()
        except ValueError:
            parent = None
        if parent is None:
            raise Http404
    form = CommentForm(_posted(request), initial={"parent": parent_id})
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.comment_post(
                actor=request.user, idea=idea, body=form.cleaned_data["body"], parent=parent
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Your comment is published."))
            return redirect(f"{idea_url(idea)}#comment-{comment.public_id}")
    return _form_page(
        request,
        form=form,
        heading=(
            _("Reply to %(name)s") % {"name": selectors.author_label(parent.author)}
            if parent
            else _("Comment on “%(title)s”") % {"title": idea.title}
        ),
        caption=idea.title,
        quote=parent.body if parent and not parent.is_hidden else "",
        button=_("Publish comment"),
        back=idea_url(idea),
    )


def _comment_of(request: HttpRequest, idea: Idea) -> Comment | None:
    comment_id = request.POST.get("comment") or request.GET.get("comment") or ""
    if not comment_id:
        return None
    try:
        key = UUID(comment_id)
    except ValueError as error:
        raise Http404 from error
    comment = Comment.objects.select_related("author").filter(idea=idea, public_id=key).first()
    if comment is None:
        raise Http404
    return comment


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    idea = _idea(request, public_id)
    comment = _comment_of(request, idea)
    form = ReportForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                actor=request.user, idea=idea, comment=comment, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Thank you. A moderator will look at it."))
            return redirect("participation:idea", public_id=idea.public_id)
    return _form_page(
        request,
        form=form,
        heading=_("Report this comment") if comment else _("Report this idea"),
        caption=idea.title,
        quote=comment.body if comment else idea.body,
        intro=_("Moderators read every report. Say which rule it breaks or why it is abusive."),
        button=_("Send the report"),
        back=idea_url(idea),
        comment=comment,
    )


@login_required
@require_http_methods(["GET", "POST"])
def content_hide(request: HttpRequest, public_id: UUID) -> HttpResponse:
    idea = _idea(request, public_id)
    _require(permissions.can_hide(request.user, idea))
    comment = _comment_of(request, idea)
    form = HideForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.content_hide(
                actor=request.user, idea=idea, comment=comment, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Hidden. The reason is published in its place."))
            return redirect("participation:idea", public_id=idea.public_id)
    return _form_page(
        request,
        form=form,
        heading=_("Hide this comment") if comment else _("Hide this idea"),
        caption=idea.title,
        quote=comment.body if comment else idea.body,
        intro=_("Nothing is deleted: in its place everyone sees that a moderator hid it, and why."),
        button=_("Hide"),
        back=idea_url(idea),
        comment=comment,
        warning=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def idea_answer(request: HttpRequest, public_id: UUID) -> HttpResponse:
    idea = _idea(request, public_id)
    _require(permissions.can_answer(request.user, idea))
    initial = {"state": idea.state if idea.state != IdeaState.NEW else None}
    form = AnswerForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_answer(
                actor=request.user,
                idea=idea,
                state=form.cleaned_data["state"],
                text=form.cleaned_data["text"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request, _("The answer is published; the author and supporters are notified.")
            )
            return redirect("participation:idea", public_id=idea.public_id)
    return _form_page(
        request,
        form=form,
        heading=_("Answer “%(title)s”") % {"title": idea.title},
        caption=idea.process.title,
        quote=idea.body,
        button=_("Publish the answer"),
        back=idea_url(idea),
    )


@login_required
@require_http_methods(["GET", "POST"])
def idea_merge(request: HttpRequest, public_id: UUID) -> HttpResponse:
    idea = _idea(request, public_id)
    _require(permissions.can_merge(request.user, idea))
    targets = selectors.merge_targets(idea=idea)
    form = MergeForm(_posted(request), targets=targets)
    if request.method == "POST" and form.is_valid():
        target = next(t for t in targets if str(t.public_id) == form.cleaned_data["target"])
        try:
            services.idea_merge(
                actor=request.user, source=idea, target=target, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The ideas are merged; both authors are notified."))
            return redirect("participation:idea", public_id=target.public_id)
    return _form_page(
        request,
        form=form,
        heading=_("Merge “%(title)s” into another idea") % {"title": idea.title},
        caption=idea.process.title,
        intro=_(
            "This idea stays visible, marked as merged with a link. Its supporters then "
            "support the other idea, and both authors are notified."
        ),
        button=_("Merge"),
        back=idea_url(idea),
    )


# --- Results ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def result_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    idea = _idea(request, public_id)
    _require(permissions.can_manage_result(request.user, idea))
    result = selectors.result_of(idea)
    initial: dict[str, Any] = {"progress": 0}
    if result is not None:
        initial = {
            "summary": result.summary,
            "progress": result.progress,
            "need": str(result.need.public_id) if result.need else "",
            "challenge": str(result.challenge.public_id) if result.challenge else "",
        }
    form = ResultForm(
        _posted(request),
        initial=initial,
        needs=selectors.linkable_needs(process=idea.process),
        challenges=selectors.linkable_challenges(process=idea.process),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if result is None:
                services.result_create(actor=request.user, idea=idea, **form.content())
            else:
                services.result_update(actor=request.user, result=result, **form.content())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The result is published."))
            return redirect("participation:idea", public_id=idea.public_id)
    return _form_page(
        request,
        form=form,
        heading=_("Result of “%(title)s”") % {"title": idea.title},
        caption=idea.process.title,
        button=_("Publish the result"),
        back=idea_url(idea),
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    idea = _idea(request, public_id)
    _require(permissions.can_manage_result(request.user, idea))
    result = selectors.result_of(idea)
    if result is None:
        raise Http404
    form = MilestoneForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_add(actor=request.user, result=result, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The milestone is added."))
            return redirect("participation:idea", public_id=idea.public_id)
    return _form_page(
        request,
        form=form,
        heading=_("Add a milestone"),
        caption=idea.title,
        button=_("Add the milestone"),
        back=idea_url(idea),
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_done(request: HttpRequest, public_id: UUID) -> HttpResponse:
    milestone = Milestone.objects.select_related("result__idea").filter(public_id=public_id).first()
    if milestone is None:
        raise Http404
    idea = _idea(request, milestone.result.idea.public_id)
    _require(permissions.can_manage_result(request.user, idea))
    form = MilestoneDoneForm(
        _posted(request),
        initial={"evidence": milestone.evidence, "evidence_url": milestone.evidence_url},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_complete(
                actor=request.user, milestone=milestone, **form.cleaned_data
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The milestone is marked as done."))
            return redirect("participation:idea", public_id=idea.public_id)
    return _form_page(
        request,
        form=form,
        heading=_("Mark “%(title)s” as done") % {"title": milestone.title},
        caption=idea.title,
        button=_("Mark as done"),
        back=idea_url(idea),
    )


# --- Moderation, profile, files --------------------------------------------------------------


@login_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    reports = selectors.moderation_queue(user=request.user)
    return render(request, "participation/moderation.html", {"reports": reports})


@login_required
@require_POST
def report_dismiss(request: HttpRequest, public_id: UUID) -> HttpResponse:
    report = (
        Report.objects.select_related("idea__process__authority", "idea__process__intermediary")
        .filter(public_id=public_id)
        .first()
    )
    if report is None:
        raise Http404
    _require(permissions.can_hide(request.user, report.idea))
    try:
        services.report_dismiss(actor=request.user, report=report)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report is dismissed; the content stays."))
    return redirect("participation:moderation")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    current = selectors.profile_of(request.user)
    initial = (
        {"pseudonym": current.pseudonym, "nuts_region": current.nuts_region} if current else {}
    )
    form = ProfileForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Your participant profile is saved."))
            next_url = request.POST.get("next", "")
            if next_url.startswith("/") and not next_url.startswith("//"):
                return redirect(next_url)
            return redirect("participation:profile")
    return _form_page(
        request,
        form=form,
        heading=_("Your participant profile"),
        intro=_(
            "Others see your pseudonym, never your name. Your region decides which "
            "processes for residents you may take part in."
        ),
        button=_("Save"),
        back=request.GET.get("next") or reverse("participation:list"),
        next=request.GET.get("next", "") or request.POST.get("next", ""),
    )


def attachment_download(request: HttpRequest, public_id: UUID) -> FileResponse:
    attachment = (
        IdeaAttachment.objects.select_related(
            "idea__process__authority", "idea__process__intermediary"
        )
        .filter(public_id=public_id)
        .first()
    )
    if attachment is None or not permissions.can_view_attachment(request.user, attachment.idea):
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=attachment.content_type == "application/pdf",
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
