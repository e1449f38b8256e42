from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from govhub.api import services
from govhub.api.models import ApiToken
from govhub.core.errors import InvalidInput, InvalidTransition, NotAllowed
from govhub.core.models import AuditEvent


def test_an_admin_creates_a_token_shown_once_and_stored_as_a_hash(company, supplier):
    created = services.api_token_create(
        actor=supplier, organisation=company, name=" CI ", scopes=["read", "proposals:write"]
    )
    token = ApiToken.objects.get(pk=created.token.pk)
    assert created.plaintext.startswith("ghb_")
    assert token.token_hash == hashlib.sha256(created.plaintext.encode()).hexdigest()
    assert token.prefix == created.plaintext[:12]
    assert created.plaintext not in str(
        list(ApiToken.objects.filter(pk=token.pk).values())
    )  # nowhere in the row
    assert token.name == "CI"
    assert token.scopes == ["proposals:write", "read"]
    assert token.created_by == supplier
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.object_id == str(token.public_id)
    assert event.organisation_id == company.public_id
    assert created.plaintext not in str(event.after)


def test_a_member_who_is_not_admin_cannot_create_a_token(company, outsider, authority_admin):
    events = AuditEvent.objects.count()
    with pytest.raises(NotAllowed):
        services.api_token_create(
            actor=authority_admin, organisation=company, name="x", scopes=["read"]
        )
    with pytest.raises(NotAllowed):
        services.api_token_create(actor=outsider, organisation=company, name="x", scopes=["read"])
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("name", "scopes", "field"),
    [("", ["read"], "name"), ("x", [], "scopes"), ("x", ["admin"], "scopes")],
)
def test_invalid_input_is_refused(company, supplier, name, scopes, field):
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as caught:
        services.api_token_create(actor=supplier, organisation=company, name=name, scopes=scopes)
    assert field in caught.value.field_errors
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.count() == events


def test_an_expiry_in_the_past_is_refused(company, supplier):
    with pytest.raises(InvalidInput):
        services.api_token_create(
            actor=supplier,
            organisation=company,
            name="x",
            scopes=["read"],
            expires_at=timezone.now() - dt.timedelta(seconds=1),
        )
    assert not ApiToken.objects.exists()


def test_an_admin_revokes_a_token_once(company_token, supplier):
    token, _plaintext = company_token
    revoked = services.api_token_revoke(actor=supplier, token=token)
    assert revoked.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1
    with pytest.raises(InvalidTransition):
        services.api_token_revoke(actor=supplier, token=token)
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


def test_others_cannot_revoke(company_token, outsider):
    token, _plaintext = company_token
    events = AuditEvent.objects.count()
    with pytest.raises(NotAllowed):
        services.api_token_revoke(actor=outsider, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert AuditEvent.objects.count() == events
