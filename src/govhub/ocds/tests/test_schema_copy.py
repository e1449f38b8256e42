"""The shipped OCDS schemas are the shared copy, unchanged; validation works offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from govhub.ocds.validation import SCHEMA_DIR, SCHEMA_FILES, validation_errors


@pytest.mark.shared_data
@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_shipped_schema_equals_shared_copy(name):
    shared = Path(settings.SHARED_DATA_DIR) / "ocds" / "schema-1.1" / name
    if not shared.is_file():
        pytest.skip(f"{shared} not found")
    assert (SCHEMA_DIR / name).read_bytes() == shared.read_bytes()


def test_package_refs_resolve_locally():
    errors = validation_errors({"uri": "u", "releases": [{"ocid": 1}]}, "release-package")
    assert any("releases/0" in e for e in errors)  # the release schema was reached offline
    assert any("publisher" in e for e in errors)


def test_licence_and_source_are_noted():
    readme = (SCHEMA_DIR / "README.md").read_text()
    assert "Apache" in readme
    assert "open-contracting/standard" in readme
    assert (SCHEMA_DIR / "LICENSE.txt").is_file()
