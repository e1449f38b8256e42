"""Two requests at the very same time (a double click that reaches two server processes).

Real threads and real commits, so PostgreSQL only: SQLite serialises writers anyway
(IMMEDIATE transactions), and its shared in-memory test database does not queue them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from govhub.proposals import services
from govhub.proposals.models import Proposal, ProposalReceipt

from .fixtures import answers_for, form_token

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
    ),
]


def run_together(*calls: Callable[[], Any]) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # reported to the test below
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_the_same_form_sent_twice_at_once_makes_one_receipt(open_phase, company, supplier):
    key = form_token()

    def submit() -> ProposalReceipt:
        return services.proposal_submit(
            actor=supplier,
            phase=open_phase,
            company=company,
            idempotency_key=key,
            answers=answers_for(open_phase),
        )

    first, second = run_together(submit, submit)
    assert isinstance(first, ProposalReceipt), first
    assert isinstance(second, ProposalReceipt), second
    assert first.pk == second.pk
    assert ProposalReceipt.objects.count() == 1
    assert Proposal.objects.count() == 1


def test_two_first_saves_at_once_make_one_proposal(open_phase, company, supplier):
    def save() -> Proposal:
        return services.proposal_save_draft(
            actor=supplier, phase=open_phase, company=company, answers=answers_for(open_phase)
        )

    results = run_together(save, save)
    assert all(isinstance(r, Proposal) for r in results), results
    assert Proposal.objects.count() == 1
