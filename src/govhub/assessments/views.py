"""Assessment pages. Thin: find the solution, check the object-level right, call one service,
render. The questionnaire and its current answers are the provider's (and moderators', read
only); a completed report is public once the solution is published."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from govhub.catalogue.models import Solution
from govhub.core.errors import DomainError
from govhub.core.forms import show_domain_error
from govhub.core.http import posted as _posted
from govhub.core.http import require as _require

from . import permissions, rules, selectors, services
from .forms import CompleteForm, SectionForm
from .models import Assessment, AssessmentKind
from .presentation import ai_report, answer_rows, history_rows, interoperability_report
from .questions import questionnaire

URL_PREFIX = {AssessmentKind.INTEROPERABILITY: "interop", AssessmentKind.AI_ACT: "ai"}


def url_name(kind: str, page: str = "") -> str:
    prefix = URL_PREFIX[AssessmentKind(kind)]
    return f"assessments:{prefix}-{page}" if page else f"assessments:{prefix}"


def solution_url(solution: Solution) -> str:
    """The catalogue's page of the solution, when the catalogue has it."""
    for name in ("catalogue:detail", "catalogue:solution"):
        try:
            return reverse(name, kwargs={"public_id": solution.public_id})
        except NoReverseMatch:
            continue
    return ""


def _solution(solution_id: UUID) -> Solution:
    solution = selectors.solution_by_public_id(solution_id)
    if solution is None:
        raise Http404
    return solution


def _section_url(solution: Solution, kind: str, key: str) -> str:
    return reverse(
        url_name(kind, "section"), kwargs={"solution_id": solution.public_id, "section_key": key}
    )


def _context(solution: Solution, kind: str, **extra: Any) -> dict[str, Any]:
    return {
        "solution": solution,
        "solution_url": solution_url(solution),
        "kind": kind,
        "questionnaire": questionnaire(kind),
        "urls": {
            page or "start": reverse(
                url_name(kind, page), kwargs={"solution_id": solution.public_id}
            )
            for page in ("", "check", "report", "history")
        },
        **extra,
    }


@login_required
def start(request: HttpRequest, solution_id: UUID, kind: str) -> HttpResponse:
    """The questionnaire's overview: its parts, how far each is answered, the last result."""
    solution = _solution(solution_id)
    _require(permissions.can_read_answers(request.user, solution))
    if not permissions.applies(solution, kind):
        return render(request, "assessments/not_applicable.html", _context(solution, kind))
    assessment = selectors.assessment_for(solution=solution, kind=kind)
    progress = selectors.section_progress(assessment, kind)
    for item in progress:
        item["url"] = _section_url(solution, kind, item["section"].key)
    return render(
        request,
        "assessments/start.html",
        _context(
            solution,
            kind,
            assessment=assessment,
            progress=progress,
            can_edit=permissions.can_edit(request.user, solution),
            all_answered=all(item["complete"] for item in progress),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, solution_id: UUID, kind: str, section_key: str) -> HttpResponse:
    solution = _solution(solution_id)
    definition = questionnaire(kind)
    part = definition.section(section_key)
    if part is None:
        raise Http404
    _require(permissions.can_edit(request.user, solution))
    if not permissions.applies(solution, kind):
        return redirect(url_name(kind), solution_id=solution.public_id)
    assessment = selectors.assessment_for(solution=solution, kind=kind)
    form = SectionForm(
        _posted(request), section=part, current=selectors.current_answers(assessment)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_save_answers(
                actor=request.user,
                solution=solution,
                kind=kind,
                section=part.key,
                answers=form.answers(),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Your answers have been saved."))
            following = definition.next_section(part.key)
            if following is not None:
                return redirect(
                    url_name(kind, "section"),
                    solution_id=solution.public_id,
                    section_key=following.key,
                )
            return redirect(url_name(kind, "check"), solution_id=solution.public_id)
    sections = list(definition.sections)
    return render(
        request,
        "assessments/section.html",
        _context(
            solution,
            kind,
            assessment=assessment,
            part=part,
            form=form,
            step=sections.index(part) + 1,
            steps=len(sections),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, solution_id: UUID, kind: str) -> HttpResponse:
    """Check your answers, then complete (computes the result)."""
    solution = _solution(solution_id)
    _require(permissions.can_read_answers(request.user, solution))
    if not permissions.applies(solution, kind):
        return redirect(url_name(kind), solution_id=solution.public_id)
    assessment = selectors.assessment_for(solution=solution, kind=kind)
    can_edit = permissions.can_edit(request.user, solution)
    form = CompleteForm(_posted(request))
    if request.method == "POST":
        _require(can_edit)
        if form.is_valid():
            try:
                services.assessment_complete(actor=request.user, solution=solution, kind=kind)
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, _("The assessment is complete. This is its report."))
                return redirect(url_name(kind, "report"), solution_id=solution.public_id)
    current = selectors.current_answers(assessment)
    values = {key: answer.value for key, answer in current.items()}
    definition = questionnaire(kind)
    missing = rules.missing_questions(definition, values)
    sections = answer_rows(definition, current)
    if can_edit:
        for group in sections:
            group["url"] = _section_url(solution, kind, group["section"].key)
    preview: Any = None
    if not missing:
        preview = (
            interoperability_report(rules.result_for(kind, values))
            if kind == AssessmentKind.INTEROPERABILITY
            else ai_report(rules.result_for(kind, values))
        )
    return render(
        request,
        "assessments/check.html",
        _context(
            solution,
            kind,
            assessment=assessment,
            form=form,
            sections=sections,
            missing=missing,
            preview=preview,
            can_edit=can_edit,
        ),
    )


def _visible_assessment(request: HttpRequest, solution: Solution, kind: str) -> Assessment:
    assessment = selectors.assessment_for(solution=solution, kind=kind)
    if not permissions.can_view_report(request.user, solution, assessment):
        raise Http404
    assert assessment is not None
    return assessment


def report(request: HttpRequest, solution_id: UUID, kind: str) -> HttpResponse:
    solution = _solution(solution_id)
    assessment = _visible_assessment(request, solution, kind)
    result = assessment.result
    definition = questionnaire(kind)
    context = _context(
        solution,
        kind,
        assessment=assessment,
        sections=answer_rows(
            definition,
            result.get("answers", {}),
            scored=kind == AssessmentKind.INTEROPERABILITY,
        ),
        can_edit=permissions.can_edit(request.user, solution),
        is_public=permissions.is_report_public(solution, assessment),
    )
    if kind == AssessmentKind.INTEROPERABILITY:
        context["report"] = interoperability_report(result)
        return render(request, "assessments/report_interoperability.html", context)
    context["report"] = ai_report(result)
    return render(request, "assessments/report_ai.html", context)


def history(request: HttpRequest, solution_id: UUID, kind: str) -> HttpResponse:
    """Every version of every answer. The public sees the versions up to the last completion."""
    solution = _solution(solution_id)
    assessment = selectors.assessment_for(solution=solution, kind=kind)
    full = permissions.can_read_answers(request.user, solution)
    if assessment is None or not (full or permissions.is_report_public(solution, assessment)):
        raise Http404
    versions = selectors.answer_history(assessment, until=None if full else assessment.completed_at)
    definition = questionnaire(kind)
    by_question: dict[str, list[Any]] = {}
    for answer in versions:
        by_question.setdefault(answer.question, []).append(answer)
    return render(
        request,
        "assessments/history.html",
        _context(
            solution,
            kind,
            assessment=assessment,
            sections=history_rows(definition, by_question, show_superseded=full),
            full=full,
        ),
    )
