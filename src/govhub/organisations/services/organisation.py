from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from govhub.core.audit import audit_record
from govhub.core.errors import InvalidInput, InvalidTransition, NotAllowed
from govhub.core.lifecycle import transition
from govhub.reference.models import CodelistEntry, Country, CpvCode, NutsRegion

from .. import permissions
from ..models import (
    VERIFICATION_TRANSITIONS,
    IntermediaryType,
    Membership,
    Organisation,
    OrganisationKind,
    VerificationStatus,
)
from ._common import lock_organisation, require_admin, require_signed_in, user_ref

# The four sizes; the codelist's aggregate "sme" value is not a size a company has.
COMPANY_SIZES = frozenset({"micro", "small", "medium", "large"})

# NUTS uses EL and UK where ISO 3166 says GR and GB.
_NUTS_PREFIX = {"GR": "EL", "GB": "UK"}

_COMMON_FIELDS = ("name", "description", "country", "nuts_region", "website", "email")
_KIND_FIELDS: dict[str, tuple[str, ...]] = {
    OrganisationKind.AUTHORITY: ("buyer_legal_type", "main_activity"),
    OrganisationKind.COMPANY: ("national_id", "size", "cpv_capabilities"),
    OrganisationKind.INTERMEDIARY: ("intermediary_type",),
    OrganisationKind.RESEARCH: (),
    OrganisationKind.CIVIL_SOCIETY: (),
}
_ALL_KIND_FIELDS = ("buyer_legal_type", "main_activity", "national_id", "size", "intermediary_type")
_BLANK: dict[str, Any] = {
    "buyer_legal_type": None,
    "main_activity": None,
    "national_id": "",
    "size": None,
    "intermediary_type": "",
}


