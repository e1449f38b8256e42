"""Companies are told by email, in their own language, once results or the outcome commit."""

from __future__ import annotations

import pytest
from django.core import mail

from govhub.evaluation.tests.fixtures import publish_call_results

# The pilot-and-award world is built by the outcome tests' fixture; reuse it rather than copy.
from govhub.evaluation.tests.test_services_outcome import piloted_world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_each_company_is_told_whether_it_goes_on_and_why(
    scored_world,
    buyer,
    supplier,
    rival_supplier,
    third_supplier,
    django_capture_on_commit_callbacks,
):
    supplier.preferred_language = "fr"
    supplier.save(update_fields=["preferred_language"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish_call_results(scored_world, buyer)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) >= {supplier.email, rival_supplier.email, third_supplier.email}
    assert "Weaker on impact and cost." in by_recipient[third_supplier.email].body
    assert "is not selected" in by_recipient[third_supplier.email].body
    assert "invited to the next phase" in by_recipient[rival_supplier.email].body
    # The supplier reads it in French (its preferred language); the reason stays as written.
    assert "Best value for residents." in by_recipient[supplier.email].body
    assert "Motif" in by_recipient[supplier.email].body
    # Nobody is told about another company.
    assert "Weaker on impact" not in by_recipient[rival_supplier.email].body


def test_nothing_is_sent_if_publishing_fails(scored_world, outsider):
    from govhub.core.errors import DomainError

    mail.outbox.clear()
    with pytest.raises(DomainError):
        publish_call_results(scored_world, outsider)
    assert mail.outbox == []


def test_the_outcome_is_sent_to_every_company_that_took_part(
    piloted_world,  # noqa: F811
    buyer,
    supplier,
    third_supplier,
    django_capture_on_commit_callbacks,
):
    from govhub.evaluation import services

    winner = piloted_world.proposals["company"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.outcome_publish(
            actor=buyer,
            challenge=piloted_world.challenge,
            kind="awarded",
            reasons="Best pilot results.",
            awarded=[winner],
            value="90000",
        )
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "Your company is awarded the contract." in bodies[supplier.email]
    assert "awarded to another company" in bodies[third_supplier.email]
    assert "Standstill period" in bodies[third_supplier.email]
