"""The TED parser's classification of buyers: TED R2.0.9 codes to eForms codelist codes."""

from __future__ import annotations

import pytest

from govhub.opportunities.ted import (
    CA_ACTIVITY_TO_MAIN_ACTIVITY,
    CA_TYPE_TO_BUYER_LEGAL_TYPE,
    parse_notice,
)
from govhub.reference.models import CodelistEntry


@pytest.mark.django_db
def test_every_mapped_code_is_in_its_eforms_codelist(reference_data):
    legal_types = set(
        CodelistEntry.objects.filter(codelist="buyer-legal-type").values_list("code", flat=True)
    )
    activities = set(
        CodelistEntry.objects.filter(codelist="main-activity").values_list("code", flat=True)
    )
    assert set(CA_TYPE_TO_BUYER_LEGAL_TYPE.values()) <= legal_types
    assert set(CA_ACTIVITY_TO_MAIN_ACTIVITY.values()) <= activities


# Real notices, with the codes the Publications Office's TED-to-eForms converter gives them.
@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("name", "buyer", "legal_type", "activity"),
    [
        # CA_TYPE NATIONAL_AGENCY, CA_ACTIVITY PUBLIC_ORDER_AND_SAFETY
        ("029216-2021.xml", "Polismyndigheten", "cga", "pub-os"),
        # REGIONAL_AUTHORITY, GENERAL_PUBLIC_SERVICES
        ("000080-2019.xml", "Община Каварна", "ra", "gen-pub"),
        # BODY_PUBLIC, SOCIAL_PROTECTION
        ("000050-2020.xml", "Studierendenwerk Thüringen", "body-pl", "soc-pro"),
        # EU_INSTITUTION, GENERAL_PUBLIC_SERVICES
        ("000002-2019.xml", "The Executive Agency for Small", "eu-ins-bod-ag", "gen-pub"),
    ],
)
def test_real_notices_classify_their_buyer(ted_notices_dir, name, buyer, legal_type, activity):
    party = parse_notice((ted_notices_dir / name).read_bytes()).buyer

    assert party is not None
    assert party.name.startswith(buyer)
    assert (party.buyer_legal_type, party.main_activity) == (legal_type, activity)
