"""Fixtures for reference tests (shared with other apps via the root conftest).

``reference_data`` gives a test the real packaged vocabularies (CPV, NUTS, countries, eForms
codelists). They are loaded once per test session, committed outside any test's transaction,
so each test's rollback keeps them; a transactional test's flush removes them, after which
the next test that asks reloads them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings

from govhub.reference.models import CodelistEntry, Country, CpvCode, NutsRegion
from govhub.reference.services import load_packaged_data


def _loaded() -> bool:
    return CpvCode.objects.exists() and Country.objects.exists()


@pytest.fixture(scope="session")
def _reference_session(django_db_setup, django_db_blocker) -> None:
    with django_db_blocker.unblock():
        if not _loaded():
            load_packaged_data()


@pytest.fixture
def reference_data(_reference_session, db) -> None:
    """The packaged reference vocabularies, present in the test database."""
    if not _loaded():
        load_packaged_data()


@pytest.fixture
def eu_countries(reference_data) -> list[Country]:
    """The 27 EU member states (eForms alpha-3 codes), ordered by code."""
    return list(Country.objects.filter(is_eu=True).order_by("code"))


@pytest.fixture
def country(reference_data) -> Callable[[str], Country]:
    """Look a country up by alpha-3 or alpha-2 code: ``country("BEL")``, ``country("BE")``."""

    def get(code: str) -> Country:
        field = "alpha2" if len(code) == 2 else "code"
        return Country.objects.get(**{field: code.upper()})

    return get


@pytest.fixture
def codelist_entry(reference_data) -> Callable[[str, str], CodelistEntry]:
    """``codelist_entry("buyer-legal-type", "body-pl")``."""

    def get(codelist: str, code: str) -> CodelistEntry:
        return CodelistEntry.objects.get(codelist=codelist, code=code)

    return get


@pytest.fixture
def nuts_region(reference_data) -> Callable[[str], NutsRegion]:
    def get(code: str) -> NutsRegion:
        return NutsRegion.objects.get(code=code)

    return get


@pytest.fixture
def shared_data_dir() -> Path:
    """The real public files in ../shared/data; skips the test when they are not there."""
    path = Path(settings.SHARED_DATA_DIR)
    if not (path / "cpv").is_dir() or not (path / "eforms" / "codelists").is_dir():
        pytest.skip(f"shared data not found at {path} (set GOVHUB_SHARED_DATA)")
    return path
