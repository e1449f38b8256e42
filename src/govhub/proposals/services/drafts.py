"""Drafting a proposal: answers, price, title and attachments, saved without losing anything.

Partial drafts are fine; completeness is checked only on submission. Saving twice from the
same form (a double click) is harmless: a stale version whose input changes nothing is
accepted as a no-op, so only a real concurrent edit is refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from govhub.challenges.models import AwardCriterion, Phase
from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition
from govhub.organisations.models import Organisation

from ..models import Proposal, ProposalAnswer, ProposalAttachment, ProposalStatus
from ..storage import PROPOSAL_STORAGE
from . import files
from ._common import (
    require_accepting,
    require_company_member,
    require_eligible,
)

MAX_ANSWER_CHARS = 20_000
MAX_PRICE = Decimal("999999999999.99")
EDITABLE = frozenset({ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN})


class _Keep:
    """Marks an argument the caller did not pass: leave the stored value as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


def answer_field(criterion: AwardCriterion | str) -> str:
    """The name under which an answer's errors are reported (and the form's field name)."""
    key = criterion if isinstance(criterion, str) else str(criterion.public_id)
    return f"answer_{key}"


@dataclass
class DraftResult:
    changed: bool = False
    created: bool = False
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@contextmanager
def storage_guard() -> Iterator[list[str]]:
    """Files written during a transaction that then fails are deleted again, so a refused or
    crashed save leaves no stray file behind. Wrap it *around* ``transaction.atomic()``."""
    saved: list[str] = []
    try:
        yield saved
    except BaseException:
        for name in saved:
            PROPOSAL_STORAGE.delete(name)
        raise


def lock_phase(phase: Phase) -> Phase:
    """A fresh, row-locked phase: its deadline cannot move, nor its proposals be opened,
    while a proposal is being saved or received."""
    return (
        Phase.objects.select_for_update(of=("self",))
        .select_related("challenge", "challenge__lead_authority")
        .get(pk=phase.pk)
    )


def lock_or_create(*, actor: Any, phase: Phase, company: Organisation) -> tuple[Proposal, bool]:
    # The company's row lock makes two first saves of one company queue, not collide.
    Organisation.objects.select_for_update().filter(pk=company.pk).first()
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .filter(phase=phase, company=company)
        .select_related("phase__challenge", "company")
        .first()
    )
    if proposal is not None:
        return proposal, False
    proposal = Proposal.objects.create(phase=phase, company=company, created_by=actor)
    return proposal, True


def require_editable(proposal: Proposal) -> None:
    if proposal.status not in EDITABLE:
        raise InvalidTransition(
            _("This proposal has been submitted. Withdraw it first to change it."),
            code="already_submitted",
        )


