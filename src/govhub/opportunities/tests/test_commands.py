"""``govhub import-ted`` and ``govhub bench import`` on a few real notices."""

from __future__ import annotations

import io
import shutil

import pytest
from django.core.management import call_command

from govhub.opportunities.models import ExternalNotice
from govhub.opportunities.tests.fixtures import CORRECTED, CORRIGENDUM, SEVERAL_CONTRACTORS

pytestmark = [pytest.mark.shared_data, pytest.mark.django_db]


def test_import_ted_takes_files_and_directories_and_reports(
    reference_data, ted_notices_dir, tmp_path
):
    for name in (CORRECTED, CORRIGENDUM):
        shutil.copy(ted_notices_dir / name, tmp_path / name)
    (tmp_path / "broken.xml").write_bytes(b"<TED_EXPORT>")
    out = io.StringIO()

    call_command(
        "import_ted",
        str(tmp_path),
        str(ted_notices_dir / SEVERAL_CONTRACTORS),
        "--quiet",
        stdout=out,
    )

    text = out.getvalue()
    assert "Files read: 4" in text
    assert "Notices: 3 created, 0 updated, 0 unchanged" in text
    assert "Corrigenda applied: 1" in text
    assert "Skipped files: 1" in text
    assert "broken.xml: malformed XML" in text
    assert ExternalNotice.objects.count() == 3


def test_bench_import_prints_speed_memory_and_the_parse_floor(
    reference_data, ted_notices_dir, tmp_path
):
    shutil.copy(ted_notices_dir / SEVERAL_CONTRACTORS, tmp_path / SEVERAL_CONTRACTORS)
    out = io.StringIO()

    call_command("bench", "import", "--notices", str(tmp_path), "--quiet", stdout=out)

    text = out.getvalue()
    assert "1 files in" in text
    assert "Bare lxml parse:" in text
    assert "notices/s" in text
    assert "Ratio import/parse:" in text
    assert "Peak memory" in text
    assert ExternalNotice.objects.count() == 1
