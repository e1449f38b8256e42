from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _links(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("web:dashboard")).content.decode()


def test_a_buyer_is_led_to_needs_and_challenges(client, buyer):
    body = _links(client, buyer)
    assert reverse("challenges:mine") in body
    assert reverse("needs:create") in body
    assert reverse("proposals:list") not in body


def test_a_supplier_is_led_to_proposals_and_open_challenges(client, supplier, company):
    body = _links(client, supplier)
    assert reverse("proposals:list") in body
    assert reverse("challenges:mine") not in body


def test_a_citizen_without_organisation_sees_no_work_links(client, outsider):
    body = _links(client, outsider)
    assert reverse("proposals:list") not in body
    assert reverse("challenges:mine") not in body
    assert "Citizens can take part without one" in body