class _Unset:
    """Marks an argument of organisation_update the caller did not pass."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


def nuts_prefix(country: Country) -> str:
    alpha2 = (country.alpha2 or "").upper()
    return _NUTS_PREFIX.get(alpha2, alpha2)


def facts(org: Organisation, cpv: Iterable[CpvCode] | None = None) -> dict[str, Any]:
    """The organisation as the audit log records it: reference values by their codes."""

    def code(value: Any) -> str | None:
        return value.code if value is not None else None

    data: dict[str, Any] = {
        "kind": org.kind,
        "name": org.name,
        "description": org.description,
        "country": code(org.country) if org.country_id else None,
        "nuts_region": code(org.nuts_region),
        "website": org.website,
        "email": org.email,
        "buyer_legal_type": code(org.buyer_legal_type),
        "main_activity": code(org.main_activity),
        "national_id": org.national_id,
        "size": code(org.size),
        "intermediary_type": org.intermediary_type,
    }
    if cpv is not None:
        data["cpv_capabilities"] = sorted(c.code for c in cpv)
    return data


def _validate(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """Check the business rules of one organisation's fields; return them normalised.

    Fields that do not belong to the kind are blanked rather than refused, so switching a
    form's kind never leaves stale facts behind.
    """
    errors: dict[str, list[str]] = {}
    if kind not in OrganisationKind.values:
        raise InvalidInput(_("Choose a kind of organisation."), field_errors={"kind": []})
    values = dict(values)
    for key in ("name", "description", "website", "email", "national_id", "intermediary_type"):
        values[key] = (values.get(key) or "").strip()
    allowed = _KIND_FIELDS[kind]
    for key in _ALL_KIND_FIELDS:
        if key not in allowed:
            values[key] = _BLANK[key]
    if "cpv_capabilities" not in allowed:
        values["cpv_capabilities"] = []

    if not values["name"]:
        errors.setdefault("name", []).append(_("Enter the organisation’s name."))
    country = values.get("country")
    if not isinstance(country, Country):
        errors.setdefault("country", []).append(_("Choose the country."))
    region = values.get("nuts_region")
    if region is not None:
        if not isinstance(region, NutsRegion):
            errors.setdefault("nuts_region", []).append(_("Choose a NUTS region."))
        elif isinstance(country, Country) and region.country_code != nuts_prefix(country):
            errors.setdefault("nuts_region", []).append(
                _("The NUTS region must be in the chosen country.")
            )

    def check_entry(field: str, codelist: str, required: bool, message: str) -> None:
        value = values.get(field)
        if value is None:
            if required:
                errors.setdefault(field, []).append(message)
        elif not isinstance(value, CodelistEntry) or value.codelist != codelist:
            errors.setdefault(field, []).append(message)

    if kind == OrganisationKind.AUTHORITY:
        check_entry(
            "buyer_legal_type",
            "buyer-legal-type",
            True,
            _("Choose the authority’s buyer legal type."),
        )
        check_entry("main_activity", "main-activity", False, _("Choose a main activity."))
    elif kind == OrganisationKind.COMPANY:
        check_entry("size", "economic-operator-size", True, _("Choose the company’s size."))
        size = values.get("size")
        if isinstance(size, CodelistEntry) and size.code not in COMPANY_SIZES:
            errors.setdefault("size", []).append(_("Choose micro, small, medium or large."))
        cpv = list(values.get("cpv_capabilities") or [])
        if any(not isinstance(c, CpvCode) for c in cpv):
            errors.setdefault("cpv_capabilities", []).append(_("Choose CPV codes."))
        values["cpv_capabilities"] = cpv
    elif (
        kind == OrganisationKind.INTERMEDIARY
        and values["intermediary_type"] not in IntermediaryType.values
    ):
        errors.setdefault("intermediary_type", []).append(_("Choose the kind of intermediary."))
    if errors:
        raise InvalidInput(
            " ".join(messages[0] for messages in errors.values()), field_errors=errors
        )
    return values


@transaction.atomic
def organisation_create(
    *,
    actor: Any,
    kind: str,
    name: str,
    country: Country | None,
    nuts_region: NutsRegion | None = None,
    description: str = "",
    website: str = "",
    email: str = "",
    buyer_legal_type: CodelistEntry | None = None,
    main_activity: CodelistEntry | None = None,
    national_id: str = "",
    size: CodelistEntry | None = None,
    cpv_capabilities: Iterable[CpvCode] = (),
    intermediary_type: str = "",
) -> Organisation:
    """Create an organisation; its creator becomes its first administrator."""
    require_signed_in(actor)
    values = _validate(
        kind,
        {
            "name": name,
            "country": country,
            "nuts_region": nuts_region,
            "description": description,
            "website": website,
            "email": email,
            "buyer_legal_type": buyer_legal_type,
            "main_activity": main_activity,
            "national_id": national_id,
            "size": size,
            "cpv_capabilities": cpv_capabilities,
            "intermediary_type": intermediary_type,
        },
    )
    cpv = values.pop("cpv_capabilities")
    org = Organisation.objects.create(kind=kind, **values)
    if cpv:
        org.cpv_capabilities.set(cpv)
    Membership.objects.create(organisation=org, user=actor, is_admin=True)
    audit_record(
        actor=actor,
        action="organisation.create",
        obj=org,
        organisation_id=org.public_id,
        after={**facts(org, cpv), "status": org.status, "first_admin": user_ref(actor)},
    )
    return org


@transaction.atomic
def organisation_update(
    *,
    actor: Any,
    organisation: Organisation,
    name: Any = UNSET,
    country: Any = UNSET,
    nuts_region: Any = UNSET,
    description: Any = UNSET,
    website: Any = UNSET,
    email: Any = UNSET,
    buyer_legal_type: Any = UNSET,
    main_activity: Any = UNSET,
    national_id: Any = UNSET,
    size: Any = UNSET,
    cpv_capabilities: Any = UNSET,
    intermediary_type: Any = UNSET,
) -> Organisation:
    """Change an organisation's facts (admins). Its kind and status do not change here."""
    org = lock_organisation(organisation)
    require_admin(actor, org)
    given = {
        "name": name,
        "country": country,
        "nuts_region": nuts_region,
        "description": description,
        "website": website,
        "email": email,
        "buyer_legal_type": buyer_legal_type,
        "main_activity": main_activity,
        "national_id": national_id,
        "size": size,
        "cpv_capabilities": cpv_capabilities,
        "intermediary_type": intermediary_type,
    }
    old_cpv = list(org.cpv_capabilities.all())
    current: dict[str, Any] = {
        key: getattr(org, key) for key in (*_COMMON_FIELDS, *_ALL_KIND_FIELDS)
    }
    current["cpv_capabilities"] = old_cpv
    current.update({key: value for key, value in given.items() if value is not UNSET})
    values = _validate(org.kind, current)
    before = facts(org, old_cpv)
    new_cpv = values.pop("cpv_capabilities")
    for key, value in values.items():
        setattr(org, key, value)
    after = facts(org, new_cpv)
    changed = sorted(key for key in after if after[key] != before[key])
    if not changed:
        return org
    org.save()
    if "cpv_capabilities" in changed:
        org.cpv_capabilities.set(new_cpv)
    audit_record(
        actor=actor,
        action="organisation.update",
        obj=org,
        organisation_id=org.public_id,
        before={key: before[key] for key in changed},
        after={key: after[key] for key in changed},
    )
    return org


