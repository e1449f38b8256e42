"""The participation demo: one process in progress, one completed with answers and results."""

from __future__ import annotations

import pytest

from govhub.demo.services import demo_setup
from govhub.participation.demo import COMPLETED, CURRENT, build_demo
from govhub.participation.models import IdeaState, ParticipatoryProcess, ProcessStatus, Result

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo_mode(settings):
    settings.GOVHUB_DEMO_MODE = True


def test_demo_without_shared_data(reference_data, tmp_path):
    demo_setup(notices_dir=tmp_path / "absent")
    lines = build_demo()
    assert len(lines) == 2
    done = ParticipatoryProcess.objects.get(title=COMPLETED)
    assert done.status == ProcessStatus.CLOSED
    assert not done.ideas.filter(state=IdeaState.NEW).exists()
    result = Result.objects.get(idea__process=done)
    assert result.need is not None
    assert ParticipatoryProcess.objects.get(title=CURRENT).status == ProcessStatus.OPEN
    assert build_demo() == ["participation: demo processes already present"]
    assert ParticipatoryProcess.objects.count() == 2
