"""The catalogue's demo step, without ../shared/data (the example entries)."""

from __future__ import annotations

import pytest

from govhub.catalogue.demo import build_demo
from govhub.catalogue.models import Adoption, Review, Solution, SolutionStatus
from govhub.demo.services import demo_setup


@pytest.mark.django_db(transaction=True)
def test_build_demo_without_shared_data(reference_data, settings, tmp_path):
    settings.SHARED_DATA_DIR = tmp_path
    demo_setup(notices_dir=tmp_path / "none")
    lines = build_demo()
    assert "Catalogue: 3 example entries (no ../shared/data found)" in lines
    published = Solution.objects.filter(status=SolutionStatus.PUBLISHED)
    assert published.count() == 4  # three examples and the demo company's own entry
    assert Adoption.objects.count() == 3
    assert Review.objects.count() == 2
    assert Solution.objects.exclude(interoperability_level="").count() == 1
    again = build_demo()
    assert "Catalogue: 0 adoptions by demo authorities (already recorded)" in again
    assert Solution.objects.count() == 4
    assert Adoption.objects.count() == 3
