"""What the Annex IV tests share: a secret proposal and every way of trying to read it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from govhub.proposals import selectors
from govhub.proposals.models import Proposal, ProposalAttachment, ProposalReceipt
from govhub.proposals.selectors import Sealed

SECRET = "TOP-SECRET-ANSWER"
SECRET_FILE = "secret-plan.pdf"
SECRET_PRICE = "987654.32"
SECRET_BYTES = b"SECRET-FILE-CONTENT"

# Everyone but the proposing company: the buying side, the platform's staff, competitors.
OTHERS = [
    "buyer",
    "cobuyer",
    "cleared_evaluator",
    "authority_admin",
    "moderator",
    "superuser",
    "outsider",
    "second_supplier",
]
# Who may read once the proposals are opened.
READERS = ["buyer", "cobuyer", "cleared_evaluator"]
# Who never may, opened or not.
NEVER = [p for p in OTHERS if p not in READERS]


@dataclass
class World:
    phase: Any
    proposal: Proposal
    receipt: ProposalReceipt
    attachment: ProposalAttachment


def leaks(text: str) -> bool:
    return any(secret in text for secret in (SECRET, SECRET_FILE, SECRET_PRICE, "SECRET-FILE"))


def content_urls(w: World) -> dict[str, str]:
    return {
        "html": reverse("proposals:detail", args=[w.proposal.public_id]),
        "receipt": reverse("proposals:receipt", args=[w.receipt.public_id]),
        "json": reverse("proposals:receipt_json", args=[w.receipt.public_id]),
        "download": reverse("proposals:attachment", args=[w.attachment.public_id]),
    }


def body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def selector_calls(user: Any, w: World) -> dict[str, Any]:
    return {
        "proposal_content": lambda: selectors.proposal_content(user=user, proposal=w.proposal),
        "receipt_content": lambda: selectors.receipt_content(user=user, receipt=w.receipt),
        "receipt_document": lambda: selectors.receipt_document(user=user, receipt=w.receipt),
        "attachment_file": lambda: selectors.attachment_file(user=user, attachment=w.attachment),
    }


def persona(request: Any, name: str) -> Any:
    return request.getfixturevalue(name)


def assert_sealed_everywhere(client: Any, user: Any, w: World) -> None:
    """Every interface refuses ``user`` and shows nothing of the proposal."""
    client.force_login(user)
    for channel, url in content_urls(w).items():
        response = client.get(url)
        assert response.status_code == 403, channel
        assert not leaks(body(response)), channel
    for name, call in selector_calls(user, w).items():
        with pytest.raises(Sealed):
            call()
        assert name  # each selector was tried
    # The buying side's list never names the companies before opening, nor shows content.
    response = client.get(reverse("proposals:phase", args=[w.phase.public_id]))
    assert response.status_code in {200, 403}
    assert not leaks(body(response))
    assert "CivicTech" not in body(response)
    # Nor does any audit log page anyone may see.
    assert not leaks(body(client.get(reverse("audit:list"))))


def assert_readable_everywhere(client: Any, user: Any, w: World) -> None:
    client.force_login(user)
    urls = content_urls(w)
    assert SECRET in body(client.get(urls["html"]))
    assert SECRET in body(client.get(urls["receipt"]))
    document = client.get(urls["json"]).content
    assert hashlib.sha256(document).hexdigest() == w.receipt.content_sha256
    assert SECRET_BYTES in body(client.get(urls["download"])).encode()
    content = selectors.proposal_content(user=user, proposal=w.proposal)
    assert content.price == Decimal(SECRET_PRICE)
    assert content.as_received
