"""Fixtures for proposals tests (shared with other apps via the root conftest).

Proposals made through the services, as the ``supplier`` of ``company`` would:

- ``proposal_files``: attachments go to a temporary private storage for the test.
- ``make_proposal(phase, company=..., actor=..., submit=True, files=[...])``: any proposal.
- ``submitted_proposal``: ``company``'s complete proposal to ``open_phase`` (every criterion
  answered, one PDF attached), submitted.
- ``opened_phase``: ``open_phase`` with ``submitted_proposal`` in it, its deadline passed
  and its proposals opened by ``buyer``. The clock stays one hour after the deadline (and
  ticks) for the rest of the test.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from govhub.accounts.models import User
from govhub.challenges.models import AwardCriterion, Phase
from govhub.organisations.models import Organisation
from govhub.proposals import services
from govhub.proposals.models import Proposal
from govhub.proposals.storage import swap_backend

# The smallest files each check accepts (first bytes as the real formats have them).
PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "solution.pdf", body: bytes = b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES + body, content_type="application/pdf")


def form_token() -> str:
    return secrets.token_urlsafe(32)


def answers_for(phase: Phase, text: str = "Our answer") -> dict[str, str]:
    return {
        str(c.public_id): f"{text} to “{c.name}”."
        for c in AwardCriterion.objects.filter(phase=phase).order_by("order")
    }


@pytest.fixture
def proposal_files(tmp_path: Path) -> Iterator[Path]:
    """Attachments are written to a temporary private directory during the test."""
    location = tmp_path / "private-proposals"
    previous = swap_backend(FileSystemStorage(location=location))
    try:
        yield location
    finally:
        swap_backend(previous)


@pytest.fixture
def make_proposal(
    proposal_files: Path, company: Organisation, supplier: User
) -> Callable[..., Proposal]:
    def make(
        phase: Phase,
        *,
        company: Organisation = company,
        actor: User = supplier,
        submit: bool = True,
        files: list[Any] | None = None,
        price: Decimal | None = None,
        text: str = "Our answer",
    ) -> Proposal:
        answers = answers_for(phase, text)
        files = [pdf()] if files is None else files
        price = price if price is not None else (Decimal("42000.00") if phase.asks_price else None)
        if submit:
            receipt = services.proposal_submit(
                actor=actor,
                phase=phase,
                company=company,
                idempotency_key=form_token(),
                title=f"{company.name}’s proposal",
                answers=answers,
                declared_price=price,
                add_files=files,
            )
            return Proposal.objects.get(pk=receipt.proposal_id)
        return services.proposal_save_draft(
            actor=actor,
            phase=phase,
            company=company,
            title=f"{company.name}’s proposal",
            answers=answers,
            declared_price=price,
            add_files=files,
        )

    return make


@pytest.fixture
def submitted_proposal(make_proposal: Callable[..., Proposal], open_phase: Phase) -> Proposal:
    return make_proposal(open_phase)


def after_deadline(phase: Phase, delta: dt.timedelta = dt.timedelta(hours=1)) -> dt.datetime:
    assert phase.deadline is not None
    return phase.deadline + delta


@pytest.fixture
def opened_phase(submitted_proposal: Proposal, buyer: User) -> Iterator[Phase]:
    phase = submitted_proposal.phase
    with time_machine.travel(after_deadline(phase), tick=True):
        services.proposals_open(actor=buyer, phase=phase)
        phase.refresh_from_db()
        yield phase
