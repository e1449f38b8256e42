"""Participatory processes: draft with the engagement strategy, open, close."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from govhub.core.audit import audit_record
from govhub.core.errors import InvalidInput, InvalidTransition, NotAllowed
from govhub.core.lifecycle import transition
from govhub.organisations.models import Organisation, OrganisationKind, VerificationStatus
from govhub.reference.models import NutsRegion

from .. import permissions
from ..models import (
    PROCESS_TRANSITIONS,
    Eligibility,
    IdeaState,
    ParticipatoryProcess,
    PhaseKind,
    ProcessPhase,
    ProcessStatus,
)
from .common import clean_text, require_signed_in

PhaseSpec = tuple[str, dt.date, dt.date]


def _facts(process: ParticipatoryProcess) -> dict[str, Any]:
    return {
        "title": process.title,
        "eligibility": process.eligibility,
        "status": process.status,
        "phases": [
            [p.kind, p.starts_on.isoformat(), p.ends_on.isoformat()] for p in process.phases.all()
        ],
    }


def _validate(
    *,
    title: str,
    scope: str,
    goals: str,
    commitment: str,
    eligibility: str,
    nuts_regions: Sequence[NutsRegion],
    invited_organisations: Sequence[Organisation],
    phases: Sequence[PhaseSpec],
    intermediary: Organisation | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def need(field: str, value: str, message: str) -> None:
        if not value:
            errors.setdefault(field, []).append(message)

    need("title", title, _("Enter the title of the process"))
    need("scope", scope, _("Say what the process is about and what is out of its scope"))
    need("goals", goals, _("Say what the process should achieve"))
    need(
        "commitment",
        commitment,
        _("Say what the authority commits to do with the results"),
    )
    if len(title) > 200:
        errors.setdefault("title", []).append(_("Use 200 characters or fewer"))
    if eligibility not in Eligibility.values:
        errors.setdefault("eligibility", []).append(_("Choose who may take part"))
    if eligibility == Eligibility.RESIDENTS and not nuts_regions:
        errors.setdefault("nuts_regions", []).append(
            _("Name at least one region whose residents may take part")
        )
    if eligibility == Eligibility.INVITED and not invited_organisations:
        errors.setdefault("invited_organisations", []).append(
            _("Name at least one invited organisation")
        )
    kinds = [kind for kind, _start, _end in phases]
    if PhaseKind.IDEAS not in kinds:
        errors.setdefault("ideas_starts_on", []).append(_("Give the dates of the ideas phase"))
    if len(set(kinds)) != len(kinds):
        errors.setdefault("phases", []).append(_("Give each kind of phase only once"))
    for kind, start, end in phases:
        if kind not in PhaseKind.values:
            errors.setdefault("phases", []).append(_("Unknown kind of phase"))
        elif end < start:
            errors.setdefault(f"{kind}_ends_on", []).append(
                _("The phase must end on or after the day it starts")
            )
    if intermediary is not None and (
        intermediary.kind != OrganisationKind.INTERMEDIARY
        or intermediary.status != VerificationStatus.VERIFIED
    ):
        errors.setdefault("intermediary", []).append(
            _("Choose a verified intermediary organisation")
        )
    return errors


@transaction.atomic
def process_create(
    *,
    actor: Any,
    authority: Organisation,
    title: str,
    scope: str,
    goals: str,
    commitment: str,
    methods: str = "",
    categories: Iterable[str] = (),
    eligibility: str = Eligibility.EVERYONE,
    nuts_regions: Iterable[NutsRegion] = (),
    invited_organisations: Iterable[Organisation] = (),
    phases: Iterable[PhaseSpec] = (),
    intermediary: Organisation | None = None,
) -> ParticipatoryProcess:
    """Draft a process with its engagement strategy; only its authority's buyers see it."""
    require_signed_in(actor)
    if not permissions.can_create_process_for(actor, authority):
        raise NotAllowed(
            _("Only buyers of a verified public authority can start its participatory processes."),
            code="not_a_buyer",
        )
    regions = list(nuts_regions)
    invited = list(invited_organisations)
    phase_list = list(phases)
    values = {
        "title": clean_text(title),
        "scope": clean_text(scope),
        "goals": clean_text(goals),
        "commitment": clean_text(commitment),
    }
    errors = _validate(
        **values,
        eligibility=eligibility,
        nuts_regions=regions,
        invited_organisations=invited,
        phases=phase_list,
        intermediary=intermediary,
    )
    if errors:
        raise InvalidInput(_("Check the process’s details"), field_errors=errors)
    category_lines = [clean_text(c)[:100] for c in categories if clean_text(c)]
    process = ParticipatoryProcess.objects.create(
        authority=authority,
        intermediary=intermediary,
        created_by=actor,
        methods=clean_text(methods),
        categories="\n".join(category_lines),
        eligibility=eligibility,
        **values,
    )
    process.nuts_regions.set(regions)
    process.invited_organisations.set(invited)
    for kind, start, end in phase_list:
        ProcessPhase.objects.create(process=process, kind=kind, starts_on=start, ends_on=end)
    audit_record(
        actor=actor,
        action="participation.process.create",
        obj=process,
        organisation_id=authority.public_id,
        after=_facts(process),
    )
    return process


