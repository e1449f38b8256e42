"""Receipts' snapshots and hashes, and the checks that detect any change made around them.

The receipt's SHA-256 covers the canonical JSON of the snapshot, which lists every answer
and every attachment's own SHA-256: one hash proves what was submitted, files included.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..models import Proposal, ProposalAnswer, ProposalAttachment, ProposalReceipt
from ..storage import PROPOSAL_STORAGE
from . import files
from ._common import canonical_json, sha256_hex

SNAPSHOT_FORMAT = 1


def utc_iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def build_snapshot(proposal: Proposal, *, received_at: dt.datetime, submitted_by: Any) -> dict:
    phase = proposal.phase
    challenge = phase.challenge
    answers = {a.criterion_id: a.text for a in ProposalAnswer.objects.filter(proposal=proposal)}
    return {
        "format": SNAPSHOT_FORMAT,
        "proposal": str(proposal.public_id),
        "challenge": {"id": str(challenge.public_id), "title": challenge.title},
        "phase": {
            "id": str(phase.public_id),
            "title": phase.title,
            "deadline": utc_iso(phase.deadline) if phase.deadline else None,
        },
        "company": {"id": str(proposal.company.public_id), "name": proposal.company.name},
        "submitted_by": str(submitted_by.public_id),
        "received_at": utc_iso(received_at),
        "title": proposal.title,
        "declared_price": (
            str(proposal.declared_price) if proposal.declared_price is not None else None
        ),
        "currency": challenge.currency if phase.asks_price else None,
        "answers": [
            {
                "criterion": str(c.public_id),
                "name": c.name,
                "weight": c.weight,
                "text": answers.get(c.pk, ""),
            }
            for c in phase.criteria.order_by("order", "pk")
        ],
        "attachments": [
            {
                "id": str(a.public_id),
                "name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
            }
            for a in ProposalAttachment.objects.filter(proposal=proposal).order_by(
                "created_at", "pk"
            )
        ],
    }


def snapshot_hash(snapshot: dict) -> str:
    return sha256_hex(canonical_json(snapshot))


def receipt_document(receipt: ProposalReceipt) -> bytes:
    """The exact bytes the receipt's SHA-256 is computed over: anyone can re-hash them."""
    return canonical_json(receipt.snapshot)


def stored_file_hash(attachment: ProposalAttachment) -> str | None:
    """The SHA-256 of the file as it is in storage now (``None`` if it is missing)."""
    try:
        with PROPOSAL_STORAGE.open(attachment.file.name, "rb") as handle:
            digest, _size = files.hash_stream(handle)
    except (FileNotFoundError, OSError):
        return None
    return digest


def attachment_intact(attachment: ProposalAttachment) -> bool:
    return stored_file_hash(attachment) == attachment.sha256


def receipt_problems(receipt: ProposalReceipt) -> list[str]:
    """What no longer matches the receipt: its snapshot, or a file listed in it."""
    problems: list[str] = []
    if snapshot_hash(receipt.snapshot) != receipt.content_sha256:
        problems.append("snapshot")
    listed = {item["id"]: item["sha256"] for item in receipt.snapshot.get("attachments", [])}
    stored = {
        str(a.public_id): a
        for a in ProposalAttachment.objects.filter(
            proposal_id=receipt.proposal_id, public_id__in=list(listed)
        )
    }
    for attachment_id, digest in listed.items():
        attachment = stored.get(attachment_id)
        if attachment is None or attachment.sha256 != digest or not attachment_intact(attachment):
            problems.append(f"attachment:{attachment_id}")
    return problems
