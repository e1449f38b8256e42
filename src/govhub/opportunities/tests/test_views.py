"""The public pages of imported TED notices."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govhub.opportunities.models import ExternalNotice
from govhub.opportunities.services import ted_import
from govhub.opportunities.tests.fixtures import CORRECTED, CORRIGENDUM, SEVERAL_CONTRACTORS

pytestmark = [pytest.mark.shared_data, pytest.mark.django_db]


@pytest.fixture
def imported(reference_data, ted_sample) -> list[ExternalNotice]:
    ted_import(paths=ted_sample)
    return list(ExternalNotice.objects.all())


def test_the_list_shows_a_page_of_notices_without_n_plus_one(
    client, imported, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get(reverse("opportunities:list"))

    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == len([n for n in imported if n.form != "F14"])
    assert len(page.object_list) == 25
    assert b"govuk-table" in response.content
    assert b"govuk-pagination" in response.content


def test_the_list_filters_by_cpv_division_and_country(client, imported):
    response = client.get(reverse("opportunities:list"), {"cpv": "79", "country": "BE"})

    notices = response.context["page"].object_list
    assert [n.file_name for n in notices] == [
        n.file_name
        for n in sorted(imported, key=lambda n: (n.publication_date, n.pk), reverse=True)
        if n.country_code == "BE" and n.cpv_main and n.cpv_main.digits.startswith("79")
    ]
    assert SEVERAL_CONTRACTORS in [n.file_name for n in notices]


def test_an_unknown_filter_value_shows_the_error_and_all_notices(client, imported):
    response = client.get(reverse("opportunities:list"), {"country": "ZZ"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert b"govuk-error-summary" in response.content


def test_the_detail_shows_awards_winners_and_corrigenda(
    client, imported, django_assert_max_num_queries
):
    notice = ExternalNotice.objects.get(file_name=SEVERAL_CONTRACTORS)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("opportunities:detail", args=[notice.public_id]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Bathymetry — High Resolution Seabed Mapping" in body
    assert "Mariene Informatie Service" in body
    assert "Not claimed" in body

    corrected = ExternalNotice.objects.get(file_name=CORRECTED)
    response = client.get(reverse("opportunities:detail", args=[corrected.public_id]))
    corrigendum = ExternalNotice.objects.get(file_name=CORRIGENDUM)
    assert corrigendum.oj_number in response.content.decode()


def test_an_unknown_notice_is_not_found(client, db):
    response = client.get(
        reverse("opportunities:detail", args=["00000000-0000-0000-0000-000000000000"])
    )

    assert response.status_code == 404