@transaction.atomic
def process_update(
    *,
    actor: Any,
    process: ParticipatoryProcess,
    title: str,
    scope: str,
    goals: str,
    commitment: str,
    methods: str = "",
    categories: Iterable[str] = (),
    eligibility: str = Eligibility.EVERYONE,
    nuts_regions: Iterable[NutsRegion] = (),
    invited_organisations: Iterable[Organisation] = (),
    phases: Iterable[PhaseSpec] = (),
    intermediary: Organisation | None = None,
) -> ParticipatoryProcess:
    """Change a draft's strategy and phases. Once open, the stated strategy is a commitment
    participants relied on: it no longer changes."""
    locked = _lock(process)
    _require_manager(actor, locked)
    if locked.status != ProcessStatus.DRAFT:
        raise InvalidTransition(_("Only a draft process can be changed."), current=locked.status)
    regions = list(nuts_regions)
    invited = list(invited_organisations)
    phase_list = list(phases)
    values = {
        "title": clean_text(title),
        "scope": clean_text(scope),
        "goals": clean_text(goals),
        "commitment": clean_text(commitment),
    }
    errors = _validate(
        **values,
        eligibility=eligibility,
        nuts_regions=regions,
        invited_organisations=invited,
        phases=phase_list,
        intermediary=intermediary,
    )
    if errors:
        raise InvalidInput(_("Check the process’s details"), field_errors=errors)
    before = _facts(locked)
    for key, value in values.items():
        setattr(locked, key, value)
    locked.methods = clean_text(methods)
    locked.categories = "\n".join(clean_text(c)[:100] for c in categories if clean_text(c))
    locked.eligibility = eligibility
    locked.intermediary = intermediary
    locked.save()
    locked.nuts_regions.set(regions)
    locked.invited_organisations.set(invited)
    locked.phases.all().delete()
    for kind, start, end in phase_list:
        ProcessPhase.objects.create(process=locked, kind=kind, starts_on=start, ends_on=end)
    audit_record(
        actor=actor,
        action="participation.process.update",
        obj=locked,
        organisation_id=locked.authority.public_id,
        before=before,
        after=_facts(locked),
    )
    return locked


def _lock(process: ParticipatoryProcess) -> ParticipatoryProcess:
    return (
        ParticipatoryProcess.objects.select_for_update(of=("self",))
        .select_related("authority", "intermediary")
        .get(pk=process.pk)
    )


def _require_manager(actor: Any, process: ParticipatoryProcess) -> None:
    require_signed_in(actor)
    if not permissions.can_manage(actor, process):
        raise NotAllowed(
            _("Only those running this process can do this."), code="not_process_manager"
        )


@transaction.atomic
def process_open(*, actor: Any, process: ParticipatoryProcess) -> ParticipatoryProcess:
    """Publish the process: its strategy shows, and eligible people may take part."""
    locked = _lock(process)
    _require_manager(actor, locked)
    previous = transition(
        locked, to=ProcessStatus.OPEN, allowed=PROCESS_TRANSITIONS, label=_("The process")
    )
    locked.save(update_fields=["status", "open_at", "updated_at"])
    audit_record(
        actor=actor,
        action="participation.process.open",
        obj=locked,
        organisation_id=locked.authority.public_id,
        before={"status": previous},
        after=_facts(locked),
    )
    process.status, process.open_at = locked.status, locked.open_at
    return process


def unanswered_ideas(process: ParticipatoryProcess) -> Any:
    """Visible ideas the authority has not answered yet."""
    return process.ideas.filter(state=IdeaState.NEW, hidden_at__isnull=True)


@transaction.atomic
def process_close(
    *, actor: Any, process: ParticipatoryProcess, unanswered_reason: str = ""
) -> ParticipatoryProcess:
    """Close the process. Every idea needs an answer first, unless the authority publishes
    why some have none (the reason is shown on the process and results pages)."""
    locked = _lock(process)
    _require_manager(actor, locked)
    reason = clean_text(unanswered_reason)
    missing = unanswered_ideas(locked).count()
    previous = transition(
        locked, to=ProcessStatus.CLOSED, allowed=PROCESS_TRANSITIONS, label=_("The process")
    )
    if missing and not reason:
        message = _(
            "%(count)d ideas have no answer yet. Answer them, or publish why the process "
            "closes without answering them."
        ) % {"count": missing}
        raise InvalidInput(message, code="unanswered_ideas", field_errors={"reason": [message]})
    locked.unanswered_reason = reason if missing else ""
    locked.save(update_fields=["status", "closed_at", "unanswered_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="participation.process.close",
        obj=locked,
        organisation_id=locked.authority.public_id,
        before={"status": previous},
        after={"status": locked.status, "unanswered": missing, "reason": locked.unanswered_reason},
    )
    process.status, process.closed_at = locked.status, locked.closed_at
    process.unanswered_reason = locked.unanswered_reason
    return process