def clean_price(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        price = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        price = None
    if price is None or not price.is_finite():
        message = _("Enter the price as a number, for example 125000 or 125000.50.")
    elif price < 0:
        message = _("The price cannot be negative.")
    elif price > MAX_PRICE:
        message = _("The price is too large.")
    elif -int(price.as_tuple().exponent) > 2:
        message = _("The price can have at most 2 decimals.")
    else:
        # Two decimals, as the database stores it: the receipt's snapshot shows the same.
        return price.quantize(Decimal("0.01"))
    raise InvalidInput(message, field_errors={"declared_price": [message]})


def _stored_bytes(proposal: Proposal) -> int:
    return int(
        ProposalAttachment.objects.filter(proposal=proposal).aggregate(total=Sum("size"))["total"]
        or 0
    )


def add_file(proposal: Proposal, upload: Any, saved: list[str]) -> ProposalAttachment | None:
    """Check and store one upload; ``None`` when the very same file is already attached."""
    checked = files.check_upload(upload, already_stored=_stored_bytes(proposal))
    duplicate = ProposalAttachment.objects.filter(
        proposal=proposal, sha256=checked.sha256, original_name=checked.name
    ).first()
    if duplicate is not None:
        return None
    attachment = ProposalAttachment(
        proposal=proposal,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )
    # A random stored name: the original name (content, sealed) never reaches the disk path.
    attachment.file.save(f"{uuid.uuid4().hex}{checked.extension}", upload, save=False)
    saved.append(attachment.file.name)
    attachment.save()
    return attachment


def remove_files(proposal: Proposal, public_ids: Sequence[Any]) -> list[str]:
    """Remove the named attachments (ids not found are ignored: a double click removes once).
    The stored files go once the transaction commits."""
    wanted = {str(v) for v in public_ids}
    removed: list[str] = []
    for attachment in ProposalAttachment.objects.filter(proposal=proposal):
        if str(attachment.public_id) not in wanted:
            continue
        name = attachment.file.name
        attachment.delete()
        removed.append(str(attachment.public_id))
        transaction.on_commit(partial(PROPOSAL_STORAGE.delete, name))
    return removed


def apply_draft(
    proposal: Proposal,
    phase: Phase,
    *,
    title: str | None,
    answers: Mapping[Any, str] | None,
    declared_price: Any,
    add_files: Sequence[Any],
    remove_attachments: Sequence[Any],
    saved: list[str],
) -> DraftResult:
    """Write what the form sent into the proposal (inside the caller's transaction)."""
    result = DraftResult()
    errors: dict[str, list[str]] = {}
    if title is not None:
        title = title.strip()
        if len(title) > 300:
            errors["title"] = [_("The title can be at most 300 characters long.")]
        elif title != proposal.title:
            proposal.title = title
            result.changed = True
    if declared_price is not KEEP:
        price = clean_price(declared_price) if phase.asks_price else None
        if price != proposal.declared_price:
            proposal.declared_price = price
            result.changed = True
    if answers is not None:
        criteria = {str(c.public_id): c for c in AwardCriterion.objects.filter(phase=phase)}
        existing = {a.criterion_id: a for a in ProposalAnswer.objects.filter(proposal=proposal)}
        for key, raw in answers.items():
            criterion = criteria.get(str(key))
            if criterion is None:
                raise InvalidInput(_("One of the answers is for a criterion of another phase."))
            text = (raw or "").replace("\r\n", "\n").strip()
            if len(text) > MAX_ANSWER_CHARS:
                errors[answer_field(criterion)] = [
                    _("An answer can be at most %(max)s characters long.")
                    % {"max": f"{MAX_ANSWER_CHARS:,}"}
                ]
                continue
            answer = existing.get(criterion.pk)
            if answer is None:
                if text:
                    ProposalAnswer.objects.create(proposal=proposal, criterion=criterion, text=text)
                    result.changed = True
            elif answer.text != text:
                answer.text = text
                answer.save(update_fields=["text", "updated_at"])
                result.changed = True
    if errors:
        raise InvalidInput(_("Some answers need changing."), field_errors=errors)
    result.removed = remove_files(proposal, remove_attachments)
    for upload in add_files:
        attachment = add_file(proposal, upload, saved)
        if attachment is not None:
            result.added.append(str(attachment.public_id))
    result.changed = result.changed or bool(result.added or result.removed)
    return result


def draft_facts(proposal: Proposal, result: DraftResult) -> dict[str, Any]:
    """The audit log's view of a draft: counts and ids, never the content (which is sealed)."""
    return {
        "status": proposal.status,
        "version": proposal.version,
        "answered": ProposalAnswer.objects.filter(proposal=proposal).exclude(text="").count(),
        "attachments": ProposalAttachment.objects.filter(proposal=proposal).count(),
        "price_given": proposal.declared_price is not None,
        "created": result.created,
        "attachments_added": result.added,
        "attachments_removed": result.removed,
    }


def check_version(proposal: Proposal, version: int | None, result: DraftResult) -> None:
    """A stale form that changes something is refused; one that changes nothing is a replay."""
    if version is not None and version != proposal.version and result.changed:
        raise Conflict(
            _(
                "Someone else changed this proposal since you opened it. Your changes have "
                "not been saved: reload the page, then make them again."
            ),
            code="stale_version",
        )


def proposal_save_draft(
    *,
    actor: Any,
    phase: Phase,
    company: Organisation,
    version: int | None = None,
    title: str | None = None,
    answers: Mapping[Any, str] | None = None,
    declared_price: Any = KEEP,
    add_files: Sequence[Any] = (),
    remove_attachments: Sequence[Any] = (),
) -> Proposal:
    """Create or update the company's draft for the phase. ``answers`` maps criterion public
    ids to text; criteria left out keep their answer. Returns the proposal."""
    require_company_member(actor, company)
    with storage_guard() as saved, transaction.atomic():
        phase = lock_phase(phase)
        require_accepting(phase, timezone.now())
        require_eligible(company, phase)
        proposal, created = lock_or_create(actor=actor, phase=phase, company=company)
        require_editable(proposal)
        result = apply_draft(
            proposal,
            phase,
            title=title,
            answers=answers,
            declared_price=declared_price,
            add_files=add_files,
            remove_attachments=remove_attachments,
            saved=saved,
        )
        check_version(proposal, version if not created else None, result)
        result.created = created
        if not (result.changed or created):
            return proposal
        proposal.version += 0 if created else 1
        proposal.save()
        audit_record(
            actor=actor,
            action="proposal.draft_save",
            obj=proposal,
            organisation_id=company.public_id,
            after=draft_facts(proposal, result),
        )
        return proposal


def _editable_locked(actor: Any, proposal: Proposal) -> tuple[Proposal, Phase]:
    require_company_member(actor, proposal.company)
    phase = lock_phase(proposal.phase)
    require_accepting(phase, timezone.now())
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("company", "phase__challenge")
        .get(pk=proposal.pk)
    )
    require_editable(locked)
    return locked, phase


def proposal_attachment_add(*, actor: Any, proposal: Proposal, upload: Any) -> ProposalAttachment:
    """Attach one file to a draft (the same file twice is attached once)."""
    with storage_guard() as saved, transaction.atomic():
        locked, _phase = _editable_locked(actor, proposal)
        attachment = add_file(locked, upload, saved)
        if attachment is None:
            return ProposalAttachment.objects.get(
                proposal=locked,
                sha256=files.hash_stream(upload)[0],
                original_name=files.clean_name(upload.name),
            )
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        audit_record(
            actor=actor,
            action="proposal.attachment_add",
            obj=locked,
            organisation_id=locked.company.public_id,
            after={"attachment": str(attachment.public_id), "sha256": attachment.sha256},
        )
        return attachment


def proposal_attachment_remove(*, actor: Any, attachment: ProposalAttachment) -> None:
    with transaction.atomic():
        locked, _phase = _editable_locked(actor, attachment.proposal)
        removed = remove_files(locked, [attachment.public_id])
        if not removed:
            return
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        audit_record(
            actor=actor,
            action="proposal.attachment_remove",
            obj=locked,
            organisation_id=locked.company.public_id,
            before={"attachment": str(attachment.public_id)},
        )
