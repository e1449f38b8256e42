"""Fixtures for opportunities tests (shared with other apps via the root conftest).

``ted_notices_dir`` is the directory of real TED notices in ../shared/data (the test skips
when it is absent); ``ted_sample`` a fixed selection of them: the first 60 files in name
order (F03 award notices with several contractors among them, e.g. 000002-2019.xml) plus the
one corrigendum whose corrected notice is in the data (218017-2021.xml corrects
189849-2021.xml).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

CORRIGENDUM = "218017-2021.xml"
CORRECTED = "189849-2021.xml"
SEVERAL_CONTRACTORS = "000002-2019.xml"


@pytest.fixture
def ted_notices_dir() -> Path:
    path = Path(settings.SHARED_DATA_DIR) / "ted" / "notices"
    if not path.is_dir() or not any(path.glob("*.xml")):
        pytest.skip(f"TED notices not found at {path} (set GOVHUB_SHARED_DATA)")
    return path


@pytest.fixture
def ted_sample(ted_notices_dir: Path) -> list[Path]:
    files = sorted(ted_notices_dir.glob("*.xml"))[:60]
    for name in (SEVERAL_CONTRACTORS, CORRECTED, CORRIGENDUM):
        path = ted_notices_dir / name
        if path not in files:
            files.append(path)
    return files
