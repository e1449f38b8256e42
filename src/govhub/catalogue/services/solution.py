"""Writes on catalogue entries: content, translations and the moderation lifecycle."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from govhub.core.lifecycle import transition
from govhub.organisations import permissions as org_permissions
from govhub.organisations.models import Organisation

from .. import permissions, rules
from ..models import (
    SOLUTION_TRANSITIONS,
    ModerationStep,
    Solution,
    SolutionCategoryLink,
    SolutionStatus,
    SolutionTranslation,
)

__all__ = [
    "solution_archive",
    "solution_create",
    "solution_propose",
    "solution_publish",
    "solution_reopen",
    "solution_request_update",
    "solution_update",
    "solution_withdraw_proposal",
    "translation_add",
    "translation_remove",
    "translation_update",
]


def _signed_in(actor: Any) -> None:
    if not org_permissions.is_signed_in(actor):
        raise NotAllowed(_("You need to sign in first."))


def _require_manager(actor: Any, provider: Organisation) -> None:
    _signed_in(actor)
    if not permissions.can_provide(provider):
        raise NotAllowed(
            _(
                "Only public authorities, companies and intermediaries that are not suspended "
                "can publish solutions."
            ),
            code="not_a_provider",
        )
    if not permissions.can_manage_for(actor, provider):
        raise NotAllowed(
            _("Only members of %(organisation)s can manage its solutions.")
            % {"organisation": provider.name},
            code="not_a_member",
        )


def _require_moderator(actor: Any) -> None:
    _signed_in(actor)
    if not permissions.can_moderate(actor):
        raise NotAllowed(_("Only moderators can do this."), code="not_a_moderator")


def _lock(solution: Solution) -> Solution:
    return (
        Solution.objects.select_for_update(of=("self",))
        .select_related("provider")
        .get(pk=solution.pk)
    )


def _check_version(solution: Solution, version: int | None) -> None:
    if version is not None and int(version) != solution.version:
        raise Conflict(
            _(
                "Someone else changed this entry since you opened it. Your changes have not "
                "been saved: check the entry as it is now, then make your changes again."
            ),
            code="stale_version",
        )


def _copy_back(source: Solution, target: Solution) -> None:
    if source is target:
        return
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _save_relations(solution: Solution, values: dict[str, Any]) -> None:
    if "categories" in values:
        SolutionCategoryLink.objects.filter(solution=solution).exclude(
            category__in=values["categories"]
        ).delete()
        existing = set(
            SolutionCategoryLink.objects.filter(solution=solution).values_list(
                "category", flat=True
            )
        )
        SolutionCategoryLink.objects.bulk_create(
            [
                SolutionCategoryLink(solution=solution, category=category)
                for category in values["categories"]
                if category not in existing
            ]
        )
    if "cpv_codes" in values:
        solution.cpv_codes.set(values["cpv_codes"])
    if "supported_countries" in values:
        solution.supported_countries.set(values["supported_countries"])


def _scalar(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in rules.RELATION_FIELDS}


@transaction.atomic
def solution_create(*, actor: Any, provider: Organisation, **content: Any) -> Solution:
    """Draft an entry for the provider. Drafts may be incomplete; proposing checks the rest.

    ``content`` takes the names in :data:`govhub.catalogue.rules.CONTENT_FIELDS`;
    ``categories`` are :class:`SolutionCategory` values, ``cpv_codes`` CpvCode rows (or
    codes), ``supported_countries`` Country rows (or alpha-3 codes).
    """
    _require_manager(actor, provider)
    values = rules.validate({"name": content.pop("name", ""), **content})
    if not values["name"]:
        raise InvalidInput(
            _("Enter the solution’s name"),
            field_errors={"name": [_("Enter the solution’s name")]},
        )
    solution = Solution(provider=provider, created_by=actor, **_scalar(values))
    solution.is_open_source = rules.derive_open_source(solution.licence, solution.delivery_model)
    solution.save()
    _save_relations(solution, values)
    audit_record(
        actor=actor,
        action="solution.create",
        obj=solution,
        organisation_id=provider.public_id,
        after={**rules.facts(values), "status": solution.status},
    )
    return solution


@transaction.atomic
def solution_update(
    *, actor: Any, solution: Solution, version: int | None, **content: Any
) -> Solution:
    """Change the given content fields. ``version`` is the one the editor started from: an
    edit based on an older version is refused (Conflict) instead of overwriting. A published
    entry must keep every mandatory fact; a proposed one is locked while it is moderated."""
    locked = _lock(solution)
    _require_manager(actor, locked.provider)
    if locked.status not in permissions.EDITABLE:
        raise InvalidTransition(
            _("An entry that is “%(status)s” cannot be changed.")
            % {"status": locked.get_status_display()},
            current=locked.status,
        )
    _check_version(locked, version)
    values = rules.validate(content)
    rules.check_combination({**rules.content_of(locked), **values})
    if "name" in values and not values["name"]:
        raise InvalidInput(
            _("Enter the solution’s name"),
            field_errors={"name": [_("Enter the solution’s name")]},
        )
    before_all = rules.content_of(locked)
    if locked.status == SolutionStatus.PUBLISHED:
        problems = rules.missing_facts({**before_all, **values})
        if problems:
            raise rules.missing_refusal(problems)
    changed = {k: v for k, v in values.items() if before_all.get(k) != v}
    if not changed:
        _copy_back(locked, solution)
        return solution
    for name, value in _scalar(changed).items():
        setattr(locked, name, value)
    locked.is_open_source = rules.derive_open_source(locked.licence, locked.delivery_model)
    locked.version += 1
    locked.save()
    _save_relations(locked, changed)
    audit_record(
        actor=actor,
        action="solution.update",
        obj=locked,
        organisation_id=locked.provider.public_id,
        before=rules.facts({k: before_all[k] for k in changed}),
        after=rules.facts(changed),
    )
    _copy_back(locked, solution)
    return solution


def _move(
    *,
    actor: Any,
    solution: Solution,
    locked: Solution,
    to: str,
    reason: str,
    action: str,
) -> Solution:
    before = locked.status
    transition(locked, to=to, allowed=SOLUTION_TRANSITIONS, label=_("The entry"))
    locked.status_reason = reason
    locked.version += 1
    locked.save()
    ModerationStep.objects.create(
        solution=locked, actor=actor, from_status=before, to_status=to, reason=reason
    )
    audit_record(
        actor=actor,
        action=action,
        obj=locked,
        organisation_id=locked.provider.public_id,
        before={"status": before},
        after={"status": to, "reason": reason},
    )
    _copy_back(locked, solution)
    return solution


def _reason(reason: str, *, required: bool) -> str:
    text = (reason or "").strip()
    if required and not text:
        raise InvalidInput(
            _("Give the reason: the provider sees it on the entry."),
            field_errors={"reason": [_("Give the reason for this decision")]},
        )
    return text


@transaction.atomic
def solution_propose(
    *, actor: Any, solution: Solution, version: int | None = None, note: str = ""
) -> Solution:
    """Ask the moderators to publish. Refused, listing every missing mandatory fact at once."""
    locked = _lock(solution)
    _require_manager(actor, locked.provider)
    _check_version(locked, version)
    problems = rules.publication_problems(locked)
    if problems:
        raise rules.missing_refusal(problems)
    return _move(
        actor=actor,
        solution=solution,
        locked=locked,
        to=SolutionStatus.PROPOSED,
        reason=(note or "").strip(),
        action="solution.propose",
    )


@transaction.atomic
def solution_withdraw_proposal(*, actor: Any, solution: Solution, note: str = "") -> Solution:
    """The provider takes a proposed entry back to draft (to change it)."""
    locked = _lock(solution)
    _require_manager(actor, locked.provider)
    if locked.status != SolutionStatus.PROPOSED:
        raise InvalidTransition(_("Only a proposed entry can be taken back."))
    return _move(
        actor=actor,
        solution=solution,
        locked=locked,
        to=SolutionStatus.DRAFT,
        reason=(note or "").strip(),
        action="solution.withdraw_proposal",
    )


@transaction.atomic
def solution_publish(*, actor: Any, solution: Solution, reason: str) -> Solution:
    """A moderator publishes a proposed entry that has every mandatory fact."""
    _require_moderator(actor)
    text = _reason(reason, required=True)
    locked = _lock(solution)
    if locked.status != SolutionStatus.PROPOSED:
        raise InvalidTransition(
            _("Only a proposed entry can be published; this one is “%(status)s”.")
            % {"status": locked.get_status_display()},
            current=locked.status,
        )
    problems = rules.publication_problems(locked)
    if problems:
        raise rules.missing_refusal(problems)
    return _move(
        actor=actor,
        solution=solution,
        locked=locked,
        to=SolutionStatus.PUBLISHED,
        reason=text,
        action="solution.publish",
    )


@transaction.atomic
def solution_request_update(*, actor: Any, solution: Solution, reason: str) -> Solution:
    """A moderator sends a proposed or published entry back to its provider, saying why."""
    _require_moderator(actor)
    text = _reason(reason, required=True)
    locked = _lock(solution)
    return _move(
        actor=actor,
        solution=solution,
        locked=locked,
        to=SolutionStatus.NEEDS_UPDATE,
        reason=text,
        action="solution.request_update",
    )


@transaction.atomic
def solution_archive(*, actor: Any, solution: Solution, reason: str = "") -> Solution:
    """The provider archives its entry, or a moderator does so with a reason."""
    _signed_in(actor)
    locked = _lock(solution)
    is_manager = permissions.can_manage(actor, locked)
    if not is_manager and not permissions.can_moderate(actor):
        raise NotAllowed(_("Only the provider or a moderator can archive this entry."))
    text = _reason(reason, required=not is_manager)
    return _move(
        actor=actor,
        solution=solution,
        locked=locked,
        to=SolutionStatus.ARCHIVED,
        reason=text,
        action="solution.archive",
    )


@transaction.atomic
def solution_reopen(*, actor: Any, solution: Solution, reason: str = "") -> Solution:
    """An archived entry goes back to draft: its provider, or a moderator with a reason."""
    _signed_in(actor)
    locked = _lock(solution)
    is_manager = permissions.can_manage(actor, locked)
    if not is_manager and not permissions.can_moderate(actor):
        raise NotAllowed(_("Only the provider or a moderator can reopen this entry."))
    if locked.status != SolutionStatus.ARCHIVED:
        raise InvalidTransition(_("Only an archived entry can be reopened."))
    text = _reason(reason, required=not is_manager)
    return _move(
        actor=actor,
        solution=solution,
        locked=locked,
        to=SolutionStatus.DRAFT,
        reason=text,
        action="solution.reopen",
    )


# Translations ------------------------------------------------------------------------------


def _translation_values(language: str, name: str, summary: str, description: str) -> dict[str, str]:
    values = {
        "language": (language or "").strip().lower(),
        "name": (name or "").strip(),
        "summary": (summary or "").strip(),
        "description": (description or "").strip(),
    }
    errors: dict[str, list[str]] = {}
    if values["language"] not in rules._LANGUAGE_NAMES:
        errors["language"] = [_("Choose a language")]
    if not values["name"]:
        errors["name"] = [_("Enter the name in this language")]
    elif len(values["name"]) > 200:
        errors["name"] = [_("Enter no more than %(limit)d characters") % {"limit": 200}]
    if not values["summary"]:
        errors["summary"] = [_("Enter the short description in this language")]
    elif len(values["summary"]) > 500:
        errors["summary"] = [_("Enter no more than %(limit)d characters") % {"limit": 500}]
    if errors:
        raise InvalidInput(_("Check the highlighted facts and try again."), field_errors=errors)
    return values


def _editable(locked: Solution) -> None:
    if locked.status not in permissions.EDITABLE:
        raise InvalidTransition(
            _("An entry that is “%(status)s” cannot be changed.")
            % {"status": locked.get_status_display()},
            current=locked.status,
        )


@transaction.atomic
def translation_add(
    *,
    actor: Any,
    solution: Solution,
    language: str,
    name: str,
    summary: str,
    description: str = "",
) -> SolutionTranslation:
    locked = _lock(solution)
    _require_manager(actor, locked.provider)
    _editable(locked)
    values = _translation_values(language, name, summary, description)
    if values["language"] == locked.language:
        raise InvalidInput(
            _("The entry is already written in this language; edit the entry instead."),
            field_errors={"language": [_("Choose another language")]},
        )
    if SolutionTranslation.objects.filter(solution=locked, language=values["language"]).exists():
        raise Conflict(_("There is already a translation in this language."))
    translation = SolutionTranslation.objects.create(solution=locked, **values)
    audit_record(
        actor=actor,
        action="solution.translation_add",
        obj=locked,
        organisation_id=locked.provider.public_id,
        after=values,
    )
    return translation


@transaction.atomic
def translation_update(
    *,
    actor: Any,
    translation: SolutionTranslation,
    name: str,
    summary: str,
    description: str = "",
) -> SolutionTranslation:
    locked = _lock(translation.solution)
    _require_manager(actor, locked.provider)
    _editable(locked)
    values = _translation_values(translation.language, name, summary, description)
    row = SolutionTranslation.objects.select_for_update().get(pk=translation.pk)
    before = {"name": row.name, "summary": row.summary, "description": row.description}
    for key in ("name", "summary", "description"):
        setattr(row, key, values[key])
    row.save()
    audit_record(
        actor=actor,
        action="solution.translation_update",
        obj=locked,
        organisation_id=locked.provider.public_id,
        before={"language": row.language, **before},
        after=values,
    )
    translation.name, translation.summary = row.name, row.summary
    translation.description = row.description
    return translation


@transaction.atomic
def translation_remove(*, actor: Any, translation: SolutionTranslation) -> None:
    locked = _lock(translation.solution)
    _require_manager(actor, locked.provider)
    _editable(locked)
    audit_record(
        actor=actor,
        action="solution.translation_remove",
        obj=locked,
        organisation_id=locked.provider.public_id,
        before={"language": translation.language, "name": translation.name},
    )
    SolutionTranslation.objects.filter(pk=translation.pk).delete()