_STATUS_ACTIONS: dict[tuple[str, str], str] = {
    (VerificationStatus.UNVERIFIED, VerificationStatus.VERIFIED): "organisation.verify",
    (VerificationStatus.SUSPENDED, VerificationStatus.VERIFIED): "organisation.reinstate",
    (VerificationStatus.UNVERIFIED, VerificationStatus.SUSPENDED): "organisation.suspend",
    (VerificationStatus.VERIFIED, VerificationStatus.SUSPENDED): "organisation.suspend",
}


@transaction.atomic
def organisation_set_status(
    *,
    actor: Any,
    organisation: Organisation,
    to: str,
    reason: str = "",
    expected_status: str | None = None,
) -> Organisation:
    """Moderators move an organisation along unverified → verified ⇄ suspended.

    Suspension needs a reason; the organisation's admins see it. A moderator never rules on
    an organisation they belong to. ``expected_status`` refuses the move if someone else
    changed the status since the moderator looked at it.
    """
    if not permissions.can_moderate(actor):
        raise NotAllowed(_("Only platform moderators can verify or suspend organisations."))
    org = lock_organisation(organisation)
    if permissions.is_member(actor, org):
        raise NotAllowed(_("You cannot moderate an organisation you belong to."))
    if expected_status is not None and org.status != expected_status:
        raise InvalidTransition(
            _("This cannot be done while the organisation is “%(status)s”.")
            % {"status": org.get_status_display()},
            current=org.status,
        )
    reason = (reason or "").strip()
    if to == VerificationStatus.SUSPENDED and not reason:
        raise InvalidInput(
            _("Give the reason for the suspension."),
            field_errors={"reason": [_("Give the reason for the suspension.")]},
        )
    before = {"status": org.status, "status_reason": org.status_reason}
    previous = transition(org, to=to, allowed=VERIFICATION_TRANSITIONS, label=_("The organisation"))
    org.status_reason = reason
    org.save(update_fields=["status", "status_reason", "verified_at", "suspended_at", "updated_at"])
    audit_record(
        actor=actor,
        action=_STATUS_ACTIONS[(previous, to)],
        obj=org,
        organisation_id=org.public_id,
        before=before,
        after={"status": org.status, "status_reason": org.status_reason},
    )
    for field in ("status", "status_reason", "verified_at", "suspended_at", "updated_at"):
        setattr(organisation, field, getattr(org, field))
    return org


def organisation_verify(
    *, actor: Any, organisation: Organisation, reason: str = ""
) -> Organisation:
    return organisation_set_status(
        actor=actor,
        organisation=organisation,
        to=VerificationStatus.VERIFIED,
        reason=reason,
        expected_status=VerificationStatus.UNVERIFIED,
    )


def organisation_suspend(*, actor: Any, organisation: Organisation, reason: str) -> Organisation:
    return organisation_set_status(
        actor=actor, organisation=organisation, to=VerificationStatus.SUSPENDED, reason=reason
    )


def organisation_reinstate(
    *, actor: Any, organisation: Organisation, reason: str = ""
) -> Organisation:
    return organisation_set_status(
        actor=actor,
        organisation=organisation,
        to=VerificationStatus.VERIFIED,
        reason=reason,
        expected_status=VerificationStatus.SUSPENDED,
    )
