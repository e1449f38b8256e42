"""Fixtures for opendata tests (shared with other apps via the root conftest).

- ``opendata_storage``: the default storage in a temporary folder for the test.
- ``dcat_shapes``: the DCAT-AP 3.0.1 SHACL shapes from ../shared/data (skips without them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings


@pytest.fixture
def opendata_storage(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


@pytest.fixture
def dcat_shapes() -> Any:
    folder = Path(settings.SHARED_DATA_DIR) / "dcat-ap" / "3.0.1"
    if not folder.is_dir():
        pytest.skip("../shared/data/dcat-ap is not available")
    from rdflib import Graph

    shapes = Graph()
    for name in ("shapes.ttl", "range.ttl", "mdr-vocabularies.shape.ttl"):
        shapes.parse(folder / name, format="turtle")
    return shapes
