from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from govhub.reference import build
from govhub.reference.models import CpvCode


def test_load_reference_prints_a_summary(reference_data):
    out = StringIO()
    call_command("load_reference", stdout=out)
    text = out.getvalue()
    assert "cpv" in text
    assert "0 created, 0 updated" in text


def test_load_reference_quiet(reference_data):
    out = StringIO()
    call_command("load_reference", "--quiet", stdout=out)
    assert out.getvalue() == ""
    assert CpvCode.objects.count() == 9454


@pytest.mark.shared_data
def test_build_reference_writes_the_files(tmp_path, shared_data_dir):
    out = StringIO()
    call_command(
        "build_reference", "--source", str(shared_data_dir), "--output", str(tmp_path), stdout=out
    )
    for name in build.FILES:
        assert build.read(name, tmp_path) == build.read(name)
    assert (tmp_path / "README.md").exists()
    assert "Wrote 4 files" in out.getvalue()


def test_build_reference_refuses_a_folder_without_the_sources(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("build_reference", "--source", str(tmp_path), "--output", str(tmp_path / "o"))
