from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from govhub.core.audit import audit_record
from govhub.core.models import AuditEvent
from govhub.organisations.models import Membership, Organisation
from govhub.reference.models import Country

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_orgs(make_user):
    country = Country.objects.get_or_create(code="BEL", defaults={"alpha2": "BE", "is_eu": True})[0]
    first = Organisation.objects.create(kind="company", name="Alpha", country=country)
    second = Organisation.objects.create(kind="company", name="Beta", country=country)
    admin = make_user("admin@alpha.example")
    Membership.objects.create(organisation=first, user=admin, is_admin=True)
    member = make_user("member@alpha.example")
    Membership.objects.create(organisation=first, user=member)
    with transaction.atomic():
        for org in (first, second):
            for n in range(3):
                audit_record(
                    actor=admin,
                    action="organisation.update",
                    obj=org,
                    organisation_id=org.public_id,
                    before={"n": n},
                    after={"n": n + 1},
                )
    return first, second, admin, member


def test_moderator_sees_every_event(client, moderator, two_orgs):
    client.force_login(moderator)
    response = client.get(reverse("audit:list"))
    assert response.status_code == 200
    assert response.context["events"].paginator.count == 6


def test_admin_sees_only_their_organisations_events(client, two_orgs):
    first, second, admin, _member = two_orgs
    client.force_login(admin)
    response = client.get(reverse("audit:list"))
    assert response.status_code == 200
    events = list(response.context["events"])
    assert len(events) == 3
    assert {e.organisation_id for e in events} == {first.public_id}
    # Asking for another organisation's events by filter gives an error, not the events.
    response = client.get(reverse("audit:list"), {"organisation": str(second.public_id)})
    assert response.status_code == 200
    assert response.context["events"] is None
    assert "organisation" in response.context["form"].errors


def test_plain_member_and_outsider_are_refused(client, outsider, two_orgs):
    _first, _second, _admin, member = two_orgs
    for user in (member, outsider):
        client.force_login(user)
        assert client.get(reverse("audit:list")).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("audit:list"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_filters_narrow_the_list(client, moderator, two_orgs):
    first, _second, _admin, _member = two_orgs
    client.force_login(moderator)
    response = client.get(reverse("audit:list"), {"organisation": str(first.public_id)})
    assert response.context["events"].paginator.count == 3
    response = client.get(reverse("audit:list"), {"action": "nothing."})
    assert response.context["events"].paginator.count == 0


def test_bad_dates_are_reported_and_kept(client, moderator, two_orgs):
    client.force_login(moderator)
    response = client.get(reverse("audit:list"), {"since": "2026-05-02", "until": "2026-05-01"})
    assert "until" in response.context["form"].errors
    assert 'value="2026-05-02"' in response.content.decode()


def test_list_query_count_does_not_grow_with_events(
    client, moderator, two_orgs, django_assert_max_num_queries
):
    client.force_login(moderator)
    with django_assert_max_num_queries(12):
        client.get(reverse("audit:list"))
    _first, second, admin, _member = two_orgs
    with transaction.atomic():
        for n in range(30):
            audit_record(actor=admin, action="organisation.update", obj=second, after={"n": n})
    with django_assert_max_num_queries(12):
        client.get(reverse("audit:list"))


def test_verify_button_reports_intact_chain(client, moderator, two_orgs):
    client.force_login(moderator)
    response = client.post(reverse("audit:verify"), follow=True)
    assert "intact: 6 events" in response.content.decode()


def test_only_moderators_may_run_verify(client, two_orgs):
    _first, _second, admin, _member = two_orgs
    client.force_login(admin)
    assert client.post(reverse("audit:verify")).status_code == 403
    assert AuditEvent.objects.count() == 6
