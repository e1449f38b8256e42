from __future__ import annotations

import pytest

from govhub.ocds.demo import build_demo

pytestmark = pytest.mark.django_db


def test_demo_without_shared_data(settings, tmp_path, published_challenge):
    settings.SHARED_DATA_DIR = tmp_path / "missing"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    lines = build_demo()
    assert lines[0].startswith("OCDS import: no real examples")
    assert "releases.json: 1 challenges" in lines[1]
    assert build_demo() == lines  # idempotent
