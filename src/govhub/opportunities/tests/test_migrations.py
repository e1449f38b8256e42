"""Data migrations that correct what earlier TED imports stored (the migrations live with the
model they change; their TED rules are this app's)."""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from govhub.opportunities.ted import CA_TYPE_TO_BUYER_LEGAL_TYPE
from govhub.organisations.models import Organisation, OrganisationKind
from govhub.reference.models import CodelistEntry

pytestmark = pytest.mark.django_db

MIGRATION = "govhub.organisations.migrations.0003_ted_national_agency_cga"


def _migrate() -> None:
    migration = importlib.import_module(MIGRATION)
    migration.ted_national_agencies_to_cga(apps, SimpleNamespace(connection=connection))


def test_national_agency_is_the_only_ted_type_of_cga() -> None:
    # The migration turns every unclaimed TED body-pl-cga into cga: right only while no other
    # CA_TYPE could have produced body-pl-cga (none ever did) and NATIONAL_AGENCY gives cga.
    assert "body-pl-cga" not in CA_TYPE_TO_BUYER_LEGAL_TYPE.values()
    assert CA_TYPE_TO_BUYER_LEGAL_TYPE["NATIONAL_AGENCY"] == "cga"


def test_unclaimed_ted_national_agencies_become_cga_and_nothing_else_changes(
    country, codelist_entry
) -> None:
    old, cga, body_pl = (
        codelist_entry("buyer-legal-type", code) for code in ("body-pl-cga", "cga", "body-pl")
    )
    sweden = country("SE")

    def organisation(name: str, legal_type: CodelistEntry, **values: Any) -> Organisation:
        return Organisation.objects.create(
            kind=OrganisationKind.AUTHORITY,
            name=name,
            country=sweden,
            buyer_legal_type=legal_type,
            **values,
        )

    imported = organisation("Polismyndigheten", old, is_claimed=False, source="ted")
    # Claimed by its people, who may have chosen the code: theirs to change.
    claimed = organisation("Skatteverket", old, is_claimed=True, source="ted")
    registered = organisation("Registered agency", old)  # not from TED at all
    other_source = organisation("Catalogue publisher", old, is_claimed=False, source="dpg")
    other_type = organisation("Region Stockholm", body_pl, is_claimed=False, source="ted")
    untouched = [claimed, registered, other_source, other_type]
    before = {
        org.pk: (org.buyer_legal_type_id, org.updated_at)
        for org in Organisation.objects.filter(pk__in=[o.pk for o in untouched])
    }

    _migrate()

    imported.refresh_from_db()
    assert imported.buyer_legal_type == cga
    after = {
        org.pk: (org.buyer_legal_type_id, org.updated_at)
        for org in Organisation.objects.filter(pk__in=[o.pk for o in untouched])
    }
    assert after == before
    assert Organisation.objects.filter(buyer_legal_type=old).count() == 3


def test_without_the_codelist_the_migration_does_nothing() -> None:
    # A new database migrates before `govhub load-reference` loads the codelists.
    CodelistEntry.objects.filter(codelist="buyer-legal-type").delete()

    _migrate()

    assert not Organisation.objects.exists()
